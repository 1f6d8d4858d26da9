import type { ProcessedMessage } from "../processing/message-processor.js";
import { DigestBuilder, type ChatDigest } from "./chat-digest.js";

export interface WindowPolicy {
  /** Normal window length: messages with time in (t − spanMs, t]. */
  spanMs: number;
  /** When the normal window holds fewer than this, reach further back… */
  minMessages: number;
  /** …but never further than this. */
  maxReachBackMs: number;
}

export const DEFAULT_WINDOW_POLICY: WindowPolicy = { spanMs: 30_000, minMessages: 15, maxReachBackMs: 120_000 };

/**
 * The recent messages of one channel, oldest first, with the digest of exactly those in the current window
 * kept up to date: a message is added to the digest once when it arrives and removed once when it leaves.
 * The window's first message only ever moves forward (both its bounds grow with t), so everything before
 * it is dropped and memory follows the chat's rate over the span, not the stream's length.
 */
export class SlidingWindow {
  private items: ProcessedMessage[] = [];
  private first = 0;
  private readonly digest = new DigestBuilder();

  constructor(readonly policy: WindowPolicy = DEFAULT_WINDOW_POLICY) {}

  /** Adds the newest message (time at or after every message pushed before). */
  push(m: ProcessedMessage): void {
    this.items.push(m);
    this.digest.add(m);
  }

  /** Messages held (those in the last selected window plus any pushed since). */
  get length(): number {
    return this.items.length - this.first;
  }

  /** Oldest message held, if any. */
  oldest(): ProcessedMessage | undefined {
    return this.items[this.first];
  }

  /** The digest of the window ending at t (every pushed message must have time ≤ t) and where it starts (exclusive). */
  select(t: number): { start: number; digest: ChatDigest } {
    const { spanMs, minMessages, maxReachBackMs } = this.policy;
    const normalStart = t - spanMs;
    const farStart = t - maxReachBackMs;
    const items = this.items;
    let inReach = this.first;
    while (inReach < items.length && (items[inReach] as ProcessedMessage).t <= farStart) inReach++;
    let inSpan = inReach;
    while (inSpan < items.length && (items[inSpan] as ProcessedMessage).t <= normalStart) inSpan++;
    const next = items.length - inSpan >= minMessages ? inSpan : Math.max(inReach, items.length - minMessages);
    for (let i = this.first; i < next; i++) this.digest.remove(items[i] as ProcessedMessage);
    this.first = next;
    if (this.first > 1024 && this.first * 2 > items.length) {
      this.items = items.slice(this.first);
      this.first = 0;
    }
    let start = normalStart;
    const oldest = this.items[this.first];
    if (oldest !== undefined && oldest.t <= normalStart) {
      // Reached back: start on the 500 ms grid just before the oldest message kept, so the window stays (start, t].
      start = Math.ceil(oldest.t / 500) * 500 - 500;
    }
    return { start, digest: this.digest.build(start, t) };
  }
}
