import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { OpenAiSummarizer } from "../../src/models/summarizer/llm/openai-summarizer.js";
import type { LlmEvent } from "../../src/models/summarizer/llm/llm-events.js";
import { ChannelPipeline } from "../../src/pipeline/channel-pipeline.js";
import type { OutputRecord, Rollup, Snapshot } from "../../src/schema/output-schema.js";
import { processed } from "../helpers/pipeline-fixtures.js";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../llm/fake-openai-server.js";
import { BORED, HYPE } from "../llm/helpers.js";

/** A server that takes each connection and resets it as soon as the request arrives: the client's call throws. */
async function resettingServer(): Promise<{ baseURL: string; resets: () => number; close: () => Promise<void> }> {
  let resets = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => {
      resets++;
      socket.resetAndDestroy();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    resets: () => resets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * 90 s of chat through one channel, on virtual time: the model's clock (timeouts, breaker, retries) and the stream
 * move together, a second at a time, with a few real turns of the event loop for its HTTP calls in between.
 */
async function runThrough(llm: OpenAiSummarizer, clock: VirtualClock): Promise<{ snapshots: Snapshot[]; rollups: Rollup[]; events: LlmEvent[] }> {
  const out: OutputRecord[] = [];
  const events: LlmEvent[] = [];
  llm.onEvent((e) => events.push(e));
  const p = new ChannelPipeline({ channel: "c", summarizer: () => llm, emit: (r) => out.push(r) });
  let i = 0;
  for (let second = 0; second < 90; second++) {
    const lines = second < 45 ? HYPE : BORED;
    for (let t = second * 1000; t < (second + 1) * 1000; t += 250, i++) p.ingest(processed(t, lines[i % lines.length] as string, `u${i % 40}`));
    p.advanceTo((second + 1) * 1000 - 1);
    for (let turn = 0; turn < 3; turn++) await new Promise((r) => setTimeout(r, 1));
    await clock.advanceTo((second + 1) * 1000);
  }
  p.finish();
  await llm.close();
  return { snapshots: out.filter((r): r is Snapshot => r.type === "snapshot"), rollups: out.filter((r): r is Rollup => r.type === "rollup"), events };
}

/** What every run through a broken model must show: a snapshot every 500 ms, each with the embedded headline. */
function expectSnapshotsContinue(snapshots: readonly Snapshot[], rollups: readonly Rollup[]): void {
  expect(snapshots.map((s) => s.t)).toEqual(Array.from({ length: 180 }, (_, k) => k * 500));
  expect(snapshots.every((s) => s.headline.length > 0)).toBe(true);
  // The fake model's wording ("Chat talks about …") never shows: no answer came back.
  expect(snapshots.some((s) => /^Chat talks about /.test(s.headline))).toBe(false);
  expect(rollups.filter((r) => r.level === "5s").reduce((n, r) => n + r.count, 0)).toBe(360);
}

describe("a model that hangs or throws (virtual time)", () => {
  let silent: FakeOpenAiServer;
  beforeAll(async () => {
    silent = await startFakeOpenAiServer({ mode: "silent" });
  });
  afterAll(async () => {
    await silent.close();
  });

  it("[#17.6] hangs: each call times out on the injected clock, snapshots continue with the fallback, counted; the breaker opens and no call piles up", async () => {
    const clock = new VirtualClock(0);
    const llm = new OpenAiSummarizer({ model: "fake", baseURL: silent.baseURL, clock, timeoutMs: 3_000, maxRetries: 0, minRequestIntervalMs: 0 });
    let maxInFlight = 0;
    llm.onEvent(() => (maxInFlight = Math.max(maxInFlight, llm.inFlightCount)));
    const { snapshots, rollups, events } = await runThrough(llm, clock);
    expectSnapshotsContinue(snapshots, rollups);
    const stats = llm.stats();
    expect(stats.calls).toBeGreaterThan(0);
    // Every call the model took ended by its timeout (none answered, none failed otherwise).
    expect(stats.timeouts).toBe(stats.calls);
    expect(stats.failures).toBe(stats.calls);
    expect(events.filter((e) => e.type === "request" && e.outcome === "timeout")).toHaveLength(stats.calls);
    // Each headline the gate asked for was the fallback's, and counted as such.
    const fallbacks = events.filter((e) => e.type === "headline" && e.source === "fallback").length;
    expect(fallbacks).toBeGreaterThan(0);
    expect(stats.fallbacks).toBe(fallbacks);
    expect(stats.breaker).not.toBe("closed");
    expect(stats.skipped.breaker).toBeGreaterThan(0);
    // A hung server holds at most one call per content key, never one per snapshot.
    expect(stats.calls).toBeLessThan(snapshots.length / 10);
    expect(maxInFlight).toBeLessThanOrEqual(3);
  });

  it("[#17.6] throws (the connection is reset under every request): snapshots continue with the fallback, failures and fallbacks counted", async () => {
    const reset = await resettingServer();
    try {
      const clock = new VirtualClock(0);
      const llm = new OpenAiSummarizer({ model: "fake", baseURL: reset.baseURL, clock, timeoutMs: 3_000, maxRetries: 1, retryBaseMs: 200, minRequestIntervalMs: 0 });
      const { snapshots, rollups, events } = await runThrough(llm, clock);
      expectSnapshotsContinue(snapshots, rollups);
      const stats = llm.stats();
      expect(stats.calls).toBeGreaterThan(0);
      expect(reset.resets()).toBeGreaterThanOrEqual(stats.calls);
      expect(stats.failures).toBe(stats.calls);
      expect(stats.timeouts).toBe(0);
      expect(events.filter((e) => e.type === "request" && e.outcome === "error")).toHaveLength(stats.calls);
      expect(stats.fallbacks).toBe(events.filter((e) => e.type === "headline" && e.source === "fallback").length);
      expect(stats.fallbacks).toBeGreaterThan(0);
      expect(stats.breaker).not.toBe("closed");
    } finally {
      await reset.close();
    }
  });
});
