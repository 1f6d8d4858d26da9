import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { OpenAiSummarizer } from "../../src/models/summarizer/llm/openai-summarizer.js";
import { ChannelPipeline } from "../../src/pipeline/channel-pipeline.js";
import type { OutputRecord, Snapshot } from "../../src/schema/output-schema.js";
import { processed } from "../helpers/pipeline-fixtures.js";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "./fake-openai-server.js";
import { HYPE, BORED } from "./helpers.js";

describe("the pipeline with a late or failing LLM (virtual time)", () => {
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
  });
  afterAll(async () => {
    await server.close();
  });

  function run(llm: OpenAiSummarizer): { p: ChannelPipeline; snaps: () => Snapshot[] } {
    const out: OutputRecord[] = [];
    const p = new ChannelPipeline({ channel: "c", summarizer: () => llm, emit: (r) => out.push(r) });
    return { p, snaps: () => out.filter((r): r is Snapshot => r.type === "snapshot") };
  }

  function feed(p: ChannelPipeline, lines: readonly string[], from: number, to: number): void {
    let i = 0;
    for (let t = from; t < to; t += 250, i++) p.ingest(processed(t, lines[i % lines.length] as string, `u${i % 40}`));
  }

  it("misses no snapshot while the model is slow: the embedded headline answers, the model's replaces it when it arrives", async () => {
    server.mode = "slow";
    const llm = new OpenAiSummarizer({ model: "fake", baseURL: server.baseURL, clock: new VirtualClock(0), minRequestIntervalMs: 0 });
    const { p, snaps } = run(llm);
    feed(p, HYPE, 0, 20_000);
    p.advanceTo(20_000);
    const during = snaps();
    expect(during.map((s) => s.t)).toEqual(Array.from({ length: 41 }, (_, i) => i * 500));
    expect(during.every((s) => s.headline.length > 0 && !/^Chat talks about /.test(s.headline))).toBe(true);
    expect(llm.stats().fallbacks).toBeGreaterThan(0);
    await llm.whenIdle();
    feed(p, HYPE, 20_000, 22_000);
    p.advanceTo(22_000);
    const after = snaps().at(-1) as Snapshot;
    expect(after.headline).toMatch(/^Chat talks about /); // the fake model's wording, not the embedded synthesizer's
    server.mode = "normal";
  });

  it("keeps publishing through a failing model, with the embedded headline, and the breaker open", async () => {
    server.mode = "failing";
    const llm = new OpenAiSummarizer({ model: "fake", baseURL: server.baseURL, clock: new VirtualClock(0), minRequestIntervalMs: 0, maxRetries: 0 });
    const { p, snaps } = run(llm);
    feed(p, HYPE, 0, 30_000);
    await llm.whenIdle();
    feed(p, BORED, 30_000, 90_000);
    await llm.whenIdle();
    p.finish();
    const all = snaps();
    // 0 … 89,500 ms: every 500 ms, none missed.
    expect(all.map((s) => s.t)).toEqual(Array.from({ length: 180 }, (_, i) => i * 500));
    expect(all.every((s) => s.headline.length > 0)).toBe(true);
    expect(llm.stats().failures).toBeGreaterThan(0);
    expect(llm.stats().breaker).toBe("open");
    expect(all.some((s) => /^Chat talks about /.test(s.headline))).toBe(false);
    server.mode = "normal";
  });
});
