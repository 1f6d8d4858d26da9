import { describe, expect, it } from "vitest";
import vader from "vader-sentiment";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { AfinnSentimentModel, VaderSentimentModel } from "./peer-models.js";
import { createSentimentModel, DEFAULT_SENTIMENT_MODEL, registerSentimentModel, sentimentModelNames } from "./registry.js";
import { EMBEDDED_MODEL_PATH } from "./embedded-model.js";
import { labelOf } from "./sentiment-model.js";

const emotes = builtinEmoteDictionary();
const tok = (t: string) => tokenize(t, emotes);

describe("VaderSentimentModel", () => {
  const model = new VaderSentimentModel();
  it("agrees with VADER's own ±0.05 compound thresholds", () => {
    for (const text of ["I love this", "this is terrible", "the match starts at 5", "not bad at all", "meh", "GG WP"]) {
      const c = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
      const expected = c >= 0.05 ? "pos" : c <= -0.05 ? "neg" : "neu";
      const s = model.score(text, tok(text));
      expect(labelOf(s), text).toBe(expected);
      expect(s.pos + s.neu + s.neg).toBeCloseTo(1, 12);
    }
  });
  it("grows more confident with a stronger compound", () => {
    expect(model.score("good", tok("good")).pos).toBeLessThan(model.score("GREAT!!! amazing, I love it", tok("GREAT!!! amazing, I love it")).pos);
  });
});

describe("AfinnSentimentModel", () => {
  const model = new AfinnSentimentModel();
  it("maps the AFINN sum's sign to the class", () => {
    expect(labelOf(model.score("I love it", tok("I love it")))).toBe("pos");
    expect(labelOf(model.score("I hate it", tok("I hate it")))).toBe("neg");
    expect(labelOf(model.score("LUL LUL LUL", tok("LUL LUL LUL")))).toBe("neu"); // a general lexicon knows no emotes
  });
});

describe("registry", () => {
  it("offers the embedded default and its peers", () => {
    expect(sentimentModelNames()).toEqual(expect.arrayContaining(["embedded", "lexicon", "vader", "afinn"]));
    expect(DEFAULT_SENTIMENT_MODEL).toBe("embedded");
    for (const name of ["embedded", "lexicon", "vader", "afinn"]) expect(createSentimentModel(name, { emotes }).name).toBe(name);
    expect(createSentimentModel("embedded", { emotes }, { weights: EMBEDDED_MODEL_PATH }).name).toBe("embedded");
  });
  it("rejects unknown names and accepts new registrations", () => {
    expect(() => createSentimentModel("nope", { emotes })).toThrow(/unknown sentiment model "nope"/);
    registerSentimentModel("constant-test", () => ({ name: "constant-test", score: () => ({ pos: 0, neu: 1, neg: 0 }) }));
    expect(createSentimentModel("constant-test", { emotes }).score("x", tok("x")).neu).toBe(1);
  });
});
