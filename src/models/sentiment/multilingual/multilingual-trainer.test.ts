import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../../processing/emote-dictionary.js";
import { tokenize } from "../../../processing/tokenizer.js";
import type { SentimentLabel } from "../sentiment-model.js";
import { DEFAULT_CHAT_POLARITY_OPTIONS } from "../word-priors.js";
import {
  bestOffsets,
  buildLanguagePriors,
  crossValidate,
  DEFAULT_MULTILINGUAL_TRAIN_OPTIONS,
  learnLexiconSeededPolarity,
  macroF1Of,
  pseudoLabel,
  stratifiedGroupFolds,
  type MultilingualTrainingRow,
} from "./multilingual-trainer.js";
import { MULTILINGUAL_DENSE_COUNT } from "./multilingual-features.js";
import { MULTILINGUAL_DENSE_FEATURES, MultilingualFeatureExtractor, isWideLaughter, type LanguageWordPriors, type MultilingualLanguage } from "./multilingual-features.js";

const emotes = builtinEmoteDictionary();
const row = (text: string, lang: MultilingualLanguage, label: SentimentLabel): MultilingualTrainingRow => ({ text, tokens: tokenize(text, emotes), lang, label });

describe("stratified group folds", () => {
  it("keeps near-duplicates in one fold and spreads each language and label over the folds", () => {
    const rows: MultilingualTrainingRow[] = [];
    for (let i = 0; i < 20; i++) rows.push(row(`gut ${i}`, "de", i % 2 === 0 ? "pos" : "neu"));
    for (let i = 0; i < 5; i++) rows.push(row("💜 💜 💜", "de", "pos"));
    rows.push(row("💜", "de", "pos"));
    for (let i = 0; i < 10; i++) rows.push(row(`kalah ${i}`, "id", "neg"));
    const fold = stratifiedGroupFolds(rows, 5);
    const hearts = rows.map((r, i) => (r.tokens.signature === rows[20]!.tokens.signature ? fold[i]! : -1)).filter((f) => f >= 0);
    expect(new Set(hearts).size).toBe(1);
    const idFolds = rows.map((r, i) => (r.lang === "id" ? fold[i]! : -1)).filter((f) => f >= 0);
    expect(new Set(idFolds).size).toBe(5);
    expect(stratifiedGroupFolds(rows, 5)).toEqual(fold); // deterministic
    // Another seed deals the groups anew, with the same guarantees.
    const other = stratifiedGroupFolds(rows, 5, 7);
    expect(other).not.toEqual(fold);
    expect(stratifiedGroupFolds(rows, 5, 7)).toEqual(other);
    expect(new Set(rows.map((r, i) => (r.tokens.signature === rows[20]!.tokens.signature ? other[i]! : -1)).filter((f) => f >= 0)).size).toBe(1);
    expect(stratifiedGroupFolds(rows, 5, 0)).toEqual(fold);
  });
});

describe("offset search", () => {
  it("finds the negative offset that recovers a class the logits under-call, and keeps zero when nothing helps", () => {
    const rows = [row("a", "de", "neg"), row("b", "de", "neg"), row("c", "de", "neu"), row("d", "de", "pos")];
    // Each negative row's logits lean neutral by 0.5: a negative offset of 0.6 or more fixes both.
    const logits = Float64Array.from([0, 0.5, 0, 0, 0.5, 0, 0, 1, -1, 1, 0, -1]);
    const idx = [0, 1, 2, 3];
    expect(macroF1Of(rows, idx, logits, 1, 0, 0)).toBeLessThan(1);
    const [neutral, negative] = bestOffsets(rows, idx, logits, 1);
    expect(macroF1Of(rows, idx, logits, 1, neutral, negative)).toBe(1);
    expect(negative).toBeGreaterThan(0.5);
    const perfect = Float64Array.from([0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
    expect(bestOffsets(rows, idx, perfect, 1)).toEqual([0, 0]);
  });
});

describe("features and cross-validation", () => {
  it("reads Indonesian laughter spellings as laughter", () => {
    for (const w of ["wkwkkwk", "awokawok", "akwokwk", "xixixi"]) expect(isWideLaughter(w), w).toBe(true);
    for (const w of ["wow", "kok", "work", "kawan"]) expect(isWideLaughter(w), w).toBe(false);
  });

  it("salts words by language, shares emotes, and gives word priors a say", () => {
    const priors = new Map<MultilingualLanguage, LanguageWordPriors>([
      ["de", { words: new Map([["toll", [0.8, 0] as const]]) }],
      ["id", { words: new Map() }],
    ]);
    const ex = new MultilingualFeatureExtractor(emotes, priors);
    const ids = (text: string, lang: MultilingualLanguage) => {
      const n = ex.extract(tokenize(text, emotes), text, lang);
      return new Set(Array.from(ex.ids.subarray(0, n)));
    };
    const de = ids("gas", "de");
    const id = ids("gas", "id");
    expect([...de].filter((f) => id.has(f)).length).toBeLessThan(de.size);
    const emoteDe = ids("LUL", "de");
    const emoteId = ids("LUL", "id");
    expect([...emoteDe].filter((f) => emoteId.has(f)).length).toBeGreaterThan(0);
    ex.extract(tokenize("toll", emotes), "toll", "de");
    const lexPos = Array.from(ex.ids.subarray(0, ex.count)).includes(MULTILINGUAL_DENSE_FEATURES.indexOf("lexPos"));
    expect(lexPos).toBe(true);
  });

  it("predicts every row out of fold, deterministically", () => {
    const rows: MultilingualTrainingRow[] = [];
    const texts: [string, SentimentLabel][] = [["geil 😂", "pos"], ["super toll", "pos"], ["was ist das", "neu"], ["wann kommt das", "neu"], ["so schlecht", "neg"], ["langweilig", "neg"]];
    for (let k = 0; k < 5; k++) for (const [t, l] of texts) rows.push(row(`${t} ${k}`, "de", l));
    const priors = new Map([
      ["de" as const, buildLanguagePriors(undefined, [], rows.map((r) => r.tokens), emotes)],
      ["id" as const, { words: new Map() }],
    ]);
    const options = { ...DEFAULT_MULTILINGUAL_TRAIN_OPTIONS, maxIterations: 50 };
    const a = crossValidate(rows, emotes, priors, options);
    const b = crossValidate(rows, emotes, priors, options);
    expect(a.logits).toEqual(b.logits);
    expect(a.logits.every((v) => Number.isFinite(v))).toBe(true);
  });

  it("with Naive-Bayes-informed L2, lets a word that splits the classes weigh more, deterministically", () => {
    const rows: MultilingualTrainingRow[] = [];
    const texts: [string, SentimentLabel][] = [["mantap sekali", "pos"], ["keren banget", "pos"], ["apa itu", "neu"], ["kapan main", "neu"], ["payah sekali", "neg"], ["jelek banget", "neg"]];
    for (let k = 0; k < 5; k++) for (const [t, l] of texts) rows.push(row(`${t} ${k}`, "id", l));
    const priors = new Map([
      ["de" as const, { words: new Map() }],
      ["id" as const, { words: new Map() }],
    ]);
    const plain = { ...DEFAULT_MULTILINGUAL_TRAIN_OPTIONS, maxIterations: 80 };
    const nb = { ...plain, nbL2: 3 };
    const a = crossValidate(rows, emotes, priors, nb);
    expect(crossValidate(rows, emotes, priors, nb).logits).toEqual(a.logits);
    const margin = (cv: { logits: Float64Array }, i: number) => cv.logits[i * 3]! - cv.logits[i * 3 + 2]!; // pos − neg
    const base = crossValidate(rows, emotes, priors, plain);
    // "mantap sekali k": "mantap" is in every positive row and no other; held back less, it pulls further to pos.
    expect(margin(a, 0)).toBeGreaterThan(margin(base, 0));
    expect(margin(a, 4)).toBeLessThan(margin(base, 4)); // "payah sekali k" further to neg
  });
});

describe("domain adaptation and self-training", () => {
  const priors = new Map<MultilingualLanguage, LanguageWordPriors>([
    ["de", { words: new Map() }],
    ["id", { words: new Map() }],
  ]);

  it("adds a per-language hashed copy of each non-zero named feature only when asked", () => {
    const hashedOf = (scale: number, text: string, lang: MultilingualLanguage): number[] => {
      const ex = new MultilingualFeatureExtractor(emotes, priors, { ...DEFAULT_MULTILINGUAL_TRAIN_OPTIONS.features, languageDenseScale: scale });
      const n = ex.extract(tokenize(text, emotes), text, lang);
      return Array.from(ex.ids.subarray(0, n)).filter((id) => id >= MULTILINGUAL_DENSE_COUNT);
    };
    const off = hashedOf(0, "LUL !", "de");
    const de = hashedOf(1, "LUL !", "de");
    const id = hashedOf(1, "LUL !", "id");
    expect(de.length).toBeGreaterThan(off.length);
    const copyDe = de.filter((f) => !off.includes(f));
    const copyId = id.filter((f) => !hashedOf(0, "LUL !", "id").includes(f));
    expect(copyDe.some((f) => copyId.includes(f))).toBe(false); // each language has its own copy
  });

  it("pseudo-labels only confident rows, at most perClass per language and class, with the given weight", () => {
    const ex = new MultilingualFeatureExtractor(emotes, priors);
    const weights = new Float64Array(ex.dimension * 3);
    const emotePos = MULTILINGUAL_DENSE_FEATURES.indexOf("emotePos");
    weights[emotePos * 3] = 10; // emotes of positive polarity → "pos", everything else uniform (p = 1/3)
    const pool = ["LUL", "LUL LUL", "PogChamp", "ja", "nein"].map((t) => row(t, "de", "neu"));
    const picked = pseudoLabel(ex, weights, { rows: pool, threshold: 0.9, perClass: 2, weight: 0.3 });
    expect(picked.length).toBe(2);
    expect(picked.every((r) => r.label === "pos" && r.weight === 0.3)).toBe(true);
    expect(picked.map((r) => r.text).every((t) => !["ja", "nein"].includes(t))).toBe(true);
    expect(pseudoLabel(ex, weights, { rows: pool, threshold: 0.9, perClass: 2, weight: 0.3 })).toEqual(picked);
  });
});

describe("chat polarity seeded by the lexicon", () => {
  const emotes = builtinEmoteDictionary();
  const lexicon = (w: string): number | undefined => (w === "goblok" ? -0.8 : w === "mantap" ? 0.8 : undefined);
  const chat = [
    ...Array.from({ length: 6 }, () => "bapuk goblok"),
    ...Array.from({ length: 6 }, () => "gacor mantap"),
    ...Array.from({ length: 3 }, () => "sore goblok"),
    ...Array.from({ length: 3 }, () => "sore mantap"),
  ].map((t) => tokenize(t, emotes));

  it("gives a word the polarity of the lexicon words it keeps company with, and a lexicon word none from itself", () => {
    const polarity = learnLexiconSeededPolarity(chat, emotes, lexicon, DEFAULT_CHAT_POLARITY_OPTIONS);
    expect(polarity.get("bapuk")!).toBeLessThan(-0.3);
    expect(polarity.get("gacor")!).toBeGreaterThan(0.3);
    expect(Math.abs(polarity.get("sore")!)).toBeLessThan(0.05); // as often with either
    // "goblok" alone in its message has nothing else to be counted by.
    expect(learnLexiconSeededPolarity([tokenize("goblok", emotes), tokenize("mantap", emotes)], emotes, lexicon, DEFAULT_CHAT_POLARITY_OPTIONS).size).toBe(0);
  });

  it("is what buildLanguagePriors keeps as the chat column when asked for", () => {
    const priors = buildLanguagePriors(lexicon, chat, [], emotes, "lexicon-seeded");
    expect(priors.words.get("bapuk")![1]).toBeLessThan(-0.3);
    expect(priors.words.get("goblok")![0]).toBe(-0.8);
    expect(buildLanguagePriors(lexicon, chat, [], emotes, false).words.get("bapuk")).toBeUndefined();
  });
});
