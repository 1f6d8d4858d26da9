import type { ChatDigest, SentimentSum } from "../../aggregation/chat-digest.js";

// Sentence ends inside a quoted chat line would break the two-sentence contract, so quotes are cleaned.
const SENTENCE_END = /[.!?…]+/g;
const SPACES = /\s+/g;
const MAX_QUOTE_WORDS = 8;

/** A chat line made safe to quote inside one sentence: no sentence-ending punctuation, at most a few words. */
export function quoteFragment(text: string): string {
  const cleaned = text.replace(SENTENCE_END, " ").replace(/["“”]/g, "'").replace(SPACES, " ").trim();
  if (cleaned.length === 0) return text.includes("?") ? "question marks" : "…";
  const words = cleaned.split(" ");
  return words.length > MAX_QUOTE_WORDS ? words.slice(0, MAX_QUOTE_WORDS).join(" ") + "…" : cleaned;
}

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

/** Counts sentences the way the headline contract does: runs ending in . ! ? followed by space or end. */
export function countSentences(text: string): number {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 0;
  return trimmed.split(/(?<=[.!?])\s+/).filter((s) => s.length > 0).length;
}

export function isQuiet(digest: ChatDigest): boolean {
  return digest.count - digest.ignored === 0;
}
