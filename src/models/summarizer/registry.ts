import { builtinEmoteDictionary, type EmoteDictionary } from "../../processing/emote-dictionary.js";
import { ExtractiveSummarizer } from "./extractive-summarizer.js";
import { LLM_SERVERS } from "./llm/llm-servers.js";
import { createLlmSummarizer } from "./llm/openai-summarizer.js";
import { HeadlineSynthesizer } from "./synthesizer/headline-synthesizer.js";
import type { Summarizer } from "./summarizer.js";

export interface SummarizerContext {
  /** Emote meanings the headline may name ("spamming LUL in laughter"); the built-in dictionary when absent. */
  emotes?: EmoteDictionary;
}

/** `arg` is what follows the colon in `--summarizer NAME:ARG` (e.g. the model in `openai:gpt-4o-mini`). */
export type SummarizerFactory = (options: Record<string, unknown> | undefined, ctx: SummarizerContext, arg?: string) => Summarizer;

const factories = new Map<string, SummarizerFactory>([
  ["embedded", (_options, ctx) => new HeadlineSynthesizer(ctx.emotes ?? builtinEmoteDictionary())],
  ["extractive", () => new ExtractiveSummarizer()],
  // `--summarizer openai:MODEL`: any OpenAI-compatible server (OPENAI_BASE_URL / OPENAI_API_KEY); `ollama:MODEL`,
  // `llamacpp:MODEL`, `vllm:MODEL`, `lmstudio:MODEL`: that local server on its default port, no key; see docs/llm.md.
  ...LLM_SERVERS.map((server): [string, SummarizerFactory] => [server.name, (options, ctx, arg) => createLlmSummarizer(server, options, ctx, arg)]),
]);

/** Registers a summarizer under a name usable with `--summarizer NAME`. */
export function registerSummarizer(name: string, factory: SummarizerFactory): void {
  factories.set(name, factory);
}

export function summarizerNames(): string[] {
  return [...factories.keys()];
}

export const DEFAULT_SUMMARIZER = "embedded";

/** Builds a summarizer from `NAME` or `NAME:ARG`. */
export function createSummarizer(spec: string, options?: Record<string, unknown>, ctx: SummarizerContext = {}): Summarizer {
  const colon = spec.indexOf(":");
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const factory = factories.get(name);
  if (!factory) throw new Error(`unknown summarizer "${name}" (available: ${summarizerNames().join(", ")})`);
  return factory(options, ctx, colon < 0 ? undefined : spec.slice(colon + 1));
}
