/**
 * What an LLM summarizer reports as it works, for metrics (src/metrics) and for the one-line notices a run
 * prints on stderr (`LlmStatusReporter`). Listeners are called synchronously and must not throw.
 */

/** Who answered a headline call: a model headline from the cache, the embedded fallback, or nobody (a quiet window). */
export type HeadlineSource = "cache" | "fallback" | "quiet";

/**
 * How one HTTP request (one attempt; a retry is another request) ended: `ok` an answer that went on air,
 * `rejected` an answer the validator refused, `error` an HTTP, connection or malformed-response error,
 * `timeout` no answer in time, `aborted` the run ended while it was in flight.
 */
export type LlmRequestOutcome = "ok" | "rejected" | "error" | "timeout" | "aborted";
export const LLM_REQUEST_OUTCOMES: readonly LlmRequestOutcome[] = ["ok", "rejected", "error", "timeout", "aborted"];

/** Why a request was not sent: breaker open, token budget spent, too soon after the last one, content refused before. */
export type LlmSkipReason = "breaker" | "budget" | "interval" | "rejected_before";

export type LlmEvent =
  | { type: "headline"; source: HeadlineSource }
  | { type: "request"; outcome: LlmRequestOutcome; promptTokens: number; completionTokens: number; seconds: number; detail?: string }
  | { type: "skipped"; reason: LlmSkipReason }
  /** The breaker opened after `failures` failures in a row (or a failed trial), or closed again on a success. */
  | { type: "breaker"; state: "open" | "closed"; failures: number; coolDownMs: number };

export type LlmEventListener = (event: LlmEvent) => void;
