import { fitSoftmax } from "../aggregation/logistic-regression.js";
import { MOOD_FEATURES, WINDOW_MOODS, type MoodModel, type WindowMood } from "../aggregation/mood.js";
import { macroF1 } from "./classification.js";

/** How a mood model is fitted: L2 strength on standardised features, and how the classes are balanced. */
export interface MoodFitConfig {
  l2: number;
  /** Row weight per class: none, 1/√share or 1/share of the class in the training rows (macro-F1 rewards the rare classes). */
  balance: "none" | "sqrt" | "full";
}

/** The configurations fit:mood chooses among, on the training folds only. */
export const MOOD_FIT_CONFIGS: readonly MoodFitConfig[] = (["none", "sqrt", "full"] as const).flatMap((balance) => [0.001, 0.01, 0.1].map((l2) => ({ l2, balance })));

/**
 * Fits the softmax mood model on rows of `moodFeatures`: features standardised on these rows, then the
 * standardisation folded into the weights, so the model applies to raw features.
 */
export function fitMoodModel(xs: readonly (readonly number[])[], ys: readonly WindowMood[], config: MoodFitConfig, featureNames: readonly string[] = MOOD_FEATURES): MoodModel {
  const dims = xs[0]?.length ?? 0;
  const n = Math.max(1, xs.length);
  const mean = new Array<number>(dims).fill(0);
  const scale = new Array<number>(dims).fill(0);
  for (const x of xs) for (let j = 0; j < dims; j++) mean[j] = (mean[j] as number) + (x[j] as number) / n;
  for (const x of xs) for (let j = 0; j < dims; j++) scale[j] = (scale[j] as number) + ((x[j] as number) - (mean[j] as number)) ** 2 / n;
  for (let j = 0; j < dims; j++) scale[j] = Math.sqrt(scale[j] as number) || 1;
  const rows = xs.map((x) => [1, ...x.map((v, j) => (v - (mean[j] as number)) / (scale[j] as number))]);
  const labels = ys.map((y) => WINDOW_MOODS.indexOf(y));
  const counts = WINDOW_MOODS.map((_, c) => labels.filter((l) => l === c).length);
  const classWeight = counts.map((k) => {
    const ratio = xs.length / (WINDOW_MOODS.length * Math.max(1, k));
    return config.balance === "full" ? ratio : config.balance === "sqrt" ? Math.sqrt(ratio) : 1;
  });
  const w = fitSoftmax(rows, labels, WINDOW_MOODS.length, { l2: config.l2, rowWeights: labels.map((l) => classWeight[l] as number) });
  const weights = w.map((row) => {
    const folded = [row[0] as number];
    for (let j = 0; j < dims; j++) {
      const wj = (row[j + 1] as number) / (scale[j] as number);
      folded[0] = (folded[0] as number) - wj * (mean[j] as number);
      folded.push(wj);
    }
    return folded.map((v) => Math.round(v * 1e6) / 1e6);
  });
  return { format: "chatstream-mood/1", classes: [...WINDOW_MOODS], features: [...featureNames], weights };
}

/**
 * Leave-one-group-out: for each group (a stream), `fit` on the other groups' rows and `predict` the group's rows.
 * Returns one prediction per row, each made by a model that never saw the row's group.
 */
export function leaveOneGroupOut<M, P>(groups: readonly string[], fit: (train: number[]) => M, predict: (model: M, row: number) => P): P[] {
  const out = new Array<P>(groups.length);
  for (const g of [...new Set(groups)].sort()) {
    const train: number[] = [];
    const test: number[] = [];
    groups.forEach((x, i) => (x === g ? test : train).push(i));
    const model = fit(train);
    for (const i of test) out[i] = predict(model, i);
  }
  return out;
}

/** Macro-F1 over the four moods. */
export function moodMacroF1(gold: readonly WindowMood[], predicted: readonly WindowMood[]): { macroF1: number; perClass: Record<string, number>; accuracy: number } {
  return macroF1(gold, predicted, WINDOW_MOODS);
}

/**
 * The configuration with the best leave-one-stream-out macro-F1 on the given rows alone (ties to the earlier one):
 * run inside each outer fold, it chooses without looking at the held-out stream.
 */
export function chooseMoodConfig(rows: readonly number[], xs: readonly (readonly number[])[], ys: readonly WindowMood[], groups: readonly string[], predict: (model: MoodModel, x: readonly number[]) => WindowMood): MoodFitConfig {
  let best = MOOD_FIT_CONFIGS[0] as MoodFitConfig;
  let bestF1 = -1;
  const gold = rows.map((i) => ys[i] as WindowMood);
  for (const config of MOOD_FIT_CONFIGS) {
    const predicted = leaveOneGroupOut(
      rows.map((i) => groups[i] as string),
      (train) => fitMoodModel(train.map((k) => xs[rows[k] as number] as number[]), train.map((k) => ys[rows[k] as number] as WindowMood), config),
      (model, k) => predict(model, xs[rows[k] as number] as number[]),
    );
    const f1 = moodMacroF1(gold, predicted).macroF1;
    if (f1 > bestF1 + 1e-12) {
      bestF1 = f1;
      best = config;
    }
  }
  return best;
}
