import { describe, expect, it } from "vitest";
import { BoundedQueue } from "./bounded-queue.js";

describe("BoundedQueue", () => {
  it("refuses pushes when full and wakes a waiting producer when drained", async () => {
    const q = new BoundedQueue<number>(2);
    expect(q.push(1)).toBe(true);
    expect(q.push(2)).toBe(true);
    expect(q.push(3)).toBe(false);
    let woke = false;
    const waiting = q.waitForSpace().then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    const got: number[] = [];
    q.drain((x) => got.push(x), 1);
    await waiting;
    expect(woke).toBe(true);
    expect(got).toEqual([1]);
    expect(q.stats()).toMatchObject({ depth: 1, highWater: 2, accepted: 2, shed: 0 });
  });

  it("sheds the arriving item under drop-newest, counting it", () => {
    const shed: number[] = [];
    const q = new BoundedQueue<number>(2, "drop-newest", (x) => shed.push(x));
    [1, 2, 3, 4].forEach((x) => q.offer(x));
    const got: number[] = [];
    q.drain((x) => got.push(x));
    expect(got).toEqual([1, 2]);
    expect(shed).toEqual([3, 4]);
    expect(q.stats().shed).toBe(2);
  });

  it("sheds the oldest item under drop-oldest, keeping the freshest", () => {
    const shed: number[] = [];
    const q = new BoundedQueue<number>(2, "drop-oldest", (x) => shed.push(x));
    [1, 2, 3, 4].forEach((x) => q.offer(x));
    const got: number[] = [];
    q.drain((x) => got.push(x));
    expect(got).toEqual([3, 4]);
    expect(shed).toEqual([1, 2]);
  });

  it("never holds more than its capacity, however much is offered", () => {
    const q = new BoundedQueue<number>(100, "drop-oldest");
    for (let i = 0; i < 100_000; i++) q.offer(i);
    expect(q.depth).toBe(100);
    expect(q.stats()).toMatchObject({ highWater: 100, shed: 99_900, accepted: 100_000 });
  });

  it("wraps around its ring in order and wakes consumers on close", async () => {
    const q = new BoundedQueue<number>(3);
    const out: number[] = [];
    for (let round = 0; round < 5; round++) {
      q.push(round * 2);
      q.push(round * 2 + 1);
      q.drain((x) => out.push(x));
    }
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const waiting = q.waitForItems();
    q.close();
    await waiting;
    expect(q.closed).toBe(true);
    expect(() => q.push(1)).toThrow(/closed/);
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});
