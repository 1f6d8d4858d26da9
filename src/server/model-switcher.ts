import { DigestBuilder } from "../aggregation/chat-digest.js";
import type { ModelSlots } from "../commands/model-setup.js";
import { createSentimentModel, sentimentModelNames } from "../models/sentiment/registry.js";
import type { SentimentModel } from "../models/sentiment/sentiment-model.js";
import { isAsyncSummarizer } from "../models/summarizer/llm/async-summarizer.js";
import { OpenAiSummarizer } from "../models/summarizer/llm/openai-summarizer.js";
import { createSummarizer, summarizerNames } from "../models/summarizer/registry.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import { tokenize } from "../processing/tokenizer.js";
import type { ModelRole, ModelsResponse, ModelSwapResponse } from "./api-schemas.js";

/** Why a swap was refused: `status` is the HTTP status the API answers with. */
export class SwapError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
  }
}

const WARMUP_TEXTS = ["PogChamp what a play", "this is so boring ResidentSleeper", "LUL LUL LUL", "is the stream lagging?", "gg wp", "I hate this patch", "hello chat", "KEKW"];

export interface ModelSwitcherOptions {
  slots: ModelSlots;
  sentimentName: string;
  summarizerName: string;
  /** Wraps a new model before it goes into its slot (metrics instrumentation). */
  wrapSentiment?: (m: SentimentModel) => SentimentModel;
  wrapSummarizer?: (s: Summarizer) => Summarizer;
  /** Called right after a slot changed (stream event, counters). */
  onSwap?: (swap: ModelSwapResponse) => void;
  onFailure?: (role: ModelRole, error: SwapError) => void;
  /** Stream time of the latest published snapshot, reported with the swap. */
  latestT?: () => number | null;
  now?: () => number;
}

/**
 * Hot-swaps the sentiment model or the summarizer. The new model is built through the registry and warmed
 * (a few sample messages scored, a sample digest summarized; an LLM asked once for real) while the old one keeps
 * serving; then the slot is set in one synchronous assignment. The pipeline reads the slot per message / per headline on the same
 * event loop, so the switch lands between two consumer batches: no snapshot is skipped and no message is
 * lost. A model that fails to build or to warm is refused with a SwapError and the old one stays.
 * Swaps are serialized.
 */
export class ModelSwitcher {
  private active: Record<ModelRole, string>;
  private readonly swapCounts: Record<ModelRole, number> = { sentiment: 0, summarizer: 0 };
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ModelSwitcherOptions) {
    this.active = { sentiment: options.sentimentName, summarizer: options.summarizerName };
  }

  activeName(role: ModelRole): string {
    return this.active[role];
  }

  describe(): ModelsResponse {
    return {
      sentiment: { active: this.active.sentiment, available: sentimentModelNames(), swaps: this.swapCounts.sentiment },
      summarizer: { active: this.active.summarizer, available: summarizerNames(), swaps: this.swapCounts.summarizer },
    };
  }

  swap(role: ModelRole, name: string, modelOptions?: Record<string, unknown>): Promise<ModelSwapResponse> {
    const run = this.chain.then(() => this.doSwap(role, name, modelOptions));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async doSwap(role: ModelRole, name: string, modelOptions?: Record<string, unknown>): Promise<ModelSwapResponse> {
    const now = this.options.now ?? (() => performance.now());
    const names = role === "sentiment" ? sentimentModelNames() : summarizerNames();
    // `openai:MODEL` names the registered `openai` summarizer with an argument.
    if (!names.includes(name.split(":")[0] ?? name)) {
      const err = new SwapError(422, "Unknown model", `unknown ${role} model "${name}" (available: ${names.join(", ")})`);
      this.options.onFailure?.(role, err);
      throw err;
    }
    const started = now();
    // Yield once so the request returns to the event loop before the (possibly slow) build.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const slots = this.options.slots;
    let install: () => void;
    try {
      if (role === "sentiment") {
        const model = createSentimentModel(name, { emotes: slots.emotes }, modelOptions);
        warmSentiment(model, slots);
        const wrapped = this.options.wrapSentiment?.(model) ?? model;
        install = () => (slots.sentiment = wrapped);
      } else {
        const summarizer = createSummarizer(name, modelOptions, { emotes: slots.emotes });
        await warmSummarizer(summarizer, slots);
        const wrapped = this.options.wrapSummarizer?.(summarizer) ?? summarizer;
        install = () => (slots.summarizer = wrapped);
      }
    } catch (cause) {
      const err =
        cause instanceof WarmUpError
          ? new SwapError(500, "Model failed to warm up", `${role} model "${name}" failed its warm-up at ${cause.endpoint}: ${cause.message}; "${this.active[role]}" stays active`)
          : new SwapError(500, "Model failed to load", `${role} model "${name}" failed to load: ${cause instanceof Error ? cause.message : String(cause)}; "${this.active[role]}" stays active`);
      this.options.onFailure?.(role, err);
      throw err;
    }
    const previous = this.active[role];
    install();
    this.active[role] = name;
    this.swapCounts[role]++;
    const result: ModelSwapResponse = { role, previous, active: name, warmupMs: Math.round((now() - started) * 100) / 100, atT: this.options.latestT?.() ?? null };
    this.options.onSwap?.(result);
    return result;
  }
}

function warmSentiment(model: SentimentModel, slots: ModelSlots): void {
  for (const text of WARMUP_TEXTS) {
    const s = model.score(text, tokenize(text, slots.emotes));
    if (![s.pos, s.neu, s.neg].every((v) => Number.isFinite(v))) throw new Error(`warm-up scores are not numbers for "${text}"`);
  }
}

/** An LLM that did not answer its warm-up request: why, in one line, and where it was asked. */
class WarmUpError extends Error {
  constructor(
    readonly endpoint: string,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Summarizes a sample window. An LLM summarizer is asked for real and waited for (its `warmUpTimeoutMs`): a model
 * that cannot answer (a dead endpoint, a model the server does not have, an empty answer) is refused, not installed
 * to fall back silently on every headline.
 */
async function warmSummarizer(summarizer: Summarizer, slots: ModelSlots): Promise<void> {
  const builder = new DigestBuilder();
  const messages = WARMUP_TEXTS.map((text, i) => slots.processor.process({ t: i * 100, platform: "warmup", channel: "warmup", userId: `u${i}`, user: `u${i}`, text }));
  for (const m of messages) builder.add(m);
  const digest = builder.build(0, 1000);
  if (summarizer instanceof OpenAiSummarizer) {
    const warm = await summarizer.warmUp(digest);
    if (!warm.ok) {
      await summarizer.close();
      throw new WarmUpError(summarizer.endpoint, warm.reason);
    }
  }
  // Summarized without starting requests: the sample is no stream's content.
  const local = isAsyncSummarizer(summarizer) ? summarizer.fallback : summarizer;
  const headline = local.summarizeWindow(digest);
  local.summarizePeriod(digest, [digest]);
  if (typeof headline !== "string") throw new Error("warm-up headline is not a string");
}
