import type { RollupLevel } from "../schema/output-schema.js";
import type { ProcessedMessage } from "../processing/message-processor.js";
import { DEFAULT_TOP_GROUPS, DEFAULT_TOP_TERMS, DigestBuilder, mergeDigests, type ChatDigest } from "./chat-digest.js";

export const BUCKET_MS = 5_000;
export const MINUTE_MS = 60_000;
export const TEN_MINUTES_MS = 600_000;
/** Closed 5 s buckets kept for snapshot audits: enough to cover the longest reach-back (120 s) plus one. */
const RECENT_BUCKETS = 25;

export interface ClosedPeriod {
  level: RollupLevel;
  digest: ChatDigest;
  /** The lower-level digests it was merged from (empty for 5 s buckets). */
  parts: readonly ChatDigest[];
  partial: boolean;
}

/**
 * The fractal roll-up of one channel on stream time: 5 s buckets from messages, 1 min records merged from
 * twelve buckets, 10 min records merged from ten minutes. Periods are aligned to multiples of their length
 * and emitted in time order as they close, empty ones included, so each series has no holes.
 */
export class RollupChain {
  private bucket = new DigestBuilder();
  private bucketStart: number;
  private minuteParts: ChatDigest[] = [];
  private tenParts: ChatDigest[] = [];
  private readonly recent: ChatDigest[] = [];
  private changes = 0;

  /** @param origin stream time of the first period; a multiple of 10 min so every record has all its parts. */
  constructor(
    origin: number,
    private readonly emit: (period: ClosedPeriod) => void,
  ) {
    this.bucketStart = origin;
  }

  get openBucketStart(): number {
    return this.bucketStart;
  }

  /**
   * Changes to what `recentBuckets` and `openBucket` return: bumped by every message added and every bucket closed.
   * Equal values mean the same buckets with the same counts, so a snapshot's audits can be reused.
   */
  get version(): number {
    return this.changes;
  }

  add(m: ProcessedMessage): void {
    this.bucket.add(m);
    this.changes++;
  }

  /** Closes every period that ends at or before t (the caller has delivered all messages before t). */
  closeUpTo(t: number): void {
    while (this.bucketStart + BUCKET_MS <= t) this.closeBucket(false);
  }

  /** The open bucket's digest so far, without lines (for audits; does not close it). */
  openBucket(): ChatDigest {
    return this.bucket.build(this.bucketStart, this.bucketStart + BUCKET_MS, DEFAULT_TOP_GROUPS, DEFAULT_TOP_TERMS, 0);
  }

  /** Closed 5 s buckets, oldest first, ending with the one just before the open bucket. */
  recentBuckets(): readonly ChatDigest[] {
    return this.recent;
  }

  /** End of input: the open periods are emitted as partial records. */
  flush(): void {
    this.closeBucket(true);
  }

  private closeBucket(partial: boolean): void {
    const end = this.bucketStart + BUCKET_MS;
    const digest = this.bucket.build(this.bucketStart, end);
    this.emit({ level: "5s", digest, parts: [], partial });
    // Audits read a bucket's counts and top line only: the 25 kept for them drop the lines (up to 200 each).
    this.recent.push(withoutLines(digest));
    if (this.recent.length > RECENT_BUCKETS) this.recent.shift();
    this.minuteParts.push(digest);
    if (end % MINUTE_MS === 0 || partial) {
      const minuteStart = end - (end % MINUTE_MS === 0 ? MINUTE_MS : end % MINUTE_MS);
      const minute = mergeDigests(this.minuteParts, minuteStart, minuteStart + MINUTE_MS);
      this.emit({ level: "1m", digest: minute, parts: this.minuteParts, partial });
      this.minuteParts = [];
      this.tenParts.push(minute);
      if (end % TEN_MINUTES_MS === 0 || partial) {
        const tenStart = end - (end % TEN_MINUTES_MS === 0 ? TEN_MINUTES_MS : end % TEN_MINUTES_MS);
        const ten = mergeDigests(this.tenParts, tenStart, tenStart + TEN_MINUTES_MS);
        this.emit({ level: "10m", digest: ten, parts: this.tenParts, partial });
        this.tenParts = [];
      }
    }
    // A bucket nothing was added to is still empty: a quiet channel's next bucket reuses it (one builder, with its
    // maps and heaps, every 5 s per channel was most of what 10,000 quiet channels allocated for their roll-ups).
    if (this.bucket.version !== 0) this.bucket = new DigestBuilder();
    this.bucketStart = end;
    this.changes++;
  }
}

function withoutLines(d: ChatDigest): ChatDigest {
  if (d.lines === undefined) return d;
  // Quiet channels' empty buckets are one shared digest (DigestBuilder.build): one copy for all of them.
  if (d === lastWithLines && lastWithoutLines !== undefined) return lastWithoutLines;
  const { lines: _lines, ...rest } = d;
  lastWithLines = d;
  lastWithoutLines = rest;
  return rest;
}

let lastWithLines: ChatDigest | undefined;
let lastWithoutLines: ChatDigest | undefined;
