import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { KV, KvWatchEntry } from "@nats-io/kv";
import type { Clock } from "../core/clock.js";
import type { EmoteDictionary } from "../processing/emote-dictionary.js";
import type { MessageProcessor } from "../processing/message-processor.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import type { OutputRecord } from "../schema/output-schema.js";
import { ownerOf } from "./channel-assignment.js";
import { BrokeredChannel, parsePersistedChannel, type PersistedChannel } from "./channel-state.js";
import { decodeChatRecord } from "./chat-record.js";
import type { Broker } from "./nats-broker.js";
import { CHAT_STREAM, channelFilter, consumerName, rollupMessageId, rollupSubject, snapshotSubject } from "./subjects.js";
import { decodeToken } from "./subject-token.js";

export interface ChannelWorkerOptions {
  /** Unique per process (a restarted worker is a new member). */
  id: string;
  broker: Broker;
  /** The models' slots (as `run` sets them up): read at each message and headline, so a swap takes effect. */
  models: { readonly processor: MessageProcessor; readonly summarizer: Summarizer; readonly emotes: EmoteDictionary };
  clock: Clock;
  /** How often the worker heartbeats, renews its leases and re-reads the assignment (default 500 ms). */
  tickMs?: number;
  /** A member unseen this long is gone (default 3 s). */
  memberTtlMs?: number;
  /** A lease not renewed this long may be taken over (default 3 s). */
  leaseTtlMs?: number;
  /** Unacknowledged deliveries per channel consumer (default 1,000). */
  maxAckPending?: number;
  maxMessageLength?: number;
  log?: (line: string) => void;
}

/** What a worker reports (printed at exit, scraped later): the owned channels, lag, redeliveries, rebuild time. */
export interface WorkerStats {
  ownedChannels: number;
  acquired: number;
  released: number;
  leasesLost: number;
  applied: number;
  /** Of the records applied, chat messages (the rest: events and watermarks). */
  messages: number;
  badRecords: number;
  redeliveries: number;
  snapshotsPublished: number;
  rollupsPublished: number;
  rollupDuplicates: number;
  /** Milliseconds from taking a lease to having replayed the channel's retained records, last and total. */
  lastRebuildMs: number;
  totalRebuildMs: number;
  /** Messages still to deliver to this worker's consumers (from their info; refreshed every tick). */
  consumerLag: number;
}

interface Lease {
  owner: string;
  revision: number;
  /** This worker's clock when the revision was first seen: a lease unchanged for the TTL is stale. */
  seenAt: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Lease renewals (and consumer info requests) a tick keeps in flight at once. */
const CONCURRENT_REQUESTS = 64;
/** Channels taken over at once (each: a bucket read, a consumer recreated, its replay started). */
const CONCURRENT_ACQUISITIONS = 16;
/** Consumer lag is refreshed every this many ticks (2 s at the default 500 ms). */
const LAG_EVERY_TICKS = 4;

/** Runs `each` over `items`, at most `width` at once. */
async function inBatches<T>(items: readonly T[], width: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(each));
}

/**
 * `chatstream worker`: holds the channels that rendezvous hashing gives it among the live members, each under a
 * lease in the KV bucket (created, renewed and taken over only by revision-checked updates, so two workers never
 * both believe they hold one), runs their pipelines and publishes their snapshots and roll-ups.
 */
export class ChannelWorker {
  private readonly members = new Map<string, number>();
  private readonly leases = new Map<string, Lease>();
  private readonly channels = new Set<string>();
  private readonly owned = new Map<string, OwnedChannel>();
  private readonly watches: { stop(): void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private ticks = 0;
  readonly stats: WorkerStats = { ownedChannels: 0, acquired: 0, released: 0, leasesLost: 0, applied: 0, messages: 0, badRecords: 0, redeliveries: 0, snapshotsPublished: 0, rollupsPublished: 0, rollupDuplicates: 0, lastRebuildMs: 0, totalRebuildMs: 0, consumerLag: 0 };
  private readonly memberKv: KV;
  private readonly leaseKv: KV;
  private readonly channelKv: KV;
  readonly snapshotKv: KV;

  constructor(readonly options: ChannelWorkerOptions) {
    this.memberKv = options.broker.bucket("members");
    this.leaseKv = options.broker.bucket("leases");
    this.channelKv = options.broker.bucket("channels");
    this.snapshotKv = options.broker.bucket("snapshots");
  }

  get id(): string {
    return this.options.id;
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  async start(): Promise<void> {
    await this.heartbeat();
    await this.watch(this.memberKv, (e) => {
      if (e.operation === "PUT") this.members.set(e.key, this.options.clock.now());
      else this.members.delete(e.key);
    });
    await this.watch(this.channelKv, (e) => {
      if (e.operation === "PUT") this.channels.add(e.key);
    });
    await this.watch(this.leaseKv, (e) => {
      if (e.operation !== "PUT") {
        this.leases.delete(e.key);
        return;
      }
      const owner = decoder.decode(e.value);
      const known = this.leases.get(e.key);
      if (known === undefined || known.revision !== e.revision) this.leases.set(e.key, { owner, revision: e.revision, seenAt: this.options.clock.now() });
    });
    const every = this.options.tickMs ?? 500;
    const loop = (): void => {
      if (this.stopped) return;
      this.ticking = this.tick()
        .catch((err: unknown) => this.log(`tick failed: ${(err as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, every);
        });
    };
    loop();
  }

  /** Leaves cleanly: stops every channel, hands its leases back and leaves the member list, so others take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    for (const token of [...this.owned.keys()]) await this.release(token);
    for (const w of this.watches) w.stop();
    await this.memberKv.delete(this.options.id).catch(() => undefined);
  }

  /** Live members as this worker sees them, itself included. */
  liveMembers(): string[] {
    const now = this.options.clock.now();
    const ttl = this.options.memberTtlMs ?? 3000;
    const live = [...this.members].filter(([id, seen]) => id === this.options.id || now - seen <= ttl).map(([id]) => id);
    if (!live.includes(this.options.id)) live.push(this.options.id);
    return live.sort();
  }

  ownedChannels(): string[] {
    return [...this.owned.keys()].map((t) => decodeToken(t) ?? t);
  }

  private async watch(kv: KV, on: (e: KvWatchEntry) => void): Promise<void> {
    const w = await kv.watch({ key: ">" });
    this.watches.push(w);
    void (async () => {
      for await (const e of w) on(e);
    })().catch((err: unknown) => this.log(`watch ended: ${(err as Error).message}`));
  }

  private async heartbeat(): Promise<void> {
    await this.memberKv.put(this.options.id, encoder.encode(String(this.options.clock.now())));
  }

  private async tick(): Promise<void> {
    await this.heartbeat();
    const members = this.liveMembers();
    const now = this.options.clock.now();
    const ttl = this.options.leaseTtlMs ?? 3000;
    // Consumer info is one request per channel: asked every few ticks, not every one (hundreds of channels per worker).
    const refreshLag = this.ticks++ % LAG_EVERY_TICKS === 0;
    const held: [string, OwnedChannel][] = [];
    const wanted: [string, Lease | undefined][] = [];
    for (const token of this.channels) {
      if (this.stopped) return;
      const mine = ownerOf(token, members) === this.options.id;
      const owned = this.owned.get(token);
      if (owned !== undefined) {
        if (!mine) await this.release(token);
        else held.push([token, owned]);
        continue;
      }
      if (!mine) continue;
      const lease = this.leases.get(token);
      if (lease !== undefined && lease.owner !== this.options.id && now - lease.seenAt <= ttl) continue;
      wanted.push([token, lease]);
    }
    // Renewals first, many in flight at once: a tick over hundreds of channels must stay well inside the lease TTL.
    await inBatches(held, CONCURRENT_REQUESTS, async ([token, owned]) => {
      if (!(await this.renew(token, owned, refreshLag))) await this.lose(token);
    });
    await inBatches(wanted, CONCURRENT_ACQUISITIONS, async ([token, lease]) => {
      if (this.stopped) return;
      const revision = await (lease === undefined ? this.leaseKv.create(token, encoder.encode(this.options.id)) : this.leaseKv.update(token, encoder.encode(this.options.id), lease.revision)).catch(() => undefined);
      if (revision === undefined) return;
      this.leases.set(token, { owner: this.options.id, revision, seenAt: now });
      await this.acquire(token, revision);
    });
    let lag = 0;
    for (const owned of this.owned.values()) lag += owned.lag;
    this.stats.consumerLag = lag;
    this.stats.ownedChannels = this.owned.size;
  }

  private async renew(token: string, held: OwnedChannel, refreshLag: boolean): Promise<boolean> {
    const revision = await this.leaseKv.update(token, encoder.encode(this.options.id), held.leaseRevision).catch(() => undefined);
    if (revision === undefined) return false;
    held.leaseRevision = revision;
    this.leases.set(token, { owner: this.options.id, revision, seenAt: this.options.clock.now() });
    if (refreshLag) await held.refreshLag();
    return true;
  }

  private async acquire(token: string, revision: number): Promise<void> {
    const channel = decodeToken(token);
    if (channel === undefined) return;
    const entry = await this.snapshotKv.get(token).catch(() => null);
    let resume: PersistedChannel | undefined;
    if (entry !== null && entry.operation === "PUT") {
      try {
        resume = parsePersistedChannel(JSON.parse(decoder.decode(entry.value)));
      } catch {
        resume = undefined;
      }
    }
    const held = new OwnedChannel(this, token, channel, revision, resume);
    this.owned.set(token, held);
    this.stats.acquired++;
    await held.start();
  }

  private async release(token: string): Promise<void> {
    const held = this.owned.get(token);
    if (held === undefined) return;
    this.owned.delete(token);
    await held.stop();
    await this.leaseKv.delete(token, { previousSeq: held.leaseRevision }).catch(() => undefined);
    this.leases.delete(token);
    this.stats.released++;
  }

  /** Another worker holds the lease now: stop at once, without touching it. */
  private async lose(token: string): Promise<void> {
    const held = this.owned.get(token);
    this.owned.delete(token);
    this.stats.leasesLost++;
    await held?.stop();
  }

  /** Checked before every write: a worker that lost the lease must not overwrite its successor's output. */
  holds(token: string, held: OwnedChannel): boolean {
    return this.owned.get(token) === held && !this.stopped;
  }
}

/**
 * One owned channel: its own durable consumer, recreated from the start of the retained messages on every
 * acquisition (the replay that rebuilds the state), acknowledged message by message once the message is in the
 * pipeline's state and what it produced is published.
 */
class OwnedChannel {
  private messages: ConsumerMessages | undefined;
  private running: Promise<void> | undefined;
  private state: BrokeredChannel;
  private rebuildStart = 0;
  private replayUntil = 0;
  private rebuilt = false;
  lag = 0;

  constructor(
    private readonly worker: ChannelWorker,
    private readonly token: string,
    channel: string,
    public leaseRevision: number,
    resume: PersistedChannel | undefined,
  ) {
    const models = worker.options.models;
    this.state = new BrokeredChannel({ channel, processor: models.processor, summarizer: () => models.summarizer, isEmote: (n) => models.emotes.emote(n) !== undefined, resume });
  }

  async start(): Promise<void> {
    const { jsm, js } = this.worker.options.broker;
    const name = consumerName(this.token);
    this.rebuildStart = this.worker.options.clock.now();
    await jsm.consumers.delete(CHAT_STREAM, name).catch(() => undefined);
    const info = await jsm.consumers.add(CHAT_STREAM, {
      durable_name: name,
      filter_subject: channelFilter(this.token),
      deliver_policy: DeliverPolicy.All,
      ack_policy: AckPolicy.Explicit,
      ack_wait: 30_000_000_000,
      max_ack_pending: this.worker.options.maxAckPending ?? 1000,
    });
    // Everything stored when the consumer was made is the replay; the channel is rebuilt once it is applied.
    this.replayUntil = info.num_pending;
    if (this.replayUntil === 0) this.finishRebuild();
    const consumer = await js.consumers.get(CHAT_STREAM, name);
    this.messages = await consumer.consume({ max_messages: 500 });
    const messages = this.messages;
    this.running = (async () => {
      let delivered = 0;
      for await (const m of messages) {
        if (!this.worker.holds(this.token, this)) break;
        await this.handle(m);
        if (!this.rebuilt && ++delivered >= this.replayUntil) this.finishRebuild();
      }
    })().catch((err: unknown) => this.worker.log(`channel ${this.token}: ${(err as Error).message}`));
  }

  async stop(): Promise<void> {
    await this.messages?.close().catch(() => undefined);
    await this.running;
  }

  async refreshLag(): Promise<void> {
    const info = await this.worker.options.broker.jsm.consumers.info(CHAT_STREAM, consumerName(this.token)).catch(() => undefined);
    if (info !== undefined) this.lag = info.num_pending + info.num_ack_pending;
  }

  private finishRebuild(): void {
    this.rebuilt = true;
    const ms = this.worker.options.clock.now() - this.rebuildStart;
    this.worker.stats.lastRebuildMs = ms;
    this.worker.stats.totalRebuildMs += ms;
    void this.publish(this.state.caughtUp()).catch((err: unknown) => this.worker.log(`channel ${this.token}: ${(err as Error).message}`));
  }

  private async handle(m: JsMsg): Promise<void> {
    const stats = this.worker.stats;
    if (m.info.deliveryCount > 1) stats.redeliveries++;
    const record = decodeChatRecord(m.data, this.worker.options.maxMessageLength ?? 2000);
    if (record.kind === "error") {
      stats.badRecords++;
      m.ack();
      return;
    }
    const out = this.state.apply(record, m.seq);
    stats.applied++;
    if (record.kind === "message") stats.messages++;
    await this.publish(out);
    m.ack();
  }

  private async publish(out: OutputRecord[]): Promise<void> {
    if (out.length === 0) return;
    const { nc, js } = this.worker.options.broker;
    let snapshot = false;
    for (const r of out) {
      if (!this.worker.holds(this.token, this)) return;
      const data = encoder.encode(JSON.stringify(r));
      if (r.type === "snapshot") {
        nc.publish(snapshotSubject(this.token), data);
        this.worker.stats.snapshotsPublished++;
        snapshot = true;
      } else {
        const ack = await js.publish(rollupSubject(r.level, this.token), data, { msgID: rollupMessageId(this.token, r.level, r.start) });
        if (ack.duplicate) this.worker.stats.rollupDuplicates++;
        else this.worker.stats.rollupsPublished++;
      }
    }
    const latest = this.state.persisted;
    if (snapshot && latest !== undefined && this.worker.holds(this.token, this)) await this.worker.snapshotKv.put(this.token, encoder.encode(JSON.stringify(latest)));
  }
}
