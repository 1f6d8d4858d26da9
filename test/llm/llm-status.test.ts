import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import type { LlmEvent } from "../../src/models/summarizer/llm/llm-events.js";
import { LlmStatusReporter } from "../../src/models/summarizer/llm/llm-status.js";
import { OpenAiSummarizer } from "../../src/models/summarizer/llm/openai-summarizer.js";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "./fake-openai-server.js";
import { closedPort, digestOf, HYPE } from "./helpers.js";

// The real-process side of this (what stderr says, how fast the process exits) is in llm-status-cli.test.ts.

describe("the summarizer's probe, close and status lines (in process)", () => {
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
  });
  afterAll(() => fake.close());

  it("the probe finds a working server and a refused one", async () => {
    expect(await new OpenAiSummarizer({ model: "fake", baseURL: fake.baseURL }).probe()).toEqual({ ok: true });
    expect(fake.modelListRequests).toBe(1);
    const port = await closedPort();
    expect(await new OpenAiSummarizer({ model: "fake", baseURL: `http://127.0.0.1:${port}/v1` }).probe()).toEqual({ ok: false, reason: "connection refused" });
  });

  it("a silent server's probe gives up after timeoutMs on the injected clock", async () => {
    fake.mode = "silent";
    const clock = new VirtualClock(0);
    const s = new OpenAiSummarizer({ model: "fake", baseURL: fake.baseURL, clock, timeoutMs: 2_000 });
    const probe = s.probe();
    for (let i = 0; i < 200 && fake.modelListRequests < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await clock.advanceBy(2_000);
    expect(await probe).toEqual({ ok: false, reason: "no answer within 2 s" });
    fake.mode = "normal";
  });

  it("close() ends requests in flight and retry waits at once, and starts no more", async () => {
    fake.mode = "silent";
    const clock = new VirtualClock(0);
    const s = new OpenAiSummarizer({ model: "fake", baseURL: fake.baseURL, clock, minRequestIntervalMs: 0 });
    const events: LlmEvent[] = [];
    s.onEvent((e) => events.push(e));
    const before = fake.requests.length;
    s.summarizeWindow(digestOf(HYPE));
    for (let i = 0; i < 200 && fake.requests.length === before; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s.inFlightCount).toBe(1);
    await s.close();
    expect(s.inFlightCount).toBe(0);
    expect(clock.pending).toBe(0); // no timeout sleeper left behind
    expect(events.filter((e) => e.type === "request")).toEqual([{ type: "request", outcome: "aborted", promptTokens: 0, completionTokens: 0, seconds: 0 }]);
    s.summarizeWindow(digestOf([...HYPE, "new content now"]));
    expect(s.inFlightCount).toBe(0);
    fake.mode = "normal";
  });

  it("the reporter tells an outage once, a recovery once, and a run the model never answered in", () => {
    const lines: string[] = [];
    const r = new LlmStatusReporter("http://x/v1", (l) => lines.push(l));
    const failure: LlmEvent = { type: "request", outcome: "error", promptTokens: 0, completionTokens: 0, seconds: 0.1, detail: "HTTP 502" };
    for (let i = 0; i < 50; i++) r.event(failure);
    r.event({ type: "breaker", state: "open", failures: 3, coolDownMs: 30_000 });
    r.event({ type: "breaker", state: "open", failures: 4, coolDownMs: 30_000 });
    r.event({ type: "request", outcome: "ok", promptTokens: 10, completionTokens: 5, seconds: 0.2 });
    r.event({ type: "request", outcome: "ok", promptTokens: 10, completionTokens: 5, seconds: 0.2 });
    r.finish();
    expect(lines).toEqual([
      "LLM at http://x/v1 failed: HTTP 502; the embedded headline stays on air until it answers",
      "LLM at http://x/v1: 3 failures in a row; asking again every 30 s",
      "LLM at http://x/v1 answers again",
    ]);
    const silent: string[] = [];
    const s = new LlmStatusReporter("http://y/v1", (l) => silent.push(l));
    s.probed({ ok: true });
    s.event({ type: "request", outcome: "aborted", promptTokens: 0, completionTokens: 0, seconds: 3 });
    s.finish();
    expect(silent).toEqual(["LLM at http://y/v1 did not answer before the run ended (1 request stopped); every headline was the embedded one"]);
  });
});
