import type { OutputRecord, Rollup, RollupLevel, Snapshot } from "../schema/output-schema.js";
import type { Sink } from "../sinks/sink.js";

/** A fixed-size ring of the newest items. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[(this.head + this.size) % this.capacity] = item;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.items[(this.head + i) % this.capacity] as T);
    return out;
  }

  get length(): number {
    return this.size;
  }
}

/** Default history kept per channel: 1 h of 5 s buckets, 10 h of minutes, 24 h of 10 min periods. */
export const DEFAULT_HISTORY: Record<RollupLevel, number> = { "5s": 720, "1m": 600, "10m": 144 };

export interface RecordListener {
  (record: OutputRecord): void;
}

interface ChannelState {
  latest: Snapshot | undefined;
  history: Record<RollupLevel, Ring<Rollup>>;
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
    if (ring === undefined) return [];
    const all = ring.toArray().filter((r) => r.t > since);
    return all.slice(Math.max(0, all.length - limit));
  }

  private state(channel: string): ChannelState {
    let s = this.channels.get(channel);
    if (s === undefined) {
      const h = this.historySize;
      s = { latest: undefined, history: { "5s": new Ring(h["5s"]), "1m": new Ring(h["1m"]), "10m": new Ring(h["10m"]) } };
      this.channels.set(channel, s);
    }
    return s;
  }
}
