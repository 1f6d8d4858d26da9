import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { builtinEmoteDictionary } from "../../src/processing/emote-dictionary.js";
import { OpenAiSummarizer, parseCompletion, type OpenAiSummarizerOptions } from "../../src/models/summarizer/llm/openai-summarizer.js";
import { isAsyncSummarizer } from "../../src/models/summarizer/llm/async-summarizer.js";
import { HeadlineSynthesizer } from "../../src/models/summarizer/synthesizer/headline-synthesizer.js";
import { countSentences } from "../../src/models/summarizer/headline-text.js";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "./fake-openai-server.js";
import { BORED, digestOf, HYPE, until } from "./helpers.js";

const embedded = new HeadlineSynthesizer(builtinEmoteDictionary());
let server: FakeOpenAiServer;
let clock: VirtualClock;

beforeEach(async () => {
  server = await startFakeOpenAiServer();
  clock = new VirtualClock(0);
});
afterEach(async () => {
  await server.close();
});

function make(options: Partial<OpenAiSummarizerOptions> = {}): OpenAiSummarizer {
  return new OpenAiSummarizer({ model: "fake-model", baseURL: server.baseURL, clock, minRequestIntervalMs: 0, ...options });
}

describe("OpenAiSummarizer (non-streaming)", () => {
  it("answers with the embedded headline at once, then with the model's once it arrives", async () => {
    const s = make();
    const updates: [string, string][] = [];
    const stop = s.onUpdate((key, headline) => updates.push([key, headline]));
    const d = digestOf(HYPE);
    expect(s.summarizeWindow(d)).toBe(embedded.summarizeWindow(d));
    expect(s.latestFor(d)).toBeUndefined();
    expect(s.inFlightCount).toBe(1);
    await s.whenIdle();
    const llm = s.latestFor(d);
    expect(llm).toMatch(/^Chat talks about /);
    expect(countSentences(llm as string)).toBe(2);
    expect(updates).toEqual([[s.keyOf(d), llm]]);
    expect(s.summarizeWindow(d)).toBe(llm);
    expect(s.latestForKey(s.keyOf(d))).toBe(llm);
    expect(isAsyncSummarizer(s)).toBe(true);
    expect(isAsyncSummarizer(embedded)).toBe(false);
    expect(s.fallback.summarizeWindow(d)).toBe(embedded.summarizeWindow(d));
    const st = s.stats();
    expect(st).toMatchObject({ model: "fake-model", calls: 1, failures: 0, fallbacks: 1, cacheHits: 1, breaker: "closed" });
    expect(st.promptTokens).toBeGreaterThan(100);
    expect(st.completionTokens).toBeGreaterThan(5);
    expect(st.tokensLastMinute).toBe(st.promptTokens + st.completionTokens);
    stop();
  });

  it("sends the previous headline and the window's distinct lines with their counts, never the raw flood", async () => {
    for (const promptStyle of ["window", "structured"] as const) {
      const s = make({ promptStyle });
      s.summarizeWindow(digestOf(HYPE));
      await s.whenIdle();
      const flood = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? "this is boring ResidentSleeper" : "ads again"));
      s.summarizeWindow(digestOf(flood, 200));
      await s.whenIdle();
      const body = server.requests.at(-1)?.messages?.[1]?.content ?? "";
      expect(body).toContain("previousHeadline");
      expect(body.split("ads again").length - 1).toBe(1);
      // The window style: lines in order of first appearance, each with its count; the structured one: clusters.
      expect(body).toContain(promptStyle === "window" ? '"lines":["this is boring ResidentSleeper ×250","ads again ×250"]' : '"messages":250');
    }
  });

  it("does not call again for the same content, nor while an identical request is in flight", async () => {
    await server.close();
    server = await startFakeOpenAiServer({ mode: "slow", delayMs: 200 });
    const s = make();
    const d = digestOf(HYPE);
    s.summarizeWindow(d);
    s.summarizeWindow(d);
    await until(() => server.requests.length === 1);
    server.mode = "normal";
    expect(s.inFlightCount).toBe(1);
    // Same texts from ten times as many users: same content signature, no new call once answered.
    await s.whenIdle();
    expect(s.latestFor(d)).toBeDefined();
    const tenfold = digestOf(HYPE.flatMap((l) => Array<string>(10).fill(l)), 50);
    expect(s.keyOf(tenfold)).toBe(s.keyOf(d));
    expect(s.summarizeWindow(tenfold)).toBe(s.latestFor(d));
    expect(server.requests.length).toBe(1);
    expect(s.stats().cacheHits).toBe(1);
  });

  it("never asks the model about quiet windows", () => {
    const s = make();
    expect(s.summarizeWindow(digestOf([]))).toBe(embedded.summarizeWindow(digestOf([])));
    expect(s.inFlightCount).toBe(0);
  });

  it("writes period headlines too when asked to", async () => {
    const s = make({ periods: true });
    const parts = [digestOf(HYPE), digestOf(BORED, 5, 100)];
    const whole = digestOf([...HYPE, ...BORED]);
    expect(s.summarizePeriod(whole, parts)).toBe(embedded.summarizePeriod(whole, parts));
    await s.whenIdle();
    expect(server.requests[0]?.messages?.[1]?.content).toContain('"arc"');
    expect(s.latestFor(whole, "period")).toBeDefined();
    expect(s.summarizePeriod(whole, parts)).toBe(s.latestFor(whole, "period"));
    const off = make();
    expect(off.summarizePeriod(whole, parts)).toBe(embedded.summarizePeriod(whole, parts));
    expect(off.inFlightCount).toBe(0);
  });

  it("spaces request starts by minRequestIntervalMs of clock time", async () => {
    const s = make({ minRequestIntervalMs: 1000 });
    s.summarizeWindow(digestOf(HYPE));
    s.summarizeWindow(digestOf(BORED));
    expect(s.stats().skipped.interval).toBe(1);
    await clock.advanceBy(1000);
    s.summarizeWindow(digestOf(BORED));
    await s.whenIdle();
    expect(server.requests.length).toBe(2);
  });
});

describe("OpenAiSummarizer (streaming)", () => {
  it("reads SSE chunks up to [DONE], with usage from the last chunk", async () => {
    const s = make({ stream: true });
    const d = digestOf(HYPE);
    s.summarizeWindow(d);
    await s.whenIdle();
    expect(server.requests[0]?.stream).toBe(true);
    expect(s.latestFor(d)).toMatch(/^Chat talks about .*\. Viewers post \d+ messages in \d+ clusters\.$/);
    expect(s.stats().promptTokens).toBeGreaterThan(100);
  });

  it("counts tokens with gpt-tokenizer when the server sends no usage", async () => {
    server.usage = false;
    for (const stream of [true, false]) {
      const s = make({ stream });
      s.summarizeWindow(digestOf(BORED));
      await s.whenIdle();
      const st = s.stats();
      expect(st.calls).toBe(1);
      expect(st.promptTokens).toBeGreaterThan(100);
      expect(st.completionTokens).toBeGreaterThan(5);
    }
  });

  it("treats a broken stream as a failure", async () => {
    server.mode = "bad-json";
    const s = make({ stream: true, maxRetries: 0 });
    const d = digestOf(HYPE);
    expect(s.summarizeWindow(d)).toBe(embedded.summarizeWindow(d));
    await s.whenIdle();
    expect(s.stats().failures).toBe(1);
    expect(s.latestFor(d)).toBeUndefined();
  });
});

describe("failures, timeouts, retries and the circuit breaker", () => {
  it("falls back at once while failing, opens the breaker, and recovers after the cool-down", async () => {
    server.mode = "failing";
    const s = make({ maxRetries: 0, breaker: { failureThreshold: 2, coolDownMs: 30_000 } });
    const a = digestOf(HYPE);
    const b = digestOf(BORED);
    expect(s.summarizeWindow(a)).toBe(embedded.summarizeWindow(a));
    await s.whenIdle();
    expect(s.summarizeWindow(b)).toBe(embedded.summarizeWindow(b));
    await s.whenIdle();
    expect(s.stats()).toMatchObject({ calls: 2, failures: 2, breaker: "open" });
    // Open: no request at all, the embedded headline answers.
    expect(s.summarizeWindow(a)).toBe(embedded.summarizeWindow(a));
    expect(s.inFlightCount).toBe(0);
    expect(s.stats().skipped.breaker).toBe(1);
    server.mode = "normal";
    await clock.advanceBy(30_000);
    expect(s.stats().breaker).toBe("half-open");
    s.summarizeWindow(a);
    await s.whenIdle();
    expect(s.stats().breaker).toBe("closed");
    expect(s.summarizeWindow(a)).toMatch(/^Chat talks about/);
  });

  it("re-opens when the half-open trial fails", async () => {
    server.mode = "failing";
    const s = make({ maxRetries: 0, breaker: { failureThreshold: 1, coolDownMs: 1000 } });
    s.summarizeWindow(digestOf(HYPE));
    await s.whenIdle();
    await clock.advanceBy(1000);
    s.summarizeWindow(digestOf(HYPE));
    await s.whenIdle();
    expect(s.stats().breaker).toBe("open");
    expect(server.requests.length).toBe(2);
  });

  it("times out on the injected clock and falls back", async () => {
    server.mode = "slow";
    const s = make({ timeoutMs: 2000, maxRetries: 0 });
    const d = digestOf(HYPE);
    expect(s.summarizeWindow(d)).toBe(embedded.summarizeWindow(d));
    await until(() => server.requests.length === 1);
    await clock.advanceBy(2000);
    await s.whenIdle();
    expect(s.stats()).toMatchObject({ failures: 1, timeouts: 1 });
    expect(s.summarizeWindow(d)).toBe(embedded.summarizeWindow(d));
  });

  it("retries a timeout after a backoff on the clock", async () => {
    server.queue.push("slow");
    const s = make({ timeoutMs: 2000, maxRetries: 2, retryBaseMs: 500 });
    const d = digestOf(HYPE);
    s.summarizeWindow(d);
    await until(() => server.requests.length === 1);
    await clock.advanceBy(2000);
    await until(() => s.stats().failures === 1);
    await clock.advanceBy(500);
    await s.whenIdle();
    expect(s.stats()).toMatchObject({ calls: 2, retries: 1, timeouts: 1 });
    expect(s.latestFor(d)).toBeDefined();
  });

  it("honours Retry-After on 429", async () => {
    server.queue.push("rate-limited");
    const s = make();
    const d = digestOf(HYPE);
    s.summarizeWindow(d);
    await until(() => s.stats().failures === 1);
    await clock.advanceBy(999);
    expect(server.requests.length).toBe(1);
    await clock.advanceBy(1);
    await s.whenIdle();
    expect(server.requests.length).toBe(2);
    expect(s.latestFor(d)).toBeDefined();
  });

  it("gives up when Retry-After is too long or the retry budget is spent", async () => {
    const far = await startFakeOpenAiServer({ mode: "rate-limited", retryAfter: 120 });
    try {
      const s = new OpenAiSummarizer({ model: "m", baseURL: far.baseURL, clock, minRequestIntervalMs: 0 });
      s.summarizeWindow(digestOf(HYPE));
      await s.whenIdle();
      expect(s.stats()).toMatchObject({ calls: 1, retries: 0, failures: 1 });
    } finally {
      await far.close();
    }
    server.mode = "failing";
    const s = make({ retriesPerMinute: 1, retryBaseMs: 10, breaker: { failureThreshold: 10 } });
    s.summarizeWindow(digestOf(HYPE));
    await until(() => s.stats().failures === 1);
    await clock.advanceBy(10);
    await s.whenIdle();
    expect(s.stats()).toMatchObject({ calls: 2, retries: 1, failures: 2 });
  });
});

describe("malformed answers", () => {
  it("counts bad JSON and wrong shapes as failures", async () => {
    for (const mode of ["bad-json", "wrong-shape"] as const) {
      server.mode = mode;
      const s = make({ maxRetries: 0 });
      const d = digestOf(HYPE);
      s.summarizeWindow(d);
      await s.whenIdle();
      expect(s.stats().failures, mode).toBe(1);
      expect(s.latestFor(d)).toBeUndefined();
    }
  });

  it("repairs five sentences, usernames and links; rejects one sentence and does not ask again", async () => {
    const expectations = { "five-sentences": "Chat cheers the play. Others laugh at the caster.", username: "Chat cheers for a viewer and the team. Others laugh at the caster.", link: "Chat shares a link and cheers. Others post a link in chat." };
    for (const [mode, want] of Object.entries(expectations)) {
      server.mode = mode as keyof typeof expectations;
      const s = make();
      const d = digestOf(HYPE);
      s.summarizeWindow(d);
      await s.whenIdle();
      expect(s.latestFor(d), mode).toBe(want);
      expect(s.stats().repaired).toBe(1);
    }
    server.mode = "one-sentence";
    const s = make();
    const d = digestOf(HYPE);
    s.summarizeWindow(d);
    await s.whenIdle();
    expect(s.stats().rejected).toBe(1);
    expect(s.summarizeWindow(d)).toBe(embedded.summarizeWindow(d));
    expect(s.stats().skipped.rejectedBefore).toBe(1);
    expect(server.requests.length).toBe(4);
  });

  it("parses completions defensively", () => {
    expect(() => parseCompletion(null)).toThrow();
    expect(() => parseCompletion({ choices: [] })).toThrow();
    expect(parseCompletion({ choices: [{ message: { content: "A. B." } }] })).toEqual({ text: "A. B.", usage: undefined });
  });
});

describe("token budget", () => {
  it("degrades to the embedded headline when the minute's budget is spent, and recovers a minute later", async () => {
    const probe = make();
    probe.summarizeWindow(digestOf(HYPE));
    await probe.whenIdle();
    const cost = probe.stats().promptTokens + probe.stats().completionTokens;
    const s = make({ tokensPerMinute: Math.round(cost * 1.5) });
    s.summarizeWindow(digestOf(HYPE));
    await s.whenIdle();
    const b = digestOf(BORED);
    expect(s.summarizeWindow(b)).toBe(embedded.summarizeWindow(b));
    expect(s.stats().skipped.budget).toBe(1);
    expect(s.inFlightCount).toBe(0);
    await clock.advanceBy(60_001);
    expect(s.stats().tokensLastMinute).toBe(0);
    s.summarizeWindow(b);
    await s.whenIdle();
    expect(s.latestFor(b)).toBeDefined();
    expect(server.requests.length).toBe(3);
  });
});

describe("headlineFor: a window that waits for the model (chatstream digest)", () => {
  it("says why the fallback answered: timeout, rejection (not asked twice), breaker, budget, quiet, stopped", async () => {
    server.mode = "silent";
    const s = make({ timeoutMs: 1000, maxRetries: 0, breaker: { failureThreshold: 1, coolDownMs: 60_000 } });
    const d = digestOf(HYPE);
    const waiting = s.headlineFor(d);
    await until(() => server.requests.length === 1);
    await clock.advanceBy(1000);
    expect(await waiting).toEqual({ source: "fallback", headline: embedded.summarizeWindow(d), reason: "timeout", detail: "no answer within 1 s" });
    // The timeout opened the breaker (threshold 1): nothing is sent until the cool-down.
    expect(await s.headlineFor(digestOf(BORED))).toMatchObject({ source: "fallback", reason: "breaker" });
    expect(server.requests.length).toBe(1);

    server.mode = "one-sentence";
    const r = make();
    expect(await r.headlineFor(d)).toMatchObject({ source: "fallback", reason: "rejected", rejection: "one-sentence" });
    expect(await r.headlineFor(d)).toMatchObject({ source: "fallback", reason: "rejected", rejection: "one-sentence" });
    expect(server.requests.length).toBe(2);
    expect(r.stats().skipped.rejectedBefore).toBe(1);

    server.mode = "normal";
    expect(await make({ tokensPerMinute: 10 }).headlineFor(d)).toMatchObject({ source: "fallback", reason: "budget" });
    expect(await make().headlineFor(digestOf([]))).toMatchObject({ source: "fallback", reason: "quiet" });
    const closed = make();
    await closed.close();
    expect(await closed.headlineFor(d)).toMatchObject({ source: "fallback", reason: "stopped" });
    expect(server.requests.length).toBe(2);
  });

  it("two windows that ask the same share one request; no previous headline is sent unless given", async () => {
    const s = make();
    const [a, b] = await Promise.all([s.headlineFor(digestOf(HYPE)), s.headlineFor(digestOf(HYPE))]);
    expect(a).toMatchObject({ source: "model", cached: false });
    expect(b).toEqual(a);
    expect(server.requests).toHaveLength(1);
    expect(await s.headlineFor(digestOf(HYPE))).toMatchObject({ source: "model", cached: true });
    // The live path's content signature would call these the same content; asked apart, they are asked apart.
    const doubled = digestOf(HYPE.flatMap((l) => [l, l]), 20);
    expect(s.keyOf(doubled)).toBe(s.keyOf(digestOf(HYPE)));
    expect(await s.headlineFor(doubled)).toMatchObject({ source: "model", cached: false });
    await s.headlineFor(digestOf(BORED), "Chat cheers. Others laugh.");
    expect(server.requests[0]?.messages?.[1]?.content).not.toContain("previousHeadline");
    expect(server.requests[2]?.messages?.[1]?.content).toContain('"previousHeadline":"Chat cheers. Others laugh."');
    // The live path's previous headline is not touched by these windows.
    expect(s.requestFor(digestOf(BORED)).messages[1]?.content).not.toContain("previousHeadline");
  });
});
