import type { ProcessedMessage } from "../processing/message-processor.js";
import { DigestBuilder, topK, type ChatDigest } from "./chat-digest.js";
import { DEFAULT_CONTENT_CHANGE_POLICY, type ContentFingerprint } from "./content-change.js";

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
  /** The strict span (t − spanMs, t], without reach-back: what the headline gate compares. */
  private spanFirst = 0;
  private readonly span = new SpanCounts();

  constructor(readonly policy: WindowPolicy = DEFAULT_WINDOW_POLICY) {}

  /** Adds the newest message (time at or after every message pushed before). */
  push(m: ProcessedMessage): void {
    this.items.push(m);
    this.digest.add(m);
    this.span.add(m, 1);
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
  /**
   * The digest of the window ending at t (every pushed message must have time ≤ t) and where it starts
   * (exclusive); the fingerprint of the strict span, and its digest on demand (what an LLM summarizer is
   * given, so its calls too follow the span's content only).
   */
  select(t: number): { start: number; digest: ChatDigest; span: ContentFingerprint; spanDigest: () => ChatDigest } {
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
    for (; this.spanFirst < inSpan; this.spanFirst++) this.span.add(items[this.spanFirst] as ProcessedMessage, -1);
    this.first = next;
    if (this.first > 1024 && this.first * 2 > items.length) {
      this.items = items.slice(this.first);
      this.spanFirst -= this.first;
      this.first = 0;
    }
    let start = normalStart;
    const oldest = this.items[this.first];
    if (oldest !== undefined && oldest.t <= normalStart) {
      // Reached back: start on the 500 ms grid just before the oldest message kept, so the window stays (start, t].
      start = Math.ceil(oldest.t / 500) * 500 - 500;
    }
    // The span's own digest is rebuilt on demand: only an LLM summarizer needs it, and only when the gate opens.
    const spanItems = this.items;
    const from = this.spanFirst;
    const to = spanItems.length;
    const spanDigest = (): ChatDigest => {
      const b = new DigestBuilder();
      for (let i = from; i < to; i++) b.add(spanItems[i] as ProcessedMessage);
      return b.build(normalStart, t);
    };
    return { start, digest: this.digest.build(start, t), span: this.span.fingerprint(), spanDigest };
  }
}

/**
 * Near-duplicate group counts and sentiment over the strict span only. The headline gate reads these rather
 * than the reach-back window, so a busy chat and the same chat ten times busier (whose windows never reach
 * back) see the same shares and rewrite their headlines at the same moments.
 */
class SpanCounts {
  private readonly groups = new Map<string, number>();
  private active = 0;
  private scored = 0;
  private pos = 0;
  private neg = 0;

  add(m: ProcessedMessage, sign: 1 | -1): void {
    if (m.ignored !== undefined) return;
    this.active += sign;
    const key = m.tokens.signature;
    const n = (this.groups.get(key) ?? 0) + sign;
    if (n <= 0) this.groups.delete(key);
    else this.groups.set(key, n);
    if (m.sentiment !== undefined) {
      this.scored += sign;
      this.pos += sign * m.sentiment.pos;
      this.neg += sign * m.sentiment.neg;
    }
    if (this.scored === 0) this.pos = this.neg = 0;
  }

  /** A live view of the span (no copy: the gate copies the one it keeps). */
  fingerprint(): ContentFingerprint {
    const top = topK(this.groups.entries(), DEFAULT_CONTENT_CHANGE_POLICY.topN, (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([key]) => key);
    return { groupCounts: this.groups, top, net: this.scored > 0 ? (100 * (this.pos - this.neg)) / this.scored : 0, active: this.active };
  }
}
