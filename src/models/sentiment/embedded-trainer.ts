import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize, type TokenizedText } from "../../processing/tokenizer.js";
import { ChatFeatureExtractor, DENSE_COUNT, DEFAULT_FEATURE_CONFIG, isNegator, type FeatureConfig, type WordPriors } from "./chat-features.js";
import { encodeModel, type EmbeddedModelFile } from "./embedded-weights.js";
import { classificationReport, fitTemperature, LABELS } from "./metrics.js";
import { labelOf, type SentimentLabel } from "./sentiment-model.js";
import { majorityOfThree } from "./majority-vote.js";
import { rowLogits, softmaxInPlace, SparseDatasetBuilder, trainSoftmaxRegression, type SparseDataset } from "./softmax-regression.js";
import { DEFAULT_WORD_VECTOR_OPTIONS, learnWordVectors, type WordVectorOptions, type WordVectors } from "./word-vectors.js";
import { buildWordPriors, DEFAULT_CHAT_POLARITY_OPTIONS, generalLexicon, learnChatPolarity, type ChatPolarityOptions } from "./word-priors.js";

/**
 * Training recipe of the embedded model (scripts/train-sentiment.ts runs it on the shared data):
 *
 * 1. word priors: general lexicons + polarity learnt from emote co-occurrence in unlabelled chat;
 * 2. k-fold cross-fitting on the labelled training set: every training message gets a prediction from a model that
 *    never saw it; on those out-of-fold predictions, for each candidate neutral-class offset the temperature is
 *    fitted (least negative log-likelihood of the single training vote), and the offset whose outputs (after the
 *    majority-of-three transform, majority-vote.ts) give the best macro-F1 is kept. Calibration thus never touches
 *    the data its model was fitted on, and never the dev set;
 * 3. the final model is fitted on the whole training set, shifted and divided by the temperature, and encoded.
 *
 * Everything is deterministic: fixed fold assignment (row index mod k), full-batch L-BFGS, sorted vocabularies.
 */

export interface LabelledText {
  text: string;
  label: SentimentLabel;
}

export interface TrainerOptions {
  features: FeatureConfig;
  chatPolarity: ChatPolarityOptions;
  /** L2 strength on the mean loss. */
  l2: number;
  /** L2 multiplier of the dense (named) features; below 1 lets general cues (emote polarity, lexicon) carry more. */
  denseL2Scale: number;
  folds: number;
  maxIterations: number;
  /** Candidate offsets added to the neutral logit, chosen by out-of-fold macro-F1. */
  neutralOffsets: readonly number[];
  /**
   * Candidate offsets added to the negative logit, chosen together with the neutral one. The negative class is the
   * smallest and the one most often lost to neutral, so its decision boundary gets its own out-of-fold choice.
   */
  negativeOffsets: readonly number[];
  /** Word vectors from the unlabelled chat as a feature block (word-vectors.ts); undefined leaves them out. */
  wordVectors?: WordVectorOptions;
  /** Weight of a training row by its label (pos, neu, neg); absent means 1 each. */
  classWeights?: readonly [number, number, number];
  /** Label smoothing ε: the target is (1 − ε)·gold + ε/3 (a single vote is not certain). Absent means 0. */
  labelSmoothing?: number;
  /**
   * Further ensemble members: each is the same model trained on a sub-family of the features (e.g. words only, no
   * character n-grams), and the members' logits are averaged. All members share the hashed table and the priors, and a
   * member simply has zero weight on the features it does not extract, so the average of their logits is the logit of
   * one linear model with averaged weights: the shipped file and the hot path stay as they are.
   */
  members?: readonly Partial<FeatureConfig>[];
  /**
   * Weight of negated copies of positive training messages ("this is good" → "this is not good", labelled negative);
   * absent or 0 adds none. The training set holds almost no negated praise, so without them "not good" has nothing to
   * learn from but the fixed VADER flip of the lexicon feature.
   */
  negationAugmentation?: number;
  /**
   * Self-training on the unlabelled chat: a model fitted on the labelled rows labels the unlabelled messages, and the
   * ones it is surest of (up to `perClass` per predicted class, probability ≥ `minProbability`) join the fit with
   * weight `weight`. In cross-fitting each fold's teacher is that fold's own model, so no held-out label leaks in.
   */
  selfTraining?: SelfTrainingOptions;
}

export interface SelfTrainingOptions {
  perClass: number;
  minProbability: number;
  weight: number;
}

export const DEFAULT_TRAINER_OPTIONS: TrainerOptions = {
  features: DEFAULT_FEATURE_CONFIG,
  chatPolarity: DEFAULT_CHAT_POLARITY_OPTIONS,
  l2: 3e-4,
  denseL2Scale: 0.1,
  folds: 5,
  maxIterations: 300,
  neutralOffsets: [-1.2, -1, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.1, 0, 0.2],
  negativeOffsets: [0],
  wordVectors: DEFAULT_WORD_VECTOR_OPTIONS,
};

export interface TrainingReport {
  trainRows: number;
  unlabelledRows: number;
  chatPolarityWords: number;
  lexiconWords: number;
  /** Negated copies of positive messages added to training (negationAugmentation). */
  augmentedRows: number;
  /** Unlabelled messages the final fit took as pseudo-labelled rows (self-training), per label. */
  pseudoLabelled: Record<SentimentLabel, number>;
  neutralOffset: number;
  negativeOffset: number;
  temperature: number;
  /** Out-of-fold macro-F1 on the training set (after the offset). */
  outOfFoldMacroF1: number;
  iterations: number;
  seconds: number;
}

export interface TrainerInput {
  train: readonly LabelledText[];
  /** Unlabelled English chat for the distant-supervision word priors. */
  unlabelled: Iterable<string>;
  emotes: EmoteDictionary;
  options?: Partial<TrainerOptions>;
  log?: (line: string) => void;
}

interface RowTargets {
  classWeights?: readonly [number, number, number];
  /** Per-row weight (augmented rows); absent means 1. */
  rowWeights?: readonly number[];
  labelSmoothing?: number;
}

// "is good" → "is not good"; "so good" → "not so good". Only these shapes negate cleanly in English.
const COPULA_THEN_WORD = /\b(is|was|are|were|looks|look|feels|feel|sounds|seems)\s+([A-Za-z]+)/i;
const INTENSIFIER_THEN_WORD = /\b(so|very|really|too|that)\s+([A-Za-z]+)/i;

/**
 * The negated form of a positive message whose praise word follows a copula or an intensifier, or undefined: the
 * word must be clearly positive in the general lexicon (≥ 0.5) and the message must carry no negation, emote or emoji
 * already (an emote keeps its own meaning whatever the words say).
 */
export function negatedPraise(text: string, tokens: TokenizedText, lexicon: ReadonlyMap<string, number>): string | undefined {
  for (const tok of tokens.tokens) {
    if (tok.kind === "emote" || tok.kind === "emoji") return undefined;
    if (tok.kind === "word" && isNegator(tok.norm)) return undefined;
  }
  const copula = COPULA_THEN_WORD.exec(text);
  if (copula && (lexicon.get(copula[2]!.toLowerCase()) ?? 0) >= 0.5) return `${text.slice(0, copula.index)}${copula[1]} not ${copula[2]}${text.slice(copula.index + copula[0].length)}`;
  const intensifier = INTENSIFIER_THEN_WORD.exec(text);
  if (intensifier && (lexicon.get(intensifier[2]!.toLowerCase()) ?? 0) >= 0.5) return `${text.slice(0, intensifier.index)}not ${intensifier[0]}${text.slice(intensifier.index + intensifier[0].length)}`;
  return undefined;
}

function featurize(extractor: ChatFeatureExtractor, rows: readonly number[], toks: readonly TokenizedText[], texts: readonly string[], labels: readonly SentimentLabel[], targets: RowTargets = {}): SparseDataset {
  const builder = new SparseDatasetBuilder(LABELS.length);
  const target = new Float32Array(LABELS.length);
  const offset = new Float32Array(LABELS.length);
  const eps = targets.labelSmoothing ?? 0;
  for (const r of rows) {
    const n = extractor.extract(toks[r]!, texts[r]!);
    const gold = LABELS.indexOf(labels[r]!);
    target.fill(eps / LABELS.length);
    target[gold]! += 1 - eps;
    offset[1] = extractor.neutralOffset;
    builder.add(extractor.ids, extractor.values, n, target, (targets.classWeights?.[gold] ?? 1) * (targets.rowWeights?.[r] ?? 1), offset);
  }
  return builder.build();
}

function logitsOf(data: SparseDataset, weights: Float64Array): Float64Array {
  const out = new Float64Array(data.rows * LABELS.length);
  const z = new Float64Array(LABELS.length);
  for (let r = 0; r < data.rows; r++) {
    rowLogits(data, weights, r, z);
    out.set(z, r * LABELS.length);
  }
  return out;
}

function predictedLabels(logits: Float64Array, temperature: number): SentimentLabel[] {
  const out: SentimentLabel[] = [];
  const z = new Float64Array(3);
  for (let r = 0; r < logits.length / 3; r++) {
    for (let c = 0; c < 3; c++) z[c] = logits[r * 3 + c]! / temperature;
    softmaxInPlace(z);
    out.push(labelOf(majorityOfThree(z[0]!, z[1]!, z[2]!)));
  }
  return out;
}

/**
 * The unlabelled messages a teacher is surest of, per predicted class: indices into `candidates` with their label,
 * at most `perClass` per class, most confident first (ties by index, so the choice is deterministic).
 */
function pseudoLabelled(extractor: ChatFeatureExtractor, candidates: readonly TokenizedText[], candidateTexts: readonly string[], weights: Float64Array, options: SelfTrainingOptions): { index: number; label: SentimentLabel }[] {
  const z = new Float64Array(LABELS.length);
  const byClass: { index: number; p: number }[][] = LABELS.map(() => []);
  for (let i = 0; i < candidates.length; i++) {
    const n = extractor.extract(candidates[i]!, candidateTexts[i]!);
    z.fill(0);
    z[1] = extractor.neutralOffset;
    for (let j = 0; j < n; j++) {
      const base = extractor.ids[j]! * LABELS.length;
      const v = extractor.values[j]!;
      for (let c = 0; c < LABELS.length; c++) z[c]! += v * weights[base + c]!;
    }
    softmaxInPlace(z);
    let best = 0;
    for (let c = 1; c < LABELS.length; c++) if (z[c]! > z[best]!) best = c;
    if (z[best]! >= options.minProbability) byClass[best]!.push({ index: i, p: z[best]! });
  }
  const out: { index: number; label: SentimentLabel }[] = [];
  byClass.forEach((rows, c) => {
    rows.sort((a, b) => b.p - a.p || a.index - b.index);
    for (const r of rows.slice(0, options.perClass)) out.push({ index: r.index, label: LABELS[c]! });
  });
  return out;
}

export function trainEmbeddedModel(input: TrainerInput): { model: EmbeddedModelFile; report: TrainingReport } {
  const started = Date.now();
  const options: TrainerOptions = { ...DEFAULT_TRAINER_OPTIONS, ...input.options };
  const log = input.log ?? (() => undefined);
  const { emotes } = input;

  const tokenizedChat: TokenizedText[] = [];
  const chatTexts: string[] = [];
  for (const text of input.unlabelled) {
    chatTexts.push(text);
    tokenizedChat.push(tokenize(text, emotes));
  }
  const unlabelledRows = tokenizedChat.length;
  const lexicon = generalLexicon();
  const chat = learnChatPolarity(tokenizedChat, emotes, options.chatPolarity);
  let vectors: WordVectors | undefined;
  if (options.wordVectors) {
    vectors = learnWordVectors(tokenizedChat, options.wordVectors);
    log(`word vectors: ${vectors.index.size} tokens × ${vectors.dim} dimensions`);
  }
  const priors: WordPriors = { ...buildWordPriors(lexicon, chat), vectors };
  log(`word priors: ${lexicon.size} lexicon words, ${chat.size} chat-learnt words from ${unlabelledRows} unlabelled messages`);

  const extractor = new ChatFeatureExtractor(emotes, priors, options.features);
  const memberExtractors = [extractor, ...(options.members ?? []).map((m) => new ChatFeatureExtractor(emotes, priors, memberConfig(options.features, m)))];
  const texts = input.train.map((r) => r.text);
  const labels = input.train.map((r) => r.label);
  const toks = texts.map((t) => tokenize(t, emotes));
  const trainRows = texts.length;
  // Augmented rows go after the real ones; `source` ties each to the row it came from, so it is fitted only in the
  // folds that fit its source and never scored out of fold.
  const source = texts.map((_, i) => i);
  const rowWeights: number[] = texts.map(() => 1);
  if ((options.negationAugmentation ?? 0) > 0) {
    for (let r = 0; r < trainRows; r++) {
      if (labels[r] !== "pos") continue;
      const negated = negatedPraise(texts[r]!, toks[r]!, lexicon);
      if (negated === undefined) continue;
      texts.push(negated);
      labels.push("neg");
      toks.push(tokenize(negated, emotes));
      source.push(r);
      rowWeights.push(options.negationAugmentation!);
    }
    log(`negation augmentation: ${texts.length - trainRows} negated positive messages`);
  }
  const rowTargets: RowTargets = { classWeights: options.classWeights, labelSmoothing: options.labelSmoothing, rowWeights };
  const trainOptions = {
    dimension: extractor.dimension,
    l2: options.l2,
    l2Scale: (f: number) => (f === 0 ? 0 : f < DENSE_COUNT ? options.denseL2Scale : 1),
    maxIterations: options.maxIterations,
  };
  // Every member's weights on `rows`, averaged (one member: its weights as they are).
  const fitEnsemble = (rows: readonly number[]): { weights: Float64Array; iterations: number; loss: number } => {
    const results = memberExtractors.map((ex) => trainSoftmaxRegression(featurize(ex, rows, toks, texts, labels, rowTargets), trainOptions));
    if (results.length === 1) return results[0]!;
    const weights = new Float64Array(results[0]!.weights.length);
    for (const r of results) for (let i = 0; i < weights.length; i++) weights[i]! += r.weights[i]! / results.length;
    return { weights, iterations: Math.max(...results.map((r) => r.iterations)), loss: results.reduce((a, r) => a + r.loss, 0) / results.length };
  };

  // Self-training candidates: distinct unlabelled messages that are not training messages.
  const candidateTexts: string[] = [];
  const candidateToks: TokenizedText[] = [];
  if (options.selfTraining) {
    const seen = new Set(texts);
    chatTexts.forEach((text, i) => {
      if (seen.has(text)) return;
      seen.add(text);
      candidateTexts.push(text);
      candidateToks.push(tokenizedChat[i]!);
    });
    log(`self-training: ${candidateTexts.length} distinct unlabelled candidates`);
  }
  // The teacher's fit on `rows`, then (self-training) the student's fit on those rows plus the teacher's surest
  // pseudo-labelled messages, appended to the row arrays for that fit only.
  const pseudoCounts: Record<SentimentLabel, number> = { pos: 0, neu: 0, neg: 0 };
  const fitWithSelfTraining = (rows: readonly number[]): { weights: Float64Array; iterations: number; loss: number } => {
    const teacher = fitEnsemble(rows);
    if (!options.selfTraining) return teacher;
    const picked = pseudoLabelled(extractor, candidateToks, candidateTexts, teacher.weights, options.selfTraining);
    const base = texts.length;
    for (const label of LABELS) pseudoCounts[label] = 0;
    for (const p of picked) {
      pseudoCounts[p.label]++;
      texts.push(candidateTexts[p.index]!);
      toks.push(candidateToks[p.index]!);
      labels.push(p.label);
      rowWeights.push(options.selfTraining.weight);
    }
    const student = fitEnsemble([...rows, ...picked.map((_, j) => base + j)]);
    texts.length = base;
    toks.length = base;
    labels.length = base;
    rowWeights.length = base;
    return student;
  };

  // Cross-fitting: out-of-fold logits for every training row.
  const all = texts.map((_, i) => i);
  const real = all.slice(0, trainRows);
  const oof = new Float64Array(trainRows * LABELS.length);
  for (let k = 0; k < options.folds; k++) {
    const fit = all.filter((i) => source[i]! % options.folds !== k);
    const held = real.filter((i) => i % options.folds === k);
    const result = fitWithSelfTraining(fit);
    // Held-out rows are scored through the full extractor: members have zero weight on what they do not extract.
    const heldLogits = logitsOf(featurize(extractor, held, toks, texts, labels), result.weights);
    held.forEach((row, j) => oof.set(heldLogits.subarray(j * 3, j * 3 + 3), row * 3));
    log(`fold ${k + 1}/${options.folds}: ${result.iterations} iterations`);
  }
  // Offset and temperature are chosen together on the out-of-fold logits, through the same output transform the
  // model applies at run time (softmax → majority of three votes), for the best out-of-fold macro-F1.
  const realLabels = labels.slice(0, trainRows);
  const goldIndex = realLabels.map((l) => LABELS.indexOf(l));
  let neutralOffset = 0;
  let negativeOffset = 0;
  let temperature = 1;
  let bestF1 = -1;
  for (const offset of options.neutralOffsets) {
    for (const negOffset of options.negativeOffsets) {
      const shifted = Float64Array.from(oof, (v, i) => (i % 3 === 1 ? v + offset : i % 3 === 2 ? v + negOffset : v));
      const t = fitTemperature(shifted, goldIndex);
      const f1 = classificationReport(realLabels, predictedLabels(shifted, t)).macroF1;
      if (f1 > bestF1 + 1e-9) {
        bestF1 = f1;
        neutralOffset = offset;
        negativeOffset = negOffset;
        temperature = t;
      }
    }
  }
  log(`out-of-fold: neutral offset ${neutralOffset}, negative offset ${negativeOffset}, temperature ${temperature.toFixed(4)}, macro-F1 ${bestF1.toFixed(4)}`);

  const final = fitWithSelfTraining(all);
  log(`final fit: ${final.iterations} iterations, loss ${final.loss.toFixed(5)}`);
  const weights = final.weights;
  weights[1]! += neutralOffset; // feature 0 is the bias; column 1 is "neu", column 2 "neg"
  weights[2]! += negativeOffset;
  for (let i = 0; i < weights.length; i++) weights[i]! /= temperature;
  // The model is linear in the mean vector of a message, so each token's vector can be replaced by its three logit
  // contributions (vector · weight block): the file stores 3 numbers per token instead of `dim`, and the hot path
  // adds 3 instead of `dim` per token, with the same result.
  const projected = vectors ? projectVectors(vectors, weights, extractor.vectorBase) : undefined;

  const report: TrainingReport = {
    trainRows,
    augmentedRows: texts.length - trainRows,
    pseudoLabelled: pseudoCounts,
    unlabelledRows,
    chatPolarityWords: chat.size,
    lexiconWords: lexicon.size,
    neutralOffset,
    negativeOffset,
    temperature,
    outOfFoldMacroF1: bestF1,
    iterations: final.iterations,
    seconds: (Date.now() - started) / 1000,
  };
  const linear = weights.subarray(0, extractor.vectorBase * LABELS.length);
  return { model: encodeModel({ features: options.features, temperature, priors, weights: linear, vectors: projected, training: trainingRecord(report, options) }), report };
}

/** A member's feature config: the main one with some families switched off; hash size and language rules stay shared. */
function memberConfig(main: FeatureConfig, member: Partial<FeatureConfig>): FeatureConfig {
  return { ...main, ...member, hashBits: main.hashBits };
}

/** Each token's vector times the vector block of the weights: its (pos, neu, neg) logit contribution. */
function projectVectors(vectors: WordVectors, weights: Float64Array, base: number): WordVectors {
  const k = LABELS.length;
  const data = new Float32Array(vectors.index.size * k);
  for (let r = 0; r < vectors.index.size; r++) {
    for (let c = 0; c < k; c++) {
      let z = 0;
      for (let j = 0; j < vectors.dim; j++) z += vectors.data[r * vectors.dim + j]! * weights[(base + j) * k + c]!;
      data[r * k + c] = z;
    }
  }
  return { dim: k, index: vectors.index, data };
}

/** What the model file records about its training (no timings, so retraining reproduces the file exactly). */
function trainingRecord(report: TrainingReport, options: TrainerOptions): Record<string, unknown> {
  const { seconds: _seconds, augmentedRows, pseudoLabelled, ...rest } = report;
  return { ...rest, ...(options.selfTraining ? { selfTraining: options.selfTraining, pseudoLabelled } : {}), l2: options.l2, denseL2Scale: options.denseL2Scale, folds: options.folds, maxIterations: options.maxIterations, chatPolarity: options.chatPolarity, wordVectors: options.wordVectors ?? null, classWeights: options.classWeights ?? null, labelSmoothing: options.labelSmoothing ?? 0, members: options.members ?? [], ...(options.negationAugmentation ? { negationAugmentation: options.negationAugmentation, augmentedRows } : {}) };
}
