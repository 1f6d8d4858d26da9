import { describe, expect, it } from "vitest";
import { processed } from "../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder } from "./chat-digest.js";
import { committedConfidenceWeights, CONFIDENCE_FEATURES, confidenceFeatures, fitLogistic, predictConfidence } from "./confidence-model.js";
import { confidenceOf } from "./record-fields.js";

describe("confidence model", () => {
  it("fits a logistic relation it was generated from", () => {
    // y = 1 with probability sigmoid(-1 + 3x): the fit should recover the slope's sign and rough size.
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 400; i++) {
      const x = (i % 100) / 100;
      xs.push([1, x]);
      ys.push((i * 7919) % 100 < 100 / (1 + Math.exp(1 - 3 * x)) ? 1 : 0);
    }
    const w = fitLogistic(xs, ys, 0);
    expect(w[1]).toBeGreaterThan(1.5);
    expect(w[1]).toBeLessThan(4.5);
    expect(predictConfidence(w, [1, 0.9])).toBeGreaterThan(predictConfidence(w, [1, 0.1]));
  });

  it("ships fitted weights for its features, and trusts many agreeing chatters more than a few", () => {
    const weights = committedConfidenceWeights();
    expect(weights?.features).toEqual([...CONFIDENCE_FEATURES]);
    const many = new DigestBuilder();
    for (let i = 0; i < 120; i++) many.add(processed(i, "PogChamp what a play", `u${i}`));
    const few = new DigestBuilder();
    for (let i = 0; i < 3; i++) few.add(processed(i, i === 0 ? "PogChamp" : "this is trash", `v${i}`));
    const high = confidenceOf(many.build(-1, 120));
    const low = confidenceOf(few.build(-1, 3));
    expect(high).toBeGreaterThan(low);
    expect(confidenceOf(many.build(-1, 120), 0.5)).toBeCloseTo(high / 2, 2);
    expect(confidenceFeatures(many.build(-1, 120), "pos")).toHaveLength(CONFIDENCE_FEATURES.length);
  });
});
