import type { SentimentLabel } from "./sentiment-model.js";

/** Class order used by the embedded model, its weights and every metric here. */
export const LABELS: readonly SentimentLabel[] = ["pos", "neu", "neg"];

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  items: number;
  macroF1: number;
  accuracy: number;
  perClass: Record<SentimentLabel, ClassMetrics>;
  /** confusion[gold][predicted] */
  confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
}

/** Macro-F1, accuracy, per-class P/R/F1 and confusion, computed exactly as `../shared/eval/score.mjs f1` does. */
export function classificationReport(gold: readonly SentimentLabel[], predicted: readonly SentimentLabel[]): ClassificationReport {
  if (gold.length !== predicted.length) throw new Error(`gold has ${gold.length} labels, predictions ${predicted.length}`);
  const confusion = {} as Record<SentimentLabel, Record<SentimentLabel, number>>;
  for (const g of LABELS) confusion[g] = { pos: 0, neu: 0, neg: 0 };
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    confusion[gold[i]!][predicted[i]!]++;
    if (gold[i] === predicted[i]) correct++;
  }
  const perClass = {} as Record<SentimentLabel, ClassMetrics>;
  let macro = 0;
  for (const c of LABELS) {
    const tp = confusion[c][c];
    let fp = 0;
    let fn = 0;
    for (const o of LABELS) {
      if (o === c) continue;
      fp += confusion[o][c];
      fn += confusion[c][o];
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision, recall, f1, support: tp + fn };
    macro += f1 / LABELS.length;
  }
  return { items: gold.length, macroF1: macro, accuracy: gold.length ? correct / gold.length : 0, perClass, confusion };
}

/**
 * Expected calibration error over equal-width bins of the top probability: Σ_b (n_b / N) · |accuracy_b − confidence_b|.
 * `probabilities` is rows × 3 in LABELS order; the predicted class is the arg-max (first on ties).
 */
export function expectedCalibrationError(probabilities: ArrayLike<number>, gold: readonly SentimentLabel[], bins = 15): number {
  const k = LABELS.length;
  const count = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const conf = new Float64Array(bins);
  for (let i = 0; i < gold.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities[i * k + c]! > probabilities[i * k + best]!) best = c;
    const p = probabilities[i * k + best]!;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]!++;
    conf[b]! += p;
    if (LABELS[best] === gold[i]) hits[b]!++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    ece += (count[b]! / gold.length) * Math.abs(hits[b]! / count[b]! - conf[b]! / count[b]!);
  }
  return ece;
}

/**
 * Temperature T minimising the negative log-likelihood of softmax(logits / T) (golden-section search on log T).
 * `logits` is rows × 3, `targets` the gold class index per row.
 */
export function fitTemperature(logits: ArrayLike<number>, targets: ArrayLike<number>, classes = 3): number {
  const rows = targets.length;
  const nll = (t: number): number => {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, logits[r * classes + c]! / t);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(logits[r * classes + c]! / t - max);
      total += max + Math.log(sum) - logits[r * classes + targets[r]!]! / t;
    }
    return total / rows;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(Math.exp(a));
  let fb = nll(Math.exp(b));
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}
