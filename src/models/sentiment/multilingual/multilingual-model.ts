import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { EmoteDictionary } from "../../../processing/emote-dictionary.js";
import type { LanguageCode } from "../../../processing/language.js";
import type { TokenizedText } from "../../../processing/tokenizer.js";
import type { SentimentScores } from "../sentiment-model.js";
import { MULTILINGUAL_LANGUAGES, MultilingualFeatureExtractor, type MultilingualLanguage } from "./multilingual-features.js";
import { decodeMultilingualModel, type DecodedMultilingualModel } from "./multilingual-weights.js";

/** Where `npm run train:sentiment-multilingual` writes the weights (relative to this module). */
export const MULTILINGUAL_MODEL_PATH = fileURLToPath(new URL("../../../../data/models/sentiment-multilingual.json", import.meta.url));

const cache = new Map<string, DecodedMultilingualModel>();

/** Reads and decodes a model file once per path; undefined when there is none (the English model then stands alone). */
export function loadMultilingualWeights(path = MULTILINGUAL_MODEL_PATH): DecodedMultilingualModel | undefined {
  let model = cache.get(path);
  if (model === undefined) {
    if (!existsSync(path)) return undefined;
    model = decodeMultilingualModel(JSON.parse(readFileSync(path, "utf8")) as unknown);
    cache.set(path, model);
  }
  return model;
}

export function isMultilingualLanguage(lang: LanguageCode): lang is MultilingualLanguage {
  return (MULTILINGUAL_LANGUAGES as readonly string[]).includes(lang);
}

/**
 * German and Indonesian sentiment: a calibrated multinomial logistic regression over multilingual-features.ts,
 * trained on the multilingual dev set by scripts/train-sentiment-multilingual.ts. Its probabilities estimate what
 * one annotator says (the labels it learnt from are single votes). Like the English model, `score` allocates only
 * its result.
 */
export class MultilingualSentimentScorer {
  private readonly extractor: MultilingualFeatureExtractor;
  private readonly weights: Float32Array;
  private readonly offsets: DecodedMultilingualModel["offsets"];

  constructor(emotes: EmoteDictionary, model: DecodedMultilingualModel) {
    this.extractor = new MultilingualFeatureExtractor(emotes, model.priors, model.features);
    this.weights = model.weights;
    this.offsets = model.offsets;
  }

  score(text: string, tokens: TokenizedText, lang: MultilingualLanguage): SentimentScores {
    const ex = this.extractor;
    const n = ex.extract(tokens, text, lang);
    const w = this.weights;
    const o = this.offsets.get(lang);
    let zp = o?.[0] ?? 0;
    let zu = o?.[1] ?? 0;
    let zn = o?.[2] ?? 0;
    for (let i = 0; i < n; i++) {
      const base = ex.ids[i]! * 3;
      const v = ex.values[i]!;
      zp += v * w[base]!;
      zu += v * w[base + 1]!;
      zn += v * w[base + 2]!;
    }
    const max = zp > zu ? (zp > zn ? zp : zn) : zu > zn ? zu : zn;
    const p = Math.exp(zp - max);
    const u = Math.exp(zu - max);
    const q = Math.exp(zn - max);
    const sum = p + u + q;
    return { pos: p / sum, neu: u / sum, neg: q / sum };
  }
}
