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
/** One lease per channel token, taken and renewed with revision-checked updates. */
export const LEASE_BUCKET = "chatstream-leases";

export const chatSubject = (platformToken: string, channelToken: string): string => `chat.${platformToken}.${channelToken}`;
/** Every platform's messages for one channel: the pipeline keys channels by name alone, as `run` does. */
export const channelFilter = (channelToken: string): string => `chat.*.${channelToken}`;
export const snapshotSubject = (channelToken: string): string => `snap.${channelToken}`;
export const rollupSubject = (level: string, channelToken: string): string => `rollup.${level}.${channelToken}`;
/** A roll-up is one record per channel, level and period: a replay after failover publishes the same id again. */
export const rollupMessageId = (channelToken: string, level: string, start: number): string => `${channelToken}.${level}.${start}`;

/** The channel's durable consumer: consumer names refuse some of a token's characters, so a hash of it. */
export function consumerName(channelToken: string): string {
  return "ch-" + createHash("sha256").update(channelToken).digest("base64url").slice(0, 22).replace(/[-_]/g, "x");
}
