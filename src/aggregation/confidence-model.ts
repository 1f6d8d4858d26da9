import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ChatDigest } from "./chat-digest.js";

/**
 * Confidence = the calibrated probability that the window's mood is right, from what limits trust: how many
 * distinct chatters there are, how much they agree, how clear the lean is, how much is split. A logistic model
 * over these few features, fitted by scripts/fit-confidence.ts with cross-fitting on the dev windows (the
 * reported ECE is out of sample); its weights live in data/models/confidence.json.
 */
export const CONFIDENCE_FEATURES = ["bias", "agreement", "lean", "split", "logChatters", "logScored", "moodNeutral", "moodMixed"] as const;

export interface ConfidenceWeights {
  format: "chatstream-confidence/1";
  features: string[];
  weights: number[];
}

export function confidenceFeatures(d: ChatDigest, mood: "pos" | "neu" | "neg" | "mixed"): number[] {
  const n = Math.max(1, d.scored);
  const pos = d.sentiment.pos / n;
  const neg = d.sentiment.neg / n;
  const neu = d.sentiment.neu / n;
  return [1, Math.max(pos, neu, neg), Math.abs(pos - neg), Math.min(pos, neg) / Math.max(1e-6, Math.max(pos, neg)), Math.log1p(d.chatters), Math.log1p(d.scored), mood === "neu" ? 1 : 0, mood === "mixed" ? 1 : 0];
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function predictConfidence(weights: readonly number[], x: readonly number[]): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) z += (weights[i] ?? 0) * (x[i] as number);
  return sigmoid(z);
}

/**
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least squares): exact,
 * deterministic and fast for a handful of features and a few hundred rows.
 */
export function fitLogistic(xs: readonly (readonly number[])[], ys: readonly number[], l2 = 0.1, iterations = 50): number[] {
  const dims = xs[0]?.length ?? 0;
  let w = new Array<number>(dims).fill(0);
  for (let it = 0; it < iterations; it++) {
    const hessian = Array.from({ length: dims }, (_, j) => Array.from({ length: dims }, (_, k) => (j === k && j > 0 ? l2 : 0)));
    const gradient = w.map((v, j) => (j > 0 ? l2 * v : 0));
    xs.forEach((x, i) => {
      const p = predictConfidence(w, x);
      const weight = p * (1 - p);
      for (let j = 0; j < dims; j++) {
        gradient[j] = (gradient[j] as number) + (p - (ys[i] as number)) * (x[j] as number);
        const row = hessian[j] as number[];
        for (let k = 0; k < dims; k++) row[k] = (row[k] as number) + weight * (x[j] as number) * (x[k] as number);
      }
    });
    const step = solve(hessian, gradient);
    w = w.map((v, j) => v - (step[j] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return w;
}

/** Solves a·x = b by Gaussian elimination with partial pivoting (a is small and positive definite here). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[pivot] as number[])[c] as number)) pivot = r;
    [m[c], m[pivot]] = [m[pivot] as number[], m[c] as number[]];
    const pr = m[c] as number[];
    const pv = pr[c] as number;
    if (Math.abs(pv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = m[r] as number[];
      const f = (row[c] as number) / pv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) row[k] = (row[k] as number) - f * (pr[k] as number);
    }
  }
  return m.map((row, i) => {
    const d = row[i] as number;
    return Math.abs(d) < 1e-12 ? 0 : (row[n] as number) / d;
  });
}

const WEIGHTS_PATH = fileURLToPath(new URL("../../data/models/confidence.json", import.meta.url));
let loaded: ConfidenceWeights | null | undefined;

/** The committed calibration, or undefined when it has not been fitted (the heuristic is used then). */
export function committedConfidenceWeights(): ConfidenceWeights | undefined {
  if (loaded === undefined) {
    loaded = existsSync(WEIGHTS_PATH) ? (JSON.parse(readFileSync(WEIGHTS_PATH, "utf8")) as ConfidenceWeights) : null;
    if (loaded !== null && (loaded.format !== "chatstream-confidence/1" || loaded.weights.length !== CONFIDENCE_FEATURES.length)) {
      throw new Error(`${WEIGHTS_PATH}: not a chatstream-confidence/1 file for features ${CONFIDENCE_FEATURES.join(", ")}`);
    }
  }
  return loaded ?? undefined;
}
