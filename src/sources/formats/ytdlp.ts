import type { ChatMessage, EmoteSpan, MessageFlags } from "../../core/message.js";
import type { DecodeContext, DecodeResult, DecodedMessage, RecordDecoder } from "../decoder.js";
import { capMessage, malformed, skip, type NonMessage } from "./message-result.js";
import { asArray, asNumeric, asObject, asString, parseJson, type JsonObject } from "./record-fields.js";
import { RelativeClock } from "./stream-clock.js";
import { hasAnyFlag } from "./twitch-badges.js";

const CHAT_RENDERERS = new Set(["liveChatTextMessageRenderer", "liveChatPaidMessageRenderer"]);
const UNICODE_EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const AMOUNT_PARTS = /^\s*([^\d\s.,]*)\s*[\d.,]+\s*([^\d\s.,]*)\s*$/;
const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  $: "USD",
  US$: "USD",
  A$: "AUD",
  CA$: "CAD",
  HK$: "HKD",
  MX$: "MXN",
  NT$: "TWD",
  NZ$: "NZD",
  R$: "BRL",
  "£": "GBP",
  "€": "EUR",
  "₹": "INR",
  "₩": "KRW",
  "¥": "JPY",
  "￥": "JPY",
  "₱": "PHP",
};
const ISO_CODE = /^[A-Z]{3}$/;

/** What a yt-dlp stream remembers between lines: the first timestamp of a live capture. */
export interface YtdlpStreamState {
  clock: RelativeClock;
}

/** One decoder per input, so each live capture gets its own time origin. */
export function createYtdlpDecoder(): RecordDecoder {
  const state: YtdlpStreamState = { clock: new RelativeClock() };
  return (record, lineNo, ctx) => decodeYtdlpLine(record, lineNo, ctx, state);
}

/**
 * One line of yt-dlp's `live_chat.json`: a `replayChatItemAction` wrapping the page's actions, with
 * the stream offset in `videoOffsetTimeMsec`. Live captures (`isLive`) carry only wall-clock
 * `timestampUsec`, so their `t` is measured from the first timestamp of the stream (`state`).
 */
export function decodeYtdlpLine(
  record: unknown,
  _lineNo: number,
  ctx: DecodeContext,
  state: YtdlpStreamState = { clock: new RelativeClock() },
): DecodeResult {
  if (typeof record !== "string") return malformed("expected a line of text");
  const parsed = parseJson(record);
  if (!parsed.ok) return malformed(parsed.reason);
  const line = asObject(parsed.value);
  if (!line) return malformed("expected a JSON object");

  const replay = asObject(line.replayChatItemAction);
  let actions: unknown[];
  let offsetMs: number | undefined;
  if (replay) {
    actions = asArray(replay.actions) ?? [];
    // Live captures write a pseudo offset measured from when yt-dlp started; the message's own timestamp is better.
    offsetMs = line.isLive === true ? undefined : asNumeric(replay.videoOffsetTimeMsec) ?? asNumeric(line.videoOffsetTimeMsec);
  } else {
    actions = [line]; // a bare action, as some live-capture tools write them
  }

  const messages: DecodedMessage[] = [];
  let firstOther: NonMessage | undefined;
  for (const action of actions) {
    const result = decodeAction(action, offsetMs, ctx, state.clock);
    if ("kind" in result) firstOther ??= result;
    else messages.push(result);
  }
  const [first, ...more] = messages;
  if (first) {
    const result: DecodeResult = { kind: "message", message: first.message };
    if (first.overlong) result.overlong = true;
    if (more.length > 0) result.more = more;
    return result;
  }
  return firstOther ?? skip("no-actions");
}

function decodeAction(
  action: unknown,
  offsetMs: number | undefined,
  ctx: DecodeContext,
  clock: RelativeClock,
): DecodedMessage | NonMessage {
  const object = asObject(action);
  if (!object) return malformed("action is not an object");
  const name = actionName(object);
  if (name === undefined) return malformed("action has no kind");
  const body = asObject(Object.hasOwn(object, name) ? object[name] : undefined);
  // A held message arrives as a placeholder and is later replaced by the real text: the replacement is the chat.
  const item =
    name === "addChatItemAction" ? asObject(body?.item) : name === "replaceChatItemAction" ? asObject(body?.replacementItem) : undefined;
  if (!item) {
    const nested = asObject(body?.item) ?? asObject(body?.bannerRenderer);
    return skip((nested && firstKey(nested)) ?? name);
  }
  const rendererName = firstKey(item);
  if (rendererName === undefined) return malformed(`${name} has an empty item`);
  if (!CHAT_RENDERERS.has(rendererName)) return skip(rendererName);
  const renderer = asObject(Object.hasOwn(item, rendererName) ? item[rendererName] : undefined);
  if (!renderer) return malformed(`${rendererName} is not an object`);
  return capMessage(chatMessage(renderer, rendererName, offsetMs, ctx, clock), ctx);
}

function chatMessage(
  renderer: JsonObject,
  rendererName: string,
  offsetMs: number | undefined,
  ctx: DecodeContext,
  clock: RelativeClock,
): ChatMessage {
  const { text, emotes } = textFromRuns(asArray(asObject(renderer.message)?.runs) ?? []);
  const user = asString(asObject(renderer.authorName)?.simpleText) ?? "";
  const timestampUsec = asNumeric(renderer.timestampUsec);
  const ts = timestampUsec === undefined ? undefined : Math.round(timestampUsec / 1000);
  const t = offsetMs !== undefined ? Math.round(offsetMs) : ts !== undefined ? clock.since(ts) : ctx.arrivalTime();

  const message: ChatMessage = {
    t,
    platform: "youtube",
    channel: ctx.defaultChannel,
    userId: asString(renderer.authorExternalChannelId) || user,
    user,
    text,
  };
  const id = asString(renderer.id);
  if (id) message.id = id;
  if (ts !== undefined) message.ts = ts;
  if (emotes.length > 0) message.emotes = emotes;
  const { badges, flags } = readBadges(asArray(renderer.authorBadges) ?? []);
  if (badges.length > 0) message.badges = badges;
  if (hasAnyFlag(flags)) message.flags = flags;
  if (rendererName === "liveChatPaidMessageRenderer") {
    const amount = asString(asObject(renderer.purchaseAmountText)?.simpleText);
    if (amount) {
      const currency = currencyOf(amount);
      message.paid = currency ? { amount, currency } : { amount };
    }
  }
  return message;
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

function readBadges(list: unknown[]): { badges: string[]; flags: MessageFlags } {
  const badges: string[] = [];
  const flags: MessageFlags = {};
  for (const value of list) {
    const renderer = asObject(asObject(value)?.liveChatAuthorBadgeRenderer);
    if (!renderer) continue;
    const iconType = asString(asObject(renderer.icon)?.iconType)?.toLowerCase();
    const tooltip = asString(renderer.tooltip);
    const tooltipLower = tooltip?.toLowerCase() ?? "";
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
  return (Object.hasOwn(CURRENCY_SYMBOLS, symbol) ? CURRENCY_SYMBOLS[symbol] : undefined) ?? (ISO_CODE.test(symbol) ? symbol : undefined);
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
