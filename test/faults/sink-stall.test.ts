import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import type { OutputRecord } from "../../src/schema/output-schema.js";
import { JsonlSink } from "../../src/sinks/jsonl-sink.js";
import { CostlyProcessor, runLiveLoad } from "./live-load.js";

/** A consumer that stops reading (a pipe into a stalled program): while blocked, no write completes. */
class StallingWriter extends Writable {
  blocked = false;
  private held: (() => void) | undefined;
  private readonly chunks: Buffer[] = [];

  constructor() {
    super({ highWaterMark: 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    if (this.blocked) this.held = done;
    else done();
  }

  release(): void {
    this.blocked = false;
    const done = this.held;
    this.held = undefined;
    done?.();
  }

  records(): OutputRecord[] {
    return Buffer.concat(this.chunks)
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as OutputRecord);
  }
}

describe("a sink whose consumer stalls (virtual time)", () => {
  it("[#17.6] a blocked writer holds what is buffered for it bounded, the live load is shed and counted at the queue, and output resumes whole when it reads again", async () => {
    const clock = new VirtualClock(0);
    const writer = new StallingWriter();
    const sink = new JsonlSink(writer);
    let maxBuffered = 0;
    const run = await runLiveLoad({
      clock,
      processor: new CostlyProcessor(0),
      sink,
      phases: [{ rate: 200, untilMs: 30_000 }],
      onStep: (t) => {
        if (t === 5_000) writer.blocked = true;
        if (t === 15_000) writer.release();
        maxBuffered = Math.max(maxBuffered, writer.writableLength);
      },
    });
    const { stats, shedAt } = run;
    expect(run.received).toBe(6_000);
    expect(stats.messages + stats.queue.shed).toBe(6_000);
    expect(shedAt).toHaveLength(stats.queue.shed);
    // Stalled from 5 s: the queue holds 1,000 (5 s of chat) by 10 s, then the next 5 s (about 1,000) are shed.
    expect(stats.queue.highWater).toBe(1_000);
    expect(stats.queue.shed).toBeGreaterThan(900);
    expect(stats.queue.shed).toBeLessThan(1_100);
    expect(Math.min(...shedAt)).toBeGreaterThanOrEqual(9_900);
    expect(Math.max(...shedAt)).toBeLessThanOrEqual(15_010);
    // What waits for the stalled writer is bounded: the pipeline stops writing to it instead of buffering without end.
    expect(maxBuffered).toBeLessThanOrEqual(64 * 1024);

    await sink.close();
    const records = writer.records();
    const snapshots = records.filter((r) => r.type === "snapshot").map((r) => r.t);
    // Once it reads again, every snapshot is there, in order, none twice: the stall cost latency and the shed messages.
    expect(snapshots.filter((t) => t < 30_000)).toEqual(Array.from({ length: 60 }, (_, k) => k * 500));
    const counted = records.filter((r) => r.type === "rollup" && r.level === "5s").reduce((n, r) => n + (r.type === "rollup" ? r.count : 0), 0);
    expect(counted).toBe(stats.messages);
  });
});
