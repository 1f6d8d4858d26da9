import { describe, expect, it, vi } from "vitest";
import { extractive, processor } from "../helpers/pipeline-fixtures.js";
import { VirtualClock } from "../../src/core/clock.js";
import { PipelineRouter } from "../../src/pipeline/pipeline-router.js";
import { runPipeline } from "../../src/pipeline/run-pipeline.js";
import type { Rollup, Snapshot } from "../../src/schema/output-schema.js";
import { MemorySink, ScriptedLiveSource } from "./helpers/memory.js";

describe("several live sources in one run (virtual time)", () => {
  it("keeps separate, correct windows for a fast and a slow channel, both snapshotting every 500 ms", async () => {
    const origin = 1_000_000;
    const clock = new VirtualClock(origin);
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const fast = new ScriptedLiveSource("fast", "fast", clock, origin);
    const slow = new ScriptedLiveSource("slow", "slow", clock, origin);
    const events: string[] = [];
    const done = runPipeline({ sources: [fast, slow], processor, router, sink, clock, speed: 1, arrivalOrigin: origin, onEvent: (e) => events.push(e.kind) });
    await vi.waitFor(() => expect(clock.pending).toBeGreaterThan(0));
    const fastTimes: number[] = [];
    const slowTimes: number[] = [];
    // 40 s: the fast channel says something every 50 ms (20 msg/s), the slow one every 3 s.
    for (let ms = 0; ms < 40_000; ms += 50) {
      await clock.advanceTo(origin + ms);
      fast.say(`f${ms % 700}`, ms % 200 === 0 ? "LUL LUL" : "what a play");
      fastTimes.push(ms);
      if (ms % 3000 === 0) {
        slow.say(`s${ms}`, "hello there");
        slowTimes.push(ms);
      }
      if (ms === 12_000) slow.happen({ kind: "raid", user: "Raider", count: 42 });
      // Let what was said reach the pipeline before the clock moves on: live, the ticker wakes a millisecond after
      // a snapshot is due, while the manual clock would wake it in the same turn as the last message's say().
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await clock.advanceTo(origin + 41_000);
    await fast.stop();
    await slow.stop();
    await done;

    const snaps = (channel: string): Snapshot[] => sink.records.filter((r): r is Snapshot => r.type === "snapshot" && r.channel === channel);
    for (const [channel, times] of [
      ["fast", fastTimes],
      ["slow", slowTimes],
    ] as const) {
      const s = snaps(channel);
      // One snapshot every 500 ms of stream time, no gaps, no repeats.
      expect(s.map((x) => x.t)).toEqual(Array.from({ length: s.length }, (_, i) => i * 500));
      expect(s.length).toBeGreaterThanOrEqual(80);
      for (const snap of s) {
        // Each window holds exactly its own channel's messages in (start, end].
        const expected = times.filter((t) => t > snap.window.start && t <= snap.window.end).length;
        expect(snap.count).toBe(expected);
      }
    }
    expect(snaps("fast").find((x) => x.t === 39_500)?.count).toBe(600);
    // The slow channel's window reached back for 15 messages (120 s cap), so its window is longer.
    expect(snaps("slow").find((x) => x.t === 39_500)?.window.start).toBeLessThan(39_500 - 30_000);
    // The event shows once, in the slow channel's snapshot at 12 s, and is counted in its 5 s roll-up.
    const withEvents = sink.records.filter((r): r is Snapshot => r.type === "snapshot" && r.events !== undefined);
    expect(withEvents.map((s) => [s.channel, s.t, s.events])).toEqual([["slow", 12_000, [{ kind: "raid", t: 12_000, platform: "test", user: "Raider", count: 42 }]]]);
    const rollups = sink.records.filter((r): r is Rollup => r.type === "rollup" && r.events !== undefined);
    expect(rollups.map((r) => [r.channel, r.level, r.start])).toEqual([
      ["slow", "5s", 10_000],
      ["slow", "1m", 0],
      ["slow", "10m", 0],
    ]);
    expect(events).toEqual(["raid"]);
  });

  it("keeps single-source options working and refuses no source", async () => {
    const clock = new VirtualClock(0, true);
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    await expect(runPipeline({ processor, router, sink, clock, speed: "max" })).rejects.toThrow(/at least one source/);
  });
});

describe("fair sharing of the queue between channels", () => {
  it("sheds the noisy channel, never the quiet one, when the queue backs up", async () => {
    const origin = 0;
    const clock = new VirtualClock(origin);
    const sink = new MemorySink();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    let blocked = true;
    sink.ready = () => (blocked ? gate : Promise.resolve());
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const noisy = new ScriptedLiveSource("noisy", "noisy", clock, origin);
    const quiet = new ScriptedLiveSource("quiet", "quiet", clock, origin);
    const run = runPipeline({ sources: [noisy, quiet], processor, router, sink, clock, speed: 1, arrivalOrigin: origin, queueCapacity: 40 });
    noisy.say("n", "warm up");
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 500; i++) {
      noisy.say(`n${i % 50}`, "SPAM SPAM SPAM");
      if (i % 50 === 0) quiet.say(`q${i}`, "a calm remark");
      await new Promise((r) => setImmediate(r));
    }
    blocked = false;
    open();
    await noisy.stop();
    await quiet.stop();
    const stats = await run;
    const counts = new Map<string, number>();
    for (const c of router.channels()) counts.set(c.channel, c.messageCount);
    expect(counts.get("quiet")).toBe(10);
    expect(counts.get("noisy")).toBeLessThan(100);
    expect(stats.messages + stats.queue.shed).toBe(511);
  });
});
