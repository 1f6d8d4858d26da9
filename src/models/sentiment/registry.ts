import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import { EmbeddedSentimentModel, loadEmbeddedWeights } from "./embedded-model.js";
import { LexiconSentimentModel } from "./lexicon-model.js";
import { AfinnSentimentModel, VaderSentimentModel } from "./peer-models.js";
import type { SentimentModel } from "./sentiment-model.js";

export interface SentimentModelContext {
  emotes: EmoteDictionary;
}

export type SentimentModelFactory = (ctx: SentimentModelContext, options?: Record<string, unknown>) => SentimentModel;

const factories = new Map<string, SentimentModelFactory>([
  // Trained weights from data/models/; option `weights` (path) loads another file in the same format.
  ["embedded", (ctx, options) => new EmbeddedSentimentModel(ctx.emotes, loadEmbeddedWeights(typeof options?.weights === "string" ? options.weights : undefined))],
  ["lexicon", (ctx) => new LexiconSentimentModel(ctx.emotes)],
  ["vader", () => new VaderSentimentModel()],
  ["afinn", () => new AfinnSentimentModel()],
]);

/** Registers a sentiment model under a name usable with `--sentiment NAME`. */
export function registerSentimentModel(name: string, factory: SentimentModelFactory): void {
  factories.set(name, factory);
}

export function sentimentModelNames(): string[] {
  return [...factories.keys()];
}

export const DEFAULT_SENTIMENT_MODEL = "embedded";

export function createSentimentModel(name: string, ctx: SentimentModelContext, options?: Record<string, unknown>): SentimentModel {
  const factory = factories.get(name);
  if (!factory) throw new Error(`unknown sentiment model "${name}" (available: ${sentimentModelNames().join(", ")})`);
  return factory(ctx, options);
}
