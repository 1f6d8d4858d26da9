import type { ChatMessage, EmoteSpan } from "../../core/message.js";
import type { DecodeContext, DecodeResult } from "../decoder.js";
import { byStart, codePointIndexer, spanFromInclusiveRange } from "./emote-spans.js";
import { malformed, messageResult, skip } from "./message-result.js";
import { asArray, asFiniteNumber, asId, asObject, asString, MAX_BADGES, msFromSeconds, parseIfLine, type JsonObject } from "./record-fields.js";
import { bitsPayment, hasAnyFlag, twitchFlagsFromBadges } from "./twitch-badges.js";

/**
 * One element of `comments` in a Twitch VOD chat dump (TwitchDownloader, rechat v5 and the tools
 * that copy their shape). Stateless: the offset is in the comment and the channel comes from the
 * document (`streamer.name`), which the reader puts into `ctx.defaultChannel`.
 */
export function decodeTwitchVodComment(record: unknown, _lineNo: number, ctx: DecodeContext): DecodeResult {
  const parsed = parseIfLine(record);
  if (!parsed.ok) return malformed(parsed.reason);
  const comment = asObject(parsed.value);
  if (!comment) return malformed("expected a JSON object");

  const offsetSeconds = asFiniteNumber(comment.content_offset_seconds);
  const t = offsetSeconds === undefined ? undefined : msFromSeconds(offsetSeconds);
  if (t === undefined) return malformed('missing or invalid "content_offset_seconds"');
  const body = asObject(comment.message);
  const text = asString(body?.body);
  if (!body || text === undefined) return malformed('"message.body" is not a string');
  // Sub and gift notices ride along as comments whose text is Twitch's system message, not chat.
  if (asString(asObject(body.user_notice_params)?.msg_id)) return skip("user-notice");

  const commenter = asObject(comment.commenter);
  const login = asString(commenter?.name);
  const user = asString(commenter?.display_name) || login || "anonymous";
  const message: ChatMessage = {
    t,
    platform: "twitch",
    channel: ctx.defaultChannel,
    userId: asId(commenter?._id) ?? (login || user),
    user,
    text,
  };
  const id = asId(comment._id);
  if (id !== undefined) message.id = id;
  const createdAt = asString(comment.created_at);
  const ts = createdAt === undefined ? NaN : Date.parse(createdAt);
  if (Number.isFinite(ts)) message.ts = ts;
  const emotes = readEmotes(body, text);
  if (emotes.length > 0) message.emotes = emotes;
  const badges: string[] = [];
  for (const value of (asArray(body.user_badges) ?? []).slice(0, MAX_BADGES)) {
    const badge = asObject(value);
    const name = asString(badge?._id);
    const version = asId(badge?.version);
    if (name) badges.push(version === undefined ? name : `${name}/${version}`);
  }
  if (badges.length > 0) {
    message.badges = badges;
    const flags = twitchFlagsFromBadges(badges);
    if (hasAnyFlag(flags)) message.flags = flags;
  }
  const bits = asFiniteNumber(body.bits_spent);
  if (bits !== undefined && bits > 0) message.paid = bitsPayment(bits);
  return messageResult(message, ctx);
}

/**
 * Fragments spell the message out piece by piece, emote pieces marked, so walking them gives the
 * spans directly. When they do not add up to the body (edited dumps), fall back to `emoticons`
 * (inclusive code-point ranges, rechat v5).
 */
function readEmotes(body: JsonObject, text: string): EmoteSpan[] {
  const fragments = asArray(body.fragments);
  if (fragments) {
    const spans: EmoteSpan[] = [];
    let at = 0;
    let consistent = true;
    for (const value of fragments) {
      const fragment = asObject(value);
      const piece = asString(fragment?.text);
      if (piece === undefined || !text.startsWith(piece, at)) {
        consistent = false;
        break;
      }
      const emoteId = asId(asObject(fragment?.emoticon)?.emoticon_id);
      if (emoteId !== undefined && piece.length > 0) spans.push({ name: piece, id: emoteId, start: at, end: at + piece.length });
      at += piece.length;
    }
    if (consistent && at === text.length) return spans;
  }
  const emoticons = asArray(body.emoticons);
  if (!emoticons) return [];
  const toUtf16 = codePointIndexer(text);
  const spans: EmoteSpan[] = [];
  for (const value of emoticons) {
    const emoticon = asObject(value);
    const first = asFiniteNumber(emoticon?.begin);
    const last = asFiniteNumber(emoticon?.end);
    const span = first !== undefined && last !== undefined ? spanFromInclusiveRange(toUtf16, first, last) : undefined;
    if (!span) continue;
    const id = asId(emoticon?._id);
    const name = text.slice(span.start, span.end);
    spans.push(id === undefined ? { name, ...span } : { name, id, ...span });
  }
  return spans.sort(byStart);
}
