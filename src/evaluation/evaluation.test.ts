import { describe, expect, it } from "vitest";
import { expectedCalibrationError, macroF1 } from "./classification.js";
import { rougeL, rougeN, rougeTokens, scoreHeadline } from "./rouge.js";

describe("ROUGE (as score.mjs)", () => {
  it("tokenizes lower-case letter/digit runs and scores F1", () => {
    expect(rougeTokens("Chat spams LUL, 2x!")).toEqual(["chat", "spams", "lul", "2x"]);
    const ref = rougeTokens("chat laughs at the jump");
    expect(rougeL(rougeTokens("chat laughs at the jump"), ref)).toBe(1);
    expect(rougeL(rougeTokens("the jump chat"), ref)).toBeCloseTo((2 * (2 / 3) * (2 / 5)) / (2 / 3 + 2 / 5), 10);
    expect(rougeN(rougeTokens("chat laughs"), ref, 2)).toBeCloseTo((2 * 1 * 0.25) / 1.25, 10);
    expect(scoreHeadline("x", []).rougeL).toBe(0);
    expect(scoreHeadline("chat laughs", ["nothing here", "chat laughs"]).rougeL).toBe(1);
  });
});

describe("classification metrics", () => {
  it("computes macro-F1 over a label set and ECE over 15 bins", () => {
    const r = macroF1(["a", "a", "b", "c"], ["a", "b", "b", "c"], ["a", "b", "c"]);
    expect(r.perClass).toEqual({ a: 2 / 3, b: 2 / 3, c: 1 });
    expect(r.accuracy).toBe(0.75);
    expect(expectedCalibrationError([0.9, 0.9, 0.9, 0.9], [true, true, true, false])).toBeCloseTo(0.15, 10);
    expect(expectedCalibrationError([], [])).toBe(0);
  });
});
