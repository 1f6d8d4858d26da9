import type { TokenizedText } from "../../processing/tokenizer.js";
import { classificationReport, expectedCalibrationError, LABELS, type ClassificationReport } from "./metrics.js";
import { labelOf, type SentimentLabel, type SentimentModel } from "./sentiment-model.js";

export interface EvaluationRow {
  id: string;
  stream: string;
  text: string;
  label: SentimentLabel;
}

export interface ModelEvaluation extends ClassificationReport {
  model: string;
  /** Expected calibration error, 15 equal-width bins on the top probability. */
  ece: number;
  /** Macro-F1 per stream. */
  perStream: Record<string, { items: number; macroF1: number }>;
  predictions: { id: string; label: SentimentLabel }[];
}

/** Scores every row with the model and reports the metrics of score.mjs plus calibration and per-stream macro-F1. */
export function evaluateModel(model: SentimentModel, rows: readonly EvaluationRow[], tokens: readonly TokenizedText[]): ModelEvaluation {
  const probabilities = new Float64Array(rows.length * LABELS.length);
  const predicted: SentimentLabel[] = [];
  rows.forEach((row, i) => {
    const s = model.score(row.text, tokens[i]!);
    probabilities[i * 3] = s.pos;
    probabilities[i * 3 + 1] = s.neu;
    probabilities[i * 3 + 2] = s.neg;
    predicted.push(labelOf(s));
  });
  const gold = rows.map((r) => r.label);
  const byStream = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const list = byStream.get(r.stream) ?? [];
    list.push(i);
    byStream.set(r.stream, list);
  });
  // Stream names come from the data: Object.fromEntries makes each an own key, even "__proto__".
  const perStream: ModelEvaluation["perStream"] = Object.fromEntries(
    [...byStream.keys()].sort().map((stream) => {
      const idx = byStream.get(stream)!;
      return [stream, { items: idx.length, macroF1: classificationReport(idx.map((i) => gold[i]!), idx.map((i) => predicted[i]!)).macroF1 }];
    }),
  );
  return {
    model: model.name,
    ...classificationReport(gold, predicted),
    ece: expectedCalibrationError(probabilities, gold),
    perStream,
    predictions: rows.map((r, i) => ({ id: r.id, label: predicted[i]! })),
  };
}

/**
 * Messages per second of CPU time of `score` alone on pre-tokenized input, on the calling thread (one core). Runs whole passes
 * over the messages until at least `minMillis` have elapsed, after warm-up passes for the JIT (at least a fifth as long).
 */
export function measureThroughput(model: SentimentModel, texts: readonly string[], tokens: readonly TokenizedText[], minMillis = 1000): number {
  let sink = 0;
  const pass = (): void => {
    for (let i = 0; i < texts.length; i++) sink += model.score(texts[i]!, tokens[i]!).pos;
  };
  // Per second of this process's CPU time, not of the wall clock: on a machine other jobs share, wall time counts
  // the time the scheduler gave to them too.
  const timed = (millis: number): number => {
    let scored = 0;
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < millis) {
      pass();
      scored += texts.length;
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    const used = process.cpuUsage(cpu);
    return scored / Math.max(1e-6, (used.user + used.system) / 1e6);
  };
  timed(minMillis / 5);
  const rate = timed(minMillis);
  if (Number.isNaN(sink)) throw new Error("model returned NaN");
  return rate;
}

/** Share of messages whose top class is pos or neg with probability ≥ `threshold`. */
export function confidentlyPolarShare(model: SentimentModel, texts: readonly string[], tokens: readonly TokenizedText[], threshold = 0.7): number {
  if (texts.length === 0) return 0;
  let polar = 0;
  for (let i = 0; i < texts.length; i++) {
    const s = model.score(texts[i]!, tokens[i]!);
    if ((s.pos >= threshold && s.pos >= s.neg) || s.neg >= threshold) polar++;
  }
  return polar / texts.length;
}
