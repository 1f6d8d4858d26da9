import type { CountedText, Mood, SentimentBar, Topic } from "../schema/output-schema.js";
import type { ChatDigest, SentimentSum } from "./chat-digest.js";
import { committedConfidenceWeights, confidenceFeatures, predictConfidence, weightsForLevel, type ConfidenceLevel } from "./confidence-model.js";
import { readMood, type MoodReading } from "./mood.js";

// Output numbers are rounded so lines stay short and byte-identical across runs and platforms.
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const round1 = (x: number): number => Math.round(x * 10) / 10;
const round3 = (x: number): number => Math.round(x * 1e3) / 1e3;

/** Mean class probabilities and net points; all zero when nothing was scored (no evidence is not neutrality). */
export function sentimentBar(sum: SentimentSum, scored: number): SentimentBar {
  if (scored === 0) return { pos: 0, neu: 0, neg: 0, net: 0 };
  const pos = sum.pos / scored;
  const neg = sum.neg / scored;
  return { pos: round4(pos), neu: round4(sum.neu / scored), neg: round4(neg), net: round1(100 * (pos - neg)) };
}

/**
 * A record's mood and how far to trust it: the mood (null below the minimum evidence, mood.ts) and the calibrated
 * probability that the mood reading is right (confidence-model.ts, fitted per kind of record), lowered by the share
 * of messages shed under load. Without fitted weights, a heuristic of the same inputs.
 */
export function moodFields(d: ChatDigest, level: ConfidenceLevel = "window", shedShare = 0): { mood: Mood | null; confidence: number } {
  const reading = readMood(d);
  return { mood: reading.mood, confidence: confidenceOfReading(d, reading, level, shedShare) };
}

/** The confidence alone (see moodFields). */
export function confidenceOf(d: ChatDigest, shedShare = 0, level: ConfidenceLevel = "window"): number {
  return confidenceOfReading(d, readMood(d), level, shedShare);
}

function confidenceOfReading(d: ChatDigest, reading: MoodReading, level: ConfidenceLevel, shedShare: number): number {
  if (d.scored === 0) return 0;
  const kept = 1 - Math.min(1, Math.max(0, shedShare));
  const fitted = committedConfidenceWeights();
  if (fitted !== undefined) return round3(predictConfidence(weightsForLevel(fitted, level), confidenceFeatures(d, reading)) * kept);
  const agreement = Math.max(d.sentiment.pos, d.sentiment.neu, d.sentiment.neg) / d.scored;
  const volume = 1 - Math.exp(-d.chatters / 8);
  return round3(volume * (0.4 + 0.6 * agreement) * kept);
}

export function topicsOf(d: ChatDigest, n = 5): Topic[] {
  const out: Topic[] = [];
  for (const t of d.terms) {
    if (out.length === n) break;
    if (t.count < 2) break;
    out.push({ label: t.term, count: t.count });
  }
  return out;
}

export function topOf(d: ChatDigest, n = 5): CountedText[] {
  return d.groups.slice(0, n).map((g) => ({ text: g.text, count: g.count }));
}

/** The most asked questions: question groups with their counts (a single "???" reaction is not a question). */
export function questionsOf(d: ChatDigest, n = 3): CountedText[] {
  const out: CountedText[] = [];
  for (const g of d.groups) {
    if (out.length === n) break;
    if (g.isQuestion && g.signature !== "?") out.push({ text: g.text, count: g.count });
  }
  return out;
}
