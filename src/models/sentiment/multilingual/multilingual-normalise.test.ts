import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../../processing/emote-dictionary.js";
import { tokenize } from "../../../processing/tokenizer.js";
import { DEFAULT_MULTILINGUAL_FEATURES, MULTILINGUAL_DENSE_FEATURES, MultilingualFeatureExtractor, type LanguageWordPriors, type MultilingualLanguage } from "./multilingual-features.js";
import { gluedNegation, normaliseWord, reduplicatedShortForm } from "./multilingual-normalise.js";

describe("chat spellings of German and Indonesian", () => {
  it("maps a chat spelling to its one form, stretched letters squeezed when the word is stretched", () => {
    expect(normaliseWord("bgt", "id")).toBe("banget");
    expect(normaliseWord("njir", "id")).toBe("anjir");
    expect(normaliseWord("mantaaap", "id", true)).toBe("mantap");
    expect(normaliseWord("mantaaap", "id", false)).toBeUndefined();
    expect(normaliseWord("scheiss", "de")).toBe("scheiße");
    expect(normaliseWord("bgt", "de")).toBeUndefined();
    expect(normaliseWord("rumah", "id")).toBeUndefined();
  });

  it("reads Indonesian glued negation only when what follows the prefix is a known word", () => {
    const known = (w: string): boolean => ["seru", "bisa", "kuat"].includes(w);
    expect(gluedNegation("gaseru", known)).toBe("seru");
    expect(gluedNegation("gakbisa", known)).toBe("bisa");
    expect(gluedNegation("gakuat", known)).toBe("kuat");
    expect(gluedNegation("gas", known)).toBeUndefined();
    expect(gluedNegation("gaming", known)).toBeUndefined();
  });

  it("reads the short form of a reduplicated word", () => {
    expect(reduplicatedShortForm("siap2")).toBe("siap");
    expect(reduplicatedShortForm("hati2")).toBe("hati");
    expect(reduplicatedShortForm("gg2")).toBeUndefined();
    expect(reduplicatedShortForm("2")).toBeUndefined();
    expect(reduplicatedShortForm("ti92")).toBeUndefined();
  });

  it("#16.prop never throws and answers a word of the table or nothing", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.constantFrom<MultilingualLanguage>("de", "id"), fc.boolean(), (word, lang, stretched) => {
        const out = normaliseWord(word, lang, stretched);
        if (out !== undefined) expect(out.length).toBeGreaterThan(0);
        const rest = gluedNegation(word, () => true);
        if (rest !== undefined) expect(word.endsWith(rest)).toBe(true);
      }),
    );
  });
});

describe("features with the normalisation and German clause negation", () => {
  const emotes = builtinEmoteDictionary();
  const priors = new Map<MultilingualLanguage, LanguageWordPriors>([
    ["id", { words: new Map<string, readonly [number, number]>([["seru", [0.6, 0]], ["banget", [0, 0.2]]]) }],
    ["de", { words: new Map<string, readonly [number, number]>([["gefällt", [0.6, 0]]]) }],
  ]);
  const plain = { ...DEFAULT_MULTILINGUAL_FEATURES, normaliseScale: 0 };
  const dense = (text: string, lang: MultilingualLanguage, config = plain): Map<string, number> => {
    const ex = new MultilingualFeatureExtractor(emotes, priors, config);
    const n = ex.extract(tokenize(text, emotes), text, lang);
    const out = new Map<string, number>();
    for (let i = 0; i < n; i++) if (ex.ids[i]! < MULTILINGUAL_DENSE_FEATURES.length) out.set(MULTILINGUAL_DENSE_FEATURES[ex.ids[i]!]!, ex.values[i]!);
    return out;
  };
  const normalising = { ...plain, normaliseScale: 1 };
  const germanOff = { ...normalising, normaliseLanguages: ["id"] as const };

  it("flips a glued negation and a \"kurang\" with it, and reads a spelling's polarity through its one form", () => {
    expect(dense("gaseru", "id").get("lexNeg")).toBeUndefined();
    expect(dense("gaseru", "id", normalising).get("lexNeg")).toBeGreaterThan(0);
    expect(dense("kurang seru", "id").get("lexPos")).toBeGreaterThan(0);
    expect(dense("kurang seru", "id", normalising).get("lexNeg")).toBeGreaterThan(0);
    expect(dense("bgt", "id").get("chatPos")).toBeUndefined();
    expect(dense("bgt", "id", normalising).get("chatPos")).toBeGreaterThan(0);
    // Only for the languages asked for.
    expect(dense("gaseru", "id", germanOff).get("lexNeg")).toBeGreaterThan(0);
  });

  it("flips German words before the negator too with clause negation, up to a \"!\" or \"?\" (the tokenizer keeps no other punctuation)", () => {
    const clause = { ...plain, germanNegation: "clause" as const };
    expect(dense("das gefällt mir nicht", "de").get("lexPos")).toBeGreaterThan(0);
    expect(dense("das gefällt mir nicht", "de", clause).get("lexNeg")).toBeGreaterThan(0);
    expect(dense("gefällt mir! nicht das", "de", clause).get("lexPos")).toBeGreaterThan(0);
  });
});
