import { describe, expect, it } from "vitest";
import { setUpModels } from "../commands/model-setup.js";
import { chooseMoodConfig, fitMoodModel, leaveOneGroupOut, MOOD_FIT_CONFIGS } from "../evaluation/mood-training.js";
import { DigestBuilder, mergeDigests, type ChatDigest } from "./chat-digest.js";
import { predictSoftmax } from "./logistic-regression.js";
import { committedMoodModel, hasMoodEvidence, MIN_MOOD_CHATTERS, MIN_MOOD_MESSAGES, MOOD_FEATURES, moodFeatures, parseMoodModel, readMood, windowMood } from "./mood.js";

const models = setUpModels({});
const process = (text: string, user: string, t = 0) => models.processor.process({ t, platform: "twitch", channel: "c", userId: user, user, text });
function digest(lines: readonly (readonly [text: string, user: string])[]): ChatDigest {
  const b = new DigestBuilder();
  lines.forEach(([text, user], i) => b.add(process(text, user, i * 100)));
  return b.build(-1, lines.length * 100);
}
const spam = (texts: readonly string[], n: number, users = n) => Array.from({ length: n }, (_, i) => [texts[i % texts.length] as string, `u${i % users}`] as const);

describe("window mood", () => {
  it("#15.5 reads no mood from less than the minimum evidence: 5 scored messages from 3 chatters", () => {
    expect(windowMood(digest([["whats his best time", "a"]]))).toBeNull();
    expect(readMood(digest([["whats his best time", "a"]])).reading).toMatch(/^(pos|neu|neg|mixed)$/);
    expect(windowMood(digest(spam(["PogChamp"], MIN_MOOD_MESSAGES - 1)))).toBeNull();
    expect(windowMood(digest(spam(["PogChamp"], 40, MIN_MOOD_CHATTERS - 1)))).toBeNull();
    expect(windowMood(digest(spam(["PogChamp"], MIN_MOOD_MESSAGES, MIN_MOOD_CHATTERS)))).not.toBeNull();
    expect(hasMoodEvidence(digest([]))).toBe(false);
  });

  it("#15.6 reads laughter aimed at a target as mockery: 'EU LUL' spam is negative, a laughing, cheering chat positive", () => {
    const mocking = digest(spam(["EU LUL", "EU 0-2 LUL", "NA ULT LUL", "CLOWN 9 LUL", "EU IS SO BAD"], 60));
    const laughing = digest(spam(["LUL", "he missed the jump LUL", "PogChamp what a play", "OMEGALUL"], 60));
    expect(windowMood(mocking)).toBe("neg");
    expect(windowMood(laughing)).toBe("pos");
    // The targeted laughter's positive share is moved to negative: the lean the model reads is below the bar's.
    const [lean] = moodFeatures(mocking);
    expect(lean).toBeLessThan((mocking.sentiment.pos - mocking.sentiment.neg) / mocking.scored - 0.1);
    expect(moodFeatures(laughing)[0]).toBeCloseTo((laughing.sentiment.pos - laughing.sentiment.neg) / laughing.scored, 9);
    expect(mocking.cues?.mock).toBeGreaterThan(40);
    expect(windowMood(digest(spam(["ResidentSleeper", "this game is so boring ResidentSleeper", "end it"], 40)))).toBe("neg");
    expect(windowMood(digest(spam(["Kappa", "Kappa Kappa", "sure Kappa"], 40)))).not.toBe("pos");
  });

  it("reads the same mood from a digest merged from parts as from the whole", () => {
    const lines = spam(["EU LUL", "PogChamp", "ResidentSleeper", "what?"], 48);
    const parts = [0, 1, 2, 3].map((k) => digest(lines.slice(k * 12, k * 12 + 12)));
    const merged = mergeDigests(parts, -1, 4800);
    // Counts add exactly; the mocked positive share is a sum of floats, added in another order when merged.
    const rounded = (c: typeof merged.cues) => c && { ...c, mockPos: Number(c.mockPos.toFixed(9)) };
    expect(rounded(merged.cues)).toEqual(rounded(digest(lines).cues));
    expect(moodFeatures(merged).map((v) => v.toFixed(9))).toEqual(moodFeatures(digest(lines)).map((v) => v.toFixed(9)));
    // A running digest takes cues out as messages leave, exactly.
    const b = new DigestBuilder();
    const ms = lines.map(([text, user], i) => process(text, user, i));
    for (const m of ms) b.add(m);
    for (const m of ms) b.remove(m);
    expect(b.build(0, 1).cues).toEqual({ laugh: 0, mock: 0, hype: 0, bored: 0, sarcasm: 0, mockPos: 0 });
  });

  it("falls back to the lean rule without a model, and refuses a model file that is not one", () => {
    const cheering = digest(spam(["PogChamp what a play"], 20));
    expect(readMood(cheering, undefined).reading).toBe("pos");
    expect(() => parseMoodModel({ format: "chatstream-mood/1", classes: ["pos"], features: [], weights: [] }, "m.json")).toThrow(/m\.json: not a chatstream-mood\/1 model/);
    const shipped = committedMoodModel();
    expect(shipped?.features).toEqual([...MOOD_FEATURES]);
    expect(() => parseMoodModel({ ...shipped, weights: shipped!.weights.map((row) => row.map(() => Number.NaN)) }, "m.json")).toThrow();
  });
});

describe("mood training", () => {
  it("folds the standardisation into the weights, so the model applies to raw features", () => {
    const xs = Array.from({ length: 120 }, (_, i) => [Math.sin(i) * 10 + 50, (i % 7) / 7]);
    const ys = xs.map(([a, b]) => ((a as number) > 52 ? "pos" : (b as number) > 0.5 ? "neg" : (a as number) < 45 ? "neu" : "mixed") as "pos" | "neu" | "neg" | "mixed");
    const model = fitMoodModel(xs, ys, { l2: 0.001, balance: "sqrt" }, ["a", "b"]);
    const right = xs.filter((x, i) => {
      const p = predictSoftmax(model.weights, [1, ...x]);
      return model.classes[p.indexOf(Math.max(...p))] === ys[i];
    }).length;
    expect(right / xs.length).toBeGreaterThan(0.85);
  });

  it("chooses its settings by leave-one-group-out on the rows it is given", () => {
    const xs = Array.from({ length: 60 }, (_, i) => [(i % 10) / 10, ((i * 7) % 10) / 10]);
    const ys = xs.map(([a]) => ((a as number) < 0.25 ? "neg" : (a as number) < 0.5 ? "neu" : (a as number) < 0.75 ? "mixed" : "pos") as "pos" | "neu" | "neg" | "mixed");
    const groups = xs.map((_, i) => `s${i % 3}`);
    const predict = (m: ReturnType<typeof fitMoodModel>, x: readonly number[]) => {
      const p = predictSoftmax(m.weights, [1, ...x]);
      return m.classes[p.indexOf(Math.max(...p))] as "pos" | "neu" | "neg" | "mixed";
    };
    const rows = xs.map((_, i) => i);
    const config = chooseMoodConfig(rows, xs, ys, groups, predict);
    expect(MOOD_FIT_CONFIGS).toContainEqual(config);
    expect(chooseMoodConfig(rows, xs, ys, groups, predict)).toEqual(config);
  });

  it("never shows a fold the group it predicts", () => {
    const groups = ["a", "b", "a", "c", "b", "c"];
    const seen: string[][] = [];
    const out = leaveOneGroupOut(
      groups,
      (train) => {
        seen.push(train.map((i) => groups[i] as string));
        return new Set(train.map((i) => groups[i]));
      },
      (trainedOn, i) => trainedOn.has(groups[i]),
    );
    expect(out).toEqual([false, false, false, false, false, false]);
    expect(seen).toHaveLength(3);
  });
});
