import type { HeadlineGateState } from "../aggregation/content-change.js";
import { TEN_MINUTES_MS } from "../aggregation/rollup-chain.js";
import { cleanEvent, cleanMessage } from "../core/text-cleaning.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import { ChannelPipeline } from "../pipeline/channel-pipeline.js";
import { DEFAULT_MAX_GAP_MS, streamTimeFault } from "../pipeline/stream-time.js";
import type { MessageProcessor } from "../processing/message-processor.js";
import type { OutputRecord, RollupLevel, Snapshot } from "../schema/output-schema.js";
import { asObject } from "../sources/formats/record-fields.js";
import type { ChatRecord } from "./chat-record.js";

/** What a worker keeps in the snapshot bucket per channel: the latest snapshot and the state no replay can rebuild. */
export interface PersistedChannel {
  v: 1;
  /** Stream sequence of the last record applied before the snapshot was taken. */
  seq: number;
  snapshot: Snapshot;
  headline: HeadlineGateState;
  /** The roll-up levels' headline gates, which reach back further than the replay (absent in entries of before). */
  periods?: [RollupLevel, HeadlineGateState][];
}

const ROLLUP_LEVELS: readonly RollupLevel[] = ["5s", "1m", "10m"];

function isGateState(value: unknown): value is HeadlineGateState {
  const g = asObject(value);
  if (g === undefined || typeof g.headline !== "string" || typeof g.since !== "number") return false;
  if (g.fingerprint === undefined) return true;
  const f = asObject(g.fingerprint);
  if (f === undefined || !Array.isArray(f.groupCounts) || !Array.isArray(f.top) || typeof f.net !== "number" || typeof f.active !== "number") return false;
  return f.groupCounts.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === "string" && typeof e[1] === "number") && f.top.every((x) => typeof x === "string");
}

/** Validates a stored PersistedChannel (the bucket is shared; a bad entry is ignored and the channel rebuilt without it). */
export function parsePersistedChannel(value: unknown): PersistedChannel | undefined {
  const o = asObject(value);
  const snapshot = asObject(o?.snapshot);
  const headline = asObject(o?.headline);
  if (o === undefined || o.v !== 1 || typeof o.seq !== "number" || snapshot === undefined || headline === undefined) return undefined;
  if (snapshot.type !== "snapshot" || typeof snapshot.t !== "number" || !Number.isSafeInteger(snapshot.t)) return undefined;
  if (!isGateState(headline)) return undefined;
  if (o.periods !== undefined) {
    if (!Array.isArray(o.periods) || o.periods.length > ROLLUP_LEVELS.length) return undefined;
    for (const e of o.periods as unknown[]) {
      if (!Array.isArray(e) || e.length !== 2 || !ROLLUP_LEVELS.includes(e[0] as RollupLevel) || !isGateState(e[1])) return undefined;
    }
  }
  return value as PersistedChannel;
}

/**
 * Where a rebuild starts replaying: the start of the 10 min period before the one holding the persisted
 * snapshot. From there every window (30 s, reaching back 120 s), every open roll-up and the previous period of
 * each level (roll-up cluster growth) is rebuilt from messages alone, so the rebuilt state equals the lost one;
 * the headline gate, which can reach back further, is restored from the bucket.
 */
export function replayStartFor(persisted: PersistedChannel | undefined): number {
  return persisted === undefined ? -Infinity : Math.floor(persisted.snapshot.t / TEN_MINUTES_MS) * TEN_MINUTES_MS - TEN_MINUTES_MS;
}

export interface BrokeredChannelOptions {
  channel: string;
  processor: MessageProcessor;
  summarizer: () => Summarizer;
  isEmote?: (name: string) => boolean;
  /** The bucket's entry when the channel is taken over (or restarted): output up to its snapshot was already published. */
  resume?: PersistedChannel;
  maxGapMs?: number;
}

export interface ChannelCounts {
  applied: number;
  /** Records before the replay start (already reflected in the resumed state's period). */
  skipped: number;
  /** Output records not published again because the previous owner already had (t at or before the resumed snapshot). */
  suppressed: number;
  badTimes: number;
}

/**
 * One channel as a worker holds it: a ChannelPipeline fed the channel's stream records in stream order, on stream
 * time alone, so a worker that takes it over and replays the same records gets the same state and output. Pure:
 * `apply` returns what to publish; the worker does the I/O.
 */
export class BrokeredChannel {
  private readonly pipeline: ChannelPipeline;
  private readonly replayFrom: number;
  private started = false;
  private restored: boolean;
  private latestT = -Infinity;
  private out: OutputRecord[] = [];
  private latest: PersistedChannel | undefined;
  private seq = 0;
  readonly counts: ChannelCounts = { applied: 0, skipped: 0, suppressed: 0, badTimes: 0 };

  constructor(private readonly options: BrokeredChannelOptions) {
    this.replayFrom = replayStartFor(options.resume);
    this.restored = options.resume === undefined;
    this.latest = options.resume;
    // The channel's language prior is rebuilt from the records replayed, as the rest of its state is.
    options.processor.forgetChannel(options.channel);
    this.pipeline = new ChannelPipeline({ channel: options.channel, summarizer: options.summarizer, isEmote: options.isEmote, emit: (r) => this.collect(r) });
  }

  /** The latest snapshot with the gate's state after it, to persist (undefined before the first). */
  get persisted(): PersistedChannel | undefined {
    return this.latest;
  }

  /** Applies one record (stream sequence `seq`) and returns the output to publish, in order. */
  apply(record: ChatRecord, seq: number): OutputRecord[] {
    this.seq = seq;
    const t = record.kind === "message" ? record.message.t : record.kind === "event" ? record.event.t : record.t;
    if (!this.started) {
      // In stream order, everything from the first record at or after the replay start; earlier ones are older than any state we need.
      if (t < this.replayFrom) {
        this.counts.skipped++;
        return [];
      }
      this.started = true;
    }
    if (streamTimeFault(t, this.latestT, this.options.maxGapMs ?? DEFAULT_MAX_GAP_MS) !== undefined) {
      this.counts.badTimes++;
      return [];
    }
    if (t > this.latestT) this.latestT = t;
    if (!this.restored && t > (this.options.resume as PersistedChannel).snapshot.t) this.restoreHeadline();
    this.counts.applied++;
    if (record.kind === "message") this.pipeline.ingest(this.options.processor.process(cleanMessage(record.message)));
    else if (record.kind === "event") this.pipeline.noteEvent(cleanEvent(record.event));
    else this.pipeline.advanceTo(record.t);
    return this.take();
  }

  /** The end of a replay with no record past the resumed snapshot: restore the gate now, for the records to come. */
  caughtUp(): OutputRecord[] {
    if (!this.restored) this.restoreHeadline();
    return this.take();
  }

  private restoreHeadline(): void {
    const resume = this.options.resume as PersistedChannel;
    // Publishes (suppressed) every snapshot up to the resumed one, so the gate is restored exactly where it was saved.
    this.pipeline.advanceTo(resume.snapshot.t);
    this.pipeline.restoreHeadline(resume.headline);
    if (resume.periods !== undefined) this.pipeline.restorePeriodHeadlines(resume.periods);
    this.restored = true;
  }

  private take(): OutputRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private collect(r: OutputRecord): void {
    const resumedT = this.options.resume?.snapshot.t ?? -Infinity;
    if ((r.type === "snapshot" ? r.t : r.end) <= resumedT) {
      this.counts.suppressed++;
      return;
    }
    if (r.type === "snapshot") this.latest = { v: 1, seq: this.seq, snapshot: r, headline: this.pipeline.headlineState(), periods: this.pipeline.periodHeadlineStates() };
    this.out.push(r);
  }
}
