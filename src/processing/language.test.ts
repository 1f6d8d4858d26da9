import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "./emote-dictionary.js";
import { tokenize } from "./tokenizer.js";
import { confidenceFromEvidence, isLikelyEnglish, languageConfidence, languageEvidence } from "./language.js";

const emotes = builtinEmoteDictionary();
const conf = (text: string) => languageConfidence(tokenize(text, emotes));

describe("language confidence", () => {
  it("trusts English chat and messages without any language cue", () => {
    expect(conf("what time is it?")).toBe(1);
    expect(conf("he missed the jump LUL")).toBe(1);
    expect(conf("LUL LUL LUL")).toBe(1);
    expect(conf("xqcL 1234 !!!")).toBe(1);
    expect(isLikelyEnglish(tokenize("this is not good", emotes))).toBe(true);
  });

  it("distrusts German and Indonesian function words", () => {
    expect(conf("das ist doch nicht dein ernst")).toBeLessThan(0.1);
    expect(conf("gak ada yang bisa menang")).toBeLessThan(0.1);
    expect(isLikelyEnglish(tokenize("ich bin so müde heute", emotes))).toBe(false);
  });

  it("treats non-Latin scripts and Vietnamese as foreign, accented Latin as half a cue", () => {
    expect(conf("翻译是在吃屎吗")).toBeLessThan(0.5);
    expect(conf("đẹp quá")).toBeLessThan(0.5);
    const accented = languageEvidence(tokenize("müde", emotes));
    expect(accented).toEqual({ english: 0, foreign: 0.5, cjk: 0 });
  });

  it("never counts words English shares with other languages against English", () => {
    // "die", "was", "so", "me" are German/Spanish function words too, but common English.
    expect(conf("die was so me")).toBe(1);
  });

  it("weighs mixed messages by their cues", () => {
    const mixed = conf("LUL das ist good");
    expect(mixed).toBeGreaterThan(conf("das ist doch gut"));
    expect(mixed).toBeLessThan(1);
    expect(confidenceFromEvidence({ english: 2, foreign: 1, cjk: 0 })).toBeCloseTo(2.5 / 4.5, 12);
  });

  it("counts Chinese, Japanese and Korean words as foreign and says which they are", () => {
    expect(languageEvidence(tokenize("跟寄生虫一样 ありがとう 안녕 привет", emotes))).toEqual({ english: 0, foreign: 4, cjk: 3 });
  });
});
