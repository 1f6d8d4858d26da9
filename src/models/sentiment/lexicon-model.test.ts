import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { LexiconSentimentModel } from "./lexicon-model.js";
import { labelOf } from "./sentiment-model.js";

const emotes = builtinEmoteDictionary();
const model = new LexiconSentimentModel(emotes);
const label = (text: string) => labelOf(model.score(text, tokenize(text, emotes)));

describe("LexiconSentimentModel", () => {
  it("reads chat emotes and slang", () => {
    expect(label("LUL LUL LUL")).toBe("pos");
    expect(label("BibleThump")).toBe("neg");
    expect(label("ResidentSleeper")).toBe("neg");
    expect(label("GG WP")).toBe("pos");
    expect(label("😂")).toBe("pos");
  });

  it("calls questions and plain statements neutral", () => {
    expect(label("what time is it?")).toBe("neu");
    expect(label("he is playing the blue team")).toBe("neu");
  });

  it("flips polarity under negation", () => {
    expect(label("this is good")).toBe("pos");
    expect(label("this is not good")).toBe("neg");
  });

  it("returns probabilities that sum to one, stronger for shouted repeats", () => {
    const calm = model.score("nice", tokenize("nice", emotes));
    const loud = model.score("NIIIICE NIIIICE", tokenize("NIIIICE NIIIICE", emotes));
    expect(calm.pos + calm.neu + calm.neg).toBeCloseTo(1, 10);
    expect(loud.pos).toBeGreaterThanOrEqual(calm.pos);
  });
});
