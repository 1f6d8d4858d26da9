import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ChatDigest, SentimentSum } from "./chat-digest.js";
import type { Mood } from "../schema/output-schema.js";
import { predictSoftmax } from "./logistic-regression.js";

export type MoodWord = "positive" | "neutral" | "negative" | "split";
export type WindowMood = Mood;
export const WINDOW_MOODS: readonly WindowMood[] = ["pos", "neu", "neg", "mixed"];

/**
 * The least chat a mood is read from: fewer scored messages, or fewer distinct chatters, and `mood` is null. Below
 * five messages a mood read from a sample of a labelled window matches the window's own mood less often than always
 * answering its most common mood does (docs/mood-eval.md, `npm run fit:mood`); three chatters, so that one
 * chatter's burst is not read as chat's mood.
 */
export const MIN_MOOD_MESSAGES = 5;
export const MIN_MOOD_CHATTERS = 3;

// Mean-probability thresholds of the lean rule (tuned on the dev windows with the embedded sentiment model): what the
// summarizers phrase the lean with, and the window mood when no mood model has been fitted.
const SPLIT_POSITIVE = 0.14;
const SPLIT_NEGATIVE = 0.17;
const CLEAR_LEAN = 0.16;

/** The lean of a sentiment sum: "split" when both sides hold a real share, else the clear lean, else neutral. */
export function moodOf(sum: SentimentSum, scored: number): MoodWord {
  if (scored === 0) return "neutral";
  const pos = sum.pos / scored;
  const neg = sum.neg / scored;
  if (pos >= SPLIT_POSITIVE && neg >= SPLIT_NEGATIVE) return "split";
  if (pos - neg > CLEAR_LEAN) return "positive";
  if (neg - pos > CLEAR_LEAN) return "negative";
  return "neutral";
}

function leanMood(sum: SentimentSum, scored: number): WindowMood {
  const mood = moodOf(sum, scored);
  return mood === "positive" ? "pos" : mood === "negative" ? "neg" : mood === "split" ? "mixed" : "neu";
}

/**
 * What the mood model reads, all shares of the scored messages, so volume alone changes nothing:
 * - `lean` and `split`: P(pos) − P(neg) and min(P(pos), P(neg)) after laughter aimed at a target ("EU LUL") has
 *   had its positive share moved to negative, as the annotation guidelines read mockery;
 * - the share of messages that laugh, cheer, show boredom or sarcasm (processing/mood-cues.ts).
 */
export const MOOD_FEATURES = ["lean", "split", "hype", "laugh", "bored", "sarcasm"] as const;

export function moodFeatures(d: ChatDigest): number[] {
  const n = Math.max(1, d.scored);
  const mockPos = d.cues?.mockPos ?? 0;
  const pos = Math.max(0, d.sentiment.pos - mockPos) / n;
  const neg = (d.sentiment.neg + mockPos) / n;
  return [pos - neg, Math.min(pos, neg), (d.cues?.hype ?? 0) / n, (d.cues?.laugh ?? 0) / n, (d.cues?.bored ?? 0) / n, (d.cues?.sarcasm ?? 0) / n];
}

/** A fitted mood model: softmax weights per class over [1, …features] (standardisation folded in). */
export interface MoodModel {
  format: "chatstream-mood/1";
  classes: WindowMood[];
  features: string[];
  weights: number[][];
}

export interface MoodReading {
  /** The mood, or null when the window holds less than the minimum evidence. */
  mood: WindowMood | null;
  /** What the model reads even from too little chat (the confidence says how often that reading is right). */
  reading: WindowMood;
  /** The model's probability for each class, in WINDOW_MOODS order. */
  probabilities: number[];
}

/** Whether the window holds enough chat for a mood: MIN_MOOD_MESSAGES scored messages from MIN_MOOD_CHATTERS chatters. */
export function hasMoodEvidence(d: ChatDigest): boolean {
  return d.scored >= MIN_MOOD_MESSAGES && d.chatters >= MIN_MOOD_CHATTERS;
}

/** Reads the window's mood with the given model (the committed one by default; the lean rule when none is fitted). */
export function readMood(d: ChatDigest, model: MoodModel | undefined = committedMoodModel()): MoodReading {
  let reading: WindowMood;
  let probabilities: number[];
  if (model === undefined) {
    reading = leanMood(d.sentiment, d.scored);
    probabilities = WINDOW_MOODS.map((m) => (m === reading ? 1 : 0));
  } else {
    const p = predictSoftmax(model.weights, [1, ...moodFeatures(d)]);
    probabilities = WINDOW_MOODS.map((m) => p[model.classes.indexOf(m)] ?? 0);
    let best = 0;
    for (let c = 1; c < probabilities.length; c++) if ((probabilities[c] as number) > (probabilities[best] as number)) best = c;
    reading = WINDOW_MOODS[best] as WindowMood;
  }
  return { mood: hasMoodEvidence(d) ? reading : null, reading, probabilities };
}

/** The window mood as the wire and the evaluation name it: pos, neu, neg, mixed, or null for too little chat. */
export function windowMood(d: ChatDigest): WindowMood | null {
  return readMood(d).mood;
}

const MODEL_PATH = fileURLToPath(new URL("../../data/models/mood.json", import.meta.url));
let loaded: MoodModel | null | undefined;

/** Checks a mood model read from JSON before it is used (the file is ours, but a hand edit must not crash a run). */
export function parseMoodModel(value: unknown, origin: string): MoodModel {
  const m = value as Partial<MoodModel> | null;
  const ok =
    typeof m === "object" &&
    m !== null &&
    m.format === "chatstream-mood/1" &&
    Array.isArray(m.classes) &&
    m.classes.length === WINDOW_MOODS.length &&
    WINDOW_MOODS.every((c) => m.classes?.includes(c)) &&
    Array.isArray(m.features) &&
    m.features.join(",") === MOOD_FEATURES.join(",") &&
    Array.isArray(m.weights) &&
    m.weights.length === WINDOW_MOODS.length &&
    m.weights.every((row) => Array.isArray(row) && row.length === MOOD_FEATURES.length + 1 && row.every((v) => typeof v === "number" && Number.isFinite(v)));
  if (!ok) throw new Error(`${origin}: not a chatstream-mood/1 model over features ${MOOD_FEATURES.join(", ")}`);
  return m as MoodModel;
}

/** The committed mood model (data/models/mood.json, written by `npm run fit:mood`), or undefined when not fitted. */
export function committedMoodModel(): MoodModel | undefined {
  if (loaded === undefined) loaded = existsSync(MODEL_PATH) ? parseMoodModel(JSON.parse(readFileSync(MODEL_PATH, "utf8")), MODEL_PATH) : null;
  return loaded ?? undefined;
}
