import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { ChatFeatureExtractor, DENSE_COUNT, DENSE_FEATURES } from "./chat-features.js";
import { learnDistantWeights, markerPolarity, withoutMarkers } from "./distant-supervision.js";
import { EmbeddedSentimentModel } from "./embedded-model.js";
import { decodeModel } from "./embedded-weights.js";
import { trainEmbeddedModel, type LabelledText } from "./embedded-trainer.js";
import { labelOf } from "./sentiment-model.js";
import { buildWordPriors } from "./word-priors.js";

const emotes = builtinEmoteDictionary();
const config = { hashBits: 12, charMin: 2, charMax: 4, charScale: 1, bigramScale: 1 };
const priors = buildWordPriors(new Map(), new Map());
// Synthetic chat (not from the shared data): "clutch" keeps company with PogChamp, "lagg" with BibleThump.
const chatTexts = [
  ...Array.from({ length: 20 }, (_, i) => `clutch play ${i % 3} PogChamp`),
  ...Array.from({ length: 10 }, (_, i) => `lagg again ${i % 3} BibleThump`),
  ...Array.from({ length: 10 }, (_, i) => `the map is ${i}`), // no marker: not used
];
const chat = chatTexts.map((t) => tokenize(t, emotes));

describe("distant supervision", () => {
  it("reads the marker polarity of a message and strips the markers", () => {
    expect(markerPolarity(tokenize("LUL LUL haha", emotes), emotes)).toBeCloseTo(1.6, 6);
    expect(markerPolarity(tokenize("BibleThump", emotes), emotes)).toBeCloseTo(-0.8, 6);
    expect(withoutMarkers(tokenize("great play LUL lol", emotes))!.tokens.map((t) => t.norm)).toEqual(["great", "play"]);
    expect(withoutMarkers(tokenize("LUL 😂", emotes))).toBeUndefined();
  });

  it("learns pos-vs-neg weights of hashed slots from marked messages only", () => {
    const { weights, positives, negatives } = learnDistantWeights(chat, emotes, priors, config);
    expect(positives).toBe(20);
    expect(negatives).toBe(10);
    expect(weights).toHaveLength(1 << config.hashBits);
    const ex = new ChatFeatureExtractor(emotes, { ...priors, distant: weights }, config);
    const score = (text: string) => {
      const n = ex.extract(tokenize(text, emotes), text);
      for (let i = 0; i < n; i++) if (ex.ids[i] === DENSE_FEATURES.indexOf("distant")) return ex.values[i]!;
      return 0;
    };
    expect(score("clutch")).toBeGreaterThan(0.5);
    expect(score("lagg")).toBeLessThan(-0.5);
    // The emote itself was masked while learning: it carries nothing.
    expect(Math.abs(score("PogChamp"))).toBeLessThan(1e-6);
    // Without the table the feature is never written.
    const plain = new ChatFeatureExtractor(emotes, priors, config);
    const n = plain.extract(tokenize("clutch", emotes), "clutch");
    expect(Array.from(plain.ids.subarray(0, n)).includes(DENSE_FEATURES.indexOf("distant"))).toBe(false);
    expect(DENSE_FEATURES.indexOf("distant")).toBeLessThan(DENSE_COUNT);
  });

  it("folds the distant feature into the hashed weights of the trained model, which then scores without it", () => {
    const train: LabelledText[] = [];
    for (let r = 0; r < 4; r++) {
      train.push({ text: `what a play ${r}`, label: "pos" }, { text: `so good ${r}`, label: "pos" });
      train.push({ text: `this is bad ${r}`, label: "neg" }, { text: `so sad ${r}`, label: "neg" });
      train.push({ text: `who plays next ${r}?`, label: "neu" }, { text: `it starts at ${r}`, label: "neu" });
    }
    const { model } = trainEmbeddedModel({ train, unlabelled: chatTexts, emotes, options: { folds: 2, features: config, maxIterations: 80, wordVectors: undefined, distant: { threshold: 0.5, l2: 1e-4, maxIterations: 80 } } });
    expect(model.training.distant).toEqual({ threshold: 0.5, l2: 1e-4, maxIterations: 80 });
    expect(model.dense[DENSE_FEATURES.indexOf("distant")]).toEqual([0, 0, 0]);
    const scorer = new EmbeddedSentimentModel(emotes, decodeModel(model));
    // Words only the unlabelled chat has seen now lean the way their emotes did.
    const clutch = scorer.score("clutch", tokenize("clutch", emotes));
    const lagg = scorer.score("lagg", tokenize("lagg", emotes));
    expect(clutch.pos - clutch.neg).toBeGreaterThan(lagg.pos - lagg.neg);
    expect(labelOf(scorer.score("so good", tokenize("so good", emotes)))).toBe("pos");
  });
});
