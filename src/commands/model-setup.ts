import { createSentimentModel, DEFAULT_SENTIMENT_MODEL } from "../models/sentiment/registry.js";
import type { SentimentModel } from "../models/sentiment/sentiment-model.js";
import { createSummarizer, DEFAULT_SUMMARIZER } from "../models/summarizer/registry.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import { LlmStatusReporter } from "../models/summarizer/llm/llm-status.js";
import { OpenAiSummarizer } from "../models/summarizer/llm/openai-summarizer.js";
import { BotFilter } from "../processing/bot-filter.js";
import { loadEmoteDictionary, type EmoteDictionary, type EmoteDocument } from "../processing/emote-dictionary.js";
import type { LanguageCode } from "../processing/language.js";
import { MessageProcessor } from "../processing/message-processor.js";
import { MULTILINGUAL_LANGUAGES } from "../models/sentiment/multilingual/multilingual-features.js";
import { assertReadableFile } from "./usage-error.js";

export interface ModelOptions {
  sentiment?: string;
  summarizer?: string;
  /** The models' own options (the config file's `sentimentOptions` / `summarizerOptions`). */
  sentimentOptions?: Record<string, unknown>;
  summarizerOptions?: Record<string, unknown>;
  emotes?: string[];
  /** Emote documents already in memory (fetched by `run --fetch-emotes`), merged before the `emotes` files. */
  emoteDocuments?: EmoteDocument[];
  ignoreUsers?: string[];
}

/**
 * The models a run uses, held in slots so a later hot-swap replaces what a slot points at between two
 * messages or snapshots without rebuilding the pipeline.
 */
export interface ModelSlots {
  emotes: EmoteDictionary;
  sentiment: SentimentModel;
  summarizer: Summarizer;
  processor: MessageProcessor;
}

/**
 * Languages a line the detector leaves "und" is scored in when its channel mostly speaks one of them: those a model
 * of their own reads (German and Indonesian; processing/channel-language.ts).
 */
export const CHANNEL_PRIOR_LANGUAGES: ReadonlySet<LanguageCode> = new Set(MULTILINGUAL_LANGUAGES);

export function setUpModels(options: ModelOptions): ModelSlots {
  for (const file of options.emotes ?? []) assertReadableFile(file, "--emotes");
  const emotes = loadEmoteDictionary(options.emotes ?? [], options.emoteDocuments ?? []);
  const slots = {
    emotes,
    sentiment: createSentimentModel(options.sentiment ?? DEFAULT_SENTIMENT_MODEL, { emotes }, options.sentimentOptions),
    summarizer: createSummarizer(options.summarizer ?? DEFAULT_SUMMARIZER, options.summarizerOptions, { emotes }),
  } as ModelSlots;
  slots.processor = new MessageProcessor(emotes, new BotFilter(options.ignoreUsers ?? []), () => slots.sentiment, { channelPriorLanguages: CHANNEL_PRIOR_LANGUAGES });
  return slots;
}

/**
 * For an LLM summarizer: probes its server at once (without waiting for the answer) and tells stderr, once
 * each, when it is unreachable, failing, or back; `stop()` at the end of the run aborts what is still in flight
 * (and ends retries), so the process exits at once instead of waiting for an answer nobody will use.
 */
export function superviseSummarizer(summarizer: Summarizer, log: (line: string) => void): { stop(): Promise<void> } {
  if (!(summarizer instanceof OpenAiSummarizer)) return { stop: () => Promise.resolve() };
  const reporter = new LlmStatusReporter(summarizer.endpoint, log);
  const unsubscribe = summarizer.onEvent((e) => reporter.event(e));
  void summarizer.probe().then((probe) => reporter.probed(probe));
  return {
    stop: async () => {
      await summarizer.close();
      unsubscribe();
      reporter.finish();
    },
  };
}

/** Comma- or repeat-separated list option: `--ignore-users a,b --ignore-users c`. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(",").map((v) => v.trim()).filter((v) => v.length > 0)];
}
