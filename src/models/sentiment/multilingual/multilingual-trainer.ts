import type { EmoteDictionary } from "../../../processing/emote-dictionary.js";
import type { TokenizedText } from "../../../processing/tokenizer.js";
import { fitTemperature, LABELS } from "../metrics.js";
import type { SentimentLabel } from "../sentiment-model.js";
import { SparseDatasetBuilder, trainSoftmaxRegression, type SparseDataset } from "../softmax-regression.js";
import { isLaughter } from "../chat-features.js";
import { DEFAULT_CHAT_POLARITY_OPTIONS, learnChatPolarity, polarityFromCounts, type ChatPolarityOptions } from "../word-priors.js";
import {
  DEFAULT_MULTILINGUAL_FEATURES,
  MULTILINGUAL_DENSE_COUNT,
  MULTILINGUAL_LANGUAGES,
  MultilingualFeatureExtractor,
  type LanguageWordPriors,
  type MultilingualFeatureConfig,
  type TrainingLanguage,
} from "./multilingual-features.js";
import type { Lexicon } from "./multilingual-lexicons.js";

/**
 * Training of the German and Indonesian model. The multilingual dev set is the only labelled data in these languages,
 * so the model is fitted on it — the one exception to "tune on dev, never fit it" — and every figure reported for it
 * is out-of-fold: stratified k-fold by language and label, with near-duplicates (one signature: "💜 💜 💜" and "💜")
 * kept in one fold so a copy never predicts its twin. Deterministic: no random numbers, full-batch L-BFGS.
 */

export interface MultilingualTrainingRow {
  tokens: TokenizedText;
  text: string;
  lang: TrainingLanguage;
  label: SentimentLabel;
  /** Row weight in the loss (1 unless said otherwise: English transfer rows weigh less). */
  weight?: number;
}

export interface MultilingualTrainOptions {
  features: MultilingualFeatureConfig;
  /** L2 strength on the mean loss; named features × `denseL2Scale`, biases free. */
  l2: number;
  denseL2Scale: number;
  folds: number;
  /** Which rows share a fold: 0 (the default) is the shipped assignment, other seeds deal the groups anew (spread). */
  foldSeed?: number;
  maxIterations: number;
  /**
   * Naive-Bayes-informed regularisation (a variant, off when absent or 0): a hashed feature's L2 is divided by
   * 1 + nbL2 · r, r its largest one-vs-rest log-count ratio on the fold's training rows (NB-SVM's r, Wang & Manning
   * 2012, used as a per-feature prior width instead of a feature scale): features that already split the classes in
   * the counts are held back less.
   */
  nbL2?: number;
}

export const DEFAULT_MULTILINGUAL_TRAIN_OPTIONS: MultilingualTrainOptions = {
  features: DEFAULT_MULTILINGUAL_FEATURES,
  l2: 3e-3,
  denseL2Scale: 0.1,
  folds: 5,
  maxIterations: 300,
};

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * Word priors of one language: its lexicon looked up for every word of its chat, and polarities learnt by distant
 * supervision from emotes, emoji and laughter in its unlabelled chat (word-priors.ts). Rounded to three decimals,
 * as the model file keeps them; only words with a non-zero polarity are kept.
 */
export function buildLanguagePriors(
  lexicon: Lexicon | undefined,
  unlabelled: readonly TokenizedText[],
  labelled: readonly TokenizedText[],
  emotes: EmoteDictionary,
  chatPriors: boolean | "lexicon-seeded" = true,
): LanguageWordPriors {
  const chat = chatPriors === "lexicon-seeded" && lexicon !== undefined
    ? learnLexiconSeededPolarity(unlabelled, emotes, lexicon, DEFAULT_CHAT_POLARITY_OPTIONS)
    : chatPriors !== false ? learnChatPolarity(unlabelled, emotes, DEFAULT_CHAT_POLARITY_OPTIONS) : new Map<string, number>();
  const vocabulary = new Set<string>(chat.keys());
  for (const msg of [...unlabelled, ...labelled]) for (const tok of msg.tokens) if (tok.kind === "word") vocabulary.add(tok.norm);
  const words = new Map<string, readonly [number, number]>();
  for (const word of [...vocabulary].sort()) {
    const lex = round3(lexicon?.(word) ?? 0);
    const ch = round3(chat.get(word) ?? 0);
    if (lex !== 0 || ch !== 0) words.set(word, [lex, ch]);
  }
  return { words };
}

/**
 * learnChatPolarity (word-priors.ts) with the language's lexicon as a seed beside emotes, emoji and laughter: a
 * message is polar when the sum of those and of its words' lexicon polarities passes the threshold, and a word is
 * counted by what the rest of the message says (its own lexicon polarity left out, so a lexicon word does not vote
 * for itself). Words of the chat that keep company with "goblok" and "mantap" get a polarity the lexicons lack.
 * A variant (docs/sentiment-multilingual-experiments.md).
 */
export function learnLexiconSeededPolarity(messages: readonly TokenizedText[], emotes: EmoteDictionary, lexicon: Lexicon, options: ChatPolarityOptions): Map<string, number> {
  const pos = new Map<string, number>();
  const neg = new Map<string, number>();
  let posMessages = 0;
  let negMessages = 0;
  const own = new Map<string, number>();
  for (const msg of messages) {
    let signal = 0;
    own.clear();
    for (const tok of msg.tokens) {
      if (tok.kind === "emote") signal += (emotes.emote(tok.norm) ?? emotes.emote(tok.text))?.polarity ?? 0;
      else if (tok.kind === "emoji") signal += emotes.emojiMeaning(tok.norm)?.polarity ?? 0;
      else if (tok.kind === "word" && isLaughter(tok.norm)) signal += 0.8;
      else if (tok.kind === "word") {
        const v = lexicon(tok.norm) ?? 0;
        signal += v;
        own.set(tok.norm, (own.get(tok.norm) ?? 0) + v);
      }
    }
    const words = [...own.keys()];
    if (words.length === 0) continue;
    let anyPolar = false;
    for (const word of words) {
      const rest = signal - own.get(word)!;
      const target = rest >= options.threshold ? pos : rest <= -options.threshold ? neg : undefined;
      if (target === undefined) continue;
      anyPolar = true;
      target.set(word, (target.get(word) ?? 0) + 1);
    }
    if (!anyPolar) continue;
    if (signal >= 0) posMessages++;
    else negMessages++;
  }
  return polarityFromCounts(pos, neg, posMessages, negMessages, options);
}

/**
 * Fold of each row: rows are grouped by signature, groups ordered by a hash of the signature within each
 * (language, label) stratum, and dealt to folds in turn, so every fold has each stratum's share.
 */
export function stratifiedGroupFolds(rows: readonly MultilingualTrainingRow[], folds: number, seed = 0): Int32Array {
  const fold = new Int32Array(rows.length);
  const strata = new Map<string, Map<string, number[]>>();
  rows.forEach((r, i) => {
    const key = `${r.lang}\u0000${r.label}`;
    let groups = strata.get(key);
    if (groups === undefined) strata.set(key, (groups = new Map()));
    const sig = r.tokens.signature;
    const members = groups.get(sig);
    if (members === undefined) groups.set(sig, [i]);
    else members.push(i);
  });
  let next = 0;
  for (const key of [...strata.keys()].sort()) {
    const groups = strata.get(key)!;
    const rank = seed === 0 ? (sig: string): number => fnv(sig) : (sig: string): number => fnv(`${seed}\u0000${sig}`);
    const order = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const sig of order) {
      for (const i of groups.get(sig)!) fold[i] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function dataset(extractor: MultilingualFeatureExtractor, rows: readonly MultilingualTrainingRow[], indices: readonly number[]): SparseDataset {
  const builder = new SparseDatasetBuilder(LABELS.length);
  const target = new Float32Array(LABELS.length);
  for (const i of indices) {
    const r = rows[i]!;
    const n = extractor.extract(r.tokens, r.text, r.lang);
    target.fill(0);
    target[LABELS.indexOf(r.label)] = 1;
    builder.add(extractor.ids, extractor.values, n, target, r.weight ?? 1);
  }
  return builder.build();
}

function fit(extractor: MultilingualFeatureExtractor, rows: readonly MultilingualTrainingRow[], indices: readonly number[], options: MultilingualTrainOptions): Float64Array {
  const data = dataset(extractor, rows, indices);
  // Biases are free; the other named features are regularised less than the many hashed ones, as in the English model.
  const ratio = options.nbL2 !== undefined && options.nbL2 > 0 ? logCountRatios(extractor, rows, indices) : undefined;
  const nb = options.nbL2 ?? 0;
  const l2Scale = (f: number): number => (f < 4 ? 0 : f < MULTILINGUAL_DENSE_COUNT ? options.denseL2Scale : ratio === undefined ? 1 : 1 / (1 + nb * (ratio.get(f) ?? 0)));
  return trainSoftmaxRegression(data, { dimension: extractor.dimension, l2: options.l2, l2Scale, maxIterations: options.maxIterations }).weights;
}

/** Per hashed feature id, the largest one-vs-rest |log-count ratio| over the three classes (add-one smoothed, presence counts). */
function logCountRatios(extractor: MultilingualFeatureExtractor, rows: readonly MultilingualTrainingRow[], indices: readonly number[]): Map<number, number> {
  const counts = new Map<number, [number, number, number]>();
  const totals = [0, 0, 0];
  const seen = new Set<number>();
  for (const i of indices) {
    const r = rows[i]!;
    const c = LABELS.indexOf(r.label);
    totals[c]!++;
    const n = extractor.extract(r.tokens, r.text, r.lang);
    seen.clear();
    for (let j = 0; j < n; j++) {
      const id = extractor.ids[j]!;
      if (id < MULTILINGUAL_DENSE_COUNT || seen.has(id)) continue;
      seen.add(id);
      let k = counts.get(id);
      if (k === undefined) counts.set(id, (k = [0, 0, 0]));
      k[c]!++;
    }
  }
  const all = totals[0]! + totals[1]! + totals[2]!;
  const out = new Map<number, number>();
  for (const [id, k] of counts) {
    const n = k[0] + k[1] + k[2];
    let best = 0;
    for (let c = 0; c < 3; c++) {
      const r = Math.log((k[c]! + 1) / (totals[c]! + 1)) - Math.log((n - k[c]! + 1) / (all - totals[c]! + 1));
      best = Math.max(best, Math.abs(r));
    }
    out.set(id, best);
  }
  return out;
}

/** Logits of every row into `out` (rows × 3) under `weights`. */
function logitsOf(extractor: MultilingualFeatureExtractor, weights: ArrayLike<number>, row: MultilingualTrainingRow, out: Float64Array, at: number): void {
  const n = extractor.extract(row.tokens, row.text, row.lang);
  let zp = 0;
  let zu = 0;
  let zn = 0;
  for (let j = 0; j < n; j++) {
    const base = extractor.ids[j]! * 3;
    const v = extractor.values[j]!;
    zp += v * weights[base]!;
    zu += v * weights[base + 1]!;
    zn += v * weights[base + 2]!;
  }
  out[at] = zp;
  out[at + 1] = zu;
  out[at + 2] = zn;
}

/**
 * Self-training on unlabelled chat of the two streams: the model fitted on the labelled rows of a fold labels the
 * unlabelled messages, and the ones it is surest of (per language and class, the `perClass` most confident with a
 * top probability ≥ `threshold`) join a second fit with weight `weight`. The unlabelled messages never include a
 * labelled line or a near-duplicate of one (the caller leaves them out), so no fold's test message is pseudo-labelled.
 */
export interface SelfTrainingOptions {
  /** Unlabelled messages, each with its stream's language (their `label` is ignored). */
  rows: readonly MultilingualTrainingRow[];
  threshold: number;
  perClass: number;
  weight: number;
}

/** The confident pseudo-labelled rows of `unlabelled` under `weights` (deterministic: ties by index). */
export function pseudoLabel(extractor: MultilingualFeatureExtractor, weights: ArrayLike<number>, self: SelfTrainingOptions): MultilingualTrainingRow[] {
  const z = new Float64Array(3);
  const picked = new Map<string, { i: number; p: number; label: SentimentLabel }[]>();
  self.rows.forEach((row, i) => {
    logitsOf(extractor, weights, row, z, 0);
    const max = Math.max(z[0]!, z[1]!, z[2]!);
    const e = [Math.exp(z[0]! - max), Math.exp(z[1]! - max), Math.exp(z[2]! - max)];
    const sum = e[0]! + e[1]! + e[2]!;
    const c = e[0]! >= e[1]! && e[0]! >= e[2]! ? 0 : e[2]! > e[1]! ? 2 : 1;
    const p = e[c]! / sum;
    if (p < self.threshold) return;
    const key = `${row.lang}\u0000${c}`;
    let list = picked.get(key);
    if (list === undefined) picked.set(key, (list = []));
    list.push({ i, p, label: LABELS[c]! });
  });
  const out: MultilingualTrainingRow[] = [];
  for (const key of [...picked.keys()].sort()) {
    const list = picked.get(key)!.sort((a, b) => b.p - a.p || a.i - b.i).slice(0, self.perClass);
    for (const { i, label } of list.sort((a, b) => a.i - b.i)) out.push({ ...self.rows[i]!, label, weight: self.weight });
  }
  return out;
}

/** A fit on `indices` of `rows`, then, with self-training, a second fit with the confident pseudo-labels added. */
function fitRows(extractor: MultilingualFeatureExtractor, rows: readonly MultilingualTrainingRow[], indices: readonly number[], options: MultilingualTrainOptions, self?: SelfTrainingOptions): Float64Array {
  const w = fit(extractor, rows, indices, options);
  if (self === undefined) return w;
  const pseudo = pseudoLabel(extractor, w, self);
  const all = [...indices.map((i) => rows[i]!), ...pseudo];
  return fit(extractor, all, all.map((_, i) => i), options);
}

export interface CrossValidation {
  fold: Int32Array;
  /** Out-of-fold logits, rows × 3 (pos, neu, neg), uncalibrated. */
  logits: Float64Array;
}

/** Out-of-fold logits: each row predicted by the model fitted on the other folds. */
export function crossValidate(
  rows: readonly MultilingualTrainingRow[],
  emotes: EmoteDictionary,
  priors: ReadonlyMap<TrainingLanguage, LanguageWordPriors>,
  options: MultilingualTrainOptions = DEFAULT_MULTILINGUAL_TRAIN_OPTIONS,
  transfer: readonly MultilingualTrainingRow[] = [],
  self?: SelfTrainingOptions,
): CrossValidation {
  const extractor = new MultilingualFeatureExtractor(emotes, priors, options.features);
  const fold = stratifiedGroupFolds(rows, options.folds, options.foldSeed ?? 0);
  const logits = new Float64Array(rows.length * 3);
  const all = [...rows, ...transfer];
  for (let k = 0; k < options.folds; k++) {
    const train: number[] = [];
    const held: number[] = [];
    fold.forEach((f, i) => (f === k ? held : train).push(i));
    for (let i = rows.length; i < all.length; i++) train.push(i);
    const w = fitRows(extractor, all, train, options, self);
    for (const i of held) logitsOf(extractor, w, rows[i]!, logits, i * 3);
  }
  return { fold, logits };
}

/** Temperature fitted on out-of-fold logits (least negative log-likelihood of the one vote each row has). */
export function fitMultilingualTemperature(rows: readonly MultilingualTrainingRow[], logits: Float64Array): number {
  return fitTemperature(logits, Int32Array.from(rows, (r) => LABELS.indexOf(r.label)));
}

export interface TrainedMultilingualModel {
  weights: Float64Array;
  temperature: number;
  cv: CrossValidation;
}

/** Cross-validation (for the report and the temperature), then the final fit on every row. */
export function trainMultilingual(
  rows: readonly MultilingualTrainingRow[],
  emotes: EmoteDictionary,
  priors: ReadonlyMap<TrainingLanguage, LanguageWordPriors>,
  options: MultilingualTrainOptions = DEFAULT_MULTILINGUAL_TRAIN_OPTIONS,
  transfer: readonly MultilingualTrainingRow[] = [],
  self?: SelfTrainingOptions,
): TrainedMultilingualModel {
  const cv = crossValidate(rows, emotes, priors, options, transfer, self);
  const temperature = fitMultilingualTemperature(rows, cv.logits);
  const extractor = new MultilingualFeatureExtractor(emotes, priors, options.features);
  const all = [...rows, ...transfer];
  const weights = fitRows(extractor, all, all.map((_, i) => i), options, self);
  return { weights, temperature, cv };
}

/** Grids of the neutral and negative logit offsets searched per language (after the temperature). */
export const NEUTRAL_OFFSETS = [-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4];
export const NEGATIVE_OFFSETS = [0, 0.2, 0.4, 0.6, 0.8, 1];

function labelAt(logits: ArrayLike<number>, at: number, t: number, neutral: number, negative: number): SentimentLabel {
  const p = logits[at]! / t;
  const u = logits[at + 1]! / t + neutral;
  const n = logits[at + 2]! / t + negative;
  return p >= u && p >= n ? "pos" : n > u ? "neg" : "neu";
}

/** Macro-F1 of the given rows under offsets (three classes, as score.mjs computes it). */
export function macroF1Of(rows: readonly MultilingualTrainingRow[], indices: readonly number[], logits: ArrayLike<number>, t: number, neutral: number, negative: number): number {
  const tp = [0, 0, 0];
  const fp = [0, 0, 0];
  const fn = [0, 0, 0];
  for (const i of indices) {
    const gold = LABELS.indexOf(rows[i]!.label);
    const pred = LABELS.indexOf(labelAt(logits, i * 3, t, neutral, negative));
    if (gold === pred) tp[gold]!++;
    else {
      fp[pred]!++;
      fn[gold]!++;
    }
  }
  let sum = 0;
  for (let c = 0; c < 3; c++) {
    const prec = tp[c]! + fp[c]! > 0 ? tp[c]! / (tp[c]! + fp[c]!) : 0;
    const rec = tp[c]! + fn[c]! > 0 ? tp[c]! / (tp[c]! + fn[c]!) : 0;
    sum += prec + rec > 0 ? (2 * prec * rec) / (prec + rec) : 0;
  }
  return sum / 3;
}

/** The (neutral, negative) offsets of the grids with the best macro-F1 on the given rows; ties go to the smaller change. */
export function bestOffsets(rows: readonly MultilingualTrainingRow[], indices: readonly number[], logits: ArrayLike<number>, t: number): [number, number] {
  let best: [number, number] = [0, 0];
  let bestF1 = -1;
  let bestSize = Infinity;
  for (const neutral of NEUTRAL_OFFSETS) {
    for (const negative of NEGATIVE_OFFSETS) {
      const f1 = macroF1Of(rows, indices, logits, t, neutral, negative);
      const size = Math.abs(neutral) + Math.abs(negative);
      if (f1 > bestF1 + 1e-12 || (Math.abs(f1 - bestF1) <= 1e-12 && size < bestSize)) {
        best = [neutral, negative];
        bestF1 = f1;
        bestSize = size;
      }
    }
  }
  return best;
}

/**
 * Offsets chosen without looking at the rows they are applied to: for each fold, the offsets that are best on the
 * other folds' out-of-fold logits label that fold. What the offset search is worth on rows it never saw.
 */
export function crossValidatedOffsetLabels(rows: readonly MultilingualTrainingRow[], cv: CrossValidation, t: number, folds: number): SentimentLabel[] {
  const labels: SentimentLabel[] = new Array<SentimentLabel>(rows.length).fill("neu");
  for (const lang of MULTILINGUAL_LANGUAGES) {
    for (let k = 0; k < folds; k++) {
      const others: number[] = [];
      const held: number[] = [];
      rows.forEach((r, i) => {
        if (r.lang === lang) (cv.fold[i] === k ? held : others).push(i);
      });
      const [neutral, negative] = bestOffsets(rows, others, cv.logits, t);
      for (const i of held) labels[i] = labelAt(cv.logits, i * 3, t, neutral, negative);
    }
  }
  return labels;
}
