import { describe, expect, it } from "vitest";
import { classificationReport, expectedCalibrationError, fitTemperature } from "./metrics.js";
import type { SentimentLabel } from "./sentiment-model.js";

describe("classificationReport", () => {
  it("computes per-class and macro figures from the confusion", () => {
    const gold: SentimentLabel[] = ["pos", "pos", "neu", "neu", "neg", "neg"];
    const pred: SentimentLabel[] = ["pos", "neu", "neu", "neu", "neg", "pos"];
    const r = classificationReport(gold, pred);
    expect(r.confusion.pos).toEqual({ pos: 1, neu: 1, neg: 0 });
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.perClass.pos).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(r.perClass.neu.precision).toBeCloseTo(2 / 3, 12);
    expect(r.perClass.neu.recall).toBe(1);
    expect(r.perClass.neg.f1).toBeCloseTo(2 / 3, 12);
    expect(r.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
  });

  it("scores a class that is never predicted as 0 and rejects length mismatches", () => {
    const r = classificationReport(["pos", "neg"], ["pos", "pos"]);
    expect(r.perClass.neg.f1).toBe(0);
    expect(() => classificationReport(["pos"], [])).toThrow(/1 labels/);
  });
});

describe("expectedCalibrationError", () => {
  it("is the support-weighted gap between confidence and accuracy", () => {
    // Four rows at 0.9 confidence, three right: |0.75 − 0.9| = 0.15.
    const probs = [0.9, 0.05, 0.05, 0.9, 0.05, 0.05, 0.9, 0.05, 0.05, 0.9, 0.05, 0.05];
    expect(expectedCalibrationError(probs, ["pos", "pos", "pos", "neg"])).toBeCloseTo(0.15, 12);
    // Right at the stated confidence: zero.
    const half = [0.5, 0.3, 0.2, 0.5, 0.3, 0.2];
    expect(expectedCalibrationError(half, ["pos", "neu"])).toBeCloseTo(0, 12);
  });
});

describe("fitTemperature", () => {
  it("recovers the temperature that generated the labels", () => {
    // Logits 3·(1, 0, −1) sharpened by 1/T with T = 2: draw labels with exactly those frequencies.
    const t = 2;
    const z = [3, 0, -3].map((v) => v / t);
    const e = z.map(Math.exp);
    const s = e[0]! + e[1]! + e[2]!;
    const counts = e.map((v) => Math.round((1000 * v) / s));
    const logits: number[] = [];
    const targets: number[] = [];
    counts.forEach((n, c) => {
      for (let i = 0; i < n; i++) {
        logits.push(3, 0, -3);
        targets.push(c);
      }
    });
    expect(fitTemperature(logits, targets)).toBeCloseTo(t, 1);
  });
});
