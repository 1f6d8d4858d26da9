import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { SystemClock, VirtualClock } from "./clock.js";

describe("VirtualClock", () => {
  it("wakes sleepers in time order as time is advanced", async () => {
    const clock = new VirtualClock(1000);
    const woke: string[] = [];
    void clock.sleepUntil(3000).then(() => woke.push(`b@${clock.now()}`));
    void clock.sleepUntil(2000).then(() => woke.push(`a@${clock.now()}`));
    await clock.advanceTo(2500);
    expect(woke).toEqual(["a@2000"]);
    expect(clock.pending).toBe(1);
    await clock.advanceBy(1000);
    expect(woke).toEqual(["a@2000", "b@3000"]);
    expect(clock.now()).toBe(3500);
  });

  it("jumps straight to the target in auto mode", async () => {
    const clock = new VirtualClock(0, true);
    await clock.sleepUntil(10_000);
    expect(clock.now()).toBe(10_000);
    await clock.sleepUntil(5);
    expect(clock.now()).toBe(10_000);
  });

  it("system clock sleeps resolve immediately for past times", async () => {
    const clock = new SystemClock();
    const before = clock.now();
    await clock.sleepUntil(before - 1);
    expect(clock.now()).toBeGreaterThanOrEqual(before);
  });
});

describe("sleeps that are no longer needed", () => {
  it("end at once when their signal aborts, holding no sleeper or timer", async () => {
    const virtual = new VirtualClock(0);
    const stop = new AbortController();
    let woke = false;
    const sleeping = virtual.sleepUntil(60_000, stop.signal).then(() => (woke = true));
    expect(virtual.pending).toBe(1);
    stop.abort();
    await sleeping;
    expect(woke).toBe(true);
    expect(virtual.pending).toBe(0);
    expect(virtual.now()).toBe(0);
    await virtual.sleepUntil(60_000, stop.signal); // already aborted: returns at once
    expect(virtual.pending).toBe(0);

    const system = new SystemClock();
    const hour = new AbortController();
    const sleep = system.sleepUntil(system.now() + 3_600_000, hour.signal);
    hour.abort();
    await sleep; // a pending hour-long timer would keep this test (and a process) waiting
  });

  it("that end on time let go of their signal: a long run on one signal does not gather listeners", async () => {
    const clock = new VirtualClock(0);
    const stop = new AbortController();
    for (let t = 10; t <= 1_000; t += 10) {
      const sleep = clock.sleepUntil(t, stop.signal);
      await clock.advanceTo(t);
      await sleep;
    }
    expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
    void clock.sleepUntil(2_000, stop.signal);
    expect(getEventListeners(stop.signal, "abort")).toHaveLength(1);
  });
});
