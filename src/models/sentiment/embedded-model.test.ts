import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { EMBEDDED_MODEL_PATH, EmbeddedSentimentModel, loadEmbeddedWeights } from "./embedded-model.js";
import { evaluateModel } from "./evaluation.js";
import { LexiconSentimentModel } from "./lexicon-model.js";
import { AfinnSentimentModel, VaderSentimentModel } from "./peer-models.js";
import { labelOf } from "./sentiment-model.js";
import { hasSharedLabels, readLabelled, readTrainingSet, sharedDataDir } from "./shared-data.js";

const emotes = builtinEmoteDictionary();
const model = new EmbeddedSentimentModel(emotes);
const score = (text: string) => model.score(text, tokenize(text, emotes));
const label = (text: string) => labelOf(score(text));

describe("embedded model (committed weights)", () => {
  it("loads the weights shipped in data/models once", () => {
    expect(existsSync(EMBEDDED_MODEL_PATH)).toBe(true);
    expect(loadEmbeddedWeights()).toBe(loadEmbeddedWeights());
    expect(model.name).toBe("embedded");
  });

  it("passes the sanity cases of the issue", () => {
    expect(label("LUL LUL LUL")).toBe("pos");
    expect(label("BibleThump")).toBe("neg");
    expect(label("what time is it?")).toBe("neu");
    expect(label("GG WP")).toBe("pos");
    expect(label("ResidentSleeper")).toBe("neg");
  });

  it("moves a negated positive word away from positive (\"this is not good\" is not yet labelled neg)", () => {
    // The issue asks for "neg"; the training set contains no "not good" and calls "this is" positive, so the model
    // only gets part of the way (docs/sentiment.md, known limits). What holds: negation takes most of the positive
    // mass away and gives the negative class a real share.
    const plain = score("this is good");
    const negated = score("this is not good");
    expect(plain.pos).toBeGreaterThan(0.9);
    expect(negated.pos).toBeLessThan(0.5);
    expect(negated.neg).toBeGreaterThan(10 * plain.neg);
    expect(label("not good at all, terrible")).toBe("neg");
  });

  it("returns probabilities", () => {
    for (const text of ["", "???", "PogChamp", "a".repeat(3000), "😂😂", "@x https://y.z"]) {
      const s = score(text);
      expect(s.pos + s.neu + s.neg).toBeCloseTo(1, 9);
      for (const v of [s.pos, s.neu, s.neg]) expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  it("does not call German or Indonesian text confidently polar from a stray word (the English gate, when such a line reaches it)", () => {
    const ungated = new EmbeddedSentimentModel(emotes, loadEmbeddedWeights(), { languageGate: false });
    for (const text of ["die mannschaft spielt heute gut", "das ist doch nicht dein ernst", "gak ada yang bisa menang"]) {
      // German and Indonesian lines go to their own model (multilingual-model.test.ts); forced to English, the gate holds.
      const s = model.score(text, tokenize(text, emotes), "en");
      expect(Math.max(s.pos, s.neg), text).toBeLessThan(0.5);
      expect(model.lastLanguageConfidence).toBeLessThan(0.5);
      const u = ungated.score(text, tokenize(text, emotes), "en");
      expect(s.neu, text).toBeGreaterThanOrEqual(u.neu - 1e-9);
    }
    // An emote keeps its meaning in any language.
    expect(label("das ist so lustig LUL LUL")).toBe("pos");
  });
});

const shared = hasSharedLabels();
if (!shared) console.log(`embedded-model.test: ${sharedDataDir()} not found — dev-set checks skipped (the shared data is not part of the project).`);

describe.skipIf(!shared)("embedded model on the shared dev set", () => {
  it("beats the general-purpose libraries by at least 0.25 macro-F1, beats the lexicon, and stays above its measured floor", () => {
    const dev = readLabelled("dev");
    const tokens = dev.map((r) => tokenize(r.text, emotes));
    const embedded = evaluateModel(model, dev, tokens);
    const libraries = [new VaderSentimentModel(), new AfinnSentimentModel()].map((m) => evaluateModel(m, dev, tokens).macroF1);
    expect(embedded.macroF1 - Math.max(...libraries)).toBeGreaterThanOrEqual(0.25);
    // The chat lexicon baseline shares the emote dictionary and scores 0.68; the issue's +0.25 over it is not met.
    expect(embedded.macroF1).toBeGreaterThan(evaluateModel(new LexiconSentimentModel(emotes), dev, tokens).macroF1 + 0.05);
    // Measured 0.803 (docs/sentiment-eval.md); the target of 0.85 is not reached, so this guards the
    // current level against regressions rather than claiming the target.
    expect(embedded.macroF1).toBeGreaterThanOrEqual(0.8);
    expect(embedded.ece).toBeLessThanOrEqual(0.05);
  });
});

describe.skipIf(!shared || process.env.CHATSTREAM_RETRAIN_TEST !== "1")("retraining reproduces the committed weights (CHATSTREAM_RETRAIN_TEST=1)", () => {
  it("trains the same file byte for byte", async () => {
    const { trainEmbeddedModel } = await import("./embedded-trainer.js");
    const { unlabelledChat } = await import("./embedded-training-data.js");
    const { model: file } = trainEmbeddedModel({ train: readTrainingSet(), unlabelled: unlabelledChat(), emotes });
    expect(JSON.stringify(file) + "\n").toBe(readFileSync(EMBEDDED_MODEL_PATH, "utf8"));
  }, 600_000);
});
