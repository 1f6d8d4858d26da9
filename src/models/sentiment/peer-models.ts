import { createRequire } from "node:module";
import type Sentiment from "sentiment";
import type vader from "vader-sentiment";
import type { TokenizedText } from "../../processing/tokenizer.js";
import { scoresFromEvidence, type SentimentModel, type SentimentScores } from "./sentiment-model.js";

/**
 * General-purpose sentiment libraries wrapped as SentimentModels, so the evaluation and the benchmark can put the
 * embedded model side by side with them. Neither reads chat tokens; both see the raw text.
 */

const require = createRequire(import.meta.url);

/** Gain of the compound → logit map: compound ±1 gives about 96 % to its class. Chosen, not fitted. */
const VADER_GAIN = 4;
/** VADER's own documented cut-off: compound ≥ 0.05 positive, ≤ -0.05 negative, neutral in between. */
const VADER_THRESHOLD = 0.05;

/**
 * vader-sentiment (Hutto & Gilbert 2014). The compound score c becomes three probabilities through a softmax over
 * (4·(c − 0.05), 0, 4·(−c − 0.05)), so the arg-max reproduces VADER's ±0.05 thresholds exactly.
 */
export class VaderSentimentModel implements SentimentModel {
  readonly name = "vader";
  // Loaded when the model is built (about 40 ms), not by every run that never asks for it.
  private readonly analyzer = (require("vader-sentiment") as typeof vader).SentimentIntensityAnalyzer;

  score(text: string, _tokens: TokenizedText): SentimentScores {
    const c = this.analyzer.polarity_scores(text).compound;
    return scoresFromEvidence(VADER_GAIN * (c - VADER_THRESHOLD), VADER_GAIN * (-c - VADER_THRESHOLD), 0);
  }
}

const AFINN_LABELS = require("sentiment/languages/en/labels.json") as Record<string, number>;
const AFINN_NEGATORS: ReadonlySet<string> = new Set(Object.keys(require("sentiment/languages/en/negators.json") as Record<string, number>));
const AFINN_LANGUAGE = "en-chatstream";
const AFINN_OPTIONS = { language: AFINN_LANGUAGE };

/**
 * The package's English scoring rule (a word right after a negator flips its sign), with the negators in a Set: the
 * package looks them up in a plain object, where "constructor good" found Object's constructor and scored -3.
 */
function negateAfterNegator(tokens: string[], cursor: number, tokenScore: number): number {
  return cursor > 0 && AFINN_NEGATORS.has(tokens[cursor - 1] as string) ? -tokenScore : tokenScore;
}

/**
 * The `sentiment` package (AFINN-165 word list with negation). Its integer score s (sum of word valences) becomes
 * three probabilities through a softmax over (s − 0.5, 0, −s − 0.5): any positive sum is "pos", any negative "neg",
 * zero "neu", and each further point of valence adds confidence.
 */
export class AfinnSentimentModel implements SentimentModel {
  readonly name = "afinn";
  private readonly analyzer = new (require("sentiment") as typeof Sentiment)();

  constructor() {
    this.analyzer.registerLanguage(AFINN_LANGUAGE, { labels: AFINN_LABELS, scoringStrategy: { apply: negateAfterNegator } });
  }

  score(text: string, _tokens: TokenizedText): SentimentScores {
    const s = this.analyzer.analyze(text, AFINN_OPTIONS).score;
    return scoresFromEvidence(s - 0.5, -s - 0.5, 0);
  }
}
