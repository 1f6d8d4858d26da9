import { describe, expect, it } from "vitest";
import { calibratedProbabilities, labelsOf } from "./embedded-trainer.js";
import type { SentimentLabel } from "./sentiment-model.js";
import { fitStacker, STACK_INPUTS, stackerLogits, stackInputs } from "./stacking.js";

describe("stackInputs", () => {
  it("centres the trained model's logits and takes the lexicon's log-probabilities", () => {
    const out = new Float64Array(STACK_INPUTS + 2);
    stackInputs([3, 1, 2], { pos: 0.5, neu: 0.5, neg: 0 }, out, 2);
    expect(Array.from(out.subarray(2, 6))).toEqual([1, 1, -1, 0]);
    expect(out[6]).toBeCloseTo(Math.log(0.5), 12);
    expect(out[8]).toBeCloseTo(Math.log(1e-6), 12); // floored, not -Infinity
  });
});

describe("fitStacker", () => {
  it("learns to follow the lexicon where the trained model is blind, and the trained model where the lexicon is", () => {
    // Rows of two kinds: the trained model knows the label (its logits point at it) and the lexicon says neutral, or
    // the trained model says nothing and the lexicon knows. Neither input alone gets every row right.
    const classes: SentimentLabel[] = ["pos", "neu", "neg"];
    const gold: SentimentLabel[] = [];
    const rows: Float64Array[] = [];
    for (let i = 0; i < 120; i++) {
      const c = i % 3;
      gold.push(classes[c]!);
      const logits = [0, 0, 0];
      const lexicon = { pos: 1 / 3, neu: 1 / 3, neg: 1 / 3 };
      if (i % 2 === 0) logits[c] = 3;
      else {
        lexicon.pos = c === 0 ? 0.9 : 0.05;
        lexicon.neu = c === 1 ? 0.9 : 0.05;
        lexicon.neg = c === 2 ? 0.9 : 0.05;
      }
      const row = new Float64Array(STACK_INPUTS);
      stackInputs(logits, lexicon, row);
      rows.push(row);
    }
    const inputs = new Float64Array(rows.length * STACK_INPUTS);
    rows.forEach((r, i) => inputs.set(r, i * STACK_INPUTS));
    const stacker = fitStacker(inputs, gold, { neutralOffsets: [0], negativeOffsets: [0] });
    expect(stacker.weights).toHaveLength(STACK_INPUTS * 3);
    const predicted = labelsOf(calibratedProbabilities(stackerLogits(stacker, inputs), stacker.calibration));
    expect(predicted).toEqual(gold);
    expect(stacker.calibration.macroF1).toBe(1);
    // Deterministic.
    expect(Array.from(fitStacker(inputs, gold, { neutralOffsets: [0], negativeOffsets: [0] }).weights)).toEqual(Array.from(stacker.weights));
  });
});
