import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RollupLevel } from "../schema/output-schema.js";
import type { ChatDigest } from "./chat-digest.js";
import { predictLogistic } from "./logistic-regression.js";
import { WINDOW_MOODS, type MoodReading } from "./mood.js";

export { fitLogistic } from "./logistic-regression.js";
export const predictConfidence = predictLogistic;

/**
 * Confidence = the calibrated probability that the mood reading is right, from what limits trust: how much chat
 * there is (scored messages, distinct chatters, and whether it reaches the mood's minimum evidence), how sure the
 * mood model is, how clear the lean is. A logistic model over these few features per kind of record, fitted by
 * scripts/fit-confidence.ts with leave-one-stream-out checks; its weights live in data/models/confidence.json.
 *
 * - `window`: snapshots and `digest`, fitted on the labelled windows and on samples of 1–12 of their messages (so a
 *   window of one message says how rarely one message tells chat's mood);
 * - `5s`, `1m`, `10m`: roll-ups, each fitted on its own: "right" means the mood an annotator gave a labelled
 *   window inside the period (docs/confidence-calibration.md).
 */
export const CONFIDENCE_FEATURES = ["bias", "readingProbability", "lean", "agreement", "logScored", "logChatters", "fewMessages", "enoughEvidence", "moodNeutral", "moodNegative", "moodMixed"] as const;

export type ConfidenceLevel = "window" | RollupLevel;
export const CONFIDENCE_LEVELS: readonly ConfidenceLevel[] = ["window", "5s", "1m", "10m"];

export interface ConfidenceWeights {
  format: "chatstream-confidence/2";
  features: string[];
  levels: { window: number[]; "5s": number[]; "1m": number[]; "10m": number[] };
}

export function confidenceFeatures(d: ChatDigest, reading: MoodReading): number[] {
  const n = Math.max(1, d.scored);
  const pos = d.sentiment.pos / n;
  const neg = d.sentiment.neg / n;
  const neu = d.sentiment.neu / n;
  const p = reading.probabilities[WINDOW_MOODS.indexOf(reading.reading)] ?? 0;
  return [
    1,
    p,
    Math.abs(pos - neg),
    Math.max(pos, neu, neg),
    Math.log1p(d.scored),
    Math.log1p(d.chatters),
    1 / Math.sqrt(n),
    reading.mood === null ? 0 : 1,
    reading.reading === "neu" ? 1 : 0,
    reading.reading === "neg" ? 1 : 0,
    reading.reading === "mixed" ? 1 : 0,
  ];
}

const WEIGHTS_PATH = fileURLToPath(new URL("../../data/models/confidence.json", import.meta.url));
let loaded: ConfidenceWeights | null | undefined;

/** Checks a calibration file before it is used. */
export function parseConfidenceWeights(value: unknown, origin: string): ConfidenceWeights {
  const c = value as Partial<ConfidenceWeights> | null;
  const okRow = (row: unknown): boolean => Array.isArray(row) && row.length === CONFIDENCE_FEATURES.length && row.every((v) => typeof v === "number" && Number.isFinite(v));
  const ok =
    typeof c === "object" &&
    c !== null &&
    c.format === "chatstream-confidence/2" &&
    Array.isArray(c.features) &&
    c.features.join(",") === CONFIDENCE_FEATURES.join(",") &&
    typeof c.levels === "object" &&
    c.levels !== null &&
    okRow(c.levels.window) &&
    okRow(c.levels["5s"]) &&
    okRow(c.levels["1m"]) &&
    okRow(c.levels["10m"]);
  if (!ok) throw new Error(`${origin}: not a chatstream-confidence/2 file for features ${CONFIDENCE_FEATURES.join(", ")} and levels ${CONFIDENCE_LEVELS.join(", ")}`);
  return c as ConfidenceWeights;
}

/** The committed calibration, or undefined when it has not been fitted (the heuristic is used then). */
export function committedConfidenceWeights(): ConfidenceWeights | undefined {
  if (loaded === undefined) loaded = existsSync(WEIGHTS_PATH) ? parseConfidenceWeights(JSON.parse(readFileSync(WEIGHTS_PATH, "utf8")), WEIGHTS_PATH) : null;
  return loaded ?? undefined;
}

export function weightsForLevel(weights: ConfidenceWeights, level: ConfidenceLevel): number[] {
  switch (level) {
    case "window":
      return weights.levels.window;
    case "5s":
      return weights.levels["5s"];
    case "1m":
      return weights.levels["1m"];
    case "10m":
      return weights.levels["10m"];
  }
}
