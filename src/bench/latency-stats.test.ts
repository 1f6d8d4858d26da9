import { describe, expect, it } from "vitest";
import { DurationHistogram, loopDelaySummary, median, peakGrowthOf, round3, slope } from "./latency-stats.js";

describe("bench statistics", () => {
  it("keeps percentiles of durations to three significant figures, in ms or µs", () => {
    const h = new DurationHistogram();
    expect(h.summary("ms")).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    for (let i = 1; i <= 1000; i++) h.recordMs(i / 10);
    const s = h.summary("ms");
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(50, 0);
    expect(s.p95).toBeCloseTo(95, 0);
    expect(s.p99).toBeCloseTo(99, 0);
    expect(s.max).toBeCloseTo(100, 0);
    expect(h.summary("us").p50).toBeCloseTo(50_000, -2);
    h.recordNs(0);
    expect(h.count).toBe(1001);
    h.reset();
    expect(h.count).toBe(0);
  });

  it("fits a slope by least squares, takes medians and rounds to three figures", () => {
    expect(slope([[0, 1], [1, 3], [2, 5]])).toBeCloseTo(2);
    expect(slope([[0, 7], [1, 7]])).toBe(0);
    expect(slope([[1, 1]])).toBe(0);
    expect(slope([[2, 1], [2, 5]])).toBe(0);
    expect([median([3, 1, 2]), median([4, 1, 2, 3])]).toEqual([2, 2.5]);
    expect(median([])).toBeNaN();
    expect([round3(1234.567), round3(0.012345), round3(0), round3(-2.3456)]).toEqual([1235, 0.0123, 0, -2.35]);
  });

  it("summarizes an event-loop delay histogram in ms", () => {
    const ns = (ms: number): number => ms * 1e6;
    expect(loopDelaySummary({ count: 10, percentile: (p) => ns(p / 10), max: ns(12), mean: ns(5) })).toEqual({ count: 10, p50: 5, p95: 9.5, p99: 9.9, max: 12, mean: 5 });
    expect(loopDelaySummary({ count: 0, percentile: () => 0, max: 0, mean: NaN }).p99).toBe(0);
  });

  it("tells a saw-tooth (a cache filled and cleared) from a leak by its peaks, not its slope", () => {
    const sawTooth = [30, 35, 40, 45, 50, 30, 35, 40, 45, 48];
    const leak = [30, 32, 34, 36, 38, 40, 42, 44, 46, 48];
    expect(peakGrowthOf(sawTooth)).toBe(-2);
    expect(peakGrowthOf(leak)).toBe(10);
    expect([peakGrowthOf([]), peakGrowthOf([5])]).toEqual([0, 0]);
  });
});
