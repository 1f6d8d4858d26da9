import type { ChatMessage, EmoteSpan, MessageFlags } from "../../core/message.js";
import type { DecodeContext, DecodeResult, RecordDecoder } from "../decoder.js";
import { byStart, codePointIndexer, parseInclusiveRange, spanFromInclusiveRange, spansOfName } from "./emote-spans.js";
import { malformed, messageResult, skip } from "./message-result.js";
import { asArray, asFiniteNumber, asId, asNumeric, asObject, asString, parseIfLine, type JsonObject } from "./record-fields.js";
import { RelativeClock } from "./stream-clock.js";
import { bitsPayment, hasAnyFlag, twitchFlagsFromBadges } from "./twitch-badges.js";

const CHAT_TYPES = new Set(["text_message", "paid_message"]);
const MEMBER_TITLE = /member/i;

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
  const messageType = asString(item.message_type) ?? (rawText !== undefined ? "text_message" : undefined);
  if (messageType === undefined) return skip("unknown-item");
  if (!CHAT_TYPES.has(messageType)) return skip(messageType);
  const paidMessage = messageType === "paid_message";
  if (rawText === undefined && !paidMessage) return malformed('"message" is not a string');
  const text = rawText ?? ""; // a Super Chat may come without a message

  const author = asObject(item.author) ?? {};
  const user = asString(author.display_name) ?? asString(author.name) ?? "";
  const timestampUs = asNumeric(item.timestamp);
  const ts = timestampUs === undefined ? undefined : Math.round(timestampUs / 1000);
  const offsetSeconds = asNumeric(item.time_in_seconds);
  const t =
    offsetSeconds !== undefined ? Math.round(offsetSeconds * 1000) : ts !== undefined ? state.clock.since(ts) : ctx.arrivalTime();

  const badgeList = asArray(author.badges) ?? [];
  const emoteList = asArray(item.emotes) ?? [];
  const message: ChatMessage = {
    t,
    platform: asString(item.platform) ?? inferPlatform(author, badgeList, emoteList),
    channel: ctx.defaultChannel,
    userId: asId(author.id) ?? asString(author.name) ?? user,
    user,
    text,
  };
  const id = asId(item.message_id);
  if (id !== undefined) message.id = id;
  if (ts !== undefined) message.ts = ts;
  const emotes = readEmotes(emoteList, text);
  if (emotes.length > 0) message.emotes = emotes;
  const badges = readBadges(badgeList);
  if (badges.length > 0) message.badges = badges;
  const flags = flagsFromBadges(badges);
  if (author.is_bot === true) flags.bot = true;
  if (hasAnyFlag(flags)) message.flags = flags;
  const paid = readPaid(item, paidMessage);
  if (paid) message.paid = paid;
  return messageResult(message, ctx);
}

/**
 * chat-downloader does not write the site into items; Twitch items are recognisable by their
 * versioned badges, located emotes or a separate display name, everything else is YouTube.
 */
function inferPlatform(author: JsonObject, badges: unknown[], emotes: unknown[]): string {
  if (author.display_name !== undefined) return "twitch";
  if (badges.some((badge) => asObject(badge)?.version !== undefined)) return "twitch";
  if (emotes.some((emote) => asObject(emote)?.locations !== undefined)) return "twitch";
  return "youtube";
}

function readBadges(list: unknown[]): string[] {
  const badges: string[] = [];
  for (const value of list) {
    const badge = asObject(value);
    if (!badge) continue;
    const name = asString(badge.name);
    const version = asId(badge.version);
    if (name && version !== undefined) {
      badges.push(`${name}/${version}`); // Twitch, as in IRC tags
      continue;
    }
    const icon = asString(badge.icon_name)?.toLowerCase();
    const title = asString(badge.title) ?? name;
    if (icon) badges.push(icon);
    else if (title && MEMBER_TITLE.test(title)) badges.push("member");
    else if (title) badges.push(title.toLowerCase());
  }
  return badges;
}

function flagsFromBadges(badges: string[]): MessageFlags {
  const flags = twitchFlagsFromBadges(badges);
  for (const badge of badges) {
    if (badge === "owner") flags.broadcaster = true;
    else if (badge === "member") flags.member = true;
    else if (badge === "verified") flags.verified = true;
  }
  return flags;
}

/** Twitch items locate emotes ("0-4,6-10" or ["0-4"], inclusive code points); YouTube items only name them. */
function readEmotes(list: unknown[], text: string): EmoteSpan[] {
  const spans: EmoteSpan[] = [];
  let toUtf16: ((codePoint: number) => number | undefined) | undefined;
  for (const value of list) {
    const emote = asObject(value);
    const name = asString(emote?.name);
    const id = asId(emote?.id);
    const locations = emote?.locations;
    const ranges = typeof locations === "string" ? locations.split(",") : asArray(locations);
    if (!ranges) {
      if (name) spans.push(...spansOfName(text, name, id));
      continue;
    }
    toUtf16 ??= codePointIndexer(text);
    for (const range of ranges) {
      const bounds = typeof range === "string" ? parseInclusiveRange(range) : undefined;
      const span = bounds && spanFromInclusiveRange(toUtf16, bounds[0], bounds[1]);
      if (!span) continue;
      const spanName = name ?? text.slice(span.start, span.end);
      spans.push(id === undefined ? { name: spanName, ...span } : { name: spanName, id, ...span });
    }
  }
  return spans.sort(byStart);
}

function readPaid(item: JsonObject, paidMessage: boolean): ChatMessage["paid"] | undefined {
  const bits = asFiniteNumber(item.bits);
  if (bits !== undefined && bits > 0) return bitsPayment(bits);
  if (!paidMessage) return undefined;
  const money = asObject(item.money);
  const amount = asString(money?.text) ?? asId(money?.amount);
  if (amount === undefined) return undefined;
  const currency = asString(money?.currency);
  return currency ? { amount, currency } : { amount };
}
