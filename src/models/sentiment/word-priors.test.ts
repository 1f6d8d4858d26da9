import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { buildWordPriors, CHAT_SLANG, generalLexicon, learnChatPolarity } from "./word-priors.js";

const emotes = builtinEmoteDictionary();

describe("generalLexicon", () => {
  it("merges VADER, AFINN and chat slang with the expected signs", () => {
    const lex = generalLexicon();
    expect(lex.size).toBeGreaterThan(5000);
    expect(lex.get("good")!).toBeGreaterThan(0);
    expect(lex.get("terrible")!).toBeLessThan(0);
    expect(lex.get("gg")).toBe(0.6); // the chat sense overrides the general lexicons
    expect(lex.get("rip")!).toBeLessThan(0);
    for (const v of lex.values()) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it("adds live-chat slang over the general lexicons only when asked", () => {
    const plain = generalLexicon();
    const slang = generalLexicon(true);
    expect(plain.get("garbo")).toBeUndefined();
    expect(slang.get("garbo")!).toBeLessThan(0);
    expect(plain.get("boosted")!).toBeGreaterThan(0); // VADER's "boost"
    expect(slang.get("boosted")!).toBeLessThan(0); // chat's "boosted": carried by others
    expect(slang.get("goated")!).toBeGreaterThan(0);
    expect(slang.get("good")).toBe(plain.get("good"));
    for (const [word, v] of CHAT_SLANG) {
      expect(word, word).toBe(word.toLowerCase());
      expect(Math.abs(v), word).toBeLessThanOrEqual(1);
      expect(v, word).not.toBe(0);
    }
  });
});

describe("learnChatPolarity", () => {
  const chat = (lines: string[]) => lines.map((l) => tokenize(l, emotes));
  const corpus = chat([
    ...Array.from({ length: 12 }, () => "what a clutch PogChamp"),
    ...Array.from({ length: 12 }, () => "he will throw BibleThump"),
    ...Array.from({ length: 6 }, () => "the game LUL"),
    ...Array.from({ length: 6 }, () => "the game NotLikeThis"),
    "rare PogChamp",
    "no emote here at all",
  ]);

  it("learns word polarity from the emotes around it", () => {
    const pol = learnChatPolarity(corpus, emotes);
    expect(pol.get("clutch")!).toBeGreaterThan(0.3);
    expect(pol.get("throw")!).toBeLessThan(-0.3);
    expect(Math.abs(pol.get("game")!)).toBeLessThan(0.3); // seen evenly with both
    expect(pol.has("rare")).toBe(false); // below minCount
    expect(pol.has("pogchamp")).toBe(false); // emotes are the labels, not words
  });

  it("needs both polarities to say anything", () => {
    expect(learnChatPolarity(chat(["so good PogChamp"]), emotes).size).toBe(0);
  });

  it("counts laughter as a positive signal", () => {
    const pol = learnChatPolarity(chat([...Array.from({ length: 8 }, () => "that bird lmao"), ...Array.from({ length: 8 }, () => "sad bird BibleThump"), ...Array.from({ length: 8 }, () => "clown lol")]), emotes, { threshold: 0.5, minCount: 5, prior: 1 });
    expect(pol.get("clown")!).toBeGreaterThan(0);
    expect(pol.get("sad")!).toBeLessThan(0);
  });
});

describe("buildWordPriors", () => {
  it("joins both sources, sorted, rounded to three decimals", () => {
    const p = buildWordPriors(new Map([["zeta", 0.12345], ["alpha", -0.5]]), new Map([["alpha", 0.3333333], ["mid", 0.1]]));
    expect([...p.index.keys()]).toEqual(["alpha", "mid", "zeta"]);
    expect(p.lexicon[p.index.get("zeta")!]).toBeCloseTo(0.123, 6);
    expect(p.chat[p.index.get("alpha")!]).toBeCloseTo(0.333, 6);
    expect(p.lexicon[p.index.get("mid")!]).toBe(0);
  });
});
