import { describe, expect, it } from "vitest";
import { majorityOfThree } from "./majority-vote.js";

describe("majorityOfThree", () => {
  it("returns a distribution", () => {
    for (const [p, u, q] of [[0.2, 0.5, 0.3], [1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0.05, 0.05, 0.9]] as const) {
      const m = majorityOfThree(p, u, q);
      expect(m.pos + m.neu + m.neg).toBeCloseTo(1, 12);
    }
  });

  it("sharpens a clear per-vote majority and keeps certainty certain", () => {
    const m = majorityOfThree(0.7, 0.2, 0.1);
    expect(m.pos).toBeGreaterThan(0.7);
    expect(majorityOfThree(0, 0, 1)).toEqual({ pos: 0, neu: 0, neg: 1 });
  });

  it("gives a three-way split to neutral, as the dev labels do", () => {
    const m = majorityOfThree(1 / 3, 1 / 3, 1 / 3);
    expect(m.neu).toBeCloseTo(7 / 27 + 6 / 27, 12);
    expect(m.neu).toBeGreaterThan(m.pos);
    expect(m.pos).toBeCloseTo(m.neg, 12);
  });
});
