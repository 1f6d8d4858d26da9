import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize, type TokenizedText } from "../../processing/tokenizer.js";
import { ChatFeatureExtractor, DENSE_COUNT, DENSE_FEATURES, DEFAULT_FEATURE_CONFIG, isNegator, type FeatureConfig, type WordPriors } from "./chat-features.js";
import { learnDistantWeights, type DistantOptions } from "./distant-supervision.js";
import { encodeModel, type EmbeddedModelFile } from "./embedded-weights.js";
import type { StreamMessage } from "./embedded-training-data.js";
import { NON_ENGLISH_STREAMS } from "./shared-data.js";
import { classificationReport, fitTemperature, LABELS } from "./metrics.js";
import { labelOf, type SentimentLabel } from "./sentiment-model.js";
import { majorityOfThree } from "./majority-vote.js";
import { rowLogits, softmaxInPlace, SparseDatasetBuilder, trainSoftmaxRegression, type SparseDataset } from "./softmax-regression.js";
import { DEFAULT_WORD_VECTOR_OPTIONS, learnWordVectors, type WordVectorOptions, type WordVectors } from "./word-vectors.js";
import { buildWordPriors, DEFAULT_CHAT_POLARITY_OPTIONS, generalLexicon, learnChatPolarity, type ChatPolarityOptions } from "./word-priors.js";

/**
 * Training recipe of the embedded model (scripts/train-sentiment.ts runs it on the shared data):
 *
 * 1. word priors: general lexicons + polarity learnt from emote co-occurrence in unlabelled chat, word vectors;
 * 2. k-fold cross-fitting on the labelled training set: every training message gets a prediction from a model that
 *    never saw it; on those out-of-fold predictions, for each candidate neutral-class offset the temperature is
 *    fitted (least negative log-likelihood of the single training vote), and the offset whose outputs (after the
 *    majority-of-three transform, majority-vote.ts) give the best macro-F1 is kept. Calibration thus never touches
 *    the data its model was fitted on, and never the dev set;
 * 3. the final model is fitted on the whole training set, shifted and divided by the temperature, and encoded.
 *
 * `EmbeddedTrainer` holds the pieces (priors, one feature dataset of every labelled row extracted once, fits on any
 * subset of rows) so that leave-one-stream-out (loso.ts) and the learning curve reuse them instead of re-extracting.
 * Everything is deterministic: fixed fold assignment, full-batch L-BFGS, sorted vocabularies.
 */

export interface LabelledText {
  text: string;
  label: SentimentLabel;
  /** Recording the message comes from; needed by stream weighting and stream-grouped cross-fitting. */
  stream?: string;
}

export interface TrainerOptions {
  features: FeatureConfig;
  chatPolarity: ChatPolarityOptions;
  /** L2 strength on the mean loss. */
  l2: number;
  /** L2 multiplier of the dense (named) features; below 1 lets general cues (emote polarity, lexicon) carry more. */
  denseL2Scale: number;
  folds: number;
  /**
   * How cross-fitting splits the training rows: by row index mod `folds` (default), or one fold per stream, so the
   * offset and temperature are chosen on predictions for streams the model had not seen.
   */
  crossFit?: "rows" | "streams";
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
  /**
   * Weight of a row ∝ (labelled rows of its stream)^−streamBalance, scaled so the mean weight stays 1: 0 (absent)
   * weighs every row alike, 1 every stream alike (the two League of Legends days hold a third of the labels).
   */
  streamBalance?: number;
  /**
   * L2 multiplier of the hashed features that occur in only one stream of the fitted rows ("nepuKuru", a caster's
   * name): such a feature can only memorise its stream, which does not carry over to a stream the model has not seen.
   * Absent means 1.
   */
  singleStreamL2?: number;
  /** Naive-Bayes-informed L2 strength β (0 … 1; absent means 0): see EmbeddedTrainer.nbScale. */
  nbL2?: number;
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
  /**
   * What the German and Indonesian recordings' chat (NON_ENGLISH_STREAMS), if given, is used for: nothing ("none",
   * the default), self-training candidates only ("pool"), or also word priors and vectors ("all").
   */
  nonEnglishChat?: "none" | "pool" | "all";
  /**
   * Distant supervision: a pos-vs-neg model learnt from the unlabelled chat's emotes (distant-supervision.ts) whose
   * score is a feature; absent leaves it out.
   */
  distant?: DistantOptions;
  /** The live-chat slang of word-priors.ts CHAT_SLANG over the general lexicons; absent means false. */
  chatSlang?: boolean;
}

export interface SelfTrainingOptions {
  perClass: number;
  minProbability: number;
  weight: number;
  /**
   * Take the same number of pseudo-labels per class from every unlabelled stream (perClass / streams each) instead
   * of the surest overall, so the two large League of Legends recordings do not supply most of them.
   */
  byStream?: boolean;
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
  // Chosen by leave-one-stream-out (docs/sentiment-experiments.md): per-vote ECE 0.056 → 0.047 on streams not seen.
  labelSmoothing: 0.1,
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
  /** Unlabelled chat for the word priors, vectors and self-training (a stream tag lets self-training balance by it). */
  unlabelled: Iterable<string | StreamMessage>;
  emotes: EmoteDictionary;
  options?: Partial<TrainerOptions>;
  log?: (line: string) => void;
}

/** Unlabelled chat, tokenized once (the harnesses build several trainers from one copy). */
export interface TokenizedChat {
  texts: string[];
  tokens: TokenizedText[];
  /** Stream of each message ("" when unknown). */
  streams: string[];
}

export function tokenizeChat(messages: Iterable<string | StreamMessage>, emotes: EmoteDictionary): TokenizedChat {
  const chat: TokenizedChat = { texts: [], tokens: [], streams: [] };
  for (const m of messages) {
    const text = typeof m === "string" ? m : m.text;
    chat.texts.push(text);
    chat.tokens.push(tokenize(text, emotes));
    chat.streams.push(typeof m === "string" ? "" : m.stream);
  }
  return chat;
}

/** Labelled rows, tokenized once. */
export interface TokenizedCorpus {
  texts: string[];
  tokens: TokenizedText[];
  labels: SentimentLabel[];
  streams: string[];
}

export function tokenizeCorpus(rows: readonly LabelledText[], emotes: EmoteDictionary): TokenizedCorpus {
  return { texts: rows.map((r) => r.text), tokens: rows.map((r) => tokenize(r.text, emotes)), labels: rows.map((r) => r.label), streams: rows.map((r) => r.stream ?? "") };
}

export interface LearntPriors {
  priors: WordPriors;
  lexiconWords: number;
  chatPolarityWords: number;
}

/** Word priors (lexicon, chat polarity) and, when asked, word vectors and the distant model from the unlabelled chat. */
export function learnPriors(chat: readonly TokenizedText[], emotes: EmoteDictionary, options: Pick<TrainerOptions, "chatPolarity" | "wordVectors" | "distant" | "features" | "chatSlang">): LearntPriors {
  const lexicon = generalLexicon(options.chatSlang === true);
  const polarity = learnChatPolarity(chat, emotes, options.chatPolarity);
  const vectors: WordVectors | undefined = options.wordVectors ? learnWordVectors(chat, options.wordVectors) : undefined;
  const words = buildWordPriors(lexicon, polarity);
  const distant = options.distant ? learnDistantWeights(chat, emotes, words, options.features, options.distant).weights : undefined;
  return { priors: { ...words, vectors, distant }, lexiconWords: lexicon.size, chatPolarityWords: polarity.size };
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

/** Features of messages into a dataset (gold targets with optional smoothing, the extractor's language offset). */
export function featurize(extractor: ChatFeatureExtractor, toks: readonly TokenizedText[], texts: readonly string[], labels: readonly SentimentLabel[], labelSmoothing = 0): SparseDataset {
  const builder = new SparseDatasetBuilder(LABELS.length);
  const target = new Float32Array(LABELS.length);
  const offset = new Float32Array(LABELS.length);
  for (let r = 0; r < toks.length; r++) {
    const n = extractor.extract(toks[r]!, texts[r]!);
    target.fill(labelSmoothing / LABELS.length);
    target[LABELS.indexOf(labels[r]!)]! += 1 - labelSmoothing;
    offset[1] = extractor.neutralOffset;
    builder.add(extractor.ids, extractor.values, n, target, 1, offset);
  }
  return builder.build();
}

/** Logits (rows × 3, offsets included) of the given rows of a dataset; all rows when `rows` is absent. */
export function datasetLogits(data: SparseDataset, weights: Float64Array, rows?: readonly number[]): Float64Array {
  const count = rows?.length ?? data.rows;
  const out = new Float64Array(count * LABELS.length);
  const z = new Float64Array(LABELS.length);
  for (let i = 0; i < count; i++) {
    rowLogits(data, weights, rows?.[i] ?? i, z);
    out.set(z, i * LABELS.length);
  }
  return out;
}

/** Neutral and negative logit offsets and the temperature, chosen on held-out logits (never on the fitted rows). */
export interface Calibration {
  neutralOffset: number;
  negativeOffset: number;
  temperature: number;
  /** Macro-F1 of the held-out rows the calibration was chosen on, after it. */
  macroF1: number;
}

/** Majority-of-three probabilities (rows × 3) of raw logits under a calibration: softmax((z + offsets) / T). */
export function calibratedProbabilities(logits: ArrayLike<number>, calibration: Omit<Calibration, "macroF1">, majority = true): Float64Array {
  const rows = logits.length / 3;
  const out = new Float64Array(rows * 3);
  const z = new Float64Array(3);
  for (let r = 0; r < rows; r++) {
    z[0] = logits[r * 3]! / calibration.temperature;
    z[1] = (logits[r * 3 + 1]! + calibration.neutralOffset) / calibration.temperature;
    z[2] = (logits[r * 3 + 2]! + calibration.negativeOffset) / calibration.temperature;
    softmaxInPlace(z);
    if (majority) {
      const m = majorityOfThree(z[0]!, z[1]!, z[2]!);
      out[r * 3] = m.pos;
      out[r * 3 + 1] = m.neu;
      out[r * 3 + 2] = m.neg;
    } else out.set(z, r * 3);
  }
  return out;
}

/** The label of each row of probabilities (rows × 3), with the tie rule of `labelOf`. */
export function labelsOf(probabilities: ArrayLike<number>): SentimentLabel[] {
  const out: SentimentLabel[] = [];
  for (let r = 0; r < probabilities.length / 3; r++) out.push(labelOf({ pos: probabilities[r * 3]!, neu: probabilities[r * 3 + 1]!, neg: probabilities[r * 3 + 2]! }));
  return out;
}

/**
 * Offsets and temperature chosen together on held-out logits, through the same output transform the model applies
 * at run time (softmax → majority of three votes), for the best macro-F1; the temperature of each candidate is the one
 * of least negative log-likelihood of the single vote.
 */
export function chooseCalibration(logits: ArrayLike<number>, gold: readonly SentimentLabel[], neutralOffsets: readonly number[], negativeOffsets: readonly number[]): Calibration {
  const goldIndex = gold.map((l) => LABELS.indexOf(l));
  let best: Calibration = { neutralOffset: 0, negativeOffset: 0, temperature: 1, macroF1: -1 };
  for (const neutralOffset of neutralOffsets) {
    for (const negativeOffset of negativeOffsets) {
      const shifted = Float64Array.from(logits, (v, i) => (i % 3 === 1 ? v + neutralOffset : i % 3 === 2 ? v + negativeOffset : v));
      const temperature = fitTemperature(shifted, goldIndex);
      const f1 = classificationReport(gold, labelsOf(calibratedProbabilities(logits, { neutralOffset, negativeOffset, temperature }))).macroF1;
      if (f1 > best.macroF1 + 1e-9) best = { neutralOffset, negativeOffset, temperature, macroF1: f1 };
    }
  }
  return best;
}

export interface FitResult {
  weights: Float64Array;
  iterations: number;
  loss: number;
  /** Pseudo-labelled rows the fit took, per label (self-training). */
  pseudoLabelled: Record<SentimentLabel, number>;
}

export interface TrainerSetup {
  corpus: TokenizedCorpus;
  chat: TokenizedChat;
  emotes: EmoteDictionary;
  options?: Partial<TrainerOptions>;
  /** Priors learnt before (the LOSO harness shares them across variants); learnt from `chat` when absent. */
  priors?: LearntPriors;
  /** Chat of these streams is neither learnt from nor pseudo-labelled (the held-out stream of a LOSO fold). */
  excludeStreams?: ReadonlySet<string>;
  log?: (line: string) => void;
}

/** The priors of a setup: those given, or learnt from its chat minus the excluded streams. */
export function priorsOf(setup: Pick<TrainerSetup, "chat" | "emotes" | "options" | "priors" | "excludeStreams">): LearntPriors {
  if (setup.priors) return setup.priors;
  const options = { ...DEFAULT_TRAINER_OPTIONS, ...setup.options };
  const exclude = setup.excludeStreams;
  const nonEnglish = options.nonEnglishChat === "all";
  const keep = (stream: string): boolean => !exclude?.has(stream) && (nonEnglish || !NON_ENGLISH_STREAMS.includes(stream));
  const tokens = setup.chat.tokens.filter((_, i) => keep(setup.chat.streams[i]!));
  return learnPriors(tokens, setup.emotes, options);
}

/**
 * The training recipe in pieces: priors, the feature dataset of every labelled row (extracted once), fits on any
 * subset of rows, cross-fitting, calibration and the encoded model.
 */
export class EmbeddedTrainer {
  readonly options: TrainerOptions;
  readonly learnt: LearntPriors;
  readonly extractor: ChatFeatureExtractor;
  /** Labelled rows first, then augmented copies (negationAugmentation). */
  readonly texts: string[];
  readonly toks: TokenizedText[];
  readonly labels: SentimentLabel[];
  readonly streams: string[];
  /** The labelled row each row stems from (itself for a labelled row). */
  readonly source: number[];
  /** Number of labelled rows. */
  readonly trainRows: number;
  private readonly rowWeights: number[];
  private readonly members: ChatFeatureExtractor[];
  private readonly datasets: SparseDataset[];
  private readonly candidates: TokenizedChat;
  private readonly log: (line: string) => void;

  constructor(setup: TrainerSetup) {
    this.options = { ...DEFAULT_TRAINER_OPTIONS, ...setup.options };
    this.log = setup.log ?? (() => undefined);
    const { emotes } = setup;
    this.learnt = priorsOf(setup);
    const priors = this.learnt.priors;
    if (priors.vectors) this.log(`word vectors: ${priors.vectors.index.size} tokens × ${priors.vectors.dim} dimensions`);
    this.log(`word priors: ${this.learnt.lexiconWords} lexicon words, ${this.learnt.chatPolarityWords} chat-learnt words from ${setup.chat.texts.length} unlabelled messages`);
    this.extractor = new ChatFeatureExtractor(emotes, priors, this.options.features);
    this.members = [this.extractor, ...(this.options.members ?? []).map((m) => new ChatFeatureExtractor(emotes, priors, memberConfig(this.options.features, m)))];

    const c = setup.corpus;
    this.texts = [...c.texts];
    this.toks = [...c.tokens];
    this.labels = [...c.labels];
    this.streams = [...c.streams];
    this.trainRows = c.texts.length;
    this.source = this.texts.map((_, i) => i);
    this.rowWeights = this.texts.map(() => 1);
    if ((this.options.negationAugmentation ?? 0) > 0) {
      const lexicon = generalLexicon();
      for (let r = 0; r < this.trainRows; r++) {
        if (this.labels[r] !== "pos") continue;
        const negated = negatedPraise(this.texts[r]!, this.toks[r]!, lexicon);
        if (negated === undefined) continue;
        this.texts.push(negated);
        this.labels.push("neg");
        this.toks.push(tokenize(negated, emotes));
        this.streams.push(this.streams[r]!);
        this.source.push(r);
        this.rowWeights.push(this.options.negationAugmentation!);
      }
      this.log(`negation augmentation: ${this.texts.length - this.trainRows} negated positive messages`);
    }
    this.datasets = this.members.map((ex) => featurize(ex, this.toks, this.texts, this.labels, this.options.labelSmoothing ?? 0));

    // Self-training candidates: distinct unlabelled messages that are not training messages, outside excluded streams.
    this.candidates = { texts: [], tokens: [], streams: [] };
    if (this.options.selfTraining) {
      const seen = new Set(this.texts);
      const chat = setup.chat;
      for (let i = 0; i < chat.texts.length; i++) {
        const text = chat.texts[i]!;
        const stream = chat.streams[i]!;
        if (seen.has(text) || setup.excludeStreams?.has(stream) || (this.options.nonEnglishChat ?? "none") === "none" && NON_ENGLISH_STREAMS.includes(stream)) continue;
        seen.add(text);
        this.candidates.texts.push(text);
        this.candidates.tokens.push(chat.tokens[i]!);
        this.candidates.streams.push(chat.streams[i]!);
      }
      this.log(`self-training: ${this.candidates.texts.length} distinct unlabelled candidates`);
    }
  }

  /** The rows (labelled and augmented) whose source is one of `labelled`. */
  rowsFrom(labelled: readonly number[]): number[] {
    const keep = new Uint8Array(this.trainRows);
    for (const r of labelled) keep[r] = 1;
    const rows: number[] = [];
    for (let i = 0; i < this.texts.length; i++) if (keep[this.source[i]!] === 1) rows.push(i);
    return rows;
  }

  /** Logits of labelled or augmented rows under `weights` (from the cached dataset). */
  logits(rows: readonly number[], weights: Float64Array): Float64Array {
    return datasetLogits(this.datasets[0]!, weights, rows);
  }

  /** Logits of other messages (e.g. dev) under `weights`. */
  logitsOfMessages(toks: readonly TokenizedText[], texts: readonly string[], weights: Float64Array): Float64Array {
    return datasetLogits(featurize(this.extractor, toks, texts, toks.map(() => "neu")), weights);
  }

  /** Weight of each of `rows` in a fit on them: class weight × augmentation weight × stream balance. */
  private fitWeights(rows: readonly number[]): number[] {
    const balance = this.options.streamBalance ?? 0;
    const perStream = new Map<string, number>();
    if (balance !== 0) for (const r of rows) perStream.set(this.streams[r]!, (perStream.get(this.streams[r]!) ?? 0) + 1);
    const raw = rows.map((r) => {
      const cls = this.options.classWeights?.[LABELS.indexOf(this.labels[r]!)] ?? 1;
      return cls * this.rowWeights[r]! * (balance !== 0 ? perStream.get(this.streams[r]!)! ** -balance : 1);
    });
    if (balance === 0) return raw;
    // Stream balance only redistributes weight: the mean stays what class and augmentation weights made it.
    const plain = rows.reduce((s, r) => s + (this.options.classWeights?.[LABELS.indexOf(this.labels[r]!)] ?? 1) * this.rowWeights[r]!, 0);
    const total = raw.reduce((s, w) => s + w, 0);
    return raw.map((w) => (w * plain) / total);
  }

  /** L2 multiplier per feature id, or undefined for the default (bias 0, dense × denseL2Scale, the rest 1). */
  private l2ScaleFor(data: SparseDataset, rowStreams: readonly string[]): (f: number) => number {
    const dense = this.options.denseL2Scale;
    const plain = (f: number): number => (f === 0 ? 0 : f < DENSE_COUNT ? dense : 1);
    const nb = this.options.nbL2 ?? 0;
    const base = nb > 0 ? this.nbScale(data, nb, plain) : plain;
    const single = this.options.singleStreamL2 ?? 1;
    if (single === 1) return base;
    // First stream each feature was seen in, and whether a second one followed.
    const first = new Int32Array(this.extractor.dimension).fill(-1);
    const multi = new Uint8Array(this.extractor.dimension);
    const ids = new Map<string, number>();
    for (let r = 0; r < data.rows; r++) {
      let s = ids.get(rowStreams[r]!);
      if (s === undefined) ids.set(rowStreams[r]!, (s = ids.size));
      for (let j = data.rowStart[r]!; j < data.rowStart[r + 1]!; j++) {
        const f = data.ids[j]!;
        if (first[f] === -1) first[f] = s;
        else if (first[f] !== s) multi[f] = 1;
      }
    }
    const vectorBase = this.extractor.vectorBase;
    return (f: number) => (f >= DENSE_COUNT && f < vectorBase && multi[f] === 0 ? single : base(f));
  }

  /**
   * Naive-Bayes-informed L2 (after NBSVM, Wang & Manning 2012): a hashed feature whose class log-count ratio r is
   * large is penalised less, one that occurs alike in every class more: scale 1 / ((1 − β) + β·r²/mean r²), clamped
   * to 0.1…10. Counts come from the fitted rows only.
   */
  private nbScale(data: SparseDataset, beta: number, base: (f: number) => number): (f: number) => number {
    const k = LABELS.length;
    const counts = new Map<number, Float64Array>();
    const totals = new Float64Array(k);
    for (let r = 0; r < data.rows; r++) {
      for (let c = 0; c < k; c++) totals[c]! += data.targets[r * k + c]!;
      for (let j = data.rowStart[r]!; j < data.rowStart[r + 1]!; j++) {
        const f = data.ids[j]!;
        if (f < DENSE_COUNT || f >= this.extractor.vectorBase) continue;
        let row = counts.get(f);
        if (!row) counts.set(f, (row = new Float64Array(k)));
        for (let c = 0; c < k; c++) row[c]! += data.targets[r * k + c]!;
      }
    }
    const all = totals.reduce((a, b) => a + b, 0);
    const ratio = new Map<number, number>();
    let sum = 0;
    for (const [f, row] of counts) {
      const n = row.reduce((a, b) => a + b, 0);
      let best = 0;
      for (let c = 0; c < k; c++) {
        const r = Math.log((row[c]! + 1) / (totals[c]! + 1)) - Math.log((n - row[c]! + 1) / (all - totals[c]! + 1));
        best = Math.max(best, Math.abs(r));
      }
      ratio.set(f, best * best);
      sum += best * best;
    }
    const mean = sum / Math.max(1, ratio.size);
    return (f: number) => {
      const q = ratio.get(f);
      if (q === undefined) return base(f);
      return Math.min(10, Math.max(0.1, 1 / (1 - beta + (beta * q) / mean)));
    };
  }

  private fitDataset(member: number, rows: readonly number[], weights: readonly number[], extra?: { data: SparseDataset; weight: number; streams: string[] }): Omit<FitResult, "pseudoLabelled"> {
    const source = this.datasets[member]!;
    const builder = new SparseDatasetBuilder(LABELS.length);
    const rowStreams: string[] = [];
    rows.forEach((r, i) => {
      builder.addRowOf(source, r, weights[i]!);
      rowStreams.push(this.streams[r]!);
    });
    if (extra) {
      for (let r = 0; r < extra.data.rows; r++) {
        builder.addRowOf(extra.data, r, extra.weight);
        rowStreams.push(extra.streams[r]!);
      }
    }
    const data = builder.build();
    return trainSoftmaxRegression(data, { dimension: this.extractor.dimension, l2: this.options.l2, l2Scale: this.l2ScaleFor(data, rowStreams), maxIterations: this.options.maxIterations });
  }

  /** Every member's weights on `rows` (with pseudo-labelled rows, if any), averaged (one member: as they are). */
  private fitEnsemble(rows: readonly number[], pseudo?: { toks: TokenizedText[]; texts: string[]; labels: SentimentLabel[]; streams: string[]; weight: number }): Omit<FitResult, "pseudoLabelled"> {
    const weights = this.fitWeights(rows);
    const results = this.members.map((ex, m) =>
      this.fitDataset(m, rows, weights, pseudo ? { data: featurize(ex, pseudo.toks, pseudo.texts, pseudo.labels), weight: pseudo.weight, streams: pseudo.streams } : undefined),
    );
    if (results.length === 1) return results[0]!;
    const averaged = new Float64Array(results[0]!.weights.length);
    for (const r of results) for (let i = 0; i < averaged.length; i++) averaged[i]! += r.weights[i]! / results.length;
    return { weights: averaged, iterations: Math.max(...results.map((r) => r.iterations)), loss: results.reduce((a, r) => a + r.loss, 0) / results.length };
  }

  /**
   * The fit on `rows` (indices into texts/labels: labelled or augmented); with self-training, the teacher's fit, then
   * the student's on those rows plus the unlabelled messages the teacher is surest of, outside `excludeStreams`.
   */
  fit(rows: readonly number[], excludeStreams?: ReadonlySet<string>): FitResult {
    const teacher = this.fitEnsemble(rows);
    const counts: Record<SentimentLabel, number> = { pos: 0, neu: 0, neg: 0 };
    const st = this.options.selfTraining;
    if (!st) return { ...teacher, pseudoLabelled: counts };
    const picked = pseudoLabelled(this.extractor, this.candidates, teacher.weights, st, excludeStreams);
    for (const p of picked) counts[p.label]++;
    const c = this.candidates;
    const pseudo = { toks: picked.map((p) => c.tokens[p.index]!), texts: picked.map((p) => c.texts[p.index]!), labels: picked.map((p) => p.label), streams: picked.map((p) => c.streams[p.index]!), weight: st.weight };
    return { ...this.fitEnsemble(rows, pseudo), pseudoLabelled: counts };
  }

  /** Fold of each labelled row in cross-fitting. */
  foldOf(): { folds: number; fold: Int32Array } {
    const fold = new Int32Array(this.trainRows);
    if (this.options.crossFit === "streams") {
      const names = [...new Set(this.streams.slice(0, this.trainRows))].sort();
      for (let r = 0; r < this.trainRows; r++) fold[r] = names.indexOf(this.streams[r]!);
      return { folds: names.length, fold };
    }
    for (let r = 0; r < this.trainRows; r++) fold[r] = r % this.options.folds;
    return { folds: this.options.folds, fold };
  }

  /** Out-of-fold logits of every labelled row (rows × 3). */
  crossFit(): Float64Array {
    const { folds, fold } = this.foldOf();
    const oof = new Float64Array(this.trainRows * LABELS.length);
    const all = this.texts.map((_, i) => i);
    for (let k = 0; k < folds; k++) {
      const fit = all.filter((i) => fold[this.source[i]!] !== k);
      const held: number[] = [];
      for (let r = 0; r < this.trainRows; r++) if (fold[r] === k) held.push(r);
      if (held.length === 0) continue;
      // The held-out stream's unlabelled chat is not pseudo-labelled when folds are streams.
      const result = this.fit(fit, this.options.crossFit === "streams" ? new Set([this.streams[held[0]!]!]) : undefined);
      // Held-out rows are scored through the full extractor: members have zero weight on what they do not extract.
      const heldLogits = this.logits(held, result.weights);
      held.forEach((row, j) => oof.set(heldLogits.subarray(j * 3, j * 3 + 3), row * 3));
      this.log(`fold ${k + 1}/${folds}: ${result.iterations} iterations`);
    }
    return oof;
  }

  calibrate(oof: Float64Array): Calibration {
    return chooseCalibration(oof, this.labels.slice(0, this.trainRows), this.options.neutralOffsets, this.options.negativeOffsets);
  }

  /** The model file of weights fitted on the training rows, shifted and divided by the calibration. */
  encode(fit: FitResult, calibration: Calibration, report: TrainingReport): EmbeddedModelFile {
    const weights = Float64Array.from(fit.weights);
    const distant = this.learnt.priors.distant;
    if (distant) {
      // The distant feature is linear in the hashed features: its weights fold into theirs, and the row goes.
      const row = DENSE_FEATURES.indexOf("distant") * LABELS.length;
      for (let slot = 0; slot < distant.length; slot++) {
        const v = distant[slot]!;
        if (v === 0) continue;
        for (let c = 0; c < LABELS.length; c++) weights[(DENSE_COUNT + slot) * LABELS.length + c]! += weights[row + c]! * v;
      }
      for (let c = 0; c < LABELS.length; c++) weights[row + c] = 0;
    }
    weights[1]! += calibration.neutralOffset; // feature 0 is the bias; column 1 is "neu", column 2 "neg"
    weights[2]! += calibration.negativeOffset;
    for (let i = 0; i < weights.length; i++) weights[i]! /= calibration.temperature;
    const priors = this.learnt.priors;
    // The model is linear in the mean vector of a message, so each token's vector can be replaced by its three logit
    // contributions (vector · weight block): the file stores 3 numbers per token instead of `dim`, and the hot path
    // adds 3 instead of `dim` per token, with the same result.
    const projected = priors.vectors ? projectVectors(priors.vectors, weights, this.extractor.vectorBase) : undefined;
    const linear = weights.subarray(0, this.extractor.vectorBase * LABELS.length);
    return encodeModel({ features: this.options.features, temperature: calibration.temperature, priors, weights: linear, vectors: projected, training: trainingRecord(report, this.options) });
  }
}

/**
 * The unlabelled messages a teacher is surest of, per predicted class: indices into `candidates` with their label,
 * at most `perClass` per class (split evenly over the streams with `byStream`), most confident first (ties by index,
 * so the choice is deterministic).
 */
function pseudoLabelled(extractor: ChatFeatureExtractor, candidates: TokenizedChat, weights: Float64Array, options: SelfTrainingOptions, excludeStreams?: ReadonlySet<string>): { index: number; label: SentimentLabel }[] {
  const z = new Float64Array(LABELS.length);
  const groups = new Map<string, { index: number; p: number }[][]>();
  for (let i = 0; i < candidates.texts.length; i++) {
    const stream = candidates.streams[i]!;
    if (excludeStreams?.has(stream)) continue;
    const n = extractor.extract(candidates.tokens[i]!, candidates.texts[i]!);
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
    if (z[best]! < options.minProbability) continue;
    const key = options.byStream ? stream : "";
    let byClass = groups.get(key);
    if (!byClass) groups.set(key, (byClass = LABELS.map(() => [])));
    byClass[best]!.push({ index: i, p: z[best]! });
  }
  const out: { index: number; label: SentimentLabel }[] = [];
  const quota = options.byStream ? Math.ceil(options.perClass / Math.max(1, groups.size)) : options.perClass;
  for (const key of [...groups.keys()].sort()) {
    groups.get(key)!.forEach((rows, c) => {
      rows.sort((a, b) => b.p - a.p || a.index - b.index);
      for (const r of rows.slice(0, quota)) out.push({ index: r.index, label: LABELS[c]! });
    });
  }
  return out;
}

export function trainEmbeddedModel(input: TrainerInput): { model: EmbeddedModelFile; report: TrainingReport } {
  const started = Date.now();
  const log = input.log ?? (() => undefined);
  const chat = tokenizeChat(input.unlabelled, input.emotes);
  const trainer = new EmbeddedTrainer({ corpus: tokenizeCorpus(input.train, input.emotes), chat, emotes: input.emotes, options: input.options, log });
  const calibration = trainer.calibrate(trainer.crossFit());
  log(`out-of-fold: neutral offset ${calibration.neutralOffset}, negative offset ${calibration.negativeOffset}, temperature ${calibration.temperature.toFixed(4)}, macro-F1 ${calibration.macroF1.toFixed(4)}`);
  const final = trainer.fit(trainer.texts.map((_, i) => i));
  log(`final fit: ${final.iterations} iterations, loss ${final.loss.toFixed(5)}`);
  const report: TrainingReport = {
    trainRows: trainer.trainRows,
    augmentedRows: trainer.texts.length - trainer.trainRows,
    pseudoLabelled: final.pseudoLabelled,
    unlabelledRows: chat.texts.length,
    chatPolarityWords: trainer.learnt.chatPolarityWords,
    lexiconWords: trainer.learnt.lexiconWords,
    neutralOffset: calibration.neutralOffset,
    negativeOffset: calibration.negativeOffset,
    temperature: calibration.temperature,
    outOfFoldMacroF1: calibration.macroF1,
    iterations: final.iterations,
    seconds: 0,
  };
  const model = trainer.encode(final, calibration, report);
  report.seconds = (Date.now() - started) / 1000;
  return { model, report };
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
  return {
    ...rest,
    ...(options.selfTraining ? { selfTraining: options.selfTraining, pseudoLabelled } : {}),
    l2: options.l2,
    denseL2Scale: options.denseL2Scale,
    folds: options.folds,
    crossFit: options.crossFit ?? "rows",
    maxIterations: options.maxIterations,
    chatPolarity: options.chatPolarity,
    wordVectors: options.wordVectors ?? null,
    distant: options.distant ?? null,
    nonEnglishChat: options.nonEnglishChat ?? "none",
    classWeights: options.classWeights ?? null,
    streamBalance: options.streamBalance ?? 0,
    singleStreamL2: options.singleStreamL2 ?? 1,
    nbL2: options.nbL2 ?? 0,
    labelSmoothing: options.labelSmoothing ?? 0,
    members: options.members ?? [],
    ...(options.negationAugmentation ? { negationAugmentation: options.negationAugmentation, augmentedRows } : {}),
  };
}
