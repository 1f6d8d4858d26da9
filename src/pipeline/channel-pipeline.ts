import type { ChatDigest } from "../aggregation/chat-digest.js";
import { confidenceOf, sentimentBar, topicsOf, topOf } from "../aggregation/record-fields.js";
import { RollupChain, BUCKET_MS, TEN_MINUTES_MS, type ClosedPeriod } from "../aggregation/rollup-chain.js";
import { DEFAULT_WINDOW_POLICY, SlidingWindow, type WindowPolicy } from "../aggregation/sliding-window.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import type { ProcessedMessage } from "../processing/message-processor.js";
import type { BucketAudit, OutputRecord, Rollup, Snapshot } from "../schema/output-schema.js";

export const SNAPSHOT_EVERY_MS = 500;
const AUDIT_TOP = 3;

export interface ChannelPipelineOptions {
  channel: string;
  /** Read on every headline, so a hot-swapped summarizer takes effect at the next snapshot. */
  summarizer: () => Summarizer;
  emit: (record: OutputRecord) => void;
  window?: WindowPolicy;
}

/**
 * Everything one channel needs on stream time: the sliding window, the 5 s → 1 min → 10 min roll-ups and
 * the 500 ms snapshot schedule. It is driven by two calls only: `ingest` (messages in time order) and
 * `advanceTo` (a watermark: no message at or before it is still to come). Output depends on nothing else,
 * so the same messages give the same lines at any replay speed.
 */
export class ChannelPipeline {
  private readonly window: SlidingWindow;
  private rollups: RollupChain | undefined;
  private nextSnapshotT = 0;
  private lastT = -Infinity;
  private tsOffset: number | undefined;
  private messages = 0;
  private late = 0;
  private readonly shedByBucket = new Map<number, number>();

  constructor(private readonly options: ChannelPipelineOptions) {
    this.window = new SlidingWindow(options.window ?? DEFAULT_WINDOW_POLICY);
  }

  get channel(): string {
    return this.options.channel;
  }

  /** Messages ingested so far. */
  get messageCount(): number {
    return this.messages;
  }

  /** Messages that arrived with a time before one already processed; they were counted at the latest time. */
  get lateCount(): number {
    return this.late;
  }

  /** Stream time of the latest message, or -Infinity before the first. */
  get lastMessageT(): number {
    return this.lastT;
  }

  ingest(m: ProcessedMessage): void {
    if (this.rollups === undefined) {
      this.nextSnapshotT = Math.floor(m.t / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
      this.rollups = new RollupChain(Math.floor(m.t / TEN_MINUTES_MS) * TEN_MINUTES_MS, (p) => this.emitPeriod(p));
    }
    // A message older than what was already published is counted at the current time rather than
    // rewriting history: snapshots and roll-ups already sent stay true.
    const floor = Math.max(this.lastT, this.nextSnapshotT - SNAPSHOT_EVERY_MS + 1);
    if (m.t < floor) {
      this.late++;
      m = { ...m, t: floor };
    }
    this.advanceTo(m.t - 1);
    this.rollups.closeUpTo(m.t);
    this.rollups.add(m);
    this.window.push(m);
    this.lastT = m.t;
    this.messages++;
    if (m.ts !== undefined) this.tsOffset = m.ts - m.t;
  }

  /** A message for this channel was shed under load at stream time t (lowers confidence). */
  noteShed(t: number): void {
    const bucket = Math.floor(t / BUCKET_MS) * BUCKET_MS;
    this.shedByBucket.set(bucket, (this.shedByBucket.get(bucket) ?? 0) + 1);
  }

  /** Emits every snapshot (and every roll-up period that closes) at or before the watermark. */
  advanceTo(watermark: number): void {
    const rollups = this.rollups;
    if (rollups === undefined) return;
    while (this.nextSnapshotT <= watermark) {
      const t = this.nextSnapshotT;
      rollups.closeUpTo(t);
      this.options.emit(this.snapshotAt(t, rollups));
      this.nextSnapshotT = t + SNAPSHOT_EVERY_MS;
    }
  }

  /** End of input: publishes everything up to the last message, then the open periods as partial records. */
  finish(): void {
    if (this.rollups === undefined) return;
    this.advanceTo(this.lastT);
    this.rollups.flush();
    this.rollups = undefined;
  }

  private snapshotAt(t: number, rollups: RollupChain): Snapshot {
    const { start, digest } = this.window.select(t);
    const shed = this.shedSince(start);
    const snapshot: Snapshot = {
      type: "snapshot",
      channel: this.options.channel,
      t,
      window: { start, end: t },
      count: digest.count,
      scored: digest.scored,
      chatters: digest.chatters,
      rate: Math.round((digest.count / ((t - start) / 1000)) * 100) / 100,
      sentiment: sentimentBar(digest.sentiment, digest.scored),
      confidence: confidenceOf(digest, shed / Math.max(1, shed + digest.count)),
      headline: this.options.summarizer().summarizeWindow(digest),
      topics: topicsOf(digest),
      top: topOf(digest),
      buckets: this.audit(start, t, rollups),
    };
    if (this.tsOffset !== undefined) snapshot.ts = t + this.tsOffset;
    return snapshot;
  }

  private audit(start: number, t: number, rollups: RollupChain): BucketAudit[] {
    const out: BucketAudit[] = [];
    for (const b of rollups.recentBuckets()) if (b.end > start) out.push(auditOf(b, false));
    if (rollups.openBucketStart <= t) out.push(auditOf(rollups.openBucket(), true));
    return out;
  }

  private shedSince(start: number): number {
    let shed = 0;
    for (const [bucket, n] of this.shedByBucket) {
      if (bucket + BUCKET_MS <= start - 120_000) this.shedByBucket.delete(bucket);
      else if (bucket + BUCKET_MS > start) shed += n;
    }
    return shed;
  }

  private emitPeriod(p: ClosedPeriod): void {
    const d = p.digest;
    const summarizer = this.options.summarizer();
    const record: Rollup = {
      type: "rollup",
      channel: this.options.channel,
      level: p.level,
      t: d.end,
      start: d.start,
      end: d.end,
      count: d.count,
      scored: d.scored,
      sentiment: sentimentBar(d.sentiment, d.scored),
      confidence: confidenceOf(d),
      headline: p.level === "5s" ? summarizer.summarizeWindow(d) : summarizer.summarizePeriod(d, p.parts),
      topics: topicsOf(d),
      top: topOf(d),
    };
    if (p.partial) record.partial = true;
    this.options.emit(record);
  }
}

function auditOf(d: ChatDigest, open: boolean): BucketAudit {
  const audit: BucketAudit = {
    start: d.start,
    end: d.end,
    count: d.count,
    scored: d.scored,
    sentiment: sentimentBar(d.sentiment, d.scored),
    top: topOf(d, AUDIT_TOP),
  };
  if (open) audit.open = true;
  return audit;
}
