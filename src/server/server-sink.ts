import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { OutputRecord, Rollup, RollupLevel, Snapshot } from "../schema/output-schema.js";
import { flattened } from "../core/text-cleaning.js";
import { recordJson } from "../sinks/record-json.js";
import type { Sink } from "../sinks/sink.js";

/** Records per sealed block of a RollupHistory: 5 min of 5 s roll-ups. */
export const HISTORY_BLOCK = 60;

interface SealedBlock {
  /** Records in the block, oldest first, and the newest one's time. */
  count: number;
  lastT: number;
  /** Their JSON lines, deflated: outside the JavaScript heap, about a tenth of the text. */
  data: Buffer;
}

/**
 * The newest `capacity` roll-ups of one channel and level, kept as their JSON text: the newest up to HISTORY_BLOCK
 * as strings, older ones deflated in blocks of HISTORY_BLOCK. Holding them as objects cost about 3.3 KB of heap per
 * 5 s roll-up of a busy channel (2.4 MB an hour) and most of the server's RSS per channel; as text in blocks, a few
 * hundred bytes, read back (parsed) only when /v1/history asks.
 */
export class RollupHistory {
  private readonly sealed: SealedBlock[] = [];
  /** Records of the oldest block already beyond the capacity (dropped with the block once all of it is). */
  private skip = 0;
  private recent: string[] = [];
  private recentTimes: number[] = [];
  private size = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.size;
  }

  push(record: Rollup): void {
    // The history keeps up to 180 lines per channel for minutes to hours, through every garbage collection.
    this.recent.push(flattened(recordJson(record)));
    this.recentTimes.push(record.t);
    this.size++;
    if (this.recent.length >= HISTORY_BLOCK) {
      this.sealed.push({ count: this.recent.length, lastT: this.recentTimes[this.recentTimes.length - 1] as number, data: deflateRawSync(this.recent.join("\n"), { level: 1 }) });
      this.recent = [];
      this.recentTimes = [];
    }
    while (this.size > this.capacity) {
      const oldest = this.sealed[0];
      if (oldest === undefined) {
        this.recent.shift();
        this.recentTimes.shift();
        this.size--;
        continue;
      }
      this.skip++;
      this.size--;
      if (this.skip === oldest.count) {
        this.sealed.shift();
        this.skip = 0;
      }
    }
  }

  /** The newest `limit` records with t > since, oldest first. */
  newest(since: number, limit: number): Rollup[] {
    const texts: string[] = [];
    for (let i = this.recent.length - 1; i >= 0 && texts.length < limit; i--) {
      if ((this.recentTimes[i] as number) <= since) return parseAll(texts);
      texts.push(this.recent[i] as string);
    }
    for (let b = this.sealed.length - 1; b >= 0 && texts.length < limit; b--) {
      const block = this.sealed[b] as SealedBlock;
      if (block.lastT <= since) break;
      const lines = inflateRawSync(block.data).toString("utf8").split("\n");
      const from = b === 0 ? this.skip : 0;
      for (let i = lines.length - 1; i >= from && texts.length < limit; i--) texts.push(lines[i] as string);
    }
    return parseAll(texts).filter((r) => r.t > since);
  }
}

/** Newest-first texts to records, oldest first. */
function parseAll(newestFirst: string[]): Rollup[] {
  const out: Rollup[] = [];
  for (let i = newestFirst.length - 1; i >= 0; i--) out.push(JSON.parse(newestFirst[i] as string) as Rollup);
  return out;
}

/** Default history kept per channel: 1 h of 5 s buckets, 10 h of minutes, 24 h of 10 min periods. */
export const DEFAULT_HISTORY: Record<RollupLevel, number> = { "5s": 720, "1m": 600, "10m": 144 };

export interface RecordListener {
  (record: OutputRecord): void;
}

interface ChannelState {
  latest: Snapshot | undefined;
  history: Record<RollupLevel, RollupHistory>;
}

/**
 * The server's view of the output: per channel the latest snapshot and a bounded roll-up history, plus
 * listeners (WebSocket hub, metrics, alerts) called synchronously for every record. It never blocks the
 * pipeline: `ready()` resolves at once, slow WebSocket clients are handled by the hub.
 */
export class ServerSink implements Sink {
  readonly name = "server";
  private readonly channels = new Map<string, ChannelState>();
  private readonly listeners: RecordListener[] = [];
  private lastSnapshotT: number | null = null;

  constructor(private readonly historySize: Record<RollupLevel, number> = DEFAULT_HISTORY) {}

  onRecord(listener: RecordListener): void {
    this.listeners.push(listener);
  }

  write(record: OutputRecord): void {
    const state = this.state(record.channel);
    if (record.type === "snapshot") {
      state.latest = record;
      this.lastSnapshotT = record.t;
    } else {
      state.history[record.level].push(record);
    }
    for (const l of this.listeners) l(record);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Drops a channel's latest snapshot and history (the pipeline evicted it to stay within --max-channels). */
  forget(channel: string): void {
    this.channels.delete(channel);
  }

  has(channel: string): boolean {
    return this.channels.has(channel);
  }

  channelNames(): string[] {
    return [...this.channels.keys()];
  }

  /** Stream time of the newest snapshot of any channel (null before the first). */
  get latestT(): number | null {
    return this.lastSnapshotT;
  }

  latest(channel: string): Snapshot | undefined {
    return this.channels.get(channel)?.latest;
  }

  /** Newest `limit` records of a level with t > since, oldest first. */
  history(channel: string, level: RollupLevel, since = -Infinity, limit = 100): Rollup[] {
    const ring = this.channels.get(channel)?.history[level];
    if (ring === undefined || limit <= 0) return [];
    return ring.newest(since, limit);
  }

  private state(channel: string): ChannelState {
    let s = this.channels.get(channel);
    if (s === undefined) {
      const h = this.historySize;
      s = { latest: undefined, history: { "5s": new RollupHistory(h["5s"]), "1m": new RollupHistory(h["1m"]), "10m": new RollupHistory(h["10m"]) } };
      this.channels.set(channel, s);
    }
    return s;
  }
}
