import { createHash } from "node:crypto";
import type { ChatMessage } from "../core/message.js";

/** Channels whose latest millisecond is remembered; beyond it the oldest is forgotten (its counter restarts). */
const MAX_TRACKED_CHANNELS = 100_000;

/**
 * JetStream drops a publish whose `Nats-Msg-Id` it stored within the duplicate window, so a source that
 * reconnects and re-sends is stored once. The id is the platform's own message id when there is one; otherwise
 * a hash of channel, time, user and text, plus how many identical messages came before it in the same
 * millisecond of that channel (two real "LUL"s from one user in one ms stay two). Ids are hashes: a header never
 * carries chat text or a control character, and its length is fixed.
 */
export class MessageIdAssigner {
  private readonly latest = new Map<string, { t: number; seen: Map<string, number> }>();

  idFor(m: ChatMessage): string {
    if (m.id !== undefined && m.id !== "") return "p" + digest([m.platform, m.channel, m.id]);
    const h = digest([m.channel, String(m.t), m.userId, m.text]);
    let slot = this.latest.get(m.channel);
    if (slot === undefined || slot.t !== m.t) {
      if (slot === undefined && this.latest.size >= MAX_TRACKED_CHANNELS) this.latest.delete(this.latest.keys().next().value as string);
      slot = { t: m.t, seen: new Map() };
      this.latest.set(m.channel, slot);
    }
    const n = slot.seen.get(h) ?? 0;
    slot.seen.set(h, n + 1);
    return `h${h}.${n}`;
  }
}

/** A channel's closing watermark at t: the same id however often an input is re-sent. */
export function watermarkId(channel: string, t: number): string {
  return "w" + digest([channel, String(t)]);
}

function digest(parts: readonly string[]): string {
  // NUL cannot occur in cleaned chat text, so the joined parts are unambiguous.
  return createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 27);
}
