import type { ChatEvent, ChatEventKind } from "../../core/event.js";
import type { ChatMessage, EmoteSpan, MessageFlags } from "../../core/message.js";
import type { DecodeContext, DecodeResult, RecordDecoder } from "../decoder.js";
import { byStart, codePointIndexer, parseInclusiveRange, spanFromInclusiveRange, spansOfName } from "./emote-spans.js";
import { malformed, messageResult, skip } from "./message-result.js";
import { asArray, asFiniteNumber, asId, asNumeric, asObject, asString, MAX_BADGES, msFromSeconds, parseIfLine, type JsonObject } from "./record-fields.js";
import { RelativeClock } from "./stream-clock.js";
import { bitsPayment, hasAnyFlag, twitchFlagsFromBadges } from "./twitch-badges.js";
import { currencyOf, PAID_WITHOUT_TEXT } from "./youtube-items.js";

/** chat-downloader's "messages" group: Twitch files highlighted and sub-only-mode messages as ordinary chat. */
const CHAT_TYPES = new Set(["text_message", "paid_message", "highlighted_message", "send_message_in_subscriber_only_mode"]);
/** Non-chat items that are still something a viewer paid or joined with. */
const EVENT_TYPES: ReadonlyMap<string, ChatEventKind> = new Map([
  ["paid_sticker", "paid"],
  ["membership_item", "membership"],
  ["legacy_paid_message", "membership"],
]);
const MEMBER_TITLE = /member/i;
const YOUTUBE_CHANNEL_ID = /^UC[\w-]{22}$/;
const MESSAGE_TYPE = /^[a-z][a-z0-9_]{0,80}$/;
/** Twitch wraps `/me` text as `\u0001ACTION …\u0001`; chat-downloader drops the opening only. */
const ACTION_OPENING = "\u0001ACTION ";
const ACTION_CLOSING = "\u0001";

/** What a chat-downloader stream remembers between items: the first timestamp of a live capture. */
export interface ChatDownloaderStreamState {
  clock: RelativeClock;
}

export function createChatDownloaderDecoder(): RecordDecoder {
  const state: ChatDownloaderStreamState = { clock: new RelativeClock() };
  return (record, lineNo, ctx) => decodeChatDownloaderItem(record, lineNo, ctx, state);
}

/**
 * One item of xenova/chat-downloader output (an element of its JSON array, or one JSON line).
 * Replays carry `time_in_seconds` (negative before the stream starts, kept as is); live captures
 * only carry `timestamp` (µs), so their `t` counts from the first timestamp seen (`state`).
 * Files of its predecessor, chat-replay-downloader, name the author as a plain string with
 * `author_id` beside it, and have no `message_type`.
 */
export function decodeChatDownloaderItem(
  record: unknown,
  _lineNo: number,
  ctx: DecodeContext,
  state: ChatDownloaderStreamState = { clock: new RelativeClock() },
): DecodeResult {
  const parsed = parseIfLine(record);
  if (!parsed.ok) return malformed(parsed.reason);
  const item = asObject(parsed.value);
  if (!item) return malformed("expected a JSON object");

  const rawText = asString(item.message);
  const declaredType = asString(item.message_type);
  if (declaredType !== undefined && !MESSAGE_TYPE.test(declaredType)) return malformed('"message_type" is not a chat-downloader type');
  const messageType = declaredType ?? (rawText !== undefined ? "text_message" : undefined);
  if (messageType === undefined) return malformed('not a chat-downloader item (no "message_type" or "message")');
  // chat-replay-downloader lists each Super Chat twice, the second time as the ticker at the top of the chat.
  if (declaredType === undefined && item.ticker_duration !== undefined) return skip("ticker");
  const eventKind = EVENT_TYPES.get(messageType);
  if (!CHAT_TYPES.has(messageType) && eventKind === undefined) return skip(messageType);
  const paidMessage = messageType === "paid_message" || (declaredType === undefined && asString(item.amount) !== undefined);
  if (rawText === undefined && !paidMessage && eventKind === undefined) return malformed('"message" is not a string');

  const time = itemTime(item, ctx, state);
  if (time === undefined) return malformed("time out of range");
  const author = readAuthor(item);
  const text = withoutActionWrapper(rawText ?? "");
  const paid = readPaid(item, paidMessage || eventKind !== undefined);
  if (eventKind !== undefined) {
    emit(ctx, eventKind, author.user, item, time, text, paid?.amount);
    return skip(messageType);
  }
  if (paidMessage && paid?.bits === undefined) {
    emit(ctx, "paid", author.user, item, time, text, paid?.amount);
    if (text.trim().length === 0) return skip(PAID_WITHOUT_TEXT);
  }

  const emoteList = asArray(item.emotes) ?? [];
  const message: ChatMessage = {
    t: time.t,
    platform: asString(item.platform) || inferPlatform(author, emoteList),
    channel: ctx.defaultChannel,
    userId: author.userId,
    user: author.user,
    text,
  };
  const id = asId(item.message_id);
  if (id !== undefined) message.id = id;
  if (time.ts !== undefined) message.ts = time.ts;
  const emotes = readEmotes(emoteList, text, ctx.maxMessageLength);
  if (emotes.length > 0) message.emotes = emotes;
  if (author.badges.length > 0) message.badges = author.badges;
  const flags = flagsOf(author, item);
  if (hasAnyFlag(flags)) message.flags = flags;
  if (paid) message.paid = paid;
  return messageResult(message, ctx);
}

interface Author {
  user: string;
  userId: string;
  badges: string[];
  /** The author object of current chat-downloader items (flags live there); absent in older files. */
  fields: JsonObject | undefined;
  /** chat-downloader names a Twitch chatter's display name apart from the login. */
  hasDisplayName: boolean;
  twitchBadges: boolean;
}

function readAuthor(item: JsonObject): Author {
  const fields = asObject(item.author);
  if (fields) {
    const user = asString(fields.display_name) || asString(fields.name) || "anonymous";
    const badgeList = asArray(fields.badges) ?? [];
    return {
      user,
      userId: asId(fields.id) ?? (asString(fields.name) || user),
      badges: readBadges(badgeList),
      fields,
      hasDisplayName: fields.display_name !== undefined,
      twitchBadges: badgeList.some((badge) => asObject(badge)?.name !== undefined),
    };
  }
  // chat-replay-downloader: `"author": "Name"`, `"author_id"` at the top, badges as one comma-joined string of tooltips.
  const user = asString(item.author) || asString(item.author_display_name) || asString(item.author_name) || "anonymous";
  const badges = (asString(item.badges) ?? "")
    .split(",", MAX_BADGES)
    .map((title) => badgeFromTitle(title.trim()))
    .filter((badge): badge is string => badge !== undefined);
  return { user, userId: asId(item.author_id) ?? user, badges, fields: undefined, hasDisplayName: false, twitchBadges: false };
}

/**
 * chat-downloader does not write the site into items. Twitch items are recognisable by a separate
 * display name, named badges, located emotes or a numeric user id; YouTube ids are channel ids
 * ("UC…"). An older file with no YouTube channel id is Twitch: only its YouTube items had one.
 */
function inferPlatform(author: Author, emotes: unknown[]): string {
  if (YOUTUBE_CHANNEL_ID.test(author.userId)) return "youtube";
  if (author.hasDisplayName || author.twitchBadges) return "twitch";
  if (emotes.some((emote) => asObject(emote)?.locations !== undefined)) return "twitch";
  if (/^\d+$/.test(author.userId)) return "twitch";
  return author.fields ? "youtube" : "twitch";
}

/**
 * Twitch badges have a name and a version; YouTube badges an icon name (owner, moderator, verified)
 * or, for a member, the channel's own picture (`icons`) and a localised title, so the picture and
 * not the title's wording says "member".
 */
function readBadges(list: unknown[]): string[] {
  const badges: string[] = [];
  for (const value of list.slice(0, MAX_BADGES)) {
    const badge = asObject(value);
    if (!badge) continue;
    const name = asString(badge.name);
    if (name) {
      const version = asId(badge.version);
      badges.push(version === undefined ? name : `${name}/${version}`); // Twitch, as in IRC tags
      continue;
    }
    const icon = asString(badge.icon_name)?.toLowerCase();
    if (icon) badges.push(icon);
    else if (asArray(badge.icons) !== undefined) badges.push("member");
    else {
      const title = badgeFromTitle(asString(badge.title) ?? "");
      if (title) badges.push(title);
    }
  }
  return badges;
}

/** A badge known only by its tooltip (older files keep nothing else). */
function badgeFromTitle(title: string): string | undefined {
  if (title.length === 0) return undefined;
  return MEMBER_TITLE.test(title) ? "member" : title.toLowerCase();
}

function flagsOf(author: Author, item: JsonObject): MessageFlags {
  const flags = twitchFlagsFromBadges(author.badges);
  for (const badge of author.badges) {
    if (badge === "owner") flags.broadcaster = true;
    else if (badge === "member") flags.member = true;
    else if (badge === "verified") flags.verified = true;
  }
  const fields = author.fields;
  if (fields?.is_moderator === true) flags.moderator = true;
  if (fields?.is_subscriber === true) flags.subscriber = true;
  if (fields?.is_vip === true || item.is_vip === true) flags.vip = true;
  if (fields?.is_bot === true) flags.bot = true;
  if (item.is_first_message === true) flags.firstMessage = true;
  return flags;
}

function withoutActionWrapper(text: string): string {
  let inner = text.startsWith(ACTION_OPENING) ? text.slice(ACTION_OPENING.length) : text;
  if (inner.endsWith(ACTION_CLOSING)) inner = inner.slice(0, -ACTION_CLOSING.length);
  return inner;
}

interface ItemTime {
  t: number;
  ts: number | undefined;
}

function itemTime(item: JsonObject, ctx: DecodeContext, state: ChatDownloaderStreamState): ItemTime | undefined {
  const timestampUs = asNumeric(item.timestamp);
  const ts = timestampUs === undefined ? undefined : Math.round(timestampUs / 1000);
  // Older files round `time_in_seconds` to whole seconds but keep the offset in ms; YouTube writes 0 there before the stream starts.
  const offsetMs = asNumeric(item.video_offset_time_msec);
  const offsetSeconds = asNumeric(item.time_in_seconds);
  let t: number | undefined;
  if (offsetMs !== undefined && offsetMs > 0) t = Math.round(offsetMs);
  else if (offsetSeconds !== undefined) t = msFromSeconds(offsetSeconds);
  else t = ts !== undefined ? state.clock.since(ts) : ctx.arrivalTime();
  return t === undefined ? undefined : { t, ts };
}

function emit(ctx: DecodeContext, kind: ChatEventKind, user: string, item: JsonObject, time: ItemTime, text: string, amount: string | undefined): void {
  if (!ctx.onEvent) return;
  const event: ChatEvent = { kind, t: time.t, platform: "youtube", channel: ctx.defaultChannel, user };
  const id = asId(item.message_id);
  if (id !== undefined) event.id = id;
  if (time.ts !== undefined) event.ts = time.ts;
  if (text.length > 0) event.text = text.slice(0, ctx.maxMessageLength);
  if (amount !== undefined) event.amount = amount;
  ctx.onEvent(event);
}

/**
 * Twitch items locate emotes ("0-4,6-10" or ["0-4"], inclusive code points); YouTube items only name them.
 * Only the part of the text that survives the length cap is searched, and a text that long holds no
 * more emotes than characters, so a hostile list of names or ranges costs no more than the message.
 */
function readEmotes(list: unknown[], text: string, limit: number): EmoteSpan[] {
  const spans: EmoteSpan[] = [];
  const kept = text.length > limit ? text.slice(0, limit) : text;
  const named = new Set<string>();
  let toUtf16: ((codePoint: number) => number | undefined) | undefined;
  for (const value of list.length > limit ? list.slice(0, limit) : list) {
    if (spans.length >= limit) break;
    const emote = asObject(value);
    const name = asString(emote?.name);
    const id = asId(emote?.id);
    const locations = emote?.locations;
    const ranges = typeof locations === "string" ? locations.split(",", limit) : asArray(locations);
    if (!ranges) {
      if (name && !named.has(name)) {
        named.add(name);
        for (const span of spansOfName(kept, name, id)) spans.push(span);
      }
      continue;
    }
    toUtf16 ??= codePointIndexer(kept);
    for (const range of ranges) {
      if (spans.length >= limit) break;
      const bounds = typeof range === "string" ? parseInclusiveRange(range) : undefined;
      const span = bounds && spanFromInclusiveRange(toUtf16, bounds[0], bounds[1]);
      if (!span) continue;
      const spanName = name ?? kept.slice(span.start, span.end);
      spans.push(id === undefined ? { name: spanName, ...span } : { name: spanName, id, ...span });
    }
  }
  return spans.sort(byStart);
}

function readPaid(item: JsonObject, paid: boolean): ChatMessage["paid"] | undefined {
  const bits = asFiniteNumber(item.bits);
  if (bits !== undefined && bits > 0) return bitsPayment(bits);
  if (!paid) return undefined;
  const money = asObject(item.money);
  const amount = asString(money?.text) ?? asId(money?.amount) ?? asString(item.amount);
  if (amount === undefined) return undefined;
  const currency = asString(money?.currency) || currencyOf(amount);
  return currency ? { amount, currency } : { amount };
}
