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

const EMOTE_TOKEN = /\[emote:(\d+):([^\]\s]+)\]/g;

/** Kick writes emotes inline as `[emote:ID:NAME]`: the text keeps NAME, with a span. */
export function kickText(content: string): { text: string; emotes: EmoteSpan[] } {
  const emotes: EmoteSpan[] = [];
  let text = "";
  let last = 0;
  for (const match of content.matchAll(EMOTE_TOKEN)) {
    text += content.slice(last, match.index);
    const name = match[2] as string;
    emotes.push({ name, id: match[1] as string, start: text.length, end: text.length + name.length });
    text += name;
    last = (match.index ?? 0) + match[0].length;
  }
  return { text: text + content.slice(last), emotes };
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
    case "App\\Events\\ChatMessageEvent":
      return data ? { kind: "message", message: chatMessage(data, channel, t) } : { kind: "other", name };
    case "App\\Events\\SubscriptionEvent":
      return { kind: "event", event: kickEvent("sub", channel, t, asString(data?.username), { count: num(data?.months) }) };
    case "App\\Events\\GiftedSubscriptionsEvent":
      return {
        kind: "event",
        event: kickEvent("gift", channel, t, asString(data?.gifter_username), { count: asArray(data?.gifted_usernames)?.length }),
      };
    case "App\\Events\\StreamHostEvent":
      return {
        kind: "event",
        event: kickEvent("raid", channel, t, asString(data?.host_username), { count: num(data?.number_viewers), text: asString(data?.optional_message) || undefined }),
      };
    default:
      return { kind: "other", name };
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
