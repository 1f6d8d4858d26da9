import type { ProcessedMessage } from "../processing/message-processor.js";
import { DEFAULT_TOP_GROUPS, DEFAULT_TOP_TERMS, DigestBuilder, EVICT_DOWN_TO, evictionOrder, type ChatDigest } from "./chat-digest.js";
import { IndexedHeap, type HeapSlot } from "./indexed-heap.js";
import { cosineOf, DEFAULT_CONTENT_CHANGE_POLICY, type ContentFingerprint } from "./content-change.js";

export interface WindowPolicy {
  /** Normal window length: messages with time in (t − spanMs, t]. */
  spanMs: number;
  /** When the normal window holds fewer than this, reach further back… */
  minMessages: number;
  /** …but never further than this. */
  maxReachBackMs: number;
  /**
   * Per-channel caps, so a channel's state is bounded whatever it is sent: distinct near-duplicate groups kept in
   * the window (beyond, the smallest and stalest go, counted; their messages still count), and messages held
   * (beyond, the oldest leave the window early, counted).
   */
  maxGroups: number;
  maxMessages: number;
}

/**
 * 10,000 distinct lines in 30 s is 330 new lines a second, several times the busiest recording; 60,000 messages is
 * 2,000 a second over the 30 s span, twice the load issue's busy channel (about 6 MB of window at ~100 bytes each).
 */
export const DEFAULT_WINDOW_POLICY: WindowPolicy = { spanMs: 30_000, minMessages: 15, maxReachBackMs: 120_000, maxGroups: 10_000, maxMessages: 60_000 };

/** What a caller may compare between two selections: equal versions mean equal content. */
export interface WindowSelection {
  start: number;
  /** The window's digest without `lines` (counts, top groups and terms): what every snapshot field reads. Built when first read. */
  readonly digest: ChatDigest;
  /**
   * The same digest with `lines`, what a headline is written from: built on demand, since the gate opens for a few
   * snapshots in a hundred and the lines are the most costly part of a build. Valid until the next push or select.
   */
  withLines: () => ChatDigest;
  /** Bumped by every message entering or leaving the window (and every eviction). */
  version: number;
  span: ContentFingerprint;
  /** Bumped by every message entering or leaving the strict span. */
  spanVersion: number;
  spanDigest: () => ChatDigest;
}

/**
 * The recent messages of one channel, oldest first, with the digest of exactly those in the current window
 * kept up to date: a message is added to the digest once when it arrives and removed once when it leaves.
 * The window's first message only ever moves forward (both its bounds grow with t), so everything before
 * it is dropped and memory follows the chat's rate over the span, not the stream's length. Messages are held
 * compacted (DigestBuilder.compact): the fields the digest reads, with strings shared with the digest.
 */
export class SlidingWindow {
  private items: ProcessedMessage[] = [];
  private first = 0;
  private readonly digest = new DigestBuilder();
  /** The strict span (t − spanMs, t], without reach-back: what the headline gate compares. */
  private spanFirst = 0;
  private readonly span = new SpanCounts();
  private messagesEvicted = 0;
  /** Until this stream time, and while nothing is pushed, select changes nothing but its times (see unchangedStart). */
  private steadyUntil = -Infinity;

  constructor(readonly policy: WindowPolicy = DEFAULT_WINDOW_POLICY) {}

  /** Adds the newest message (time at or after every message pushed before). */
  push(m: ProcessedMessage): void {
    this.steadyUntil = -Infinity;
    this.digest.add(m);
    const kept = this.digest.compact(m);
    this.items.push(kept);
    this.span.add(kept, 1);
    // Messages every later window leaves out go now, one or two per push, rather than hundreds in the next snapshot
    // of a busy chat: at or before m.t − span they are outside every strict span to come, and any window reaching
    // back keeps only the newest minMessages (select would drop the same ones at its next call).
    const items = this.items;
    const cutoff = m.t - this.policy.spanMs;
    const keepFrom = items.length - this.policy.minMessages;
    while (this.spanFirst < items.length && (items[this.spanFirst] as ProcessedMessage).t <= cutoff) this.span.add(items[this.spanFirst++] as ProcessedMessage, -1);
    while (this.first < keepFrom && this.first < this.spanFirst && (items[this.first] as ProcessedMessage).t <= cutoff) this.digest.remove(items[this.first++] as ProcessedMessage);
    // A flood of distinct lines is evicted as it comes, a couple of hundred groups at a time, not in a snapshot.
    this.digest.evictGroupsBeyond(this.policy.maxGroups);
    this.span.evictGroupsBeyond(this.policy.maxGroups);
  }

  /** Messages held (those in the last selected window plus any pushed since). */
  get length(): number {
    return this.items.length - this.first;
  }

  /** Slots of the array behind the window, dropped messages not yet let go included: what its memory follows. */
  get retained(): number {
    return this.items.length;
  }

  /** Oldest message held, if any. */
  oldest(): ProcessedMessage | undefined {
    return this.items[this.first];
  }

  /** What the caps took: groups dropped from the window's digest, messages that left it early. */
  get evicted(): { groups: number; messages: number } {
    return { groups: this.digest.evicted + this.span.evicted, messages: this.messagesEvicted };
  }

  /**
   * Where select(t) would start the window, if it would change nothing else: no message pushed since the last
   * select and none due to leave by t, so its version, digest and span are the last selection's. Otherwise
   * undefined. A quiet channel's snapshot asks this first and skips the selection (and what it allocates).
   */
  unchangedStart(t: number): number | undefined {
    return t < this.steadyUntil ? this.startAt(t) : undefined;
  }

  /** The window's start at t: t − span, or reached back to the 500 ms grid just before the oldest message kept. */
  private startAt(t: number): number {
    const normalStart = t - this.policy.spanMs;
    const oldest = this.items[this.first];
    // Reached back: start on the grid just before the oldest message kept, so the window stays (start, t].
    return oldest !== undefined && oldest.t <= normalStart ? Math.ceil(oldest.t / 500) * 500 - 500 : normalStart;
  }

  /**
   * The digest of the window ending at t (every pushed message must have time ≤ t) and where it starts
   * (exclusive); the fingerprint of the strict span, and its digest on demand (what an LLM summarizer is
   * given, so its calls too follow the span's content only).
   */
  select(t: number): WindowSelection {
    const { spanMs, minMessages, maxReachBackMs, maxMessages, maxGroups } = this.policy;
    const normalStart = t - spanMs;
    const farStart = t - maxReachBackMs;
    const items = this.items;
    let inReach = this.first;
    while (inReach < items.length && (items[inReach] as ProcessedMessage).t <= farStart) inReach++;
    let inSpan = inReach;
    while (inSpan < items.length && (items[inSpan] as ProcessedMessage).t <= normalStart) inSpan++;
    let next = items.length - inSpan >= minMessages ? inSpan : Math.max(inReach, items.length - minMessages);
    if (items.length - next > maxMessages) {
      this.messagesEvicted += items.length - maxMessages - next;
      next = items.length - maxMessages;
    }
    for (let i = this.first; i < next; i++) this.digest.remove(items[i] as ProcessedMessage);
    const spanFrom = Math.max(inSpan, next);
    for (; this.spanFirst < spanFrom; this.spanFirst++) this.span.add(items[this.spanFirst] as ProcessedMessage, -1);
    this.first = next;
    this.digest.evictGroupsBeyond(maxGroups);
    this.span.evictGroupsBeyond(maxGroups);
    // Dropped messages are let go once they outnumber the kept ones (each copy is paid for by as many drops). The
    // floor is small: a quiet channel keeps only its last minMessages, and a floor of 1,024 let a thousand quiet
    // channels hold a thousand dropped messages each (the 60-minute soak's heap grew 40 MB an hour).
    if (this.first >= 16 && this.first * 2 > items.length) {
      this.items = items.slice(this.first);
      this.spanFirst -= this.first;
      this.first = 0;
    }
    const start = this.startAt(t);
    // A later select moves a message out only once the oldest held passes the reach-back or the first in the strict
    // span leaves it (the window's start and the counts it cuts at depend on nothing else), unless the message cap cut.
    const spanHead = this.items[this.spanFirst];
    const oldest = this.items[this.first];
    this.steadyUntil = next > inSpan ? -Infinity : Math.min(oldest === undefined ? Infinity : oldest.t + maxReachBackMs, spanHead === undefined ? Infinity : spanHead.t + spanMs);
    // The span's own digest is rebuilt on demand: only an LLM summarizer needs it, and only when the gate opens.
    const spanItems = this.items;
    const from = this.spanFirst;
    const to = spanItems.length;
    const spanDigest = (): ChatDigest => {
      const b = new DigestBuilder();
      for (let i = from; i < to; i++) b.add(spanItems[i] as ProcessedMessage);
      return b.build(normalStart, t);
    };
    const builder = this.digest;
    const withLines = (): ChatDigest => builder.build(start, t);
    // Built on first read: a caller that already holds this version's digest (a quiet channel's snapshot) skips it.
    let digest: ChatDigest | undefined;
    return {
      start,
      get digest(): ChatDigest {
        return (digest ??= builder.build(start, t, DEFAULT_TOP_GROUPS, DEFAULT_TOP_TERMS, 0));
      },
      withLines,
      version: this.digest.version,
      span: this.span.fingerprint(),
      spanVersion: this.span.version,
      spanDigest,
    };
  }
}

interface SpanGroup extends HeapSlot {
  key: string;
  count: number;
}

const spanGroupBefore = (a: SpanGroup, b: SpanGroup): boolean => a.count > b.count || (a.count === b.count && a.key < b.key);

/** The span's groups as the counts a fingerprint shows: a live view, no copy. */
class GroupCountView implements ReadonlyMap<string, number> {
  constructor(private readonly groups: ReadonlyMap<string, SpanGroup>) {}

  get size(): number {
    return this.groups.size;
  }

  get(key: string): number | undefined {
    return this.groups.get(key)?.count;
  }

  has(key: string): boolean {
    return this.groups.has(key);
  }

  forEach(f: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [key, g] of this.groups) f(g.count, key, this);
  }

  *entries(): MapIterator<[string, number]> {
    for (const [key, g] of this.groups) yield [key, g.count];
  }

  keys(): MapIterator<string> {
    return this.groups.keys();
  }

  *values(): MapIterator<number> {
    for (const g of this.groups.values()) yield g.count;
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/**
 * Near-duplicate group counts and sentiment over the strict span only. The headline gate reads these rather
 * than the reach-back window, so a busy chat and the same chat ten times busier (whose windows never reach
 * back) see the same shares and rewrite their headlines at the same moments. The gate's work is bounded: the top
 * groups come from an indexed heap, and the cosine similarity with the fingerprint the gate kept is maintained as
 * messages enter and leave (its dot product and both squared norms), O(1) per message and per snapshot. Counts are
 * whole numbers, so the sums are exact and the similarity is the one a full pass would compute.
 */
class SpanCounts {
  private readonly groups = new Map<string, SpanGroup>();
  private readonly rank = new IndexedHeap<SpanGroup>(spanGroupBefore);
  private readonly view = new GroupCountView(this.groups);
  private active = 0;
  private scored = 0;
  private pos = 0;
  private neg = 0;
  /** Sum of squared group counts. */
  private norm2 = 0;
  private changes = 0;
  private evictedGroups = 0;
  private kept: { changes: number; fingerprint: ContentFingerprint } | undefined;
  /** The fingerprint the gate compares with, and the running dot product of its counts with the span's. */
  private anchor: { fingerprint: ContentFingerprint; norm2: number; dot: number } | undefined;
  private readonly similarityTo = (kept: ContentFingerprint): number => {
    let a = this.anchor;
    if (a === undefined || a.fingerprint !== kept) {
      let norm2 = 0;
      let dot = 0;
      for (const [key, x] of kept.groupCounts) {
        norm2 += x * x;
        const y = this.groups.get(key);
        if (y !== undefined) dot += x * y.count;
      }
      a = this.anchor = { fingerprint: kept, norm2, dot };
    }
    return cosineOf(a.dot, a.norm2, this.norm2);
  };

  get version(): number {
    return this.changes;
  }

  get evicted(): number {
    return this.evictedGroups;
  }

  add(m: ProcessedMessage, sign: 1 | -1): void {
    if (m.ignored !== undefined) return;
    this.changes++;
    this.active += sign;
    const key = m.tokens.signature;
    let g = this.groups.get(key);
    if (g === undefined && sign > 0) {
      g = { key, count: 0, heapIndex: -1 };
      this.groups.set(key, g);
      this.rank.push(g);
    }
    if (g !== undefined) {
      this.norm2 += sign * (2 * g.count + sign);
      g.count += sign;
      const anchored = this.anchor?.fingerprint.groupCounts.get(key);
      if (anchored !== undefined) (this.anchor as { dot: number }).dot += sign * anchored;
      if (g.count <= 0) {
        this.groups.delete(key);
        this.rank.remove(g);
      } else {
        this.rank.update(g);
      }
    }
    if (m.sentiment !== undefined) {
      this.scored += sign;
      this.pos += sign * m.sentiment.pos;
      this.neg += sign * m.sentiment.neg;
    }
    if (this.scored === 0) this.pos = this.neg = 0;
  }

  /** Like DigestBuilder.evictGroupsBeyond: the smallest groups go (a later message of theirs starts afresh). */
  evictGroupsBeyond(max: number): void {
    if (this.groups.size <= max) return;
    const n = this.groups.size - Math.floor(max * EVICT_DOWN_TO);
    for (const g of evictionOrder(this.groups.values(), n, (x) => x.count === 1, (a, b) => (spanGroupBefore(a, b) ? 1 : spanGroupBefore(b, a) ? -1 : 0))) {
      this.groups.delete(g.key);
      this.rank.remove(g);
      this.norm2 -= g.count * g.count;
      const anchored = this.anchor?.fingerprint.groupCounts.get(g.key);
      if (anchored !== undefined) (this.anchor as { dot: number }).dot -= g.count * anchored;
    }
    this.evictedGroups += n;
    this.changes++;
  }

  /** The span's fingerprint: the same object until a message enters or leaves the span (its counts are live). */
  fingerprint(): ContentFingerprint {
    if (this.kept !== undefined && this.kept.changes === this.changes) return this.kept.fingerprint;
    const top = this.rank.top(DEFAULT_CONTENT_CHANGE_POLICY.topN).map((g) => g.key);
    const fingerprint: ContentFingerprint = { groupCounts: this.view, top, net: this.scored > 0 ? (100 * (this.pos - this.neg)) / this.scored : 0, active: this.active, similarityTo: this.similarityTo };
    this.kept = { changes: this.changes, fingerprint };
    return fingerprint;
  }
}
