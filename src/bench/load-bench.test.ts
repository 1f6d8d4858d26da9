import { describe, expect, it } from "vitest";
import { VirtualClock } from "../core/clock.js";
import { setUpModels } from "../commands/model-setup.js";
import { startServer } from "../server/start-server.js";
import { registerIngestRoute } from "../sources/live/ingest/ingest-route.js";
import { IngestSource } from "../sources/live/ingest/ingest-source.js";
import { syntheticLines } from "./chat-lines.js";
import { runIngestGenerator } from "./ingest-generator.js";
import { runLoadBench, type LoadBenchOptions } from "./load-bench.js";
import type { LoadPlan } from "./load-plan.js";

const lines = syntheticLines(2_000, 5);
const base = (plan: Partial<LoadPlan>, o: Partial<LoadBenchOptions> = {}): LoadBenchOptions => ({
  plan: { channels: 1, rate: 50, quietChannels: 0, quietEveryMs: 5_000, durationMs: 10_000, malformedEvery: 0, ...plan },
  lines,
  linesSpec: { synthetic: 2_000, seed: 5 },
  clock: "virtual",
  generator: "in-process",
  warmupMs: 0,
  sampleEveryMs: 1_000,
  sink: "none",
  ...o,
});

describe("runLoadBench", () => {
  it("on virtual time: every generated line is accounted for, every channel publishes at 2 Hz, the report is whole", async () => {
    const r = await runLoadBench(base({ channels: 2, rate: 50, quietChannels: 20, quietEveryMs: 5_000, durationMs: 60_000, malformedEvery: 50 }, { warmupMs: 10_000, sampleEveryMs: 5_000 }));
    expect(r.counts.generated).toBe(2 * 50 * 60 + 20 * 12);
    expect(r.counts.malformed).toBe(Math.floor(r.counts.generated / 50));
    expect(r.counts).toMatchObject({ shed: 0, refused: 0, lost: 0 });
    expect(r.counts.processed).toBe(r.counts.generated - r.counts.malformed);
    expect(r.state.channels).toBe(22);
    // On virtual time a snapshot is late only by scheduling: every gap is exactly one 500 ms step.
    expect(r.snapshotGapMs).toMatchObject({ max: 500, over600: 0, channelsWithGap: 0, channelsMeasured: 22 });
    expect(r.snapshotGapMs.slowestChannelHz).toBeGreaterThanOrEqual(1.9);
    expect(r.endToEndMs.count).toBe(r.snapshots);
    expect(r.endToEndMs.max).toBeLessThanOrEqual(500);
    expect(r.tickWaitMs.max).toBeLessThan(500);
    expect(r.queue.highWater).toBeLessThanOrEqual(r.queue.capacity);
    expect(r.measuredSeconds).toBe(50);
    expect(r.memory.samples.length).toBeGreaterThanOrEqual(12);
    expect(r.eventLoopDelayMs).toBeUndefined();
    expect(r.floor.usPerMessage).toBeGreaterThan(0);
    expect(r.load).toMatchObject({ clock: "virtual", generator: "in-process", lines: "synthetic", warmupSeconds: 10 });
  });

  it("at rate max the load waits for room instead of being shed; the event loop's delay is measured on real time", async () => {
    const r = await runLoadBench(base({ rate: "max", maxMessages: 3_000 }, { clock: "real", sink: "jsonl:/dev/null" }));
    expect(r.counts).toMatchObject({ generated: 3_000, processed: 3_000, shed: 0, lost: 0 });
    expect(r.throughput.messagesPerSecond).toBeGreaterThan(0);
    expect(r.eventLoopDelayMs).toBeDefined();
    expect(r.queue.highWater).toBeLessThanOrEqual(1_000);
  });

  it("refuses what it cannot measure", async () => {
    await expect(runLoadBench(base({}, { generator: "process" }))).rejects.toThrow(/needs --clock real/);
    await expect(runLoadBench(base({ rate: "max" }))).rejects.toThrow(/needs --clock real/);
  });

  it("[#17.1] a generator in another process pushes the load over /v1/ingest; chatstream accounts for every line", async () => {
    const r = await runLoadBench(base({ channels: 1, rate: 100, quietChannels: 30, quietEveryMs: 2_000, durationMs: 3_000, malformedEvery: 40 }, { clock: "real", generator: "process", warmupMs: 1_000, sink: "jsonl:/dev/null" }));
    expect(r.counts.generated).toBe(300 + 45);
    expect(r.counts.malformed).toBe(Math.floor(345 / 40));
    expect(r.counts).toMatchObject({ refused: 0, shed: 0, lost: 0 });
    expect(r.state.channels).toBe(31);
    expect(r.tickWaitMs.count).toBe(r.counts.processed);
    expect(r.cpu.usPerMessage).toBeGreaterThan(0);
  });
});

describe("the ingest load generator", () => {
  it("paces the plan, sends each instant's lines as one frame and torn lines alone, and counts every answer", async () => {
    const clock = new VirtualClock(0);
    const ingest = new IngestSource({ clock, capacity: 100_000 });
    const server = await startServer({ serve: "127.0.0.1:0", sighup: false }, { slots: setUpModels({}), log: () => undefined, routes: (app) => registerIngestRoute(app, ingest) });
    try {
      const plan: LoadPlan = { channels: 2, rate: 200, quietChannels: 5, quietEveryMs: 500, durationMs: 600, malformedEvery: 25 };
      const report = await runIngestGenerator({ url: `${server.url.replace("http", "ws")}/v1/ingest`, plan, lines: { synthetic: 500, seed: 3 } });
      expect(report.generated).toBe(240 + 6);
      const torn = Math.floor(246 / 25);
      expect(report).toMatchObject({ accepted: 246 - torn, rejected: torn, queueFull: 0 });
      expect(ingest.stats).toMatchObject({ accepted: 246 - torn, invalid: torn, frames: report.frames });
      expect(ingest.depth).toBe(246 - torn);
    } finally {
      await ingest.stop();
      await server.close();
    }
  });
});
