import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type OpenAI from "openai";
import type * as OpenAiPackage from "openai";
import type { ChatDigest } from "../../../aggregation/chat-digest.js";
import { SystemClock, type Clock } from "../../../core/clock.js";
import { builtinEmoteDictionary, type EmoteDictionary } from "../../../processing/emote-dictionary.js";
import { isQuiet } from "../headline-text.js";
import type { Summarizer } from "../summarizer.js";
import { HeadlineSynthesizer } from "../synthesizer/headline-synthesizer.js";
import type { AsyncSummarizer, UpdateListener } from "./async-summarizer.js";
import { CircuitBreaker, DEFAULT_BREAKER_POLICY, type BreakerPolicy, type BreakerState } from "./circuit-breaker.js";
import type { HeadlineSource, LlmEvent, LlmEventListener, LlmRequestOutcome, LlmSkipReason } from "./llm-events.js";
import { llmServer, type LlmServer } from "./llm-servers.js";
import { LruCache } from "./lru.js";
import { buildPrompt, contentSignature, DEFAULT_PROMPT_LIMITS, DEFAULT_PROMPT_STYLE, PROMPT_STYLES, type PromptLimits, type PromptStyle, type RequestKind } from "./prompt.js";
import { TokenBudget } from "./token-budget.js";
import { promptTokens, textTokens, type PromptMessage } from "./tokens.js";
import { checkHeadline, DEFAULT_HEADLINE_BOUNDS, type HeadlineBounds, type Rejection } from "./validate.js";

// The `openai` package (about 50 ms to load) is read only when a summarizer is built, never by a run without one.
const require = createRequire(import.meta.url);
let openAiPackage: typeof OpenAiPackage | undefined;
const openAi = (): typeof OpenAiPackage => (openAiPackage ??= require("openai") as typeof OpenAiPackage);

export interface OpenAiSummarizerOptions {
  /** Model name as the server knows it (`gpt-4o-mini`, `llama3.1:8b`, …). */
  model: string;
  /** What the summarizer calls itself (`ollama:llama3.1`); `openai:MODEL` when absent. */
  name?: string;
  /** OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama; the official API when absent. */
  baseURL?: string;
  /** API key; local servers take any (a placeholder is sent when a baseURL is set without one). */
  apiKey?: string;
  /** Time for timeouts, retries, the breaker's cool-down and the token budget. Default: the system clock. */
  clock?: Clock;
  /** Ask for a streamed answer (SSE chunks). Default false. */
  stream?: boolean;
  /** Clock ms one attempt may take. Default 8000. */
  timeoutMs?: number;
  /** Retries of one request after a timeout, 429, 5xx or connection error. Default 2. */
  maxRetries?: number;
  /** First retry delay (doubles each retry) when the server gives no Retry-After. Default 500. */
  retryBaseMs?: number;
  /** Longest delay before a retry; a longer Retry-After gives the request up. Default 10000. */
  maxRetryDelayMs?: number;
  /** Retries allowed per minute over all requests (the retry budget). Default 10. */
  retriesPerMinute?: number;
  breaker?: Partial<BreakerPolicy>;
  /** Prompt + completion tokens allowed per minute; beyond it, the embedded headline is used. Default unlimited. */
  tokensPerMinute?: number;
  /** Completion tokens asked for at most. Default 120. */
  maxCompletionTokens?: number;
  /** Clock ms the warm-up request of a hot-swap may take (a local server loads the model then). Default 30000. */
  warmUpTimeoutMs?: number;
  temperature?: number;
  /** Headlines remembered by content signature. Default 512. */
  cacheSize?: number;
  /** Fewest clock ms between two request starts (a guard when called on every snapshot). Default 1000. */
  minRequestIntervalMs?: number;
  /** Also ask the model for roll-up (period) headlines (usable only through onUpdate). Default false. */
  periods?: boolean;
  emotes?: EmoteDictionary;
  /** What answers while the model has not (default: the embedded HeadlineSynthesizer). */
  fallback?: Summarizer;
  limits?: PromptLimits;
  /** What the model reads: the window's distinct lines (default) or the structured summary of before (docs/llm.md). */
  promptStyle?: PromptStyle;
  bounds?: HeadlineBounds;
  /** A ready client (tests); built from baseURL/apiKey when absent. */
  client?: OpenAI;
}

export interface LlmStats {
  model: string;
  /** HTTP requests sent (retries included). */
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Attempts that failed: HTTP errors, timeouts, connection errors, malformed responses. */
  failures: number;
  /** Headlines answered by the fallback because no model headline was ready for the content. */
  fallbacks: number;
  /** Headlines answered from the cache. */
  cacheHits: number;
  /** Answers the validator could not repair. */
  rejected: number;
  /** Answers repaired before use. */
  repaired: number;
  retries: number;
  timeouts: number;
  /** Requests not started: breaker open, token budget spent, too soon after the last one, or rejected before. */
  skipped: { breaker: number; budget: number; interval: number; rejectedBefore: number };
  breaker: BreakerState;
  /** Tokens spent in the last minute of clock time. */
  tokensLastMinute: number;
}

export type { UpdateListener } from "./async-summarizer.js";

class TimeoutError extends Error {
  constructor() {
    super("LLM request timed out");
  }
}

class MalformedResponseError extends Error {}

/** The run ended (close()) while the request was in flight or waiting to be retried. */
class StoppedError extends Error {
  constructor() {
    super("LLM request stopped: the run ended");
  }
}

/** What the start-up probe found: the server answers, or why it cannot be used. */
export type LlmProbe = { ok: true } | { ok: false; reason: string };

/**
 * Why a headline that waited for the model (`headlineFor`) is the fallback's: a quiet window (never asked), the run
 * stopped, the breaker or the token budget held the request back, the request timed out or failed (after its
 * retries), or the validator refused the answer (`rejection` says why; content refused before is not asked again).
 */
export type FallbackReason = "quiet" | "stopped" | "breaker" | "budget" | "timeout" | "error" | "rejected";

/** A headline that waited for the model's answer: the model's (validated, maybe from the cache) or the fallback's, and why. */
export type ModelAnswer =
  | { source: "model"; headline: string; cached: boolean }
  | { source: "fallback"; headline: string; reason: FallbackReason; rejection?: Rejection; detail?: string };

/** How one request ended, after its retries. */
type RunOutcome = { ok: true; headline: string } | { ok: false; reason: Exclude<FallbackReason, "quiet">; rejection?: Rejection; detail?: string };

/** What a request carries besides its messages. */
export interface ChatRequestParams {
  model: string;
  maxCompletionTokens: number;
  temperature?: number;
  stream?: boolean;
}

export const DEFAULT_MAX_COMPLETION_TOKENS = 120;

/** The JSON body POSTed to `/chat/completions` (what `--prompts-out` writes, and what `send` sends). */
export function chatRequestBody(params: ChatRequestParams, messages: readonly PromptMessage[]): Record<string, unknown> {
  return {
    model: params.model,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    max_tokens: params.maxCompletionTokens,
    ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
    ...(params.stream === true ? { stream: true, stream_options: { include_usage: true } } : { stream: false }),
  };
}

const MINUTE = 60_000;

/**
 * An OpenAI-compatible chat model behind the synchronous Summarizer interface. `summarizeWindow` never waits:
 * it answers from the cache when the model already wrote a headline for this content signature, and otherwise
 * answers with the embedded headline at once and (breaker closed, budget left, no identical request in flight)
 * starts a request; the answer, once validated, goes to the cache and to `onUpdate` listeners.
 */
export class OpenAiSummarizer implements AsyncSummarizer {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly clock: Clock;
  private readonly emotes: EmoteDictionary;
  readonly fallback: Summarizer;
  private readonly breaker: CircuitBreaker;
  private readonly budget: TokenBudget;
  private readonly cache: LruCache<string>;
  private readonly rejectedKeys: LruCache<Rejection>;
  private readonly inFlight = new Map<string, Promise<RunOutcome>>();
  private readonly listeners = new Set<UpdateListener>();
  private readonly eventListeners = new Set<LlmEventListener>();
  /** Aborted by close(): in-flight requests, their timeouts and retry waits end at once, and no request starts. */
  private readonly stopped = new AbortController();
  private readonly retryTimes: number[] = [];
  private lastStart = -Infinity;
  private previous: string | undefined;
  private readonly counters = { calls: 0, promptTokens: 0, completionTokens: 0, failures: 0, fallbacks: 0, cacheHits: 0, rejected: 0, repaired: 0, retries: 0, timeouts: 0 };
  private readonly skipped = { breaker: 0, budget: 0, interval: 0, rejectedBefore: 0 };
  private readonly o: Required<Pick<OpenAiSummarizerOptions, "timeoutMs" | "maxRetries" | "retryBaseMs" | "maxRetryDelayMs" | "retriesPerMinute" | "maxCompletionTokens" | "minRequestIntervalMs" | "periods" | "stream" | "warmUpTimeoutMs" | "promptStyle">>;

  constructor(private readonly options: OpenAiSummarizerOptions) {
    this.name = options.name ?? `openai:${options.model}`;
    this.clock = options.clock ?? new SystemClock();
    this.emotes = options.emotes ?? builtinEmoteDictionary();
    this.fallback = options.fallback ?? new HeadlineSynthesizer(this.emotes);
    this.o = {
      timeoutMs: options.timeoutMs ?? 8_000,
      maxRetries: options.maxRetries ?? 2,
      retryBaseMs: options.retryBaseMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
      retriesPerMinute: options.retriesPerMinute ?? 10,
      maxCompletionTokens: options.maxCompletionTokens ?? DEFAULT_MAX_COMPLETION_TOKENS,
      minRequestIntervalMs: options.minRequestIntervalMs ?? 1_000,
      periods: options.periods ?? false,
      stream: options.stream ?? false,
      warmUpTimeoutMs: options.warmUpTimeoutMs ?? 30_000,
      promptStyle: options.promptStyle ?? DEFAULT_PROMPT_STYLE,
    };
    this.breaker = new CircuitBreaker(this.clock, { ...DEFAULT_BREAKER_POLICY, ...options.breaker });
    this.budget = new TokenBudget(this.clock, options.tokensPerMinute ?? Infinity);
    this.cache = new LruCache(options.cacheSize ?? 512);
    this.rejectedKeys = new LruCache(options.cacheSize ?? 512);
    this.client =
      options.client ??
      new (openAi().OpenAI)({
        baseURL: options.baseURL,
        apiKey: options.apiKey ?? (options.baseURL !== undefined ? "not-needed" : undefined),
        maxRetries: 0,
        // A wall-clock safety net only: timeouts proper run on the injected clock.
        timeout: Math.max(60_000, this.o.timeoutMs * 4, this.o.warmUpTimeoutMs * 2),
        // The client would print what a server sent (a broken SSE chunk) raw on stderr: failures are ours to report.
        logLevel: "off",
      });
  }

  summarizeWindow(digest: ChatDigest): string {
    return this.answer("window", digest, [], () => this.fallback.summarizeWindow(digest));
  }

  summarizePeriod(digest: ChatDigest, parts: readonly ChatDigest[]): string {
    const fallback = (): string => this.fallback.summarizePeriod(digest, parts);
    if (!this.o.periods) {
      this.answered("fallback");
      return fallback();
    }
    return this.answer("period", digest, parts, fallback);
  }

  /**
   * The headline for one window, waiting for the model (`chatstream digest`): the cached or freshly validated model
   * headline, or the fallback's with the reason. Windows are read on their own: no previous headline unless given,
   * and none is remembered. The breaker, the token budget, the cache (by request) and the in-flight de-duplication
   * apply as on the live path; the spacing of live requests (`minRequestIntervalMs`) does not (the caller bounds
   * concurrency).
   */
  async headlineFor(digest: ChatDigest, previous?: string): Promise<ModelAnswer> {
    const fallback = (reason: FallbackReason, extra: { rejection?: Rejection; detail?: string } = {}): ModelAnswer => {
      // As on the live path: a quiet window is no fallback, the model is never asked about one.
      if (reason !== "quiet") this.counters.fallbacks++;
      this.answered(reason === "quiet" ? "quiet" : "fallback");
      return { source: "fallback", headline: this.fallback.summarizeWindow(digest), reason, ...extra };
    };
    if (isQuiet(digest)) return fallback("quiet");
    // Keyed by the request itself, not by the live path's coarse content signature: windows read on their own share
    // an answer only when the model would be asked the very same thing.
    const messages = buildPrompt("window", digest, this.emotes, previous, [], this.limits, this.o.promptStyle);
    const key = `request|${createHash("sha256").update(JSON.stringify(messages)).digest("base64")}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.counters.cacheHits++;
      this.answered("cache");
      return { source: "model", headline: cached, cached: true };
    }
    let run = this.inFlight.get(key);
    if (run === undefined) {
      const rejection = this.rejectedKeys.get(key);
      if (rejection !== undefined) {
        this.skip("rejected_before");
        return fallback("rejected", { rejection });
      }
      if (this.stopped.signal.aborted) return fallback("stopped");
      if (!this.breaker.allows()) {
        this.skip("breaker");
        return fallback("breaker");
      }
      if (!this.budget.allows(promptTokens(messages) + this.o.maxCompletionTokens)) {
        this.skip("budget");
        return fallback("budget");
      }
      run = this.track(key, this.run("window", key, digest, messages));
    }
    const outcome = await run;
    if (outcome.ok) return { source: "model", headline: outcome.headline, cached: false };
    return fallback(outcome.reason, { ...(outcome.rejection !== undefined ? { rejection: outcome.rejection } : {}), ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}) });
  }

  /**
   * One request with the prompt of `digest`, waited for (no retries, `warmUpTimeoutMs`): a hot-swap installs the
   * model only when this answers. Any answer with text is a working model (the validator may still refuse what it
   * says); an error, a timeout or an empty answer is not, and says why in one line.
   */
  async warmUp(digest: ChatDigest): Promise<LlmProbe> {
    if (this.stopped.signal.aborted) return { ok: false, reason: "the summarizer was closed" };
    const messages = buildPrompt("window", digest, this.emotes, undefined, [], this.limits, this.o.promptStyle);
    this.counters.calls++;
    const started = this.clock.now();
    try {
      const { text, usage } = await this.withTimeout(messages, this.o.warmUpTimeoutMs);
      const prompt = usage?.prompt ?? promptTokens(messages);
      const completion = usage?.completion ?? textTokens(text);
      this.counters.promptTokens += prompt;
      this.counters.completionTokens += completion;
      this.budget.charge(prompt + completion);
      this.emit({ type: "request", outcome: "ok", promptTokens: prompt, completionTokens: completion, seconds: (this.clock.now() - started) / 1000 });
      if (text.trim().length === 0) return { ok: false, reason: `the model answered with no text (a reasoning model may spend all ${this.o.maxCompletionTokens} completion tokens thinking)` };
      return { ok: true };
    } catch (err) {
      this.counters.failures++;
      if (err instanceof TimeoutError) this.counters.timeouts++;
      return { ok: false, reason: err instanceof TimeoutError ? `no answer within ${this.o.warmUpTimeoutMs / 1000} s` : this.describe(err, true) };
    }
  }

  /** The content signature a digest's headline is cached and announced under. */
  keyOf(digest: ChatDigest, kind: RequestKind = "window"): string {
    return contentSignature(digest, kind);
  }

  /** The model's headline for this digest's content, when it has arrived (no request is started). */
  latestFor(digest: ChatDigest, kind: RequestKind = "window"): string | undefined {
    return this.cache.get(contentSignature(digest, kind));
  }

  latestForKey(key: string): string | undefined {
    return this.cache.get(key);
  }

  /** Listens for model headlines as they arrive; returns the function that stops listening. */
  onUpdate(listener: UpdateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens for headline calls, requests, skips and breaker changes (metrics, stderr notices). */
  onEvent(listener: LlmEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The server's base URL, as requests go to it (for messages). */
  get endpoint(): string {
    return this.client.baseURL;
  }

  /**
   * Asks the server for its model list (GET /models), once, to tell at start-up whether it can be reached; a
   * server without that route (404) is reachable. Never throws; gives up after `timeoutMs` or at close().
   */
  async probe(): Promise<LlmProbe> {
    if (this.stopped.signal.aborted) return { ok: true };
    const attempt = new AbortController();
    const signal = AbortSignal.any([attempt.signal, this.stopped.signal]);
    let expired = false;
    void this.clock.sleepUntil(this.clock.now() + this.o.timeoutMs, signal).then(() => {
      if (signal.aborted) return;
      expired = true;
      attempt.abort();
    });
    try {
      await this.client.models.list({ signal, maxRetries: 0 });
      return { ok: true };
    } catch (err) {
      if (this.stopped.signal.aborted) return { ok: true };
      if (err instanceof openAi().APIError && (err.status === 404 || err.status === 405)) return { ok: true };
      return { ok: false, reason: expired ? this.describe(new TimeoutError()) : this.describe(err) };
    } finally {
      attempt.abort();
    }
  }

  /**
   * Ends the summarizer's work: requests in flight are aborted, retries are not waited for, no request starts
   * after this (headlines then come from the fallback), and no timer is left, so the process can exit at once.
   */
  async close(): Promise<void> {
    this.stopped.abort();
    await this.whenIdle();
  }

  /** The request that would be sent for this digest now (the benchmark counts it; nothing is sent). */
  requestFor(digest: ChatDigest, kind: RequestKind = "window", parts: readonly ChatDigest[] = []): { key: string; messages: PromptMessage[] } {
    return { key: contentSignature(digest, kind), messages: buildPrompt(kind, digest, this.emotes, kind === "window" ? this.previous : undefined, parts, this.limits, this.o.promptStyle) };
  }

  /** The JSON body a request for these messages POSTs. */
  requestBody(messages: readonly PromptMessage[]): Record<string, unknown> {
    return chatRequestBody(this.params, messages);
  }

  /** Resolves once no request is in flight (tests, benchmarks and shutdown). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  stats(): LlmStats {
    return { model: this.options.model, ...this.counters, skipped: { ...this.skipped }, breaker: this.breaker.state, tokensLastMinute: this.budget.used() };
  }

  private get limits(): PromptLimits {
    return this.options.limits ?? DEFAULT_PROMPT_LIMITS;
  }

  private get params(): ChatRequestParams {
    return { model: this.options.model, maxCompletionTokens: this.o.maxCompletionTokens, temperature: this.options.temperature, stream: this.o.stream };
  }

  private emit(event: LlmEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  private answered(source: HeadlineSource): void {
    this.emit({ type: "headline", source });
  }

  private skip(reason: LlmSkipReason): void {
    this.skipped[reason === "rejected_before" ? "rejectedBefore" : reason]++;
    this.emit({ type: "skipped", reason });
  }

  private answer(kind: RequestKind, digest: ChatDigest, parts: readonly ChatDigest[], fallback: () => string): string {
    if (isQuiet(digest)) {
      this.answered("quiet");
      return this.onAir(kind, fallback());
    }
    const key = contentSignature(digest, kind);
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.counters.cacheHits++;
      this.answered("cache");
      return this.onAir(kind, cached);
    }
    this.counters.fallbacks++;
    this.answered("fallback");
    const embedded = fallback();
    this.maybeStart(kind, key, digest, parts);
    return this.onAir(kind, embedded);
  }

  private onAir(kind: RequestKind, headline: string): string {
    if (kind === "window") this.previous = headline;
    return headline;
  }

  private maybeStart(kind: RequestKind, key: string, digest: ChatDigest, parts: readonly ChatDigest[]): void {
    if (this.inFlight.has(key) || this.stopped.signal.aborted) return;
    if (this.rejectedKeys.has(key)) return this.skip("rejected_before");
    const now = this.clock.now();
    if (now - this.lastStart < this.o.minRequestIntervalMs) return this.skip("interval");
    if (!this.breaker.allows()) return this.skip("breaker");
    const { messages } = this.requestFor(digest, kind, parts);
    const estimate = promptTokens(messages) + this.o.maxCompletionTokens;
    if (!this.budget.allows(estimate)) return this.skip("budget");
    this.lastStart = now;
    this.track(key, this.run(kind, key, digest, messages));
  }

  private track(key: string, run: Promise<RunOutcome>): Promise<RunOutcome> {
    const tracked = run.finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, tracked);
    return tracked;
  }

  private async run(kind: RequestKind, key: string, digest: ChatDigest, messages: PromptMessage[]): Promise<RunOutcome> {
    for (let attempt = 0; ; attempt++) {
      if (this.stopped.signal.aborted) return { ok: false, reason: "stopped" };
      if (!this.breaker.tryAcquire()) {
        this.skip("breaker");
        return { ok: false, reason: "breaker" };
      }
      let text: string;
      let usage: { prompt: number; completion: number } | undefined;
      this.counters.calls++;
      const started = this.clock.now();
      const seconds = (): number => (this.clock.now() - started) / 1000;
      try {
        ({ text, usage } = await this.withTimeout(messages));
      } catch (err) {
        if (err instanceof StoppedError) {
          this.breaker.release();
          this.emit({ type: "request", outcome: "aborted", promptTokens: 0, completionTokens: 0, seconds: seconds() });
          return { ok: false, reason: "stopped" };
        }
        this.counters.failures++;
        if (err instanceof TimeoutError) this.counters.timeouts++;
        this.failed();
        const detail = this.describe(err);
        this.emit({ type: "request", outcome: err instanceof TimeoutError ? "timeout" : "error", promptTokens: 0, completionTokens: 0, seconds: seconds(), detail });
        const delay = this.retryDelay(err, attempt);
        if (delay === undefined) return { ok: false, reason: err instanceof TimeoutError ? "timeout" : "error", detail };
        this.counters.retries++;
        this.retryTimes.push(this.clock.now());
        await this.clock.sleepUntil(this.clock.now() + delay, this.stopped.signal);
        continue;
      }
      this.succeeded();
      const prompt = usage?.prompt ?? promptTokens(messages);
      const completion = usage?.completion ?? textTokens(text);
      this.counters.promptTokens += prompt;
      this.counters.completionTokens += completion;
      this.budget.charge(prompt + completion);
      const checked = checkHeadline(text, digest, this.options.bounds ?? DEFAULT_HEADLINE_BOUNDS);
      const outcome: LlmRequestOutcome = checked.ok ? "ok" : "rejected";
      this.emit({ type: "request", outcome, promptTokens: prompt, completionTokens: completion, seconds: seconds(), ...(checked.ok ? {} : { detail: checked.reason }) });
      if (!checked.ok) {
        this.counters.rejected++;
        this.rejectedKeys.set(key, checked.reason);
        return { ok: false, reason: "rejected", rejection: checked.reason };
      }
      if (checked.repairs.length > 0) this.counters.repaired++;
      this.cache.set(key, checked.headline);
      for (const listener of this.listeners) listener(key, checked.headline, kind);
      return { ok: true, headline: checked.headline };
    }
  }

  private failed(): void {
    const before = this.breaker.state;
    this.breaker.failure();
    if (before !== "open" && this.breaker.state === "open") this.emit({ type: "breaker", state: "open", failures: this.breaker.failuresInARow, coolDownMs: this.breaker.coolDownMs });
  }

  private succeeded(): void {
    const reopened = this.breaker.state !== "closed";
    this.breaker.success();
    if (reopened) this.emit({ type: "breaker", state: "closed", failures: 0, coolDownMs: this.breaker.coolDownMs });
  }

  /**
   * One line on what went wrong, for stderr: the server's own words are untrusted, so cleaned and cut. With
   * `serverText`, an HTTP error also says what the server said (Ollama's "model … not found, try pulling it first").
   */
  private describe(err: unknown, serverText = false): string {
    if (err instanceof TimeoutError) return `no answer within ${this.o.timeoutMs / 1000} s`;
    if (err instanceof openAi().APIConnectionError) {
      // fetch's TypeError("fetch failed") wraps the socket's error: { code: "ECONNREFUSED", … }.
      const cause = (err as { cause?: { code?: unknown; cause?: { code?: unknown; message?: unknown } } }).cause;
      const code = cause?.code ?? cause?.cause?.code;
      if (typeof code === "string") return Object.hasOwn(CONNECTION_ERRORS, code) ? (CONNECTION_ERRORS[code] as string) : printable(code);
      const inner = cause?.cause?.message;
      return typeof inner === "string" ? printable(`cannot connect (${inner})`) : "cannot connect";
    }
    if (err instanceof openAi().APIError) {
      const said = serverText ? serverMessage(err) : undefined;
      const status = err.status === undefined ? "error in the answer" : `HTTP ${err.status}`;
      return `${status}${err.status === 401 || err.status === 403 ? " (check the API key)" : ""}${said !== undefined ? `: ${said}` : ""}`;
    }
    return printable(err instanceof Error ? err.message : String(err));
  }

  /** Clock ms to wait before retrying after `err`, or undefined to give the request up. */
  private retryDelay(err: unknown, attempt: number): number | undefined {
    if (attempt >= this.o.maxRetries || !this.breaker.allows()) return undefined;
    const status = err instanceof openAi().APIError ? err.status : undefined;
    const retryable = err instanceof TimeoutError || status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
    if (!retryable || err instanceof MalformedResponseError) return undefined;
    const since = this.clock.now() - MINUTE;
    while (this.retryTimes.length > 0 && (this.retryTimes[0] as number) <= since) this.retryTimes.shift();
    if (this.retryTimes.length >= this.o.retriesPerMinute) return undefined;
    let delay = this.o.retryBaseMs * 2 ** attempt;
    if (err instanceof openAi().APIError && status === 429) {
      const after = retryAfterMs(err.headers);
      if (after !== undefined) delay = after;
    }
    return delay <= this.o.maxRetryDelayMs ? delay : undefined;
  }

  private async withTimeout(messages: PromptMessage[], timeoutMs = this.o.timeoutMs): Promise<{ text: string; usage: { prompt: number; completion: number } | undefined }> {
    const attempt = new AbortController();
    const signal = AbortSignal.any([attempt.signal, this.stopped.signal]);
    // Settles after the race when the answer came first; Promise.race handles that late rejection.
    const expired = this.clock.sleepUntil(this.clock.now() + timeoutMs, signal).then((): never => {
      if (signal.aborted) throw new StoppedError();
      attempt.abort();
      throw new TimeoutError();
    });
    try {
      return await Promise.race([this.send(messages, signal), expired]);
    } catch (err) {
      throw this.stopped.signal.aborted ? new StoppedError() : err;
    } finally {
      // Wakes the timeout's sleep, so no timer outlives the attempt.
      attempt.abort();
    }
  }

  private async send(messages: PromptMessage[], signal: AbortSignal): Promise<{ text: string; usage: { prompt: number; completion: number } | undefined }> {
    const body = chatRequestBody(this.params, messages) as unknown as OpenAI.Chat.ChatCompletionCreateParams;
    if (body.stream === true) {
      const stream = await this.client.chat.completions.create({ ...body, stream: true }, { signal });
      let text = "";
      let usage: { prompt: number; completion: number } | undefined;
      let finished = false;
      for await (const chunk of stream) {
        const choice = chunk.choices?.[0];
        const delta: unknown = choice?.delta?.content;
        if (typeof delta === "string") text += delta;
        if (typeof choice?.finish_reason === "string") finished = true;
        if (chunk.usage) usage = { prompt: chunk.usage.prompt_tokens, completion: chunk.usage.completion_tokens };
      }
      // Every server ends an answer with a finish_reason: a stream without one was cut short (llama-server reports
      // errors on an `error:` line that an SSE reader skips), and what it holds is no answer.
      if (!finished) throw new MalformedResponseError("the stream ended before the answer did");
      return { text, usage };
    }
    const response: unknown = await this.client.chat.completions.create({ ...body, stream: false }, { signal });
    return parseCompletion(response);
  }
}

/** What the server said in an HTTP error, if anything: `{"error": {"message"}}`, `{"error": "…"}` (cleaned, cut). */
function serverMessage(err: OpenAiPackage.APIError): string | undefined {
  const e: unknown = err.error;
  if (typeof e === "string" && e.trim().length > 0) return printable(e);
  if (typeof e === "object" && e !== null) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && message.trim().length > 0) return printable(message);
  }
  return undefined;
}

/** Reads a non-streamed completion defensively: servers that are not OpenAI answer in many shapes. */
export function parseCompletion(response: unknown): { text: string; usage: { prompt: number; completion: number } | undefined } {
  if (typeof response !== "object" || response === null) throw new MalformedResponseError("completion is not an object");
  const choices = (response as { choices?: unknown }).choices;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  const content: unknown = typeof first === "object" && first !== null ? (first as { message?: { content?: unknown } }).message?.content : undefined;
  if (typeof content !== "string") throw new MalformedResponseError("completion has no message content");
  const u = (response as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
  const usage = u !== undefined && typeof u.prompt_tokens === "number" && typeof u.completion_tokens === "number" ? { prompt: u.prompt_tokens, completion: u.completion_tokens } : undefined;
  return { text: content, usage };
}

const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found (DNS)",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

/** Control characters and bidi overrides out, at most 160 characters: fit for one line on a terminal. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, " ").trim();
  return clean.length > 160 ? `${clean.slice(0, 159)}…` : clean;
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get("retry-after");
  if (value === null || value === undefined) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function numberOption(options: Record<string, unknown>, key: string): number | undefined {
  const v = Object.hasOwn(options, key) ? options[key] : undefined;
  if (v === undefined) return undefined;
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n) && n !== Infinity) throw new Error(`LLM summarizer: option ${key} must be a number`);
  return n;
}

function stringOption(options: Record<string, unknown>, key: string): string | undefined {
  const v = Object.hasOwn(options, key) ? options[key] : undefined;
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new Error(`LLM summarizer: option ${key} must be a string`);
  return v;
}

function isClock(v: unknown): v is Clock {
  return typeof v === "object" && v !== null && typeof (v as Clock).now === "function" && typeof (v as Clock).sleepUntil === "function";
}

function firstEnv(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  for (const name of names) {
    const v = Object.hasOwn(env, name) ? env[name] : undefined;
    if (v !== undefined && v.length > 0) return v;
  }
  return undefined;
}

/**
 * Builds the summarizer from `--summarizer NAME:MODEL` (arg = MODEL) for one of the servers of llm-servers.ts and
 * factory options: baseURL, apiKey, model, stream, timeoutMs, warmUpTimeoutMs, maxRetries, tokensPerMinute,
 * maxCompletionTokens, temperature, cacheSize, minRequestIntervalMs, periods, promptStyle, promptBudgetTokens, clock.
 * `openai` takes its base URL and key from OPENAI_BASE_URL / OPENAI_API_KEY and needs one of them; a local server
 * preset listens on its own default port and needs no key (OPENAI_API_KEY is never sent to it).
 */
export function createLlmSummarizer(server: LlmServer, options: Record<string, unknown> | undefined, ctx: { emotes?: EmoteDictionary }, arg?: string, env: NodeJS.ProcessEnv = process.env): OpenAiSummarizer {
  const o = options ?? {};
  const model = arg !== undefined && arg.length > 0 ? arg : stringOption(o, "model");
  if (model === undefined || model.length === 0) throw new Error(`${server.name} summarizer: name the model, e.g. --summarizer ${server.name}:${server.name === "openai" ? "gpt-4o-mini" : "llama3.1:8b"}`);
  const baseURL = stringOption(o, "baseURL") ?? firstEnv(env, server.baseUrlEnv) ?? server.baseURL;
  const apiKey = stringOption(o, "apiKey") ?? firstEnv(env, server.keyEnv);
  if (baseURL === undefined && apiKey === undefined) throw new Error("openai summarizer: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server");
  const clock = o.clock;
  if (clock !== undefined && !isClock(clock)) throw new Error(`${server.name} summarizer: option clock must be a Clock`);
  const stream = o.stream;
  const style = stringOption(o, "promptStyle");
  if (style !== undefined && !PROMPT_STYLES.includes(style as PromptStyle)) throw new Error(`${server.name} summarizer: option promptStyle must be one of ${PROMPT_STYLES.join(", ")}`);
  const budget = numberOption(o, "promptBudgetTokens");
  if (budget !== undefined && !(budget > 0)) throw new Error(`${server.name} summarizer: option promptBudgetTokens must be a positive number`);
  return new OpenAiSummarizer({
    model,
    name: `${server.name}:${model}`,
    baseURL,
    apiKey,
    clock,
    emotes: ctx.emotes,
    stream: stream === true || stream === "true",
    timeoutMs: numberOption(o, "timeoutMs") ?? server.timeoutMs,
    warmUpTimeoutMs: numberOption(o, "warmUpTimeoutMs") ?? server.warmUpTimeoutMs,
    maxRetries: numberOption(o, "maxRetries"),
    tokensPerMinute: numberOption(o, "tokensPerMinute"),
    maxCompletionTokens: numberOption(o, "maxCompletionTokens"),
    cacheSize: numberOption(o, "cacheSize"),
    minRequestIntervalMs: numberOption(o, "minRequestIntervalMs"),
    periods: o.periods === true || o.periods === "true",
    temperature: numberOption(o, "temperature"),
    promptStyle: style as PromptStyle | undefined,
    limits: budget === undefined ? undefined : { ...DEFAULT_PROMPT_LIMITS, budgetTokens: budget },
  });
}

/** `--summarizer openai:MODEL`: the OpenAI API, or any OpenAI-compatible server at OPENAI_BASE_URL. */
export function createOpenAiSummarizer(options: Record<string, unknown> | undefined, ctx: { emotes?: EmoteDictionary }, arg?: string, env: NodeJS.ProcessEnv = process.env): OpenAiSummarizer {
  return createLlmSummarizer(llmServer("openai") as LlmServer, options, ctx, arg, env);
}
