import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { MemorySink } from "../../test/helpers/command-io.js";
import { chat, extractive, processor, syntheticChat } from "../../test/helpers/pipeline-fixtures.js";
import { VirtualClock } from "../core/clock.js";
import type { ChatEvent } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";
import type { Sink } from "../sinks/sink.js";
import { JsonlSink } from "../sinks/jsonl-sink.js";
import { IngestSource } from "../sources/live/ingest/ingest-source.js";
import { PipelineRouter } from "./pipeline-router.js";
import { runPipeline, type MessageSource, type ReplaySpeed } from "./run-pipeline.js";

function arraySource(messages: ChatMessage[], opts: { timed?: boolean; canWait?: boolean; batch?: number } = {}): MessageSource {
  return {
    name: "array",
    timed: opts.timed ?? true,
    canWait: opts.canWait ?? true,
    async *batches() {
      const size = opts.batch ?? 37;
      for (let i = 0; i < messages.length; i += size) yield messages.slice(i, i + size);
    },
  };
}


async function replay(messages: ChatMessage[], speed: ReplaySpeed, queueCapacity = 1000): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const sink = new JsonlSink(out);
  const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
  await runPipeline({ source: arraySource(messages), processor, router, sink, clock: new VirtualClock(1_000_000, true), speed, queueCapacity });
  await sink.close();
  return Buffer.concat(chunks).toString("utf8");
}

describe("runPipeline", () => {
  it("gives byte-identical output at speed 1, 10 and max (virtual time)", async () => {
    const messages = [...syntheticChat(3000, 11), ...syntheticChat(500, 5, "other").map((m) => ({ ...m, t: m.t + 3 }))].sort((a, b) => a.t - b.t);
    const max = await replay(messages, "max");
    const one = await replay(messages, 1);
    const ten = await replay(messages, 10);
    const tiny = await replay(messages, "max", 3);
    expect(max.length).toBeGreaterThan(10_000);
    expect(one).toBe(max);
    expect(ten).toBe(max);
    expect(tiny).toBe(max);
  });

  it("paces a timed replay on the clock: each snapshot appears once its stream time is due", async () => {
    const clock = new VirtualClock(0);
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const messages = [chat(0, "hi"), chat(1_000, "LUL"), chat(60_000, "back")];
    const done = runPipeline({ source: arraySource(messages), processor, router, sink, clock, speed: 1 });
    await vi.waitFor(() => expect(clock.pending).toBeGreaterThan(0));
    const snapshotCount = () => sink.records.filter((r) => r.type === "snapshot").length;
    await clock.advanceTo(10_000);
    // Through the silence after t = 1 s, snapshots keep coming at 2 Hz: 0, 0.5 … 9.5 s (10 s is due but not yet published).
    expect(snapshotCount()).toBeGreaterThanOrEqual(20);
    expect(snapshotCount()).toBeLessThanOrEqual(21);
    await clock.advanceTo(30_000);
    expect(snapshotCount()).toBeGreaterThanOrEqual(60);
    await clock.advanceTo(61_000);
    await done;
    expect(snapshotCount()).toBe(121);
  });

  it("makes waitable sources wait when the queue is full: nothing is shed", async () => {
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const messages = syntheticChat(2000, 3);
    const stats = await runPipeline({ source: arraySource(messages, { batch: 500 }), processor, router, sink, clock: new VirtualClock(0, true), speed: "max", queueCapacity: 16 });
    expect(stats.messages).toBe(2000);
    expect(stats.queue.shed).toBe(0);
    expect(stats.queue.highWater).toBe(16);
  });

  it("sheds from live sources with accounting, and lowers confidence", async () => {
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const messages = Array.from({ length: 500 }, (_, i) => chat(1000 + i, "nice", `u${i % 40}`));
    const stats = await runPipeline({ source: arraySource(messages, { canWait: false, batch: 500 }), processor, router, sink, clock: new VirtualClock(0, true), speed: "max", queueCapacity: 50 });
    expect(stats.queue.shed).toBe(450);
    expect(stats.messages).toBe(50);
    expect(stats.messages + stats.queue.shed).toBe(500);
  });

  it("stamps arrival time on untimed sources and ticks snapshots from the clock", async () => {
    const clock = new VirtualClock(5_000);
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let secondT = 0;
    const source: MessageSource = {
      name: "pipe",
      timed: false,
      canWait: true,
      async *batches() {
        yield [chat(clock.now() - 5_000, "first")];
        await gate;
        secondT = clock.now() - 5_000;
        yield [chat(secondT, "second")];
      },
    };
    const done = runPipeline({ source, processor, router, sink, clock, speed: 1, arrivalOrigin: 5_000 });
    await vi.waitFor(() => expect(clock.pending).toBeGreaterThan(0));
    await clock.advanceTo(8_200);
    const ticked = sink.records.filter((r) => r.type === "snapshot").map((r) => r.t);
    // The ticker wakes 1 ms after each snapshot's time: at 8,200 (stream 3,200) the snapshot at 3,000 is out.
    expect(ticked).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    release();
    await clock.advanceTo(8_700);
    await done;
    // The run ends at the second message: snapshots up to its time, both messages in the roll-ups.
    const snaps = sink.records.filter((r) => r.type === "snapshot");
    expect(snaps.at(-1)?.t).toBe(Math.floor(secondT / 500) * 500);
    expect(sink.records.filter((r) => r.type === "rollup" && r.level === "5s").reduce((n, r) => n + r.count, 0)).toBe(2);
  });

  it("publishes an arrival-stamped snapshot 1 ms after it is due, whenever the run started", async () => {
    const clock = new VirtualClock(10_123);
    const sink = new MemorySink();
    const published: number[] = [];
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => (r.type === "snapshot" ? published.push(clock.now() - 10_000 - r.t) : undefined, sink.write(r)) });
    let end: () => void = () => undefined;
    const ended = new Promise<void>((r) => (end = r));
    const source: MessageSource = {
      name: "quiet",
      timed: false,
      canWait: false,
      async *batches() {
        yield [chat(clock.now() - 10_000, "hello")];
        await ended;
      },
    };
    const done = runPipeline({ source, processor, router, sink, clock, speed: 1, arrivalOrigin: 10_000 });
    await vi.waitFor(() => expect(clock.pending).toBeGreaterThan(0));
    await clock.advanceTo(20_000);
    end();
    await done;
    expect(published.length).toBeGreaterThanOrEqual(19);
    // The first snapshot (stream time 0) goes out with the first message; every later one 1 ms after its time.
    expect(published.slice(1, 19)).toEqual(Array.from({ length: 18 }, () => 1));
  });

  it("passes a source failure on after flushing what was processed", async () => {
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const source: MessageSource = {
      name: "broken",
      timed: true,
      canWait: true,
      async *batches() {
        yield [chat(0, "hi")];
        throw new Error("disk gone");
      },
    };
    await expect(runPipeline({ source, processor, router, sink, clock: new VirtualClock(0, true), speed: "max" })).rejects.toThrow("disk gone");
    expect(sink.records.some((r) => r.type === "rollup" && r.partial === true)).toBe(true);
  });

  it("[#14.7] a sink that fails ends the run at once and stops every source, an ingest source included", async () => {
    const clock = new VirtualClock(0);
    const ingest = new IngestSource({ clock, streamTime: () => clock.now() });
    let readies = 0;
    const sink: Sink = {
      name: "full-disk",
      write: () => undefined,
      ready: () => (++readies > 2 ? Promise.reject(new Error("ENOSPC: no space left on device")) : Promise.resolve()),
      close: () => Promise.resolve(),
    };
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const run = runPipeline({ source: arraySource(syntheticChat(300, 4), { batch: 10 }), sources: [ingest], processor, router, sink, clock, speed: "max" });
    await expect(within(run, 5_000)).rejects.toThrow("ENOSPC");
    expect(ingest.status().state).toBe("closed");
  });

  it("[#14.7] a source that fails stops the others instead of waiting for them forever", async () => {
    const clock = new VirtualClock(0);
    const ingest = new IngestSource({ clock, streamTime: () => clock.now() });
    const broken: MessageSource = {
      name: "broken",
      timed: true,
      canWait: true,
      async *batches() {
        yield [chat(0, "hi")];
        throw new Error("disk gone");
      },
    };
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    await expect(within(runPipeline({ sources: [broken, ingest], processor, router, sink, clock, speed: "max" }), 5_000)).rejects.toThrow("disk gone");
    expect(ingest.status().state).toBe("closed");
    // What was read before the failure is still published.
    expect(sink.records.some((r) => r.type === "rollup" && r.partial === true)).toBe(true);
  });

  it("drops messages and events whose time the schedule cannot reach, counted, and keeps the rest", async () => {
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    let listener: ((e: ChatEvent) => void) | undefined;
    const source: MessageSource = {
      ...arraySource([chat(0, "a"), chat(1e20, "b"), chat(Number.NaN, "c"), chat(1e15, "d"), chat(1_000, "e"), chat(61_000, "f")]),
      onEvent: (l) => (listener = l),
    };
    const done = runPipeline({ source, processor, router, sink, clock: new VirtualClock(0, true), speed: "max", maxGapMs: 60_000 });
    listener?.({ kind: "raid", t: Number.POSITIVE_INFINITY, platform: "twitch", channel: "c", user: "r" });
    const stats = await within(done, 5_000);
    // 61 s is more than a minute past 0 but not past 1 s: only the three unreachable times are dropped, and the event.
    expect(stats.messages).toBe(3);
    expect(stats.badTimes).toBe(4);
    expect(sink.records.filter((r) => r.type === "snapshot").length).toBe(123);
  });

  it("publishes a long silence in slices, yielding to the event loop between them", async () => {
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    let turns = 0;
    const counter = setInterval(() => turns++, 0);
    try {
      await runPipeline({ source: arraySource([chat(0, "a"), chat(3_600_000, "b")]), processor, router, sink, clock: new VirtualClock(0, true), speed: "max" });
    } finally {
      clearInterval(counter);
    }
    expect(sink.records.filter((r) => r.type === "snapshot").length).toBe(7201);
    expect(turns).toBeGreaterThan(2);
  });
});

/** Rejects when the promise has not settled within `ms` of real time: a hang fails the test instead of stalling it. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

