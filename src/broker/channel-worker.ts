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
import { CHAT_STREAM, PARTITIONS, channelTokenOf, partitionFilter, partitionKey, partitionOf, rollupMessageId, rollupSubject, snapshotSubject } from "./subjects.js";
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
  /** Unacknowledged deliveries per partition consumer (default 20,000). */
  maxAckPending?: number;
  /**
   * A channel's entry in the snapshot bucket is written at most this often (default 1 s; 0: every snapshot). A
   * rebuild needs only some persisted snapshot with the gate state after it: it replays from the 10 min period
   * before it and publishes again, identical, the snapshots after it (at most this long of them; roll-ups are
   * de-duplicated by id). The latest is always written in the end (a timer), and at once when a channel is handed over.
   */
  persistEveryMs?: number;
  maxMessageLength?: number;
  log?: (line: string) => void;
}

/** What a worker reports (printed at exit, scraped later): the owned channels, lag, redeliveries, rebuild time. */
export interface WorkerStats {
  /** Registered channels in the partitions this worker holds. */
  ownedChannels: number;
  ownedPartitions: number;
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
  /** Milliseconds from taking a partition's lease to having replayed its retained records, last and total. */
  lastRebuildMs: number;
  totalRebuildMs: number;
  /** Messages still to deliver to (or to acknowledge from) this worker's partition consumers (the pending count each delivery carries). */
  consumerLag: number;
  /** Writes of the snapshot bucket (coalesced: at most one per channel per persistEveryMs). */
  snapshotsPersisted: number;
  /** Acknowledgements sent (AckAll: one acknowledges every delivery before it). */
  acks: number;
}

interface Lease {
  owner: string;
  revision: number;
  /** This worker's clock when the revision was first seen: a lease unchanged for the TTL is stale. */
  seenAt: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Lease renewals (and lease reads) a tick keeps in flight at once. */
const CONCURRENT_REQUESTS = 64;
/** Channels taken over at once (each: a bucket read, a consumer recreated, its replay started). */
const CONCURRENT_ACQUISITIONS = 16;
/** At most this many deliveries wait for their (AckAll) acknowledgement: the acknowledgement goes when none is queued, or at this count. */
const ACK_EVERY = 64;

/** Runs `each` over `items`, at most `width` at once. */
async function inBatches<T>(items: readonly T[], width: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(each));
}

/**
 * `chatstream worker`: holds the partitions (PARTITIONS, each a hash share of the channels) that rendezvous hashing
 * gives it among the live members, each under a lease in the KV bucket (created, renewed and taken over only by
 * revision-checked updates, so two workers never both believe they hold one, and so one channel is processed by
 * one worker at a time), runs their channels' pipelines and publishes their snapshots and roll-ups.
 */
export class ChannelWorker {
  private readonly members = new Map<string, number>();
  private readonly leases = new Map<string, Lease>();
  private readonly channels = new Set<string>();
  private readonly owned = new Map<string, OwnedPartition>();
  private readonly watches: { stop(): void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private ticks = 0;
  readonly stats: WorkerStats = { ownedChannels: 0, ownedPartitions: 0, acquired: 0, released: 0, leasesLost: 0, applied: 0, messages: 0, badRecords: 0, redeliveries: 0, snapshotsPublished: 0, rollupsPublished: 0, rollupDuplicates: 0, lastRebuildMs: 0, totalRebuildMs: 0, consumerLag: 0, snapshotsPersisted: 0, acks: 0 };
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

  /** The registered channels of the partitions this worker holds. */
  ownedChannels(): string[] {
    return [...this.channels].filter((t) => this.owned.has(partitionKey(partitionOf(t)))).map((t) => decodeToken(t) ?? t);
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
    // Leases are renewed every third of their TTL, not every tick: a renewal is a stored write (per-channel leases
    // renewed at 2 Hz were 2,000 writes a second for 1,000 channels before any chat).
    const renewEveryTicks = Math.max(1, Math.floor(ttl / 3 / (this.options.tickMs ?? 500)));
    const renewing = this.ticks++ % renewEveryTicks === 0;
    const held: [string, OwnedPartition][] = [];
    const wanted: string[] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      if (this.stopped) return;
      const token = partitionKey(p);
      const mine = ownerOf(token, members) === this.options.id;
      const owned = this.owned.get(token);
      if (owned !== undefined) {
        if (!mine) await this.release(token);
        else held.push([token, owned]);
        continue;
      }
      if (mine) wanted.push(token);
    }
    // Renewals first, all in flight at once: the tick must stay well inside the lease TTL.
    if (renewing) {
      await inBatches(held, CONCURRENT_REQUESTS, async ([token, owned]) => {
        if (!(await this.renew(token, owned))) await this.lose(token);
      });
    }
    // The leases of the partitions this worker should hold but does not are read, not watched: a watch of the lease
    // bucket delivered every renewal of every worker to every worker; these reads are only the partitions in motion.
    // A lease is left alone while its owner is a live member and its revision moved within the TTL. An owner gone
    // from the members (no heartbeat for memberTtlMs) is not waited for again: its renewals stopped with its
    // heartbeats, and were it still alive its next renewal would fail on the revision this update writes.
    const live = new Set(members);
    const free: [string, Lease | undefined][] = [];
    await inBatches(wanted, CONCURRENT_REQUESTS, async (token) => {
      const lease = await this.readLease(token, now);
      if (lease !== undefined && lease.owner !== this.options.id && live.has(lease.owner) && now - lease.seenAt <= ttl) return;
      free.push([token, lease]);
    });
    await inBatches(free, CONCURRENT_ACQUISITIONS, async ([token, lease]) => {
      if (this.stopped) return;
      const revision = await (lease === undefined ? this.leaseKv.create(token, encoder.encode(this.options.id)) : this.leaseKv.update(token, encoder.encode(this.options.id), lease.revision)).catch(() => undefined);
      if (revision === undefined) return;
      this.leases.set(token, { owner: this.options.id, revision, seenAt: now });
      await this.acquire(token, revision);
    });
    let lag = 0;
    for (const owned of this.owned.values()) lag += owned.lag;
    this.stats.consumerLag = lag;
    this.stats.ownedPartitions = this.owned.size;
    let channels = 0;
    for (const t of this.channels) if (this.owned.has(partitionKey(partitionOf(t)))) channels++;
    this.stats.ownedChannels = channels;
  }

  /**
   * The lease on a partition as this worker last saw it: its owner, its revision and when that revision was first
   * seen on this worker's clock (a lease whose revision has not moved for the TTL is stale). Undefined: no lease.
   */
  private async readLease(token: string, now: number): Promise<Lease | undefined> {
    const entry = await this.leaseKv.get(token).catch(() => null);
    if (entry === null || entry.operation !== "PUT") {
      this.leases.delete(token);
      return undefined;
    }
    const known = this.leases.get(token);
    if (known !== undefined && known.revision === entry.revision) return known;
    const lease = { owner: decoder.decode(entry.value), revision: entry.revision, seenAt: now };
    this.leases.set(token, lease);
    return lease;
  }

  private async renew(token: string, held: OwnedPartition): Promise<boolean> {
    const revision = await this.leaseKv.update(token, encoder.encode(this.options.id), held.leaseRevision).catch(() => undefined);
    if (revision === undefined) return false;
    held.leaseRevision = revision;
    this.leases.set(token, { owner: this.options.id, revision, seenAt: this.options.clock.now() });
    return true;
  }

  private async acquire(token: string, revision: number): Promise<void> {
    const held = new OwnedPartition(this, token, Number(token.slice(1)), revision);
    this.owned.set(token, held);
    this.stats.acquired++;
    await held.start();
  }

  /** A channel's entry in the snapshot bucket, validated (a bad or missing one: the channel is rebuilt from the replay alone). */
  async persistedEntry(channelToken: string): Promise<PersistedChannel | undefined> {
    const entry = await this.snapshotKv.get(channelToken).catch(() => null);
    if (entry === null || entry.operation !== "PUT") return undefined;
    try {
      return parsePersistedChannel(JSON.parse(decoder.decode(entry.value)));
    } catch {
      return undefined;
    }
  }

  private async release(token: string): Promise<void> {
    const held = this.owned.get(token);
    if (held === undefined) return;
    this.owned.delete(token);
    await held.stop();
    await held.flushPersisted();
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
  holds(token: string, held: OwnedPartition): boolean {
    return this.owned.get(token) === held && !this.stopped;
  }
}

/**
 * One owned partition: its own durable consumer (`chat.<partition>.>`), recreated from the start of the retained
 * messages on every acquisition (the replay that rebuilds every channel of it). Acknowledged with AckAll once the
 * messages are in their channels' state and what they produced is published: one acknowledgement when no delivery
 * is queued behind the last one, or every ACK_EVERY deliveries, instead of one per message.
 */
class OwnedPartition {
  private messages: ConsumerMessages | undefined;
  private running: Promise<void> | undefined;
  private readonly channels = new Map<string, OwnedChannel>();
  /**
   * Roll-up publishes awaiting their JetStream ack, all in flight at once: every channel's periods close on the same
   * boundaries of stream time, so awaiting each in turn stalled a partition for one round trip per channel.
   */
  readonly publishing = new Set<Promise<void>>();
  private rebuildStart = 0;
  private replayUntil = 0;
  private rebuilt = false;
  lag = 0;

  constructor(
    readonly worker: ChannelWorker,
    readonly token: string,
    private readonly partition: number,
    public leaseRevision: number,
  ) {}

  async start(): Promise<void> {
    const { jsm, js } = this.worker.options.broker;
    const name = `chatstream-${this.token}`;
    this.rebuildStart = this.worker.options.clock.now();
    await jsm.consumers.delete(CHAT_STREAM, name).catch(() => undefined);
    const info = await jsm.consumers.add(CHAT_STREAM, {
      durable_name: name,
      filter_subject: partitionFilter(this.partition),
      deliver_policy: DeliverPolicy.All,
      ack_policy: AckPolicy.All,
      ack_wait: 30_000_000_000,
      max_ack_pending: this.worker.options.maxAckPending ?? 20_000,
    });
    // Everything stored when the consumer was made is the replay; the partition is rebuilt once it is applied.
    this.replayUntil = info.num_pending;
    if (this.replayUntil === 0) await this.finishRebuild();
    const consumer = await js.consumers.get(CHAT_STREAM, name);
    this.messages = await consumer.consume({ max_messages: 1000 });
    const messages = this.messages;
    this.running = (async () => {
      let delivered = 0;
      let unacked = 0;
      for await (const m of messages) {
        if (!this.worker.holds(this.token, this)) break;
        await this.handle(m);
        // AckAll: this acknowledgement covers every delivery before it, all of them in the state and published.
        if (++unacked >= ACK_EVERY || messages.getPending() === 0) {
          await this.published();
          m.ack();
          this.worker.stats.acks++;
          unacked = 0;
        }
        this.lag = m.info.pending + unacked;
        if (!this.rebuilt && ++delivered >= this.replayUntil) await this.finishRebuild();
      }
    })().catch((err: unknown) => this.worker.log(`partition ${this.token}: ${(err as Error).message}`));
  }

  async stop(): Promise<void> {
    await this.messages?.close().catch(() => undefined);
    await this.running;
    await this.published().catch(() => undefined);
    for (const c of this.channels.values()) await c.stopPersisting();
  }

  /** Waits for the roll-ups in flight (a failed one rejects: the partition stops, unacknowledged, as on any error). */
  async published(): Promise<void> {
    while (this.publishing.size > 0) await Promise.all(this.publishing);
  }

  /** A clean handover (after stop, before the lease is given back): every channel's latest entry is written now. */
  async flushPersisted(): Promise<void> {
    await Promise.all([...this.channels.values()].map((c) => c.flushPersisted()));
  }

  private async finishRebuild(): Promise<void> {
    this.rebuilt = true;
    const ms = this.worker.options.clock.now() - this.rebuildStart;
    this.worker.stats.lastRebuildMs = ms;
    this.worker.stats.totalRebuildMs += ms;
    for (const c of this.channels.values()) c.publish(c.state.caughtUp());
  }

  /** The channel of a record, its state resumed from the bucket on its first record since the lease was taken. */
  private async channel(token: string): Promise<OwnedChannel | undefined> {
    const known = this.channels.get(token);
    if (known !== undefined) return known;
    const name = decodeToken(token);
    if (name === undefined) return undefined;
    const c = new OwnedChannel(this, token, name, await this.worker.persistedEntry(token));
    this.channels.set(token, c);
    return c;
  }

  private async handle(m: JsMsg): Promise<void> {
    const stats = this.worker.stats;
    if (m.info.deliveryCount > 1) stats.redeliveries++;
    const token = channelTokenOf(m.subject);
    const c = token === undefined ? undefined : await this.channel(token);
    const record = decodeChatRecord(m.data, this.worker.options.maxMessageLength ?? 2000);
    if (c === undefined || record.kind === "error") {
      stats.badRecords++;
      return;
    }
    const out = c.state.apply(record, m.seq);
    stats.applied++;
    if (record.kind === "message") stats.messages++;
    c.publish(out);
  }
}

/**
 * One channel of an owned partition: its pipeline (BrokeredChannel) and its entry in the snapshot bucket, written
 * coalesced: at most one write in flight and at most one per persistEveryMs, always the latest, so a channel's
 * 2 Hz snapshots cost at most 1 write a second (1,000 channels: 2,000 writes a second before).
 */
class OwnedChannel {
  readonly state: BrokeredChannel;
  /** A newer snapshot than the last written waits to be written. */
  private dirty = false;
  private persistedAt = -Infinity;
  private persisting: Promise<void> | undefined;
  private persistTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly partition: OwnedPartition,
    private readonly token: string,
    channel: string,
    resume: PersistedChannel | undefined,
  ) {
    const models = partition.worker.options.models;
    this.state = new BrokeredChannel({ channel, processor: models.processor, summarizer: () => models.summarizer, isEmote: (n) => models.emotes.emote(n) !== undefined, resume });
  }

  private get worker(): ChannelWorker {
    return this.partition.worker;
  }

  private holds(): boolean {
    return this.worker.holds(this.partition.token, this.partition);
  }

  /** Snapshots go out at once; roll-ups into the partition's publishes in flight, awaited before the acknowledgement. */
  publish(out: OutputRecord[]): void {
    if (out.length === 0) return;
    const { nc, js } = this.worker.options.broker;
    let snapshot = false;
    for (const r of out) {
      if (!this.holds()) return;
      const data = encoder.encode(JSON.stringify(r));
      if (r.type === "snapshot") {
        nc.publish(snapshotSubject(this.token), data);
        this.worker.stats.snapshotsPublished++;
        snapshot = true;
      } else {
        const stats = this.worker.stats;
        const p: Promise<void> = js
          .publish(rollupSubject(r.level, this.token), data, { msgID: rollupMessageId(this.token, r.level, r.start) })
          .then((ack) => void (ack.duplicate ? stats.rollupDuplicates++ : stats.rollupsPublished++))
          .finally(() => this.partition.publishing.delete(p));
        // Handled here so a failure is never an unhandled rejection; published() still sees it reject.
        p.catch(() => undefined);
        this.partition.publishing.add(p);
      }
    }
    if (snapshot && this.state.persisted !== undefined) {
      this.dirty = true;
      this.schedulePersist();
    }
  }

  async stopPersisting(): Promise<void> {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    await this.persisting;
  }

  async flushPersisted(): Promise<void> {
    const latest = this.state.persisted;
    if (!this.dirty || latest === undefined) return;
    this.dirty = false;
    await this.write(latest);
  }

  private async write(latest: PersistedChannel): Promise<void> {
    await this.worker.snapshotKv.put(this.token, encoder.encode(JSON.stringify(latest))).then(
      () => void this.worker.stats.snapshotsPersisted++,
      (err: unknown) => {
        // Written again (the latest then) after persistEveryMs: the broker may be away.
        this.dirty = true;
        this.worker.log(`channel ${this.token}: snapshot not persisted: ${(err as Error).message}`);
      },
    );
  }

  /** Writes the latest entry now if the last write is done and old enough, else when it is. */
  private schedulePersist(): void {
    if (!this.dirty || this.persisting !== undefined || this.persistTimer !== undefined || !this.holds()) return;
    const wait = this.persistedAt + (this.worker.options.persistEveryMs ?? 1000) - this.worker.options.clock.now();
    if (wait > 0) {
      this.persistTimer = setTimeout(() => {
        this.persistTimer = undefined;
        this.schedulePersist();
      }, wait);
      return;
    }
    this.dirty = false;
    this.persistedAt = this.worker.options.clock.now();
    this.persisting = this.write(this.state.persisted as PersistedChannel).finally(() => {
      this.persisting = undefined;
      this.schedulePersist();
    });
  }
}
