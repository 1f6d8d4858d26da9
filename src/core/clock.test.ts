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
