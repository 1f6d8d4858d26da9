import type { ChatEvent, ChatEventKind } from "../../core/event.js";
import type { ChatMessage, EmoteSpan, MessageFlags } from "../../core/message.js";
import type { DecodeContext, DecodedMessage } from "../decoder.js";
import { capMessage, malformed, skip, type NonMessage } from "./message-result.js";
import { asArray, asNumeric, asObject, asString, MAX_BADGES, type JsonObject } from "./record-fields.js";
import type { RelativeClock } from "./stream-clock.js";
import { hasAnyFlag } from "./twitch-badges.js";

/**
 * YouTube live-chat items, the renderers inside `addChatItemAction`, read one way for yt-dlp's
 * live_chat.json, raw `get_live_chat(_replay)` responses and the live API, so the three agree:
 * what a viewer wrote is chat, what they paid or joined with is an event (`ctx.onEvent`). A Super
 * Chat is both, once each: a message carrying `paid`, and a `paid` event with the amount.
 */

const UNICODE_EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const AMOUNT_PARTS = /^\s*([^\d\s.,]*)\s*[\d.,]+\s*([^\d\s.,]*)\s*$/;
const CURRENCY_SYMBOLS: ReadonlyMap<string, string> = new Map([
  ["$", "USD"],
  ["US$", "USD"],
  ["A$", "AUD"],
  ["CA$", "CAD"],
  ["HK$", "HKD"],
  ["MX$", "MXN"],
  ["NT$", "TWD"],
  ["NZ$", "NZD"],
  ["R$", "BRL"],
  ["£", "GBP"],
  ["€", "EUR"],
  ["₹", "INR"],
  ["₩", "KRW"],
  ["￦", "KRW"],
  ["¥", "JPY"],
  ["￥", "JPY"],
  ["₱", "PHP"],
]);
const ISO_CODE = /^[A-Z]{3}$/;
/** YouTube's action and renderer names; anything else is not a chat item, and never a report reason verbatim. */
const ACTION_NAME = /^[a-z][A-Za-z]{1,80}(?:Action|Command)$/;
const RENDERER_NAME = /^[a-z][A-Za-z]{1,80}Renderer$/;
/** The renderers read into chat or events; every other item is skipped by name. */
const READ_RENDERERS = new Set([
  "liveChatTextMessageRenderer",
  "liveChatPaidMessageRenderer",
  "liveChatPaidStickerRenderer",
  "liveChatMembershipItemRenderer",
  "liveChatLegacyPaidMessageRenderer",
  "liveChatSponsorshipsGiftPurchaseAnnouncementRenderer",
]);
/** A Super Chat with no words: the payment is an event, there is no chat to count. */
export const PAID_WITHOUT_TEXT = "paid-without-text";

/** Where an item's stream time comes from: a replay's offset, else its wall-clock timestamp against the input's first one. */
export interface ItemTime {
  offsetMs: number | undefined;
  clock: RelativeClock;
}

/**
 * One action of a live-chat response (`addChatItemAction`, `replaceChatItemAction`, a ticker, a
 * deletion…): the chat message it carries, or why it carries none. Events go to `ctx.onEvent`.
 */
export function decodeYoutubeAction(action: unknown, time: ItemTime, ctx: DecodeContext): DecodedMessage | NonMessage {
  const object = asObject(action);
  if (!object) return malformed("action is not an object");
  const name = actionName(object);
  if (name === undefined) return malformed("action has no kind");
  if (!ACTION_NAME.test(name)) return malformed("not a YouTube chat action");
  const body = asObject(Object.hasOwn(object, name) ? object[name] : undefined);
  // A held message arrives as a placeholder and is later replaced by the real text: the replacement is the chat.
  const item =
    name === "addChatItemAction" ? asObject(body?.item) : name === "replaceChatItemAction" ? asObject(body?.replacementItem) : undefined;
  if (!item) {
    const nested = asObject(body?.item) ?? asObject(body?.bannerRenderer);
    const nestedName = nested && firstKey(nested);
    return skip(nestedName !== undefined && RENDERER_NAME.test(nestedName) ? nestedName : name);
  }
  const rendererName = firstKey(item);
  if (rendererName === undefined) return malformed(`${name} has an empty item`);
  if (!RENDERER_NAME.test(rendererName)) return malformed("not a YouTube chat item");
  const renderer = asObject(Object.hasOwn(item, rendererName) ? item[rendererName] : undefined);
  if (!renderer) return malformed(`${rendererName} is not an object`);
  return decodeRenderer(rendererName, renderer, time, ctx);
}

function decodeRenderer(name: string, renderer: JsonObject, time: ItemTime, ctx: DecodeContext): DecodedMessage | NonMessage {
  // Only items that become chat or events take a time: a skipped item must not set a live capture's origin.
  if (!READ_RENDERERS.has(name)) return skip(name);
  const when = itemTime(renderer, time, ctx);
  switch (name) {
    case "liveChatTextMessageRenderer":
      return capMessage(chatMessage(renderer, when, ctx), ctx);
    case "liveChatPaidMessageRenderer": {
      const amount = runsText(renderer.purchaseAmountText);
      const message = chatMessage(renderer, when, ctx);
      emit(ctx, "paid", renderer, when, { amount, text: message.text });
      if (message.text.trim().length === 0) return skip(PAID_WITHOUT_TEXT);
      if (amount) {
        const currency = currencyOf(amount);
        message.paid = currency ? { amount, currency } : { amount };
      }
      return capMessage(message, ctx);
    }
    case "liveChatPaidStickerRenderer":
      emit(ctx, "paid", renderer, when, { amount: runsText(renderer.purchaseAmountText) });
      return skip(name);
    case "liveChatMembershipItemRenderer": {
      const header = runsText(renderer.headerPrimaryText);
      const months = /(\d+)\s*month/i.exec(header ?? "")?.[1];
      emit(ctx, "membership", renderer, when, { text: runsText(renderer.headerSubtext) ?? header, count: months === undefined ? undefined : Number(months) });
      // A milestone carries the member's own words, which are chat like any other line.
      const milestone = chatMessage(renderer, when, ctx);
      return milestone.text.trim().length > 0 ? capMessage(milestone, ctx) : skip(name);
    }
    case "liveChatLegacyPaidMessageRenderer":
      // The old "new member" notice: `eventText` ("New member") and `detailText` (the welcome line); no chat of its own.
      emit(ctx, "membership", renderer, when, { text: runsText(renderer.detailText) ?? runsText(renderer.eventText) });
      return skip(name);
    case "liveChatSponsorshipsGiftPurchaseAnnouncementRenderer": {
      // The gifter is named in the header, not on the announcement itself.
      const header = asObject(asObject(renderer.header)?.liveChatSponsorshipsHeaderRenderer) ?? renderer;
      const text = runsText(header.primaryText);
      const count = /(\d+)/.exec(text ?? "")?.[1];
      emit(ctx, "gift", renderer, when, { user: authorName(header), text, count: count === undefined ? undefined : Number(count) });
      return skip(name);
    }
    default:
      return skip(name);
  }
}

interface When {
  t: number;
  ts: number | undefined;
}

function itemTime(renderer: JsonObject, time: ItemTime, ctx: DecodeContext): When {
  const timestampUsec = asNumeric(renderer.timestampUsec);
  const ts = timestampUsec === undefined ? undefined : Math.round(timestampUsec / 1000);
  const t = time.offsetMs !== undefined ? Math.round(time.offsetMs) : ts !== undefined ? time.clock.since(ts) : ctx.arrivalTime();
  return { t, ts };
}

function chatMessage(renderer: JsonObject, when: When, ctx: DecodeContext): ChatMessage {
  const { text, emotes } = textFromRuns(asArray(asObject(renderer.message)?.runs) ?? []);
  const user = authorName(renderer);
  const message: ChatMessage = {
    t: when.t,
    platform: "youtube",
    channel: ctx.defaultChannel,
    userId: asString(renderer.authorExternalChannelId) || user,
    user,
    text,
  };
  const id = asString(renderer.id);
  if (id) message.id = id;
  if (when.ts !== undefined) message.ts = when.ts;
  if (emotes.length > 0) message.emotes = emotes;
  const { badges, flags } = readBadges(asArray(renderer.authorBadges) ?? []);
  if (badges.length > 0) message.badges = badges;
  if (hasAnyFlag(flags)) message.flags = flags;
  return message;
}

function emit(
  ctx: DecodeContext,
  kind: ChatEventKind,
  renderer: JsonObject,
  when: When,
  extra: { user?: string; text?: string; amount?: string; count?: number },
): void {
  if (!ctx.onEvent) return;
  const event: ChatEvent = { kind, t: when.t, platform: "youtube", channel: ctx.defaultChannel, user: extra.user ?? authorName(renderer) };
  const id = asString(renderer.id);
  if (id) event.id = id;
  if (when.ts !== undefined) event.ts = when.ts;
  if (extra.text) event.text = cut(extra.text, ctx.maxMessageLength);
  if (extra.amount) event.amount = extra.amount;
  if (extra.count !== undefined && Number.isFinite(extra.count)) event.count = extra.count;
  ctx.onEvent(event);
}

/** An event's text is held to the same length as a message's, never split inside a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  return text.slice(0, end > 0 && code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

function authorName(renderer: JsonObject): string {
  return runsText(renderer.authorName) || "anonymous";
}

/** `{simpleText}` or `{runs: [{text} | {emoji}]}`, as YouTube writes every piece of text. */
export function runsText(value: unknown): string | undefined {
  const object = asObject(value);
  if (!object) return undefined;
  const simple = asString(object.simpleText);
  if (simple !== undefined) return simple;
  const runs = asArray(object.runs);
  return runs ? textFromRuns(runs).text : undefined;
}

/** Joins text runs and emoji runs; each emoji becomes an emote span over the text it was written as. */
function textFromRuns(runs: unknown[]): { text: string; emotes: EmoteSpan[] } {
  let text = "";
  const emotes: EmoteSpan[] = [];
  for (const value of runs) {
    const run = asObject(value);
    if (!run) continue;
    const runText = asString(run.text);
    if (runText !== undefined) {
      text += runText;
      continue;
    }
    const emoji = asObject(run.emoji);
    if (!emoji) continue;
    const emojiId = asString(emoji.emojiId);
    const shortcut = asString(asArray(emoji.shortcuts)?.[0]);
    const label = asString(asObject(asObject(asObject(emoji.image)?.accessibility)?.accessibilityData)?.label);
    const isUnicode = emoji.isCustomEmoji !== true && emojiId !== undefined && !emojiId.includes("/") && UNICODE_EMOJI.test(emojiId);
    const written = isUnicode ? emojiId : shortcut ?? (label ? `:${label}:` : emojiId);
    if (!written) continue;
    const span: EmoteSpan = { name: shortcut ?? written, start: text.length, end: text.length + written.length };
    if (emojiId) span.id = emojiId;
    emotes.push(span);
    text += written;
  }
  return { text, emotes };
}

/**
 * Badges by their icon, never their tooltip, which YouTube localises ("メンバー（1 か月）"): owner,
 * moderator and verified badges name an icon type, a member badge is the channel's own picture.
 */
function readBadges(list: unknown[]): { badges: string[]; flags: MessageFlags } {
  const badges: string[] = [];
  const flags: MessageFlags = {};
  for (const value of list.slice(0, MAX_BADGES)) {
    const renderer = asObject(asObject(value)?.liveChatAuthorBadgeRenderer);
    if (!renderer) continue;
    const iconType = asString(asObject(renderer.icon)?.iconType)?.toLowerCase();
    const tooltipLower = asString(renderer.tooltip)?.toLowerCase() ?? "";
    let badge: string | undefined;
    if (iconType === "owner" || tooltipLower === "owner") badge = "owner";
    else if (iconType === "moderator" || tooltipLower === "moderator") badge = "moderator";
    else if (iconType === "verified" || tooltipLower === "verified") badge = "verified";
    else if (renderer.customThumbnail !== undefined || tooltipLower.includes("member")) badge = "member";
    else badge = iconType ?? (tooltipLower || undefined);
    if (badge === undefined) continue;
    badges.push(badge);
    if (badge === "owner") flags.broadcaster = true;
    else if (badge === "moderator") flags.moderator = true;
    else if (badge === "verified") flags.verified = true;
    else if (badge === "member") flags.member = true;
  }
  return { badges, flags };
}

/** ISO 4217 code for a Super Chat amount such as "$5.00", "€2,00", "CA$10.00" or "PLN 20.00", when recognisable. */
export function currencyOf(amount: string): string | undefined {
  const parts = AMOUNT_PARTS.exec(amount);
  if (!parts) return undefined;
  const symbol = parts[1] || parts[2] || "";
  return CURRENCY_SYMBOLS.get(symbol) ?? (ISO_CODE.test(symbol) ? symbol : undefined);
}

function actionName(action: JsonObject): string | undefined {
  for (const key in action) {
    if (key !== "clickTrackingParams") return key;
  }
  return undefined;
}

function firstKey(object: JsonObject): string | undefined {
  for (const key in object) return key;
  return undefined;
}
