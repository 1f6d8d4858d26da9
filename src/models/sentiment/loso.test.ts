import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { DEFAULT_TRAINER_OPTIONS, tokenizeChat, tokenizeCorpus, type LearntPriors, type LabelledText } from "./embedded-trainer.js";
import { leaveOneStreamOut, leaveOneStreamOutCalibration, nestedSample, priorKeyFor, runLeaveOneStreamOut } from "./loso.js";
import type { SentimentLabel } from "./sentiment-model.js";

const emotes = builtinEmoteDictionary();

describe("leaveOneStreamOut", () => {
  it("makes one fold per stream, in name order, testing every row of it and fitting every other row", () => {
    const streams = ["b", "a", "b", "c", "a", "b"];
    const folds = leaveOneStreamOut(streams);
    expect(folds.map((f) => f.stream)).toEqual(["a", "b", "c"]);
    expect(folds[0]).toEqual({ stream: "a", train: [0, 2, 3, 5], test: [1, 4] });
    for (const fold of folds) {
      expect([...fold.train, ...fold.test].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      expect(fold.train.some((r) => streams[r] === fold.stream)).toBe(false);
    }
  });

  it("fits only the given rows but still tests the whole held-out stream", () => {
    const folds = leaveOneStreamOut(["a", "a", "b", "b"], [0, 2]);
    expect(folds).toEqual([
      { stream: "a", train: [2], test: [0, 1] },
      { stream: "b", train: [0], test: [2, 3] },
    ]);
  });
});

describe("nestedSample", () => {
  it("draws a fixed-seed sample whose smaller sizes are subsets of the larger ones", () => {
    const small = nestedSample(1000, 100, 7);
    const large = nestedSample(1000, 400, 7);
    expect(small).toHaveLength(100);
    expect(new Set(small).size).toBe(100);
    expect(small.every((r) => large.includes(r))).toBe(true);
    expect(nestedSample(1000, 100, 7)).toEqual(small);
    expect(nestedSample(1000, 100, 8)).not.toEqual(small);
    expect(nestedSample(10, 50, 1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("leaveOneStreamOutCalibration", () => {
  it("chooses each stream's offset without looking at that stream", () => {
    // Stream "a" would want a large neutral offset, the others none: a's own calibration must not see it.
    const labels: SentimentLabel[] = [];
    const streams: string[] = [];
    const logits: number[] = [];
    for (let i = 0; i < 60; i++) {
      const stream = ["a", "b", "c"][i % 3]!;
      streams.push(stream);
      const gold: SentimentLabel = i % 2 === 0 ? "pos" : "neu";
      labels.push(gold);
      // In "a" the neutral rows look positive unless the neutral logit is raised; elsewhere the logits are clear.
      if (stream === "a") logits.push(1, gold === "neu" ? 0.8 : -1, -3);
      else logits.push(gold === "pos" ? 2 : -2, gold === "neu" ? 2 : -2, -3);
    }
    const cal = leaveOneStreamOutCalibration(Float64Array.from(logits), labels, streams, { neutralOffsets: [0, 0.2, 1], negativeOffsets: [0] });
    expect([...cal.keys()]).toEqual(["a", "b", "c"]);
    // Without "a" nothing calls for an offset; with "a" among the calibration rows the larger offset wins.
    expect(cal.get("a")!.neutralOffset).toBe(0);
    expect(cal.get("b")!.neutralOffset).toBeGreaterThan(0);
  });
});

describe("runLeaveOneStreamOut", () => {
  // Three small synthetic streams (not from the shared data) with the same polar vocabulary, one channel emote each.
  const rows: LabelledText[] = [];
  const chat: { stream: string; text: string }[] = [];
  for (const [stream, emote] of [["s1", "aaaLove"], ["s2", "bbbLove"], ["s3", "cccLove"]] as const) {
    for (let r = 0; r < 4; r++) {
      rows.push({ stream, text: `great play ${r}`, label: "pos" }, { stream, text: `${emote} ${r}`, label: "pos" });
      rows.push({ stream, text: `this is terrible ${r}`, label: "neg" }, { stream, text: `so boring BibleThump ${r}`, label: "neg" });
      rows.push({ stream, text: `who plays next ${r}?`, label: "neu" }, { stream, text: `the map is mirage ${r}`, label: "neu" });
    }
    for (let r = 0; r < 6; r++) chat.push({ stream, text: `great play PogChamp ${stream}` }, { stream, text: `terrible BibleThump ${stream}` });
  }
  const corpus = tokenizeCorpus(rows, emotes);
  const dev = tokenizeCorpus([{ stream: "s1", text: "great play", label: "pos" }, { stream: "s3", text: "who plays next?", label: "neu" }], emotes);
  const options = { folds: 2, features: { hashBits: 12, charMin: 2, charMax: 4, charScale: 1, bigramScale: 1 }, maxIterations: 60, wordVectors: undefined };

  it("predicts each stream from a model fitted on the others and reports per stream, pooled and dev", () => {
    const cache = new Map<string, LearntPriors>();
    const result = runLeaveOneStreamOut({ corpus, chat: tokenizeChat(chat, emotes), emotes, options, dev, priorCache: cache });
    expect(result.streams.map((s) => s.stream)).toEqual(["s1", "s2", "s3"]);
    expect(result.streams.every((s) => s.items === 24)).toBe(true);
    expect(result.macroF1).toBeCloseTo(result.streams.reduce((a, s) => a + s.macroF1, 0) / 3, 12);
    expect(result.macroF1).toBeGreaterThan(0.6);
    expect(result.fits).toBe(3);
    expect(result.dev!.macroF1).toBeGreaterThan(0);
    expect(result.streams.find((s) => s.stream === "s1")!.devItems).toBe(1);
    // One prior set per held-out stream, learnt without its chat, and reused by a second run.
    expect(cache.size).toBe(3);
    const again = runLeaveOneStreamOut({ corpus, chat: tokenizeChat(chat, emotes), emotes, options, dev, priorCache: cache });
    expect(cache.size).toBe(3);
    expect(Array.from(again.logits)).toEqual(Array.from(result.logits));
  });

  it("never lets the held-out stream's chat into its priors (per-fold) unless asked for global priors", () => {
    const perFold = new Map<string, LearntPriors>();
    runLeaveOneStreamOut({ corpus, chat: tokenizeChat(chat, emotes), emotes, options, priorCache: perFold });
    const s1 = [...perFold.entries()].find(([k]) => k.startsWith("s1"))![1];
    // "s1" occurs only in stream s1's chat: the fold that holds s1 out has no prior for it.
    expect(s1.priors.index.has("s1")).toBe(false);
    expect([...perFold.entries()].find(([k]) => k.startsWith("s2"))![1].priors.index.has("s1")).toBe(true);
    const global = new Map<string, LearntPriors>();
    runLeaveOneStreamOut({ corpus, chat: tokenizeChat(chat, emotes), emotes, options, priorCache: global, priorScope: "global" });
    expect(global.size).toBe(1);
  });

  it("fits a learning-curve subset and still scores every row", () => {
    const subset = corpus.texts.map((_, i) => i).filter((i) => i % 2 === 0);
    const result = runLeaveOneStreamOut({ corpus, chat: tokenizeChat(chat, emotes), emotes, options, trainRows: subset, priorScope: "global" });
    expect(result.streams.every((s) => s.items === 24)).toBe(true);
    expect(result.logits.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe("priorKeyFor", () => {
  it("keys the priors by everything they are learnt from, the slang lexicon included", () => {
    expect(priorKeyFor("a")).not.toBe(priorKeyFor("b"));
    expect(priorKeyFor("a", { ...DEFAULT_TRAINER_OPTIONS, chatSlang: true })).not.toBe(priorKeyFor("a"));
    expect(priorKeyFor("a", { ...DEFAULT_TRAINER_OPTIONS, chatSlang: false })).toBe(priorKeyFor("a"));
  });
});
