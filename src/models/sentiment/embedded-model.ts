import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import { detectLanguage, type LanguageCode } from "../../processing/language.js";
import type { TokenizedText } from "../../processing/tokenizer.js";
import { ChatFeatureExtractor, hasEmotionMarker } from "./chat-features.js";
import { decodeModel, type DecodedModel, type EmbeddedModelFile } from "./embedded-weights.js";
import { majorityOfThree } from "./majority-vote.js";
import { isMultilingualLanguage, loadMultilingualWeights, MultilingualSentimentScorer } from "./multilingual/multilingual-model.js";
import type { DecodedMultilingualModel } from "./multilingual/multilingual-weights.js";
import type { SentimentModel, SentimentScores } from "./sentiment-model.js";

/** Where `npm run train:sentiment` writes the weights and where the model reads them (relative to this module). */
export const EMBEDDED_MODEL_PATH = fileURLToPath(new URL("../../../data/models/sentiment-embedded.json", import.meta.url));

const cache = new Map<string, DecodedModel>();

/** Languages the English model reads; "und" is a line in no language (emotes, names, chat words). */
const READ_BY_ENGLISH_MODEL: ReadonlySet<LanguageCode> = new Set(["en", "und", "zh", "ja", "ko"]);

/**
 * The score of a message in a language no model reads and with no emotional marker: neutral, with low confidence
 * (the top class holds half the mass), so it neither tilts the bar nor claims to know.
 */
export const UNKNOWN_LANGUAGE_SCORES: Readonly<SentimentScores> = Object.freeze({ pos: 0.25, neu: 0.5, neg: 0.25 });

/** Reads and decodes a model file once per path. */
export function loadEmbeddedWeights(path = EMBEDDED_MODEL_PATH): DecodedModel {
  let model = cache.get(path);
  if (!model) {
    model = decodeModel(JSON.parse(readFileSync(path, "utf8")) as EmbeddedModelFile);
    cache.set(path, model);
  }
  return model;
}

/**
 * The embedded sentiment model: a calibrated multinomial logistic regression over chat-aware features
 * (chat-features.ts), trained by scripts/train-sentiment.ts. Its probabilities estimate what the majority of three
 * annotators would say (majority-vote.ts). `score` allocates nothing but its result: features go
 * into the extractor's reused typed arrays and the three logits are plain locals.
 */
export class EmbeddedSentimentModel implements SentimentModel {
  readonly name = "embedded";
  private readonly extractor: ChatFeatureExtractor;
  private readonly weights: Float32Array;
  private readonly inverseTemperature: number;

  private readonly multilingual: MultilingualSentimentScorer | undefined;

  /**
   * `languageGate: false` trusts the words of every message as English (only to measure what the gate does);
   * `multilingual` is the German and Indonesian model (the committed one by default; null for English only).
   */
  constructor(
    emotes: EmoteDictionary,
    model: DecodedModel = loadEmbeddedWeights(),
    options: { languageGate?: boolean; multilingual?: DecodedMultilingualModel | null } = {},
  ) {
    this.extractor = new ChatFeatureExtractor(emotes, model.priors, model.features, options.languageGate ?? true);
    this.weights = model.weights;
    this.inverseTemperature = 1 / model.temperature;
    const multilingual = options.multilingual === undefined ? loadMultilingualWeights() : options.multilingual;
    this.multilingual = multilingual === null || multilingual === undefined ? undefined : new MultilingualSentimentScorer(emotes, multilingual);
  }

  score(text: string, tokens: TokenizedText, language: LanguageCode = detectLanguage(tokens)): SentimentScores {
    // German and Indonesian go to their own model; a language no model reads is neutral, unless an emote, emoji or
    // laughter says otherwise (the guidelines' rule for text one cannot read). English, undetermined lines (emotes,
    // names, chat words) and Chinese, Japanese and Korean (which the annotators read) stay with the English model.
    if (this.multilingual !== undefined && isMultilingualLanguage(language)) return this.multilingual.score(text, tokens, language);
    if (!READ_BY_ENGLISH_MODEL.has(language) && !hasEmotionMarker(tokens, text)) return { ...UNKNOWN_LANGUAGE_SCORES };
    const ex = this.extractor;
    const n = ex.extract(tokens, text);
    const ids = ex.ids;
    const values = ex.values;
    const w = this.weights;
    let zp = 0;
    let zu = ex.neutralOffset * this.inverseTemperature; // the weights are already divided by the temperature
    let zn = 0;
    for (let i = 0; i < n; i++) {
      const base = ids[i]! * 3;
      const v = values[i]!;
      zp += v * w[base]!;
      zu += v * w[base + 1]!;
      zn += v * w[base + 2]!;
    }
    const max = zp > zu ? (zp > zn ? zp : zn) : zu > zn ? zu : zn;
    const p = Math.exp(zp - max);
    const u = Math.exp(zu - max);
    const q = Math.exp(zn - max);
    const sum = p + u + q;
    return majorityOfThree(p / sum, u / sum, q / sum);
  }

  /** Language confidence (0…1) of the last scored message; its words were weighted by it. */
  get lastLanguageConfidence(): number {
    return this.extractor.languageConfidence;
  }
}
