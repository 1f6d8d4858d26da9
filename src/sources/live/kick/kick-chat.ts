import type { ChatEvent } from "../../../core/event.js";
import type { ChatMessage, EmoteSpan, MessageFlags } from "../../../core/message.js";
import { asArray, asObject, asString, type JsonObject } from "../../formats/record-fields.js";
import { hasAnyFlag } from "../../formats/twitch-badges.js";

export const KICK_PUSHER_URL = "wss://ws-us2.pusher.com/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false";
export const KICK_API_URL = "https://kick.com";

/** What a Pusher frame from Kick means to the reader. */
export type KickFrame =
  | { kind: "established" }
  | { kind: "subscribed"; channel: string }
  | { kind: "ping" }
  | { kind: "error"; code: number; message: string }
  | { kind: "message"; message: ChatMessage }
  | { kind: "event"; event: ChatEvent }
  | { kind: "other"; name: string };

/** `[emote:ID:NAME]`; a name never holds `[`, so a line of unclosed tokens is scanned once, not once per token. */
const EMOTE_TOKEN = /\[emote:(\d+):([^\]\s[]+)\]/g;
const WHITESPACE = /\s/;

/**
 * Kick writes emotes inline as `[emote:ID:NAME]`: the text keeps NAME, with a span. Kick's own client draws
 * the image with no gap, so chat glues words to it (`[emote:1:catJAM]on my way`); a space is put between the
 * name and text that touches it, so the emote stays one token.
 */
export function kickText(content: string): { text: string; emotes: EmoteSpan[] } {
  const emotes: EmoteSpan[] = [];
  let text = "";
  let last = 0;
  for (const match of content.matchAll(EMOTE_TOKEN)) {
    text += content.slice(last, match.index);
    if (text.length > 0 && !WHITESPACE.test(text.charAt(text.length - 1))) text += " ";
    const name = match[2] as string;
    emotes.push({ name, id: match[1] as string, start: text.length, end: text.length + name.length });
    text += name;
    last = match.index + match[0].length;
    if (last < content.length && !WHITESPACE.test(content.charAt(last))) text += " ";
  }
  return { text: text + content.slice(last), emotes };
}

/** Kick's name for an event, without the `App\\Events\\` namespace it dropped from some of them in 2025. */
function eventName(name: string): string {
  return name.startsWith("App\\Events\\") ? name.slice("App\\Events\\".length) : name;
}

function dataOf(frame: JsonObject): JsonObject | undefined {
  const data = frame.data;
  if (typeof data === "string") {
    try {
      return asObject(JSON.parse(data));
    } catch {
      return undefined;
    }
  }
  return asObject(data);
}

/** Decodes one Pusher frame (JSON text) from Kick's chat WebSocket. */
export function interpretKickFrame(raw: string, channel: string, t: number): KickFrame {
  let frame: JsonObject | undefined;
  try {
    frame = asObject(JSON.parse(raw));
  } catch {
    frame = undefined;
  }
  if (!frame) return { kind: "other", name: "?" };
  const name = asString(frame.event) ?? "?";
  const data = dataOf(frame);
  switch (name) {
    case "pusher:connection_established":
      return { kind: "established" };
    case "pusher_internal:subscription_succeeded":
      return { kind: "subscribed", channel: asString(frame.channel) ?? "" };
    case "pusher:ping":
      return { kind: "ping" };
    case "pusher:error":
      return { kind: "error", code: typeof data?.code === "number" ? data.code : 0, message: asString(data?.message) ?? "pusher error" };
  }
  const event = eventName(name);
  switch (event) {
    case "ChatMessageEvent":
      if (!data) return { kind: "other", name };
      return data.type === "celebration" ? { kind: "event", event: celebration(data, channel, t) } : { kind: "message", message: chatMessage(data, channel, t) };
    case "SubscriptionEvent": {
      const months = count(data?.months);
      return { kind: "event", event: kickEvent(months !== undefined && months > 1 ? "resub" : "sub", channel, t, asString(data?.username), { count: months }) };
    }
    case "GiftedSubscriptionsEvent":
      return {
        kind: "event",
        event: kickEvent("gift", channel, t, asString(data?.gifter_username), { count: count(asArray(data?.gifted_usernames)?.length) }),
      };
    case "ChannelSubscriptionEvent": {
      // The channel's word for a subscription (the chatroom tells it too; KickSource keeps one). With several
      // recipients and no name it is the echo of a gift, told in full by GiftedSubscriptionsEvent.
      const user = asString(data?.username) ?? "";
      return asArray(data?.user_ids)?.length === 1 && user !== "" ? { kind: "event", event: kickEvent("sub", channel, t, user, {}) } : { kind: "other", name };
    }
    case "StreamHostEvent":
      return {
        kind: "event",
        event: kickEvent("raid", channel, t, asString(data?.host_username), { count: count(data?.number_viewers), text: asString(data?.optional_message) || undefined }),
      };
    default:
      return { kind: "other", name };
  }
}

/** Kick's Unicode stand-in for a celebration shared without words. */
const CELEBRATION_PLACEHOLDER = "🎉";
const CELEBRATION_KINDS = new Map<string, ChatEvent["kind"]>([["subscription_renewed", "resub"]]);

/**
 * A `celebration` chat message: a viewer sharing a subscription anniversary (`metadata.celebration`, with
 * `total_months`), like Twitch's resub notice. Its words, if any, go with the event; they are not chat.
 */
function celebration(data: JsonObject, channel: string, t: number): ChatEvent {
  const sender = asObject(data.sender);
  const details = asObject(asObject(data.metadata)?.celebration);
  const kind = CELEBRATION_KINDS.get(asString(details?.type) ?? "") ?? "other";
  const text = kickText(asString(data.content) ?? "").text.trim();
  const event = kickEvent(kind, channel, t, asString(sender?.username), { count: count(details?.total_months), text: text === "" || text === CELEBRATION_PLACEHOLDER ? undefined : text });
  const id = asString(data.id);
  if (id) event.id = id;
  const ts = Date.parse(asString(data.created_at) ?? "");
  if (Number.isFinite(ts)) event.ts = ts;
  return event;
}

/** A positive whole number (months, gifts), or undefined. */
function count(value: unknown): number | undefined {
  const n = num(value);
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Kick announces one subscription on both Pusher channels the reader follows: `SubscriptionEvent` (or a
 * celebration) in the chatroom and `ChannelSubscriptionEvent` on the channel. The first sub or resub of a user
 * within `windowMs` of stream time is the event, the others its echo. Remembers at most `capacity` users.
 */
export class SubscriptionEchoFilter {
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly capacity = 1_000,
  ) {}

  admit(event: ChatEvent): boolean {
    // "anonymous" is what a frame without a user name reads as: two of them need not be the same viewer.
    if ((event.kind !== "sub" && event.kind !== "resub") || event.user === "anonymous") return true;
    const key = event.user.toLowerCase();
    const seen = this.firstSeen.get(key);
    if (seen !== undefined && Math.abs(event.t - seen) < this.windowMs) return false;
    this.firstSeen.delete(key);
    this.firstSeen.set(key, event.t);
    if (this.firstSeen.size > this.capacity) this.firstSeen.delete(this.firstSeen.keys().next().value as string);
    return true;
  }
}

function num(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function kickEvent(kind: ChatEvent["kind"], channel: string, t: number, user: string | undefined, extra: { count?: number; text?: string }): ChatEvent {
  const e: ChatEvent = { kind, t, platform: "kick", channel, user: user ?? "anonymous" };
  if (extra.count !== undefined) e.count = extra.count;
  if (extra.text !== undefined) e.text = extra.text;
  return e;
}

function chatMessage(data: JsonObject, channel: string, t: number): ChatMessage {
  const sender = asObject(data.sender);
  const user = asString(sender?.username) ?? "anonymous";
  const { text, emotes } = kickText(asString(data.content) ?? "");
  const message: ChatMessage = { t, platform: "kick", channel, userId: String(sender?.id ?? user.toLowerCase()), user, text };
  const id = asString(data.id);
  if (id) message.id = id;
  const ts = Date.parse(asString(data.created_at) ?? "");
  if (Number.isFinite(ts)) message.ts = ts;
  if (emotes.length > 0) message.emotes = emotes;
  const badges: string[] = [];
  const flags: MessageFlags = {};
  for (const b of asArray(asObject(sender?.identity)?.badges) ?? []) {
    const type = asString(asObject(b)?.type);
    if (!type) continue;
    const count = asObject(b)?.count;
    badges.push(typeof count === "number" ? `${type}/${count}` : type);
    if (type === "broadcaster") flags.broadcaster = true;
    else if (type === "moderator") flags.moderator = true;
    else if (type === "vip") flags.vip = true;
    else if (type === "subscriber" || type === "founder") flags.subscriber = true;
    else if (type === "verified") flags.verified = true;
  }
  if (badges.length > 0) message.badges = badges;
  if (hasAnyFlag(flags)) message.flags = flags;
  const parent = asString(asObject(asObject(data.metadata)?.original_message)?.id);
  if (parent) message.replyTo = parent;
  return message;
}

/** The chatroom id (and channel id, for channel-level events) from `/api/v2/channels/{slug}`. */
export function parseChannelInfo(body: unknown): { channelId: number; chatroomId: number } | undefined {
  const object = asObject(body);
  const chatroomId = num(asObject(object?.chatroom)?.id);
  const channelId = num(object?.id);
  return chatroomId === undefined || channelId === undefined ? undefined : { channelId, chatroomId };
}
