import type { ChatMessage, EmoteSpan, MessageFlags } from "../../core/message.js";
import type { DecodeContext, DecodeResult, RecordDecoder } from "../decoder.js";
import { byStart, codePointIndexer, parseInclusiveRange, spanFromInclusiveRange } from "./emote-spans.js";
import { malformed, messageResult, skip } from "./message-result.js";
import { RelativeClock } from "./stream-clock.js";
import { bitsPayment, hasAnyFlag, twitchFlagsFromBadges } from "./twitch-badges.js";

const DAY_MS = 86_400_000;
const HALF_DAY_MS = DAY_MS / 2;
/**
 * `[hh:mm:ss]`, `[hh:mm]`, `[yyyy-mm-dd hh:mm:ss]`, or a VOD offset as Twitch-Chat-Downloader writes it
 * (`[0:00:50]`, `[1 day, 2:03:04]`, `[0:00:50,123]`), then the rest of the line (any character, U+2028 too).
 */
const LOG_STAMP = /^\[(?:(\d{4})-(\d{2})-(\d{2})[ T])?(?:(\d{1,5}) days?, )?(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\]\s?(.*)$/s;
/**
 * `<@nick> text` in an IRC client's log; irssi pads the rank slot with a space for users without one. A nick
 * never starts with a rank character, which also keeps the match linear on a line of ranks.
 */
const CLIENT_MESSAGE = /^<\s*([~&@%+]*)([^\s>~&@%+][^\s>]*)>\s?(.*)$/s;
/** `* nick does something` (/me) in an IRC client's log. */
const CLIENT_ACTION = /^\*\s+([~&@%+]*)([^\s*~&@%+]\S*)\s(.*)$/s;
/** `<%name> text` from Twitch-Chat-Downloader: badge symbols, then a Twitch display name (letters, digits, `_`). */
const VOD_MESSAGE = /^<([^\s>\p{L}\p{N}_]*)([\p{L}\p{N}_][^\s>]*)>\s?(.*)$/su;
/** Its /me format, `*name text]`: no space after the star, and a stray `]` the tool appends. */
const VOD_ACTION = /^\*([\p{L}\p{N}_]\S*)\s(.*)$/su;
/**
 * The badge each prefix symbol stands for in Twitch-Chat-Downloader's `irc` format (its settings.reference.json,
 * and the wider map of the TheDrHax fork). `+` (premium or turbo) and `/` (no audio or no video) are ambiguous
 * and give no badge. A Map, because the symbols come from the file.
 */
const VOD_BADGES = new Map<string, string>([
  ["~", "broadcaster"],
  ["@", "moderator"],
  ["%", "subscriber"],
  ["#", "founder"],
  ["^", "vip"],
  [")", "partner"],
  ["!", "admin"],
  ["&", "staff"],
  ["*", "global_mod"],
  ["$", "bits"],
  ["?", "twitchbot"],
  ["=", "sub-gift-leader"],
  ["-", "sub-gifter"],
  ["|", "artist-badge"],
  ["}", "game-developer"],
]);
const COMMAND = /^(?:[A-Za-z]+|\d{3})$/;
/** Commands (upper case) that may appear without tags or a source; anything else bare is not an IRC line. */
const BARE_COMMANDS = new Set([
  "PING", "PONG", "CAP", "PASS", "NICK", "USER", "JOIN", "PART", "QUIT", "ERROR", "NOTICE", "PRIVMSG", "MODE", "TOPIC", "KICK",
  "AWAY", "INVITE", "NAMES", "USERNOTICE", "CLEARCHAT", "CLEARMSG", "ROOMSTATE", "USERSTATE", "GLOBALUSERSTATE", "HOSTTARGET",
  "RECONNECT", "WHISPER",
]);
const ACTION_START = "\u0001ACTION ";

/**
 * Which kind of text log an input is, decided by its first stamped line:
 * - `clock`: an IRC client's log (irssi, ZNC, HexChat…): wall-clock stamps with two-digit hours
 *   (`[09:05:01]`, strftime's %H), `@%+~&` channel ranks, `t` counted from the first line;
 * - `vod`: Twitch-Chat-Downloader's `irc` format: a VOD offset as Python prints a timedelta (`[0:00:50]`,
 *   one-digit hours, `N day(s), ` past a day, or `,mmm` milliseconds in the TheDrHax fork), badge symbols
 *   in front of the name (`%` is a subscriber there, not a half-op), `t` is the offset itself.
 */
export type LogDialect = "clock" | "vod";

/**
 * What an IRC stream remembers between lines: the log's dialect, the clock of the first log line (log time is
 * relative to it, a day is added each time the clock wraps past midnight) and the first `tmi-sent-ts` of a
 * raw capture.
 */
export interface IrcStreamState {
  dialect?: LogDialect;
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
 * A line of an IRC text log (`[12:00:01] <nick> hi`, or Twitch-Chat-Downloader's `[0:00:50] <%name> hi`) or a
 * raw IRCv3 line as Twitch sends it (`@tags :nick!nick@nick.tmi.twitch.tv PRIVMSG #channel :text`, optionally
 * after a log stamp).
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
      rest = stamp[9] ?? "";
      const said = state.dialect === "vod" ? vodLogMessage(rest, logT, ctx) : clientLogMessage(rest, logT, ctx);
      if (said) return messageResult(said, ctx);
    }
  }
  const line = parseIrcLine(rest);
  const verb = line?.command.toUpperCase() ?? "";
  if (!line || (line.tags === undefined && line.prefix === undefined && !isBareCommand(line.command, verb))) {
    return logT === undefined ? malformed("not an IRC log or protocol line") : skip("log-event");
  }
  if (verb !== "PRIVMSG") return skip(verb);
  return messageResult(privmsg(line, logT, ctx, state), ctx);
}

/** A known command written in upper or lower case; sentence case ("Topic for #x is…", "Nick left") is prose. */
function isBareCommand(command: string, verb: string): boolean {
  return BARE_COMMANDS.has(verb) && (command === verb || command === command.toLowerCase());
}

function stampDialect(stamp: RegExpExecArray): LogDialect {
  if (stamp[1] !== undefined) return "clock";
  if (stamp[4] !== undefined || stamp[8] !== undefined) return "vod";
  return (stamp[5] ?? "").length === 1 && stamp[7] !== undefined ? "vod" : "clock";
}

function logTime(state: IrcStreamState, stamp: RegExpExecArray): number {
  const dialect = (state.dialect ??= stampDialect(stamp));
  const hours = Number(stamp[5]);
  const minutes = Number(stamp[6]);
  const seconds = Number(stamp[7] ?? 0);
  const millis = stamp[8] === undefined ? 0 : Math.round(Number(`0.${stamp[8]}`) * 1000);
  let absolute: number;
  if (stamp[1] !== undefined) {
    // A dated log has no time zone; only differences matter for `t`, so UTC is as good as any.
    absolute = Date.UTC(Number(stamp[1]), Number(stamp[2]) - 1, Number(stamp[3]), hours, minutes, seconds, millis);
  } else {
    const timeOfDay = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
    // A written day count wins; otherwise small steps back are clock jitter, a big one the log running past midnight.
    if (stamp[4] !== undefined) state.days = Number(stamp[4]);
    else if (state.lastTimeOfDay !== undefined && timeOfDay < state.lastTimeOfDay - HALF_DAY_MS) state.days += 1;
    state.lastTimeOfDay = timeOfDay;
    absolute = state.days * DAY_MS + timeOfDay;
  }
  if (dialect === "vod") return absolute;
  state.logOrigin ??= absolute;
  return absolute - state.logOrigin;
}

function clientLogMessage(rest: string, t: number, ctx: DecodeContext): ChatMessage | undefined {
  const said = CLIENT_MESSAGE.exec(rest) ?? CLIENT_ACTION.exec(rest);
  if (!said) return undefined;
  const ranks = said[1] ?? "";
  const nick = said[2] ?? "";
  const message: ChatMessage = { t, platform: "irc", channel: ctx.defaultChannel, userId: nick.toLowerCase(), user: nick, text: said[3] ?? "" };
  if (ranks.includes("~")) message.flags = { broadcaster: true };
  else if (ranks.includes("@") || ranks.includes("&") || ranks.includes("%")) message.flags = { moderator: true };
  return message;
}

function vodLogMessage(rest: string, t: number, ctx: DecodeContext): ChatMessage | undefined {
  const said = VOD_MESSAGE.exec(rest);
  const action = said ? undefined : VOD_ACTION.exec(rest);
  const name = said?.[2] ?? action?.[1];
  if (name === undefined) return undefined;
  let text = said ? (said[3] ?? "") : (action?.[2] ?? "");
  if (action && text.endsWith("]")) text = text.slice(0, -1);
  const message: ChatMessage = { t, platform: "twitch", channel: ctx.defaultChannel, userId: name.toLowerCase(), user: name, text };
  const badges: string[] = [];
  for (const symbol of said?.[1] ?? "") {
    const badge = VOD_BADGES.get(symbol);
    if (badge !== undefined && !badges.includes(badge)) badges.push(badge);
  }
  if (badges.length > 0) {
    message.badges = badges;
    const flags = twitchFlagsFromBadges(badges);
    if (hasAnyFlag(flags)) message.flags = flags;
  }
  return message;
}

export interface IrcLine {
  tags: string | undefined;
  prefix: string | undefined;
  command: string;
  params: string[];
}

/**
 * Splits a raw IRC line into tags, prefix, command and parameters (the trailing one last, unsplit), as the IRCv3
 * parser test vectors expect: the command as written (compare it case-insensitively), no source or tags needed,
 * runs of spaces between atoms. Only a line with no command, or a command that is neither letters nor a
 * three-digit numeric, gives undefined.
 */
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
    if (part.length === 0) continue;
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
