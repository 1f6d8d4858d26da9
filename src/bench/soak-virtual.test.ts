import { existsSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { recordingLines, syntheticLines, type ChatLines } from "./chat-lines.js";
import { runLoadBench, type LoadBenchReport } from "./load-bench.js";
import type { LoadPlan } from "./load-plan.js";

// The soaks of `npm run soak` (benchmarks/bench-suite.ts) on virtual time: 60 minutes of stream time in seconds,
// in the normal suite. Wall-clock figures mean nothing here; counts, the queue, the 2 Hz cadence and the heap do.

const RECORDING = new URL("../../../shared/data/chat/twitch-riotgames-lolworlds2016-day2.jsonl", import.meta.url);
const HOUR_MS = 3_600_000;
/** The soak bars' "flat" (benchmarks/bench-suite.ts): the second half's heap peak at most this above the first's. */
const PEAK_GROWTH_MB = 5;

/** A forced full GC before each memory sample, so the heap's slope is a leak's and not the collector's timing. */
function forcedGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

async function soakLines(): Promise<ChatLines> {
  // The soak replays this recording; without the shared data the synthetic chat stands in (same shape, less variety).
  return existsSync(RECORDING) ? recordingLines(RECORDING.pathname) : syntheticLines();
}

async function soak(plan: Omit<LoadPlan, "durationMs" | "malformedEvery">): Promise<LoadBenchReport> {
  return runLoadBench({
    plan: { ...plan, durationMs: HOUR_MS, malformedEvery: 997 },
    lines: await soakLines(),
    linesSpec: { synthetic: 0, seed: 0 },
    clock: "virtual",
    generator: "in-process",
    warmupMs: 5 * 60_000,
    sampleEveryMs: 60_000,
    sink: "none",
    gc: forcedGc(),
  });
}

/** The soak's bars that hold on virtual time. */
function expectSoakHolds(r: LoadBenchReport, channels: number): void {
  const c = r.counts;
  // Each busy channel's rate for the hour, and each quiet channel's message a minute.
  expect(c.generated).toBe(Number(r.load.rate) * 3_600 * r.load.channels + r.load.quietChannels * 60);
  // Zero lost: every generated line is processed, shed or malformed (one in 997, torn on purpose).
  expect(c).toMatchObject({ lost: 0, shed: 0, refused: 0 });
  expect(c.malformed).toBe(Math.floor(c.generated / 997));
  expect(c.processed + c.malformed).toBe(c.generated);
  expect(r.queue.highWater).toBeLessThanOrEqual(1_000);
  // Every channel published at 2 Hz for the whole hour.
  expect(r.snapshotGapMs).toMatchObject({ over600: 0, channelsWithGap: 0, channelsMeasured: channels });
  expect(r.snapshots).toBe(channels * 2 * r.measuredSeconds);
  // The heap is flat once warm: bounded caches fill and are cleared (a saw-tooth), but the second half's peak is
  // not above the first half's, as it would be with state that grows with stream time.
  expect(r.memory.samples.length).toBeGreaterThanOrEqual(60);
  expect(r.memory.heapPeakGrowthMB).toBeLessThanOrEqual(PEAK_GROWTH_MB);
}

describe("the soaks on virtual time (60 minutes of stream time)", () => {
  // soak-20 as `npm run soak` runs it, with 20 quiet channels beside it: soak-1000's shape (one busy channel and many
  // quiet ones) at a fiftieth, so the normal suite spends well under a minute on it. `npm run soak:virtual` runs both
  // soaks whole on virtual time.
  it("[#17.2] one channel at 20 msg/s and 20 quiet channels for an hour: nothing lost, the queue bounded, 2 Hz throughout, the heap flat", { timeout: 300_000 }, async () => {
    const r = await soak({ channels: 1, rate: 20, quietChannels: 20, quietEveryMs: 60_000 });
    expectSoakHolds(r, 21);
  });
});
