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

/** The dominant class of a sentiment sum, or "split" when positive and negative run close. */
export function moodOf(sum: SentimentSum, scored: number): MoodWord {
  if (scored === 0) return "neutral";
  const pos = sum.pos / scored;
  const neg = sum.neg / scored;
  const neu = sum.neu / scored;
  if (pos > 0.25 && neg > 0.25 && Math.abs(pos - neg) < 0.1) return "split";
  if (pos >= neg && pos >= neu) return "positive";
  if (neg >= pos && neg >= neu) return "negative";
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
