import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUpModels, type ModelSlots } from "../../src/commands/model-setup.js";
import { VirtualClock } from "../../src/core/clock.js";
import { OpenAiSummarizer } from "../../src/models/summarizer/llm/openai-summarizer.js";
import { ChannelPipeline } from "../../src/pipeline/channel-pipeline.js";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { processed } from "../helpers/pipeline-fixtures.js";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "./fake-openai-server.js";
import { BORED, HYPE } from "./helpers.js";

/** The value of one series in Prometheus text, 0 when absent. */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** Sum of a metric's series whose labels contain every `labels` pair. */
function sum(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split("\n")
    .filter((l) => l.startsWith(name + "{") && wanted.every((w) => l.includes(w)))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

describe("LLM metrics against the fake server's own counts", () => {
  let fake: FakeOpenAiServer;
  let server: RunningServer;
  let slots: ModelSlots;
  let llm: OpenAiSummarizer;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    slots = setUpModels({ sentiment: "lexicon", summarizer: "extractive" });
    // A manual clock that never moves: no attempt times out, every request's answer is awaited for real.
    llm = new OpenAiSummarizer({ model: "fake", baseURL: fake.baseURL, clock: new VirtualClock(0), minRequestIntervalMs: 0 });
    slots.summarizer = llm;
    server = await startServer({ serve: "127.0.0.1:0", sighup: false }, { slots, summarizerName: "openai:fake", log: () => undefined });
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  async function scrape(): Promise<string> {
    return (await fetch(`${server.url}/metrics`)).text();
  }

  it("[#14.9] HTTP requests and tokens equal what the server saw and billed; headline calls are counted apart, by who answered", async () => {
    const p = new ChannelPipeline({ channel: "c", summarizer: () => slots.summarizer, emit: (r) => server.sink.write(r) });
    let i = 0;
    const feed = async (lines: readonly string[], from: number, to: number): Promise<void> => {
      for (let t = from; t < to; t += 250, i++) p.ingest(processed(t, lines[i % lines.length] as string, `u${i % 40}`));
      await llm.whenIdle();
    };
    // Hype, boredom, hype again: the content changes (the gate asks for headlines) and comes back (cache hits).
    await feed(HYPE, 0, 30_000);
    await feed(BORED, 30_000, 70_000);
    await feed(HYPE, 70_000, 110_000);
    await feed(BORED, 110_000, 150_000);
    p.finish();
    await llm.whenIdle();

    const text = await scrape();
    const model = { model: "openai:fake" };
    const stats = llm.stats();
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(sum(text, "chatstream_llm_requests_total", model)).toBe(fake.requests.length);
    expect(value(text, 'chatstream_llm_requests_total{model="openai:fake",outcome="ok"}')).toBe(fake.requests.length);
    expect(fake.usageSent.prompt).toBeGreaterThan(0);
    expect(value(text, 'chatstream_llm_tokens_total{model="openai:fake",direction="prompt"}')).toBe(fake.usageSent.prompt);
    expect(value(text, 'chatstream_llm_tokens_total{model="openai:fake",direction="completion"}')).toBe(fake.usageSent.completion);
    expect(value(text, 'chatstream_llm_request_seconds_count{model="openai:fake"}')).toBe(fake.requests.length);

    const headlineCalls = value(text, 'chatstream_model_calls_total{role="summarizer",model="openai:fake"}');
    expect(sum(text, "chatstream_headline_requests_total", model)).toBe(headlineCalls);
    expect(value(text, 'chatstream_headline_requests_total{model="openai:fake",source="cache"}')).toBe(stats.cacheHits);
    expect(value(text, 'chatstream_headline_requests_total{model="openai:fake",source="fallback"}')).toBe(stats.fallbacks);
    expect(stats.cacheHits).toBeGreaterThan(0);
    expect(headlineCalls).not.toBe(fake.requests.length);
  });

  it("[#14.9] failed requests are counted by outcome, and an open breaker shows", async () => {
    const broken = await startFakeOpenAiServer({ mode: "failing" });
    const failing = new OpenAiSummarizer({ model: "broken", baseURL: broken.baseURL, clock: new VirtualClock(0), minRequestIntervalMs: 0, maxRetries: 0 });
    const summarizer = server.metrics.instrumentSummarizer(failing);
    const p = new ChannelPipeline({ channel: "d", summarizer: () => summarizer, emit: (r) => server.sink.write(r) });
    let i = 0;
    for (const [n, lines] of [BORED, HYPE, BORED, HYPE, BORED].entries()) {
      for (let t = n * 40_000; t < (n + 1) * 40_000; t += 250, i++) p.ingest(processed(t, lines[i % lines.length] as string, `v${i % 30}`));
      await failing.whenIdle();
    }
    const text = await scrape();
    await broken.close();
    expect(broken.requests.length).toBeGreaterThanOrEqual(3);
    expect(value(text, 'chatstream_llm_requests_total{model="openai:broken",outcome="error"}')).toBe(broken.requests.length);
    expect(value(text, 'chatstream_llm_requests_total{model="openai:broken",outcome="ok"}')).toBe(0);
    expect(value(text, 'chatstream_llm_tokens_total{model="openai:broken",direction="prompt"}')).toBe(0);
    expect(value(text, 'chatstream_llm_breaker_open{model="openai:broken"}')).toBe(1);
    expect(value(text, 'chatstream_llm_requests_skipped_total{model="openai:broken",reason="breaker"}')).toBe(failing.stats().skipped.breaker);
  });
});
