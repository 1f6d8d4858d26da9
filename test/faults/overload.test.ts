import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { CostlyProcessor, CostlySink, runLiveLoad } from "./live-load.js";

/** 1 ms of virtual work a message: the pipeline's capacity is 1,000 messages a second. */
const COST_MS = 1;
const CAPACITY = 1000 / COST_MS;
/** The seed's bound on pending messages, the queue's default. */
const QUEUE_BOUND = 1000;

describe("ten times capacity (virtual time)", () => {
  it("[#17.6] sheds and counts the excess, never holds more than 1,000 pending, and recovers when the load drops", async () => {
    const clock = new VirtualClock(0);
    const processor = new CostlyProcessor(COST_MS);
    const sink = new CostlySink(clock, processor);
    // 10 s at ten times capacity, then 20 s at a fifth of it.
    const run = await runLiveLoad({ clock, processor, sink, phases: [{ rate: 10 * CAPACITY, untilMs: 10_000 }, { rate: CAPACITY / 5, untilMs: 30_000 }] });
    const { stats, shedAt, depths } = run;

    expect(run.received).toBe(100_000 + 4_000);
    // Nothing lost: every message pushed was processed or shed, and each shed one was counted when it happened.
    expect(stats.messages + stats.queue.shed).toBe(run.received);
    expect(shedAt).toHaveLength(stats.queue.shed);
    // The pipeline took about what its capacity allows in the overload (10 s × 1,000/s), plus the light phase whole.
    expect(stats.queue.shed).toBeGreaterThan(100_000 - 10 * CAPACITY - QUEUE_BOUND - 500);
    expect(stats.messages).toBeGreaterThanOrEqual(10 * CAPACITY + 4_000 - 500);

    // The queue filled to its bound and never past it.
    expect(stats.queue.capacity).toBe(QUEUE_BOUND);
    expect(stats.queue.highWater).toBe(QUEUE_BOUND);
    expect(Math.max(...depths.map((d) => d.depth))).toBeLessThanOrEqual(QUEUE_BOUND);

    // Recovery: the backlog drains within 1.5 s of the drop (1,000 queued at 1,000 − 200 a second), then nothing is
    // shed, the queue stays near empty, and snapshots are published within a few ms of their due time again.
    expect(Math.max(...shedAt)).toBeLessThan(10_000 + 100);
    const after = depths.filter((d) => d.at >= 11_500);
    expect(Math.max(...after.map((d) => d.depth))).toBeLessThanOrEqual(5);
    const snapshots = sink.snapshots();
    // Every 500 ms of the 30 s has its snapshot, in order, overload or not.
    expect(snapshots.map((s) => s.snapshot.t).filter((t) => t < 30_000)).toEqual(Array.from({ length: 60 }, (_, k) => k * 500));
    const lag = (from: number, to: number): number => Math.max(...snapshots.filter((s) => s.snapshot.t >= from && s.snapshot.t < to).map((s) => s.at - s.snapshot.t));
    // Under overload a snapshot waits for the batch in progress (about a second of work); after recovery it does not.
    expect(lag(1_000, 10_000)).toBeGreaterThan(500);
    expect(lag(1_000, 10_000)).toBeLessThanOrEqual(2_500);
    expect(lag(12_000, 30_000)).toBeLessThanOrEqual(50);
  });
});
