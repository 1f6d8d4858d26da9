import type { SentimentSum } from "./chat-digest.js";

export type MoodWord = "positive" | "neutral" | "negative" | "split";

// Mean-probability thresholds, tuned (not fitted) on the dev windows with the embedded sentiment model: a window
// is split when both sides hold a real share, else it leans the way the net points when the lean is clear.
const SPLIT_POSITIVE = 0.14;
const SPLIT_NEGATIVE = 0.17;
const CLEAR_LEAN = 0.16;

/** The window's mood from its sentiment sum: "split" when both sides hold a real share, else the clear lean, else neutral. */
export function moodOf(sum: SentimentSum, scored: number): MoodWord {
  if (scored === 0) return "neutral";
  const pos = sum.pos / scored;
  const neg = sum.neg / scored;
  if (pos >= SPLIT_POSITIVE && neg >= SPLIT_NEGATIVE) return "split";
  if (pos - neg > CLEAR_LEAN) return "positive";
  if (neg - pos > CLEAR_LEAN) return "negative";
  return "neutral";
}

/** The window mood as the wire and the evaluation name it: pos, neu, neg or mixed. */
export function windowMood(sum: SentimentSum, scored: number): "pos" | "neu" | "neg" | "mixed" {
  const mood = moodOf(sum, scored);
  return mood === "positive" ? "pos" : mood === "negative" ? "neg" : mood === "split" ? "mixed" : "neu";
}
