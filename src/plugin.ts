/**
 * The plugin contract (`import type { ChatstreamPlugin } from "chatstream/plugin"`).
 *
 * A plugin is an ES module whose default export is a function taking a {@link PluginApi}. `--plugin FILE`
 * (repeatable) imports it before the command starts, and what it registers joins the same registries the built-in
 * models and sinks use: `--sentiment NAME`, `--summarizer NAME[:ARG]`, `--sink NAME[:ARG]`, and hot-swaps over
 * `PUT /v1/models/{role}`. Models must be synchronous and pure on the hot path (docs/plugins.md says why).
 */
import { cleanText } from "./core/text-cleaning.js";
import { createSentimentModel, registerSentimentModel, sentimentModelNames, type SentimentModelContext, type SentimentModelFactory } from "./models/sentiment/registry.js";
import type { SentimentModel, SentimentScores } from "./models/sentiment/sentiment-model.js";
import { createSummarizer, registerSummarizer, summarizerNames, type SummarizerContext, type SummarizerFactory } from "./models/summarizer/registry.js";
import type { Summarizer } from "./models/summarizer/summarizer.js";
import { safeForAir } from "./models/summarizer/synthesizer/safe-for-air.js";
import { registerSink, sinkNames, type SinkContext, type SinkFactory } from "./sinks/registry.js";

export type { ChatDigest, MessageGroup } from "./aggregation/chat-digest.js";
export type { LanguageCode } from "./processing/language.js";
export type { TokenizedText, Token } from "./processing/tokenizer.js";
export type { SentimentModel, SentimentScores, SentimentLabel } from "./models/sentiment/sentiment-model.js";
export type { Summarizer, WindowContext } from "./models/summarizer/summarizer.js";
export type { Sink } from "./sinks/sink.js";
export type { OutputRecord, Snapshot, Rollup } from "./schema/output-schema.js";
export type { SentimentModelContext, SentimentModelFactory, SummarizerContext, SummarizerFactory, SinkContext, SinkFactory };

/** What a plugin may register. Names must be new: a plugin cannot replace a built-in or another plugin's adapter. */
export interface PluginApi {
  /** The plugin file being loaded, as given on the command line. */
  readonly file: string;
  registerSentimentModel(name: string, factory: SentimentModelFactory): void;
  registerSummarizer(name: string, factory: SummarizerFactory): void;
  registerSink(name: string, factory: SinkFactory): void;
}

export type ChatstreamPlugin = (api: PluginApi) => void | Promise<void>;

/** Names a plugin may take: what `--sentiment NAME:ARG`-style specs and the API can carry unambiguously. */
const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,39}$/;

function checked(kind: string, name: string, taken: readonly string[]): void {
  if (!PLUGIN_NAME.test(name)) throw new Error(`${kind} name ${JSON.stringify(name)} must be 1–40 lower-case letters, digits or dashes, starting with a letter`);
  if (taken.includes(name)) throw new Error(`${kind} "${name}" is already registered`);
}

/**
 * A plugin's headlines pass the on-air mask the built-in summarizers apply to every word they take from chat
 * (profanity and slurs masked, links, @handles and promo codes replaced): a plugin that quotes chat cannot put a slur
 * or a scam link on air.
 */
function maskedForAir(inner: Summarizer): Summarizer {
  return {
    get name() {
      return inner.name;
    },
    summarizeWindow: (digest, context) => safeForAir(inner.summarizeWindow(digest, context)),
    summarizePeriod: (digest, parts) => safeForAir(inner.summarizePeriod(digest, parts)),
  };
}

/** Where a plugin adapter's failures are said: once per adapter instance, the first one, on stderr by default. */
export type PluginFailureReport = (message: string) => void;

const toStderr: PluginFailureReport = (message) => process.stderr.write(`${message}\n`);

/** The first failure of an adapter, in one line a terminal can show (the plugin's text is untrusted). */
function firstFailure(file: string, kind: string, name: string, report: PluginFailureReport): (error: unknown) => void {
  let said = false;
  return (error) => {
    if (said) return;
    said = true;
    const why = cleanText(error instanceof Error ? error.message : String(error)).slice(0, 200);
    report(`chatstream: plugin ${JSON.stringify(file)}: ${kind} "${name}" failed (${why}); the built-in "embedded" answers where it fails (said once)`);
  };
}

/**
 * A plugin's summarizer that throws, or answers with no text, must not end the run or put nothing on air: the
 * embedded synthesizer answers for that call, and the first failure is said once.
 */
function guardedSummarizer(inner: Summarizer, fallback: Summarizer, failed: (error: unknown) => void): Summarizer {
  const attempt = (ask: () => string, instead: () => string): string => {
    try {
      const headline = ask();
      if (typeof headline === "string" && headline.trim().length > 0) return headline;
      failed(new Error(`answered ${JSON.stringify(typeof headline === "string" ? headline : typeof headline)}`));
    } catch (error) {
      failed(error);
    }
    return instead();
  };
  return {
    get name() {
      return inner.name;
    },
    summarizeWindow: (digest, context) => attempt(() => inner.summarizeWindow(digest, context), () => fallback.summarizeWindow(digest, context)),
    summarizePeriod: (digest, parts) => attempt(() => inner.summarizePeriod(digest, parts), () => fallback.summarizePeriod(digest, parts)),
  };
}

function validScores(s: unknown): s is SentimentScores {
  if (typeof s !== "object" || s === null) return false;
  const { pos, neu, neg } = s as Record<string, unknown>;
  return [pos, neu, neg].every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0 && x <= 1);
}

/** The same for a plugin's sentiment model: a throw or scores that are not three shares in [0, 1] get the embedded model's. */
function guardedSentimentModel(inner: SentimentModel, fallback: () => SentimentModel, failed: (error: unknown) => void): SentimentModel {
  let embedded: SentimentModel | undefined;
  return {
    get name() {
      return inner.name;
    },
    score(text, tokens, language) {
      try {
        const scores = inner.score(text, tokens, language);
        if (validScores(scores)) return scores;
        failed(new Error("answered scores that are not three shares in [0, 1]"));
      } catch (error) {
        failed(error);
      }
      return (embedded ??= fallback()).score(text, tokens, language);
    },
  };
}

/** The API handed to one plugin: it registers into the shared registries, refusing names already taken. */
export function pluginApi(file: string, report: PluginFailureReport = toStderr): PluginApi {
  return {
    file,
    registerSentimentModel(name, factory) {
      checked("sentiment model", name, sentimentModelNames());
      registerSentimentModel(name, (ctx, options) => guardedSentimentModel(factory(ctx, options), () => createSentimentModel("embedded", ctx), firstFailure(file, "sentiment model", name, report)));
    },
    registerSummarizer(name, factory) {
      checked("summarizer", name, summarizerNames());
      registerSummarizer(name, (options, ctx, arg) => guardedSummarizer(maskedForAir(factory(options, ctx, arg)), createSummarizer("embedded", undefined, ctx), firstFailure(file, "summarizer", name, report)));
    },
    registerSink(name, factory) {
      checked("sink", name, sinkNames());
      registerSink(name, factory);
    },
  };
}
