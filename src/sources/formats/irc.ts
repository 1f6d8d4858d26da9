import type { ChatMessage, EmoteSpan, MessageFlags } from "../../core/message.js";
import type { DecodeContext, DecodeResult, RecordDecoder } from "../decoder.js";
import { byStart, codePointIndexer, parseInclusiveRange, spanFromInclusiveRange } from "./emote-spans.js";
import { malformed, messageResult, skip } from "./message-result.js";
import { RelativeClock } from "./stream-clock.js";
import { bitsPayment, hasAnyFlag, twitchFlagsFromBadges } from "./twitch-badges.js";

const DAY_MS = 86_400_000;
const HALF_DAY_MS = DAY_MS / 2;
/** `[hh:mm:ss]`, `[hh:mm]` or `[yyyy-mm-dd hh:mm:ss]`, then the rest of the line. */
const LOG_STAMP = /^\[(?:(\d{4})-(\d{2})-(\d{2})[ T])?(\d{1,2}):(\d{2})(?::(\d{2}))?\]\s?(.*)$/;
/** `<@nick> text`; irssi pads the rank slot with a space for users without one. */
const LOG_MESSAGE = /^<\s*([~&@%+]*)([^\s>]+)>\s?(.*)$/;
/** `* nick does something` (/me). */
const LOG_ACTION = /^\*\s+([~&@%+]*)([^\s*]+)\s(.*)$/;
const COMMAND = /^(?:[A-Z]+|\d{3})$/;
/** Commands that may appear without a prefix; anything else without one is not an IRC line. */
const BARE_COMMANDS = new Set(["PING", "PONG", "CAP", "PASS", "NICK", "USER", "JOIN", "PART", "QUIT", "ERROR", "NOTICE", "PRIVMSG"]);
const ACTION_START = "\u0001ACTION ";

/**
 * What an IRC stream remembers between lines: the clock of the first log line (log time is
 * relative to it, a day is added each time the clock wraps past midnight) and the first
 * `tmi-sent-ts` of a raw capture.
 */
export interface IrcStreamState {
  logOrigin?: number;
  lastTimeOfDay?: number;
  days: number;
  sentClock: RelativeClock;
}

export function createIrcStreamState(): IrcStreamState {
  return { days: 0, sentClock: new RelativeClock() };
}

export function createIrcDecoder(): RecordDecoder {
  const state = createIrcStreamState();
  return (record, lineNo, ctx) => decodeIrcLine(record, lineNo, ctx, state);
}

/**
 * A line of an IRC text log (`[12:00:01] <nick> hi`) or a raw IRCv3 line as Twitch sends it
 * (`@tags :nick!nick@nick.tmi.twitch.tv PRIVMSG #channel :text`, optionally after a log stamp).
 */
export function decodeIrcLine(
  record: unknown,
  _lineNo: number,
  ctx: DecodeContext,
  state: IrcStreamState = createIrcStreamState(),
): DecodeResult {
  if (typeof record !== "string") return malformed("expected a line of text");
  let rest = record;
  let logT: number | undefined;
  if (record.charCodeAt(0) === 0x5b /* [ */) {
    const stamp = LOG_STAMP.exec(record);
    if (stamp) {
      logT = logTime(state, stamp);
      rest = stamp[7] ?? "";
      const said = LOG_MESSAGE.exec(rest) ?? LOG_ACTION.exec(rest);
      if (said) return messageResult(logMessage(said[1] ?? "", said[2] ?? "", said[3] ?? "", logT, ctx), ctx);
    }
  }
  const line = parseIrcLine(rest);
  if (!line) return logT === undefined ? malformed("not an IRC log or protocol line") : skip("log-event");
  if (line.command !== "PRIVMSG") return skip(line.command);
  return messageResult(privmsg(line, logT, ctx, state), ctx);
}

function logTime(state: IrcStreamState, stamp: RegExpExecArray): number {
  const hours = Number(stamp[4]);
  const minutes = Number(stamp[5]);
  const seconds = Number(stamp[6] ?? 0);
  let absolute: number;
  if (stamp[1] !== undefined) {
    // A dated log has no time zone; only differences matter for `t`, so UTC is as good as any.
    absolute = Date.UTC(Number(stamp[1]), Number(stamp[2]) - 1, Number(stamp[3]), hours, minutes, seconds);
  } else {
    const timeOfDay = ((hours * 60 + minutes) * 60 + seconds) * 1000;
    // Small steps back are clock jitter; a big one is the log running past midnight.
    if (state.lastTimeOfDay !== undefined && timeOfDay < state.lastTimeOfDay - HALF_DAY_MS) state.days += 1;
    state.lastTimeOfDay = timeOfDay;
    absolute = state.days * DAY_MS + timeOfDay;
  }
  state.logOrigin ??= absolute;
  return absolute - state.logOrigin;
}

function logMessage(ranks: string, nick: string, text: string, t: number, ctx: DecodeContext): ChatMessage {
  const message: ChatMessage = { t, platform: "irc", channel: ctx.defaultChannel, userId: nick.toLowerCase(), user: nick, text };
  if (ranks.includes("~")) message.flags = { broadcaster: true };
  else if (ranks.includes("@") || ranks.includes("&") || ranks.includes("%")) message.flags = { moderator: true };
  return message;
}

export interface IrcLine {
  tags: string | undefined;
  prefix: string | undefined;
  command: string;
  params: string[];
}

/** Splits a raw IRC line into tags, prefix, command and parameters (the trailing one last, unsplit). */
export function parseIrcLine(line: string): IrcLine | undefined {
  let at = 0;
  let tags: string | undefined;
  let prefix: string | undefined;
  if (line.charCodeAt(0) === 0x40 /* @ */) {
    const end = line.indexOf(" ");
    if (end === -1) return undefined;
    tags = line.slice(1, end);
    at = skipSpaces(line, end);
  }
  if (line.charCodeAt(at) === 0x3a /* : */) {
    const end = line.indexOf(" ", at);
    if (end === -1) return undefined;
    prefix = line.slice(at + 1, end);
    at = skipSpaces(line, end);
  }
  const commandEnd = line.indexOf(" ", at);
  const command = commandEnd === -1 ? line.slice(at) : line.slice(at, commandEnd);
  if (!COMMAND.test(command)) return undefined;
  if (tags === undefined && prefix === undefined && !BARE_COMMANDS.has(command)) return undefined;
  const params: string[] = [];
  at = commandEnd === -1 ? line.length : skipSpaces(line, commandEnd);
  while (at < line.length) {
    if (line.charCodeAt(at) === 0x3a /* : */) {
      params.push(line.slice(at + 1));
      break;
    }
    const end = line.indexOf(" ", at);
    if (end === -1) {
      params.push(line.slice(at));
      break;
    }
    params.push(line.slice(at, end));
    at = skipSpaces(line, end);
  }
  return { tags, prefix, command, params };
}

function skipSpaces(line: string, from: number): number {
  let at = from;
  while (line.charCodeAt(at) === 0x20) at += 1;
  return at;
}

function privmsg(line: IrcLine, logT: number | undefined, ctx: DecodeContext, state: IrcStreamState): ChatMessage {
  const tags = line.tags === undefined ? undefined : parseTags(line.tags);
  const prefix = line.prefix ?? "";
  const bang = prefix.indexOf("!");
  const nick = bang === -1 ? prefix : prefix.slice(0, bang);
  const target = line.params[0] ?? "";
  let text = line.params.length > 1 ? (line.params[line.params.length - 1] ?? "") : "";
  if (text.startsWith(ACTION_START)) text = text.slice(ACTION_START.length, text.endsWith("\u0001") ? -1 : undefined);

  const sentAt = tags?.get("tmi-sent-ts");
  const ts = sentAt ? Number(sentAt) : NaN;
  const hasTs = Number.isFinite(ts);
  const user = tags?.get("display-name") || nick;
  const message: ChatMessage = {
    t: logT ?? (hasTs ? state.sentClock.since(ts) : ctx.arrivalTime()),
    platform: tags !== undefined || prefix.endsWith("tmi.twitch.tv") ? "twitch" : "irc",
    channel: target.startsWith("#") && target.length > 1 ? target.slice(1) : ctx.defaultChannel,
    userId: tags?.get("user-id") || nick.toLowerCase(),
    user,
    text,
  };
  if (!tags) return message;

  const id = tags.get("id");
  if (id) message.id = id;
  if (hasTs) message.ts = ts;
  const emotes = readEmotes(tags.get("emotes"), text);
  if (emotes.length > 0) message.emotes = emotes;
  const badges = (tags.get("badges") ?? "").split(",").filter((badge) => badge.length > 0);
  if (badges.length > 0) message.badges = badges;
  const flags: MessageFlags = twitchFlagsFromBadges(badges);
  if (tags.get("mod") === "1") flags.moderator = true;
  if (tags.get("subscriber") === "1") flags.subscriber = true;
  if (tags.get("vip") === "1") flags.vip = true;
  if (tags.get("first-msg") === "1") flags.firstMessage = true;
  if (hasAnyFlag(flags)) message.flags = flags;
  const bits = Number(tags.get("bits"));
  if (bits > 0) message.paid = bitsPayment(bits);
  return message;
}

export function parseTags(raw: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of raw.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) tags.set(part, "");
    else tags.set(part.slice(0, eq), unescapeTagValue(part.slice(eq + 1)));
  }
  return tags;
}

/** IRCv3 tag-value escapes: `\s` space, `\:` semicolon, `\\` backslash, `\r`, `\n`; others drop the backslash. */
export function unescapeTagValue(value: string): string {
  if (!value.includes("\\")) return value;
  let out = "";
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i];
    if (char !== "\\") {
      out += char;
      continue;
    }
    i += 1;
    const next = value[i];
    if (next === undefined) break; // a lone trailing backslash is dropped
    out += next === "s" ? " " : next === ":" ? ";" : next === "r" ? "\r" : next === "n" ? "\n" : next;
  }
  return out;
}

/** `25:0-4,12-16/1902:6-10`: emote id, then inclusive code-point ranges. */
function readEmotes(raw: string | undefined, text: string): EmoteSpan[] {
  if (!raw) return [];
  const toUtf16 = codePointIndexer(text);
  const spans: EmoteSpan[] = [];
  for (const entry of raw.split("/")) {
    const colon = entry.indexOf(":");
    if (colon <= 0) continue;
    const id = entry.slice(0, colon);
    for (const range of entry.slice(colon + 1).split(",")) {
      const bounds = parseInclusiveRange(range);
      const span = bounds && spanFromInclusiveRange(toUtf16, bounds[0], bounds[1]);
      if (span) spans.push({ name: text.slice(span.start, span.end), id, ...span });
    }
  }
  return spans.sort(byStart);
}
