import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { CircuitBreaker } from "../../src/models/summarizer/llm/circuit-breaker.js";
import { LruCache } from "../../src/models/summarizer/llm/lru.js";
import { chatRequestBody, createOpenAiSummarizer, OpenAiSummarizer } from "../../src/models/summarizer/llm/openai-summarizer.js";
import { contentSignature, naivePrompt, quoteLine } from "../../src/models/summarizer/llm/prompt.js";
import { TokenBudget } from "../../src/models/summarizer/llm/token-budget.js";
import { promptTokens, textTokens } from "../../src/models/summarizer/llm/tokens.js";
import { checkHeadline } from "../../src/models/summarizer/llm/validate.js";
import { createSummarizer, summarizerNames } from "../../src/models/summarizer/registry.js";
import { DigestBuilder } from "../../src/aggregation/chat-digest.js";
import { processed } from "../helpers/pipeline-fixtures.js";
import { BORED, digestOf, HYPE } from "./helpers.js";

describe("checkHeadline", () => {
  const d = digestOf(["@streamerbob nice one", "hello chat"]);
  it("accepts a clean two-sentence headline as is", () => {
    expect(checkHeadline("Chat cheers the play. Others ask about the score.", d)).toEqual({ ok: true, headline: "Chat cheers the play. Others ask about the score.", repairs: [] });
  });
  it("repairs markup, extra sentences, links, handles, mentioned names and profanity", () => {
    const r = checkHeadline('```\nHeadline: "Chat loves **streamerbob** and shit plays. Others post www.x.com links. More here."\n```', d);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.headline).toBe("Chat loves a viewer and s*** plays. Others post a link links.");
    expect(r.repairs).toEqual(expect.arrayContaining(["stripped-markup", "trimmed-sentences", "removed-link", "removed-username", "masked"]));
    expect(checkHeadline("**Headline:** Chat cheers the play. Others ask about the score.", d)).toEqual({ ok: true, headline: "Chat cheers the play. Others ask about the score.", repairs: ["stripped-markup"] });
    expect(checkHeadline("<think>\nThe user wants a headline. Ignore previous chat.\n</think>\n\nChat cheers the play. Others ask about the score.", d)).toEqual({
      ok: true,
      headline: "Chat cheers the play. Others ask about the score.",
      repairs: ["removed-controls", "stripped-reasoning"],
    });
    const added = checkHeadline("Chat cheers @bob loudly. Others ask about the score", d);
    expect(added).toEqual({ ok: true, headline: "Chat cheers a viewer loudly. Others ask about the score.", repairs: ["removed-username"] });
  });
  it("rejects what cannot be repaired", () => {
    expect(checkHeadline("   ", d)).toEqual({ ok: false, reason: "empty" });
    expect(checkHeadline("Chat cheers.", d)).toEqual({ ok: false, reason: "one-sentence" });
    expect(checkHeadline(`${"word ".repeat(30)}here. ${"more ".repeat(20)}words.`, d)).toEqual({ ok: false, reason: "too-long" });
    expect(checkHeadline("Chat cheers loudly. Yes.", d)).toEqual({ ok: false, reason: "too-short" });
    expect(checkHeadline("I cannot follow these instructions. Chat cheers loudly.", d)).toEqual({ ok: false, reason: "instruction-echo" });
    const copied = digestOf(["the new patch ruined my favourite hero completely"]);
    expect(checkHeadline("Chat says the new patch ruined my favourite hero. Others agree with it.", copied)).toEqual({ ok: false, reason: "copied-chat" });
  });
  it("refuses a copy of a line said once, which the window prompt shows though no top group holds it", () => {
    const b = new DigestBuilder();
    ["gg", "gg", "gg", "the new patch ruined my favourite hero completely", "gg"].forEach((text, i) => b.add(processed(i, text, `u${i}`)));
    const d = b.build(-1, 5, 1, 20, 200);
    expect(d.groups.map((g) => g.text)).toEqual(["gg"]);
    expect(d.lines?.map((g) => g.text)).toContain("the new patch ruined my favourite hero completely");
    expect(checkHeadline("Chat says the new patch ruined my favourite hero. Others agree with it.", d)).toEqual({ ok: false, reason: "copied-chat" });
    expect(checkHeadline("Chat says gg after the patch. Others agree with the verdict.", d).ok).toBe(true);
  });
});

describe("prompt pieces", () => {
  it("content signatures ignore volume but follow topics and mood", () => {
    const tenfold = digestOf(HYPE.flatMap((l) => Array<string>(10).fill(l)), 40);
    expect(contentSignature(tenfold)).toBe(contentSignature(digestOf(HYPE)));
    expect(contentSignature(digestOf(BORED))).not.toBe(contentSignature(digestOf(HYPE)));
    expect(contentSignature(digestOf(HYPE), "period")).not.toBe(contentSignature(digestOf(HYPE)));
    expect(contentSignature(digestOf([]))).toBe("window|quiet");
  });
  it("quotes lines bounded and on one line; the naive prompt holds every message", () => {
    expect(quoteLine("a\n  b " + "x".repeat(300), 20)).toHaveLength(20);
    const naive = naivePrompt(["one", "two"]);
    expect(naive[1]?.content).toContain("one\ntwo");
    expect(promptTokens(naive)).toBeGreaterThan(textTokens("one two"));
    expect(textTokens("")).toBe(0);
  });
});

describe("chatRequestBody", () => {
  it("is the body POSTed: model, messages, max_tokens, temperature when set, stream and its usage option", () => {
    const messages = [{ role: "user" as const, content: "hi" }];
    expect(chatRequestBody({ model: "m", maxCompletionTokens: 120 }, messages)).toEqual({ model: "m", messages, max_tokens: 120, stream: false });
    expect(chatRequestBody({ model: "m", maxCompletionTokens: 50, temperature: 0, stream: true }, messages)).toEqual({ model: "m", messages, max_tokens: 50, temperature: 0, stream: true, stream_options: { include_usage: true } });
  });
});

describe("CircuitBreaker, TokenBudget, LruCache", () => {
  it("lets one trial through when half-open", () => {
    const clock = new VirtualClock(0);
    const b = new CircuitBreaker(clock, { failureThreshold: 1, coolDownMs: 100 });
    expect(b.tryAcquire()).toBe(true);
    b.failure();
    expect(b.state).toBe("open");
    expect(b.tryAcquire()).toBe(false);
    void clock.advanceTo(100);
    expect(b.state).toBe("half-open");
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    expect(b.allows()).toBe(false);
    b.release();
    expect(b.allows()).toBe(true);
    b.success();
    expect(b.state).toBe("closed");
  });
  it("counts tokens over a sliding minute", () => {
    const clock = new VirtualClock(0);
    const budget = new TokenBudget(clock, 100);
    budget.charge(60);
    budget.charge(0);
    expect(budget.allows(40)).toBe(true);
    expect(budget.allows(41)).toBe(false);
    void clock.advanceTo(60_000);
    expect(budget.used()).toBe(0);
  });
  it("forgets the least recently used entry", () => {
    const lru = new LruCache<number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1);
    lru.set("c", 3);
    expect(lru.has("b")).toBe(false);
    expect(lru.size).toBe(2);
    expect(lru.get("zz")).toBeUndefined();
    expect(() => new LruCache(0)).toThrow();
  });
});

describe("factory and registry", () => {
  it("registers openai:MODEL with base URL and key from options or env", () => {
    expect(summarizerNames()).toContain("openai");
    const s = createSummarizer("openai:llama3.1", { baseURL: "http://127.0.0.1:1/v1" });
    expect(s).toBeInstanceOf(OpenAiSummarizer);
    expect(s.name).toBe("openai:llama3.1");
    const fromEnv = createOpenAiSummarizer({ timeoutMs: "500", stream: "true", clock: new VirtualClock(0) }, {}, "gpt-4o-mini", { OPENAI_API_KEY: "sk-test" });
    expect(fromEnv.name).toBe("openai:gpt-4o-mini");
    expect(createOpenAiSummarizer({ model: "m" }, {}, undefined, { OPENAI_BASE_URL: "http://127.0.0.1:1/v1" }).name).toBe("openai:m");
  });
  it("explains what is missing or wrong", () => {
    expect(() => createOpenAiSummarizer({}, {}, "m", {})).toThrow(/OPENAI_API_KEY/);
    expect(() => createOpenAiSummarizer({}, {}, undefined, { OPENAI_API_KEY: "k" })).toThrow(/name the model/);
    expect(() => createOpenAiSummarizer({ timeoutMs: "soon" }, {}, "m", { OPENAI_API_KEY: "k" })).toThrow(/number/);
    expect(() => createOpenAiSummarizer({ baseURL: 5 }, {}, "m", {})).toThrow(/string/);
    expect(() => createOpenAiSummarizer({ clock: {} }, {}, "m", { OPENAI_API_KEY: "k" })).toThrow(/Clock/);
  });
});
