import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import { calibratedProbabilities, chooseCalibration, DEFAULT_TRAINER_OPTIONS, EmbeddedTrainer, labelsOf, priorsOf, type Calibration, type LearntPriors, type TokenizedChat, type TokenizedCorpus, type TrainerOptions } from "./embedded-trainer.js";
import { classificationReport, expectedCalibrationError } from "./metrics.js";
import type { SentimentLabel } from "./sentiment-model.js";
import { seededRandom } from "../../core/seeded-random.js";

/**
 * Leave-one-stream-out (LOSO) evaluation: train on the labelled rows of 11 streams, predict every labelled row of the
 * 12th, and average macro-F1 over the held-out streams. Dev shares all its streams with the training set, so it says
 * how well the model knows these channels; LOSO is the stand-in for a channel it has never seen (issue 16).
 */

export interface StreamFold {
  stream: string;
  /** Rows fitted: the training rows of every other stream. */
  train: number[];
  /** Rows predicted: every row of the held-out stream. */
  test: number[];
}

/**
 * One fold per distinct stream, in name order. `trainRows` restricts what is fitted (the learning curve's subsets);
 * the held-out stream is always predicted on all its rows, so every subset is scored on the same messages.
 */
export function leaveOneStreamOut(streams: readonly string[], trainRows?: readonly number[]): StreamFold[] {
  const fitted = trainRows ?? streams.map((_, i) => i);
  return [...new Set(streams)].sort().map((stream) => ({
    stream,
    train: fitted.filter((r) => streams[r] !== stream),
    test: streams.flatMap((s, r) => (s === stream ? [r] : [])),
  }));
}

/**
 * The first `size` rows of a seeded random order of `0 … rows − 1`: for one seed the subsets of a learning curve are
 * nested (750 ⊂ 1,500 ⊂ … ⊂ all), so a larger subset only adds labels.
 */
export function nestedSample(rows: number, size: number, seed: number): number[] {
  const order = Array.from({ length: rows }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, Math.min(size, rows)).sort((a, b) => a - b);
}

/** Per held-out stream: its calibration chosen on the LOSO logits of the other streams only. */
export function leaveOneStreamOutCalibration(logits: Float64Array, labels: readonly SentimentLabel[], streams: readonly string[], options: Pick<TrainerOptions, "neutralOffsets" | "negativeOffsets">): Map<string, Calibration> {
  const out = new Map<string, Calibration>();
  for (const stream of [...new Set(streams)].sort()) {
    const others = streams.flatMap((s, r) => (s === stream ? [] : [r]));
    const sub = new Float64Array(others.length * 3);
    others.forEach((r, i) => sub.set(logits.subarray(r * 3, r * 3 + 3), i * 3));
    out.set(stream, chooseCalibration(sub, others.map((r) => labels[r]!), options.neutralOffsets, options.negativeOffsets));
  }
  return out;
}

export interface LosoSetup {
  /** Labelled rows with their streams. */
  corpus: TokenizedCorpus;
  /** Unlabelled chat with streams (priors, vectors, self-training). */
  chat: TokenizedChat;
  emotes: EmoteDictionary;
  options?: Partial<TrainerOptions>;
  /**
   * "per-fold" (default): priors, vectors and the self-training pool come from chat without the held-out stream, as
   * they would for a new channel; "global": learnt once from all chat (faster; the held-out stream's chat leaks in).
   */
  priorScope?: "per-fold" | "global";
  /** Priors by held-out stream and prior options, shared by the runs of one process. */
  priorCache?: Map<string, LearntPriors>;
  /** Dev rows: each is scored by the fold model that did not see its stream (majority-of-three labels). */
  dev?: TokenizedCorpus;
  /** Fit only these labelled rows (learning curve); every row of a held-out stream is still predicted. */
  trainRows?: readonly number[];
  /**
   * How each fold's offsets and temperature are chosen: "other-streams" (default, one fit per fold) on the other
   * folds' held-out predictions; "recipe": each fold runs the whole training recipe on its 11 streams, its own
   * cross-fitting and calibration included (six fits per fold), i.e. exactly what would ship without that stream.
   */
  calibration?: "other-streams" | "recipe";
  log?: (line: string) => void;
}

export interface LosoStream {
  stream: string;
  items: number;
  macroF1: number;
  devItems: number;
  devMacroF1: number;
}

export interface LosoResult {
  streams: LosoStream[];
  /** Mean over the held-out streams of their macro-F1 (the LOSO figure). */
  macroF1: number;
  /** Macro-F1 of all held-out predictions pooled. */
  pooledMacroF1: number;
  /** ECE of the per-vote probabilities against the single training vote, pooled over held-out rows. */
  ece: number;
  /** Dev rows scored by the fold that did not see their stream: pooled macro-F1, mean per stream, ECE of the majority-of-three output. */
  dev?: { macroF1: number; meanStreamMacroF1: number; ece: number };
  /** Raw (uncalibrated) held-out logits of every labelled row, rows × 3; the same for dev rows. */
  logits: Float64Array;
  devLogits?: Float64Array;
  calibrations: Map<string, Calibration>;
  fits: number;
  seconds: number;
  cpuSeconds: number;
}

/** The given rows of a corpus, as a corpus of their own. */
export function subCorpus(corpus: TokenizedCorpus, rows: readonly number[]): TokenizedCorpus {
  return { texts: rows.map((r) => corpus.texts[r]!), tokens: rows.map((r) => corpus.tokens[r]!), labels: rows.map((r) => corpus.labels[r]!), streams: rows.map((r) => corpus.streams[r]!) };
}

/** Key of a prior set in `LosoSetup.priorCache`: the held-out stream ("" for all chat) and the options priors depend on. */
export function priorKeyFor(stream: string, options: TrainerOptions = DEFAULT_TRAINER_OPTIONS): string {
  const distant = options.distant ? `\u0000${JSON.stringify(options.distant)}\u0000${JSON.stringify(options.features)}` : "";
  return `${stream}\u0000${JSON.stringify(options.chatPolarity)}\u0000${JSON.stringify(options.wordVectors ?? null)}\u0000${options.nonEnglishChat === "all" ? "all" : "en"}${distant}${options.chatSlang === true ? "\u0000slang" : ""}`;
}

/** Runs the folds; deterministic for a given setup. */
export function runLeaveOneStreamOut(setup: LosoSetup): LosoResult {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const options: TrainerOptions = { ...DEFAULT_TRAINER_OPTIONS, ...setup.options };
  const log = setup.log ?? (() => undefined);
  const { corpus, dev } = setup;
  const folds = leaveOneStreamOut(corpus.streams, setup.trainRows);
  const scope = setup.priorScope ?? "per-fold";
  const cache = setup.priorCache ?? new Map<string, LearntPriors>();
  const cached = (stream: string, exclude: ReadonlySet<string>): LearntPriors => {
    const key = priorKeyFor(stream, options);
    let priors = cache.get(key);
    if (!priors) cache.set(key, (priors = priorsOf({ chat: setup.chat, emotes: setup.emotes, options, excludeStreams: exclude })));
    return priors;
  };
  let shared: EmbeddedTrainer | undefined;
  if (scope === "global" && setup.calibration !== "recipe") shared = new EmbeddedTrainer({ corpus, chat: setup.chat, emotes: setup.emotes, options, priors: cached("", new Set()) });

  const logits = new Float64Array(corpus.texts.length * 3);
  const devLogits = dev ? new Float64Array(dev.texts.length * 3) : undefined;
  const recipe = setup.calibration === "recipe";
  const recipeCalibrations = new Map<string, Calibration>();
  let fits = 0;
  for (const fold of folds) {
    const exclude = new Set([fold.stream]);
    const priors = scope === "global" ? cached("", new Set()) : cached(fold.stream, exclude);
    let trainer: EmbeddedTrainer;
    let fit: ReturnType<EmbeddedTrainer["fit"]>;
    let held: Float64Array;
    if (recipe) {
      // The fold's own training set, cross-fitted and calibrated as scripts/train-sentiment.ts would.
      const sub = subCorpus(corpus, fold.train);
      trainer = new EmbeddedTrainer({ corpus: sub, chat: setup.chat, emotes: setup.emotes, options, priors, excludeStreams: exclude });
      recipeCalibrations.set(fold.stream, trainer.calibrate(trainer.crossFit()));
      fit = trainer.fit(trainer.texts.map((_, i) => i), exclude);
      fits += (trainer.foldOf().folds + 1) * (options.selfTraining ? 2 : 1);
      held = trainer.logitsOfMessages(fold.test.map((r) => corpus.tokens[r]!), fold.test.map((r) => corpus.texts[r]!), fit.weights);
    } else {
      // One feature extraction per trainer; its fits pick rows out of that one dataset.
      trainer = shared ?? new EmbeddedTrainer({ corpus, chat: setup.chat, emotes: setup.emotes, options, priors, excludeStreams: exclude });
      fit = trainer.fit(trainer.rowsFrom(fold.train), exclude);
      fits += options.selfTraining ? 2 : 1;
      held = trainer.logits(fold.test, fit.weights);
    }
    fold.test.forEach((r, i) => logits.set(held.subarray(i * 3, i * 3 + 3), r * 3));
    if (dev && devLogits) {
      const rows = dev.streams.flatMap((s, r) => (s === fold.stream ? [r] : []));
      const z = trainer.logitsOfMessages(rows.map((r) => dev.tokens[r]!), rows.map((r) => dev.texts[r]!), fit.weights);
      rows.forEach((r, i) => devLogits.set(z.subarray(i * 3, i * 3 + 3), r * 3));
    }
    log(`LOSO ${fold.stream}: ${fold.train.length} rows fitted, ${fit.iterations} iterations`);
  }

  const calibrations = recipe ? recipeCalibrations : leaveOneStreamOutCalibration(logits, corpus.labels, corpus.streams, options);
  const perVote = new Float64Array(logits.length);
  const predicted: SentimentLabel[] = new Array<SentimentLabel>(corpus.texts.length);
  const devProbabilities = dev ? new Float64Array(dev.texts.length * 3) : undefined;
  const devPredicted: SentimentLabel[] = dev ? new Array<SentimentLabel>(dev.texts.length) : [];
  const streams: LosoStream[] = [];
  for (const fold of folds) {
    const calibration = calibrations.get(fold.stream)!;
    const apply = (source: Float64Array, rows: readonly number[], majority: boolean, into: Float64Array, labels: SentimentLabel[]): SentimentLabel[] => {
      const sub = new Float64Array(rows.length * 3);
      rows.forEach((r, i) => sub.set(source.subarray(r * 3, r * 3 + 3), i * 3));
      const p = calibratedProbabilities(sub, calibration, majority);
      // Labels always come from the majority output, as the shipped model's do.
      const chosen = labelsOf(majority ? p : calibratedProbabilities(sub, calibration, true));
      rows.forEach((r, i) => {
        into.set(p.subarray(i * 3, i * 3 + 3), r * 3);
        labels[r] = chosen[i]!;
      });
      return chosen;
    };
    const chosen = apply(logits, fold.test, false, perVote, predicted);
    const entry: LosoStream = { stream: fold.stream, items: fold.test.length, macroF1: classificationReport(fold.test.map((r) => corpus.labels[r]!), chosen).macroF1, devItems: 0, devMacroF1: 0 };
    if (dev && devLogits && devProbabilities) {
      const rows = dev.streams.flatMap((s, r) => (s === fold.stream ? [r] : []));
      const devChosen = apply(devLogits, rows, true, devProbabilities, devPredicted);
      entry.devItems = rows.length;
      entry.devMacroF1 = rows.length > 0 ? classificationReport(rows.map((r) => dev.labels[r]!), devChosen).macroF1 : 0;
    }
    streams.push(entry);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const usage = process.cpuUsage(cpu);
  const withDev = streams.filter((s) => s.devItems > 0);
  return {
    streams,
    macroF1: streams.reduce((s, e) => s + e.macroF1, 0) / streams.length,
    pooledMacroF1: classificationReport(corpus.labels, predicted).macroF1,
    ece: expectedCalibrationError(perVote, corpus.labels),
    dev:
      dev && devProbabilities
        ? {
            macroF1: classificationReport(dev.labels, devPredicted).macroF1,
            meanStreamMacroF1: withDev.reduce((s, e) => s + e.devMacroF1, 0) / Math.max(1, withDev.length),
            ece: expectedCalibrationError(devProbabilities, dev.labels),
          }
        : undefined,
    logits,
    devLogits,
    calibrations,
    fits,
    seconds,
    cpuSeconds: (usage.user + usage.system) / 1e6,
  };
}
