import type { ChatEvent, ChatEventKind } from "../../../core/event.js";
import type { ChatMessage } from "../../../core/message.js";
import { createIrcStreamState, decodeIrcLine, parseIrcLine, parseTags, type IrcStreamState } from "../../formats/irc.js";

/** What one line from Twitch chat means to the reader. */
export type TwitchLine =
  | { kind: "message"; message: ChatMessage }
  | { kind: "event"; event: ChatEvent }
  | { kind: "ping"; token: string }
  | { kind: "reconnect" }
  | { kind: "welcome" }
  | { kind: "join"; channel: string }
  | { kind: "auth-failed"; text: string }
  | { kind: "other"; command: string };

export interface TwitchLineContext {
  /** Stream time of arrival (live chat is arrival-stamped). */
  t: number;
  maxMessageLength: number;
  state: IrcStreamState;
}

export function createTwitchLineContext(maxMessageLength: number): TwitchLineContext {
  return { t: 0, maxMessageLength, state: createIrcStreamState() };
}

const EVENT_KINDS: Record<string, ChatEventKind> = {
  sub: "sub",
  resub: "resub",
  subgift: "gift",
  anonsubgift: "gift",
  submysterygift: "gift",
  anonsubmysterygift: "gift",
  giftpaidupgrade: "sub",
  primepaidupgrade: "sub",
  raid: "raid",
  announcement: "announcement",
};

/** Interprets one raw Twitch IRC line (IRCv3 tags; the tag parser is the one the IRC log decoder uses). */
export function interpretTwitchLine(raw: string, ctx: TwitchLineContext): TwitchLine {
  const line = parseIrcLine(raw);
  if (!line) return { kind: "other", command: "?" };
  switch (line.command) {
    case "PING":
      return { kind: "ping", token: line.params[line.params.length - 1] ?? "tmi.twitch.tv" };
    case "RECONNECT":
      return { kind: "reconnect" };
    case "001":
      return { kind: "welcome" };
    case "JOIN": {
      const target = line.params[0] ?? "";
      return { kind: "join", channel: target.replace(/^#/, "") };
    }
    case "NOTICE": {
      const text = line.params[line.params.length - 1] ?? "";
      if (/authentication failed|improperly formatted auth|invalid nick/i.test(text)) return { kind: "auth-failed", text };
      return { kind: "other", command: "NOTICE" };
    }
    case "PRIVMSG": {
      const result = decodeIrcLine(raw, 0, { defaultChannel: "", arrivalTime: () => ctx.t, maxMessageLength: ctx.maxMessageLength }, ctx.state);
      if (result.kind !== "message") return { kind: "other", command: "PRIVMSG" };
      const message = result.message;
      message.t = ctx.t;
      message.platform = "twitch";
      const tags = line.tags === undefined ? undefined : parseTags(line.tags);
      const parent = tags?.get("reply-parent-msg-id");
      if (parent) message.replyTo = parent;
      return { kind: "message", message };
    }
    case "USERNOTICE": {
      const tags = line.tags === undefined ? new Map<string, string>() : parseTags(line.tags);
      const msgId = tags.get("msg-id") ?? "";
      const target = line.params[0] ?? "";
      const attached = line.params.length > 1 ? line.params[line.params.length - 1] : undefined;
      const event: ChatEvent = {
        kind: (Object.hasOwn(EVENT_KINDS, msgId) ? EVENT_KINDS[msgId] : undefined) ?? "other",
        t: ctx.t,
        platform: "twitch",
        channel: target.replace(/^#/, ""),
        user: tags.get("display-name") || tags.get("login") || "anonymous",
      };
      const id = tags.get("id");
      if (id) event.id = id;
      const ts = Number(tags.get("tmi-sent-ts"));
      if (Number.isFinite(ts) && ts > 0) event.ts = ts;
      const text = attached || tags.get("system-msg");
      if (text) event.text = text;
      const count = Number(
        tags.get("msg-param-viewerCount") ?? tags.get("msg-param-mass-gift-count") ?? tags.get("msg-param-cumulative-months") ?? (event.kind === "gift" ? "1" : ""),
      );
      if (Number.isFinite(count) && count > 0) event.count = count;
      const plan = tags.get("msg-param-sub-plan");
      if (plan) event.amount = plan === "Prime" ? "Prime" : `tier ${Number(plan) / 1000}`;
      return { kind: "event", event };
    }
    default:
      return { kind: "other", command: line.command };
  }
}
