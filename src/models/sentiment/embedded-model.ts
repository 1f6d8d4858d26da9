import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import type { TokenizedText } from "../../processing/tokenizer.js";
import { ChatFeatureExtractor } from "./chat-features.js";
import { decodeModel, type DecodedModel, type EmbeddedModelFile } from "./embedded-weights.js";
import { majorityOfThree } from "./majority-vote.js";
import type { SentimentModel, SentimentScores } from "./sentiment-model.js";

/** Where `npm run train:sentiment` writes the weights and where the model reads them (relative to this module). */
export const EMBEDDED_MODEL_PATH = fileURLToPath(new URL("../../../data/models/sentiment-embedded.json", import.meta.url));

const cache = new Map<string, DecodedModel>();

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

  /** `languageGate: false` trusts the words of every message as English (only to measure what the gate does). */
  constructor(emotes: EmoteDictionary, model: DecodedModel = loadEmbeddedWeights(), options: { languageGate?: boolean } = {}) {
    this.extractor = new ChatFeatureExtractor(emotes, model.priors, model.features, options.languageGate ?? true);
    this.weights = model.weights;
    this.inverseTemperature = 1 / model.temperature;
  }

  score(text: string, tokens: TokenizedText): SentimentScores {
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
