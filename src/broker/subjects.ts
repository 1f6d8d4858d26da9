import { createHash } from "node:crypto";

/** The JetStream stream every chat message goes to, one subject per platform and channel. */
export const CHAT_STREAM = "CHAT";
/** Published roll-ups, kept so JetStream de-duplicates them by (channel, level, period start) across replays. */
export const ROLLUP_STREAM = "CHATSTREAM_ROLLUPS";
/** Latest snapshot (and the headline gate's state) per channel token. */
export const SNAPSHOT_BUCKET = "chatstream-snapshots";
/** Channel tokens seen by any ingest: what workers divide between them. */
export const CHANNEL_BUCKET = "chatstream-channels";
/** Worker heartbeats, one key per worker id. */
export const MEMBER_BUCKET = "chatstream-members";
/** One lease per partition (`p<N>`), taken and renewed with revision-checked updates. */
export const LEASE_BUCKET = "chatstream-leases";

/**
 * Channels are hashed into this many partitions, the unit of leases and consumers. nats-server 2.9 pays for every
 * consumer of a stream on every message stored: 1,000 per-channel consumers cost it about 300 µs CPU per message
 * (3,000 msg/s on this machine), 32 partition consumers about 30 µs (benchmarks, docs/scale-out.md). Every role
 * must agree on it: it is part of the subject, so changing it needs an empty CHAT stream.
 */
export const PARTITIONS = 32;

/** The partition of a channel: by its name alone (every platform's messages of one channel meet in one pipeline, as in `run`). */
export function partitionOf(channelToken: string): number {
  return createHash("sha256").update(channelToken).digest().readUInt32BE(0) % PARTITIONS;
}

/** `chat.<partition>.<platform>.<channel>`: a partition's consumer filters on `chat.<partition>.>`. */
export const chatSubject = (platformToken: string, channelToken: string): string => `chat.${partitionOf(channelToken)}.${platformToken}.${channelToken}`;
/** Every channel of one partition, every platform. */
export const partitionFilter = (partition: number): string => `chat.${partition}.>`;
/** The channel token of a chat subject (undefined: not one). */
export function channelTokenOf(subject: string): string | undefined {
  const parts = subject.split(".");
  return parts.length === 4 && parts[0] === "chat" ? parts[3] : undefined;
}
/** A partition's lease key and durable consumer name. */
export const partitionKey = (partition: number): string => `p${partition}`;
export const snapshotSubject = (channelToken: string): string => `snap.${channelToken}`;
export const rollupSubject = (level: string, channelToken: string): string => `rollup.${level}.${channelToken}`;
/** A roll-up is one record per channel, level and period: a replay after failover publishes the same id again. */
export const rollupMessageId = (channelToken: string, level: string, start: number): string => `${channelToken}.${level}.${start}`;
