import type { ChatDigest } from "../../../aggregation/chat-digest.js";
import type { Summarizer } from "../summarizer.js";
import type { LlmEventListener } from "./llm-events.js";
import type { RequestKind } from "./prompt.js";

/** Called when a model headline arrives for the content signature `key`. */
export type UpdateListener = (key: string, headline: string, kind: RequestKind) => void;

/**
 * A summarizer whose better headline arrives later than the synchronous call: the call answers at once (with
 * a fallback), and the pipeline picks the late answer up by content signature at a later snapshot.
 */
export interface AsyncSummarizer extends Summarizer {
  /** Answers at once, without starting requests: use it where a late answer could not be used (5 s roll-ups). */
  readonly fallback: Summarizer;
  /** The content signature a digest's headline is cached and announced under. */
  keyOf(digest: ChatDigest, kind?: RequestKind): string;
  /** The model's headline for this digest's content, when it has arrived. Starts nothing. */
  latestFor(digest: ChatDigest, kind?: RequestKind): string | undefined;
  /** The same, by content signature. */
  latestForKey(key: string): string | undefined;
  /** Listens for model headlines as they arrive; returns the function that stops listening. */
  onUpdate(listener: UpdateListener): () => void;
  /** Resolves once no request is in flight. */
  whenIdle(): Promise<void>;
  /** Headline calls, requests, skips and breaker changes as they happen (metrics, stderr notices). */
  onEvent?(listener: LlmEventListener): () => void;
  /** Aborts requests in flight and starts no more, so a run that ended does not wait for them. */
  close?(): Promise<void>;
}

export function isAsyncSummarizer(s: Summarizer): s is AsyncSummarizer {
  const a = s as Partial<AsyncSummarizer>;
  return typeof a.keyOf === "function" && typeof a.latestForKey === "function" && typeof a.onUpdate === "function" && a.fallback !== undefined;
}
