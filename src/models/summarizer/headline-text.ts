import type { ChatDigest } from "../../aggregation/chat-digest.js";

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

export { moodOf, type MoodWord } from "../../aggregation/mood.js";

/** Counts sentences the way the headline contract does: runs ending in . ! ? followed by space or end. */
export function countSentences(text: string): number {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 0;
  return trimmed.split(/(?<=[.!?])\s+/).filter((s) => s.length > 0).length;
}

export function isQuiet(digest: ChatDigest): boolean {
  return digest.count - digest.ignored === 0;
}
