import { describe, expect, it } from "vitest";
import { extractive, processor } from "../../test/helpers/pipeline-fixtures.js";
import type { ChatEvent } from "../core/event.js";
import type { OutputRecord, Snapshot } from "../schema/output-schema.js";
import { PipelineRouter } from "./pipeline-router.js";

// The documented bounds (pipeline-router.ts), written out so the tests say what they promise.
const PER_CHANNEL = 100;
const IN_ALL = 10_000;
const TEN_MINUTES = 600_000;

function routerWith(options: { maxChannels?: number } = {}): { router: PipelineRouter; records: OutputRecord[]; evicted: string[] } {
  const records: OutputRecord[] = [];
  const evicted: string[] = [];
  const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => records.push(r), maxChannels: options.maxChannels, onEvicted: (c) => evicted.push(c) });
  return { router, records, evicted };
}

const say = (router: PipelineRouter, channel: string, t: number, text = "hello there"): void =>
  router.ingest(channel, processor.process({ t, platform: "twitch", channel, userId: `u${t}`, user: `u${t}`, text }));

const sub = (channel: string, t: number, user = "gifter"): ChatEvent => ({ kind: "sub", t, platform: "twitch", channel, user });

describe("PipelineRouter", () => {
  it("[#14.8] a new channel beyond maxChannels evicts the least recently active one, counted and announced", () => {
    const { router, evicted } = routerWith({ maxChannels: 3 });
    say(router, "a", 0);
    say(router, "b", 100);
    say(router, "c", 200);
    say(router, "a", 300); // a is active again: b is now the idlest
    say(router, "d", 400);
    expect(router.channels().map((c) => c.channel)).toEqual(["a", "c", "d"]);
    expect(evicted).toEqual(["b"]);
    router.noteEvent(sub("c", 450)); // an event is activity too: a is now the idlest
    say(router, "e", 500);
    expect(evicted).toEqual(["b", "a"]);
    expect(router.stats()).toMatchObject({ channels: 3, evicted: 2 });
    // An evicted channel that speaks again starts afresh and takes the place of the idlest.
    say(router, "b", 600);
    expect(router.channels().map((c) => c.channel).sort()).toEqual(["b", "c", "e"]);
    expect(router.channels().find((c) => c.channel === "b")?.messageCount).toBe(1);
  });

  it("[#14.8] 20,000 messages from 10,300 channels keep at most maxChannels pipelines; the regulars stay", () => {
    const { router, evicted } = routerWith({ maxChannels: 1000 });
    // Every other message is one of 300 regulars, the rest each open a channel of their own.
    for (let i = 0; i < 20_000; i++) say(router, i % 2 === 1 ? `regular${(i >> 1) % 300}` : `once${i}`, Math.floor(i / 10));
    expect(router.channels().length).toBe(1000);
    expect(router.channels().filter((c) => c.channel.startsWith("regular")).length).toBe(300);
    expect(evicted.length).toBe(10_300 - 1000);
    expect(evicted.every((c) => c.startsWith("once"))).toBe(true);
    expect(router.stats().evicted).toBe(evicted.length);
  });

  it("[#14.8] events for a channel that never chats are bounded per channel and in all, counted", () => {
    const { router, records } = routerWith();
    say(router, "busy", 0);
    for (let i = 0; i < PER_CHANNEL + 50; i++) router.noteEvent(sub("quiet", 10 + i, `g${i}`));
    say(router, "quiet", 1_000);
    router.finish();
    const listed = records.filter((r): r is Snapshot => r.type === "snapshot" && r.channel === "quiet").flatMap((s) => s.events ?? []);
    // The newest ones are kept.
    expect(listed.map((e) => e.user)).toEqual(Array.from({ length: PER_CHANNEL }, (_, i) => `g${i + 50}`));
    expect(router.stats()).toMatchObject({ waitingEvents: 0, eventsDropped: 50 });

    const flood = routerWith();
    say(flood.router, "busy", 0);
    for (let i = 0; i < 100_000; i++) flood.router.noteEvent(sub(`never${i}`, 1 + (i % 400)));
    expect(flood.router.stats().waitingEvents).toBe(IN_ALL);
    expect(flood.router.stats().eventsDropped).toBe(100_000 - IN_ALL);
  });

  it("[#14.8] events waiting for a first message expire after ten minutes of stream time, counted", () => {
    const { router, records } = routerWith();
    say(router, "busy", 0);
    router.noteEvent(sub("late", 100));
    say(router, "busy", TEN_MINUTES + 5_000);
    say(router, "late", TEN_MINUTES + 6_000);
    router.finish();
    expect(records.some((r) => r.type === "snapshot" && r.channel === "late" && r.events !== undefined)).toBe(false);
    expect(router.stats()).toMatchObject({ waitingEvents: 0, eventsDropped: 1 });
  });

  it("publishes the same lines a slice at a time as in one go, in lockstep from the first channel's first step", () => {
    const run = (budget: number): OutputRecord[] => {
      const { router, records } = routerWith();
      say(router, "a", 100);
      say(router, "b", 300);
      let rounds = 0;
      while (!router.advancePartly(20_000, budget)) rounds++;
      // 40 steps of two channels: a budget of 3 takes 26 slices before the last one.
      if (budget === 3) expect(rounds).toBe(26);
      say(router, "a", 20_100);
      router.finish();
      return records;
    };
    const whole = run(Infinity);
    expect(run(3)).toEqual(whole);
    expect(run(1)).toEqual(whole);
    // Interleaved step by step: a and b at 500, a and b at 1000, …
    const snapshots = whole.filter((r) => r.type === "snapshot").slice(0, 6).map((r) => `${r.channel}@${r.t}`);
    expect(snapshots).toEqual(["a@0", "b@0", "a@500", "b@500", "a@1000", "b@1000"]);
  });

  it("says how many snapshots a watermark would cost, and refuses a time beyond ±2^53", () => {
    const { router } = routerWith();
    expect(router.backlog(10_000)).toBe(0);
    say(router, "a", 0);
    say(router, "b", 0);
    expect(router.backlog(-1)).toBe(0);
    expect(router.backlog(999)).toBe(4);
    expect(() => say(router, "a", 1e20)).toThrow(RangeError);
    expect(() => router.advanceTo(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => new PipelineRouter({ summarizer: () => extractive, emit: () => undefined, maxChannels: 0 })).toThrow(RangeError);
  });
});
