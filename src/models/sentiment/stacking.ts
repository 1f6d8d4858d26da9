import { chooseCalibration, type Calibration } from "./embedded-trainer.js";
import type { SentimentLabel, SentimentScores } from "./sentiment-model.js";
import { LABELS } from "./metrics.js";
import { rowLogits, SparseDatasetBuilder, trainSoftmaxRegression } from "./softmax-regression.js";

/**
 * A small learned combination (stacking) of the trained model and the lexicon model: a multinomial logistic
 * regression over seven inputs per message, fitted on held-out predictions only (out-of-fold or leave-one-stream-out
 * logits of the trained model, so the combiner learns how far to trust it on messages it did not fit), then offsets and
 * temperature chosen on the same rows as for the embedded model.
 *
 * Inputs: bias, the trained model's three raw logits centred on their mean, the lexicon model's three log-probabilities.
 */
export const STACK_INPUTS = 7;

/** The seven inputs of one message into `out` at `offset`. */
export function stackInputs(logits: ArrayLike<number>, lexicon: SentimentScores, out: Float64Array, offset = 0): void {
  const mean = (logits[0]! + logits[1]! + logits[2]!) / 3;
  out[offset] = 1;
  out[offset + 1] = logits[0]! - mean;
  out[offset + 2] = logits[1]! - mean;
  out[offset + 3] = logits[2]! - mean;
  // Floors keep the log finite for a lexicon that is sure.
  out[offset + 4] = Math.log(Math.max(lexicon.pos, 1e-6));
  out[offset + 5] = Math.log(Math.max(lexicon.neu, 1e-6));
  out[offset + 6] = Math.log(Math.max(lexicon.neg, 1e-6));
}

export interface Stacker {
  /** STACK_INPUTS × 3 weights, row-major (input, class). */
  weights: Float64Array;
  calibration: Calibration;
}

const IDS = Int32Array.from({ length: STACK_INPUTS }, (_, i) => i);

/** Fits the combiner on `rows` × STACK_INPUTS inputs and their gold labels; deterministic. */
export function fitStacker(inputs: Float64Array, gold: readonly SentimentLabel[], options: { l2?: number; neutralOffsets: readonly number[]; negativeOffsets: readonly number[] }): Stacker {
  const builder = new SparseDatasetBuilder(LABELS.length);
  const target = new Float32Array(LABELS.length);
  for (let r = 0; r < gold.length; r++) {
    target.fill(0);
    target[LABELS.indexOf(gold[r]!)] = 1;
    builder.add(IDS, inputs.subarray(r * STACK_INPUTS, (r + 1) * STACK_INPUTS), STACK_INPUTS, target);
  }
  const data = builder.build();
  const { weights } = trainSoftmaxRegression(data, { dimension: STACK_INPUTS, l2: options.l2 ?? 1e-4, l2Scale: (f) => (f === 0 ? 0 : 1), maxIterations: 200 });
  return { weights, calibration: chooseCalibration(stackerLogits({ weights, calibration: IDENTITY }, inputs), gold, options.neutralOffsets, options.negativeOffsets) };
}

const IDENTITY: Calibration = { neutralOffset: 0, negativeOffset: 0, temperature: 1, macroF1: 0 };

/** Raw logits (rows × 3) of the combiner; `calibratedProbabilities(…, stacker.calibration)` turns them into output. */
export function stackerLogits(stacker: Pick<Stacker, "weights" | "calibration">, inputs: Float64Array): Float64Array {
  const rows = inputs.length / STACK_INPUTS;
  const builder = new SparseDatasetBuilder(LABELS.length);
  const none = new Float32Array(LABELS.length);
  for (let r = 0; r < rows; r++) builder.add(IDS, inputs.subarray(r * STACK_INPUTS, (r + 1) * STACK_INPUTS), STACK_INPUTS, none);
  const data = builder.build();
  const out = new Float64Array(rows * LABELS.length);
  const z = new Float64Array(LABELS.length);
  for (let r = 0; r < rows; r++) {
    rowLogits(data, stacker.weights, r, z);
    out.set(z, r * LABELS.length);
  }
  return out;
}
