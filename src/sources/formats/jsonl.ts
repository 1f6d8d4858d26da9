import type { ChatEvent, ChatEventKind } from "../../core/event.js";
import type { ChatMessage, EmoteSpan, MessageFlags } from "../../core/message.js";
import type { DecodeContext, DecodeResult } from "../decoder.js";
import { malformed, messageResult } from "./message-result.js";
import { asArray, asFiniteNumber, asId, asObject, asString, parseJson } from "./record-fields.js";
import { hasAnyFlag } from "./twitch-badges.js";

const FLAG_NAMES: readonly (keyof MessageFlags)[] = [
  "broadcaster",
  "moderator",
  "subscriber",
  "vip",
  "member",
  "verified",
  "bot",
  "firstMessage",
];

/**
 * Our own JSON lines: `{"t", "user", "text", "platform"}` plus optional `channel`, `id`, `ts`,
 * `userId`, `emotes`, `badges`, `flags`, `paid` — the `ChatMessage` shape, written one per line.
 */
export function decodeJsonlLine(record: unknown, _lineNo: number, ctx: DecodeContext): DecodeResult {
  if (typeof record !== "string") return malformed("expected a line of text");
  const parsed = parseJson(record);
  if (!parsed.ok) return malformed(parsed.reason);
  const object = asObject(parsed.value);
  if (!object) return malformed("expected a JSON object");
  return decodeJsonlObject(object, ctx);
}

/** One record of our JSON lines, already parsed (the WebSocket ingest hands over its validated items). */
export function decodeJsonlObject(object: Record<string, unknown>, ctx: DecodeContext): DecodeResult {
  if (object.type === "event") return decodeJsonlEvent(object, ctx);

  const t = asFiniteNumber(object.t);
  if (t === undefined) return malformed('missing or invalid "t"');
  const text = asString(object.text);
  if (text === undefined) return malformed('"text" is not a string');

  const user = asId(object.user);
  const message: ChatMessage = {
    t: Math.round(t),
    platform: asString(object.platform) || "unknown",
    channel: asString(object.channel) || ctx.defaultChannel,
    userId: asId(object.userId) ?? user ?? "anonymous",
    user: user ?? "anonymous",
    text,
  };
  const id = asId(object.id);
  if (id !== undefined) message.id = id;
  const ts = asFiniteNumber(object.ts);
  if (ts !== undefined) message.ts = Math.round(ts);
  const emotes = readEmotes(object.emotes, text.length);
  if (emotes) message.emotes = emotes;
  const badges = asArray(object.badges)?.filter((badge): badge is string => typeof badge === "string");
  if (badges && badges.length > 0) message.badges = badges;
  const flags = readFlags(object.flags);
  if (flags) message.flags = flags;
  const paid = readPaid(object.paid);
  if (paid) message.paid = paid;
  return messageResult(message, ctx);
}

const EVENT_KINDS = new Set<string>(["sub", "resub", "gift", "raid", "paid", "membership", "announcement", "other"]);

/** A recorded event line: `{"type":"event","kind","t","platform","channel","user",…}`; handed to ctx.onEvent, skipped as chat. */
function decodeJsonlEvent(object: Record<string, unknown>, ctx: DecodeContext): DecodeResult {
  const t = asFiniteNumber(object.t);
  const kind = asString(object.kind);
  if (t === undefined || kind === undefined) return malformed('event without "t" or "kind"');
  const event: ChatEvent = {
    kind: EVENT_KINDS.has(kind) ? (kind as ChatEventKind) : "other",
    t: Math.round(t),
    platform: asString(object.platform) || "unknown",
    channel: asString(object.channel) || ctx.defaultChannel,
    user: asId(object.user) ?? "anonymous",
  };
  const ts = asFiniteNumber(object.ts);
  if (ts !== undefined) event.ts = Math.round(ts);
  const id = asId(object.id);
  if (id !== undefined) event.id = id;
  const text = asString(object.text);
  if (text !== undefined) event.text = text;
  const amount = asId(object.amount);
  if (amount !== undefined) event.amount = amount;
  const count = asFiniteNumber(object.count);
  if (count !== undefined) event.count = count;
  ctx.onEvent?.(event);
  return { kind: "skip", reason: "event" };
}

/** Keeps only spans that fit the text; one bad span should not cost the whole message. */
function readEmotes(value: unknown, textLength: number): EmoteSpan[] | undefined {
  const list = asArray(value);
  if (!list) return undefined;
  const spans: EmoteSpan[] = [];
  for (const item of list) {
    const span = asObject(item);
    const name = asString(span?.name);
    const start = span?.start;
    const end = span?.end;
    if (name === undefined || !Number.isInteger(start) || !Number.isInteger(end)) continue;
    const from = start as number;
    const to = end as number;
    if (from < 0 || to <= from || to > textLength) continue;
    const id = asId(span?.id);
    spans.push(id === undefined ? { name, start: from, end: to } : { name, id, start: from, end: to });
  }
  return spans.length > 0 ? spans : undefined;
}

function readFlags(value: unknown): MessageFlags | undefined {
  const object = asObject(value);
  if (!object) return undefined;
  const flags: MessageFlags = {};
  for (const name of FLAG_NAMES) {
    if (object[name] === true) flags[name] = true;
  }
  return hasAnyFlag(flags) ? flags : undefined;
}

function readPaid(value: unknown): ChatMessage["paid"] | undefined {
  const object = asObject(value);
  if (!object) return undefined;
  const amount = asId(object.amount);
  if (amount === undefined) return undefined;
  const paid: NonNullable<ChatMessage["paid"]> = { amount };
  const currency = asString(object.currency);
  if (currency) paid.currency = currency;
  const bits = asFiniteNumber(object.bits);
  if (bits !== undefined) paid.bits = bits;
  return paid;
}
