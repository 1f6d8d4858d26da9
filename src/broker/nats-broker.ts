/**
 * The NATS JetStream side of scale-out: one connection, the streams and buckets it needs, created or updated on
 * connect. Imported only by the broker roles (`ingest`, `worker`, `serve --broker`), never by `run`, so the
 * single-process mode loads no NATS client.
 *
 * Debian's nats-server is 2.9: no per-key TTL, no multi-filter or pinned consumers. So liveness is heartbeats
 * read on each worker's own clock, leases are renewed by revision-checked updates, and each partition of the
 * channels has its own consumer with one filter subject (`chat.<partition>.>`).
 */
import { connect } from "@nats-io/transport-node";
import { credsAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { jetstream, jetstreamManager, DiscardPolicy, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { BrokerConfig } from "./broker-config.js";
import { CHANNEL_BUCKET, CHAT_STREAM, LEASE_BUCKET, MEMBER_BUCKET, ROLLUP_STREAM, SNAPSHOT_BUCKET } from "./subjects.js";

const NS_PER_MS = 1_000_000;

export interface Broker {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly config: BrokerConfig;
  bucket(name: "snapshots" | "channels" | "members" | "leases"): KV;
  close(): Promise<void>;
}

export interface BrokerConnectOptions {
  /** Shown in the server's connection list (`chatstream-worker-<id>`). */
  name: string;
  /** Worker liveness: heartbeats older than this are gone from the member bucket (the bucket's max age). */
  memberTtlMs?: number;
}

export async function connectBroker(config: BrokerConfig, options: BrokerConnectOptions): Promise<Broker> {
  const auth = config.auth;
  const nc = await connect({
    servers: config.servers,
    name: options.name,
    // A broker restart is ridden out: the client reconnects and JetStream publishes are retried by the callers.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // The client otherwise builds two Errors (stack traces) for every request, a JetStream publish included, in
    // case it fails: a quarter of the ingest's CPU in the broker bench's profile.
    noAsyncTraces: true,
    ...(auth.kind === "token" ? { token: auth.token } : auth.kind === "user" ? { user: auth.user, pass: auth.pass } : auth.kind === "creds" ? { authenticator: credsAuthenticator(auth.creds) } : {}),
  });
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await ensureStream(jsm, {
      name: CHAT_STREAM,
      subjects: ["chat.>"],
      retention: RetentionPolicy.Limits,
      max_age: config.retentionMs * NS_PER_MS,
      duplicate_window: Math.min(config.duplicateWindowMs, config.retentionMs) * NS_PER_MS,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
    });
    // Roll-ups are de-duplicated over as long as a replay can reach back: the whole chat retention.
    await ensureStream(jsm, {
      name: ROLLUP_STREAM,
      subjects: ["rollup.>"],
      retention: RetentionPolicy.Limits,
      max_age: config.retentionMs * NS_PER_MS,
      duplicate_window: config.retentionMs * NS_PER_MS,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
    });
    const kvm = new Kvm(nc);
    const buckets = new Map<string, KV>([
      ["snapshots", await kvm.create(SNAPSHOT_BUCKET, { history: 1 })],
      ["channels", await kvm.create(CHANNEL_BUCKET, { history: 1 })],
      ["members", await kvm.create(MEMBER_BUCKET, { history: 1, ttl: Math.max(10_000, (options.memberTtlMs ?? 3000) * 10) })],
      ["leases", await kvm.create(LEASE_BUCKET, { history: 1 })],
    ]);
    return {
      nc,
      js,
      jsm,
      config,
      bucket: (name) => buckets.get(name) as KV,
      close: async () => {
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (err) {
    if (!/not found/i.test((err as Error).message)) throw err;
    await jsm.streams.add(config);
  }
}
