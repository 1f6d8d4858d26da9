import type { LanguageCode } from "../../processing/language.js";
import type { TokenizedText } from "../../processing/tokenizer.js";

/** Probabilities of the three classes for one message; they sum to 1. */
export interface SentimentScores {
  pos: number;
  neu: number;
  neg: number;
}

export type SentimentLabel = "pos" | "neu" | "neg";

/**
 * A message-level sentiment model. Implementations are registered by name (see registry.ts) and must be
 * pure and synchronous on the hot path: `score` is called once per chat message.
 */
export interface SentimentModel {
  readonly name: string;
  /**
   * `language` is the message's language as the per-message stage read it (processing/language.ts); a model that
   * scores languages differently detects it itself when it is not given.
   */
  score(text: string, tokens: TokenizedText, language?: LanguageCode): SentimentScores;
}

export function labelOf(scores: SentimentScores): SentimentLabel {
  if (scores.pos >= scores.neu && scores.pos >= scores.neg) return scores.pos > scores.neu ? "pos" : "neu";
  if (scores.neg > scores.neu) return "neg";
  return "neu";
}

/** Softmax over (positive evidence, neutral bias, negative evidence): turns a signed score into three probabilities. */
export function scoresFromEvidence(positive: number, negative: number, neutralBias: number): SentimentScores {
  const max = Math.max(positive, negative, neutralBias);
  const p = Math.exp(positive - max);
  const n = Math.exp(negative - max);
  const u = Math.exp(neutralBias - max);
  const sum = p + n + u;
  return { pos: p / sum, neu: u / sum, neg: n / sum };
}
