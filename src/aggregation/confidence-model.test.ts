import { describe, expect, it } from "vitest";
import { setUpModels } from "../commands/model-setup.js";
import { DigestBuilder, type ChatDigest } from "./chat-digest.js";
import { committedConfidenceWeights, CONFIDENCE_FEATURES, CONFIDENCE_LEVELS, confidenceFeatures, parseConfidenceWeights, weightsForLevel } from "./confidence-model.js";
import { readMood } from "./mood.js";
import { confidenceOf, moodFields } from "./record-fields.js";

const models = setUpModels({});
function digest(lines: readonly (readonly [text: string, user: string])[]): ChatDigest {
  const b = new DigestBuilder();
  lines.forEach(([text, user], i) => b.add(models.processor.process({ t: i * 100, platform: "twitch", channel: "c", userId: user, user, text })));
  return b.build(-1, lines.length * 100);
}

describe("confidence model", () => {
  it("ships fitted weights for every kind of record, over its features", () => {
    const weights = committedConfidenceWeights();
    expect(weights?.features).toEqual([...CONFIDENCE_FEATURES]);
    for (const level of CONFIDENCE_LEVELS) expect(weightsForLevel(weights!, level)).toHaveLength(CONFIDENCE_FEATURES.length);
    expect(() => parseConfidenceWeights({ format: "chatstream-confidence/1", features: [], weights: [] }, "old.json")).toThrow(/old\.json: not a chatstream-confidence\/2 file/);
    expect(() => parseConfidenceWeights({ ...weights, levels: { ...weights!.levels, "10m": [1, 2] } }, "x")).toThrow();
  });

  it("#15.5 gives one message a low confidence and no mood, and trusts many agreeing chatters more", () => {
    const one = digest([["whats his best time", "a"]]);
    const many = digest(Array.from({ length: 60 }, (_, i) => [i % 2 === 0 ? "PogChamp what a play" : "WHAT A PLAY PogChamp", `u${i}`] as const));
    expect(moodFields(one)).toMatchObject({ mood: null });
    expect(moodFields(many).mood).toBe("pos");
    // The figure was 0.955; one message is right about chat's mood about 3 times in 10 (confidence-calibration.md).
    expect(confidenceOf(one)).toBeLessThan(0.5);
    expect(confidenceOf(many)).toBeGreaterThan(confidenceOf(one) + 0.25);
    expect(confidenceOf(many, 0.5)).toBeCloseTo(confidenceOf(many) / 2, 2);
    expect(confidenceFeatures(many, readMood(many))).toHaveLength(CONFIDENCE_FEATURES.length);
    expect(confidenceOf(digest([]))).toBe(0);
  });

  it("calibrates a 10 min roll-up on its own: a busy period is not trusted less for being long", () => {
    const busy = digest(Array.from({ length: 3000 }, (_, i) => [["PogChamp", "what a play", "LUL", "nice"][i % 4] as string, `u${i % 400}`] as const));
    // The one calibration for every record read this as 0.0x (issue 15, item 7): far outside the windows it was fitted on.
    expect(confidenceOf(busy, 0, "10m")).toBeGreaterThan(0.3);
  });
});
