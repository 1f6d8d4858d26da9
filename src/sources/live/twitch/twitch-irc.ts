import type { ChatEvent, ChatEventKind } from "../../../core/event.js";
import type { ChatMessage } from "../../../core/message.js";
import { createIrcStreamState, decodeIrcLine, parseIrcLine, parseTags, type IrcLine, type IrcStreamState } from "../../formats/irc.js";

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

/** How a USERNOTICE msg-id becomes an event: its kind, and the tag holding its count. */
interface NoticeRule {
  kind: ChatEventKind;
  count?: string;
  /** Count when no tag holds one (a single gifted sub). */
  one?: true;
}

/**
 * Every USERNOTICE msg-id Twitch documents (dev.twitch.tv/docs/chat/irc, "USERNOTICE tags") and the older ones
 * still found in captures. A Map, because the msg-id comes off the wire: `constructor` must find nothing.
 */
const NOTICE_RULES = new Map<string, NoticeRule>([
  ["sub", { kind: "sub", count: "msg-param-cumulative-months" }],
  ["resub", { kind: "resub", count: "msg-param-cumulative-months" }],
  // The gifter is the notice's user.
  ["subgift", { kind: "gift", one: true }],
  ["anonsubgift", { kind: "gift", one: true }],
  ["submysterygift", { kind: "gift", count: "msg-param-mass-gift-count" }],
  ["anonsubmysterygift", { kind: "gift", count: "msg-param-mass-gift-count" }],
  // A gifted (or Prime) sub the viewer now pays for: a subscription of the notice's user.
  ["giftpaidupgrade", { kind: "sub" }],
  ["anongiftpaidupgrade", { kind: "sub" }],
  ["primepaidupgrade", { kind: "sub" }],
  // A cheer or sub that gifted rewards (emotes) to this many viewers.
  ["rewardgift", { kind: "gift", count: "msg-param-selected-count" }],
  ["raid", { kind: "raid", count: "msg-param-viewerCount" }],
  ["announcement", { kind: "announcement" }],
  ["charitydonation", { kind: "paid" }],
  // Shown, but no sub, raid or money of this channel:
  ["unraid", { kind: "other" }], // a raid called off before anyone arrived
  ["bitsbadgetier", { kind: "other" }], // a new Bits badge; the bits came as a cheer message, already paid
  ["viewermilestone", { kind: "other", count: "msg-param-value" }], // a watch streak
  ["sharedchatnotice", { kind: "other" }], // an event of another channel in a shared chat session
  ["communitypayforward", { kind: "other" }], // the gifts paid forward arrive as their own gift notices
  ["standardpayforward", { kind: "other" }],
  ["ritual", { kind: "other" }],
]);

const SUB_PLANS = new Map([
  ["Prime", "Prime"],
  ["1000", "tier 1"],
  ["2000", "tier 2"],
  ["3000", "tier 3"],
]);

function positiveCount(value: string | undefined): number | undefined {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Charity donations give the amount in minor units: 500 with exponent 2 and USD is "5.00 USD". */
function donationAmount(tags: Map<string, string>): string | undefined {
  const minor = Number(tags.get("msg-param-donation-amount"));
  const exponent = Number(tags.get("msg-param-exponent") ?? 0);
  if (!Number.isSafeInteger(minor) || minor <= 0 || !Number.isInteger(exponent) || exponent < 0 || exponent > 6) return undefined;
  const currency = tags.get("msg-param-donation-currency") ?? "";
  const value = (minor / 10 ** exponent).toFixed(exponent);
  return currency === "" ? value : `${value} ${currency}`;
}

function userNotice(line: IrcLine, ctx: TwitchLineContext): TwitchLine {
  const tags = line.tags === undefined ? new Map<string, string>() : parseTags(line.tags);
  const msgId = tags.get("msg-id") ?? "";
  // Each sub of a mass gift also comes as its own subgift notice; the submysterygift already counts them all.
  if ((msgId === "subgift" || msgId === "anonsubgift") && (tags.get("msg-param-community-gift-id") ?? "") !== "") {
    return { kind: "other", command: "USERNOTICE" };
  }
  const rule = NOTICE_RULES.get(msgId) ?? { kind: "other" };
  const target = line.params[0] ?? "";
  const attached = line.params.length > 1 ? line.params[line.params.length - 1] : undefined;
  const event: ChatEvent = {
    kind: rule.kind,
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
  const count = rule.count === undefined ? (rule.one ? 1 : undefined) : positiveCount(tags.get(rule.count));
  if (count !== undefined) event.count = count;
  const amount = rule.kind === "paid" ? donationAmount(tags) : SUB_PLANS.get(tags.get("msg-param-sub-plan") ?? "");
  if (amount !== undefined) event.amount = amount;
  return { kind: "event", event };
}

/** Interprets one raw Twitch IRC line (IRCv3 tags; the tag parser is the one the IRC log decoder uses). */
export function interpretTwitchLine(raw: string, ctx: TwitchLineContext): TwitchLine {
  const line = parseIrcLine(raw);
  if (!line) return { kind: "other", command: "?" };
  const verb = line.command.toUpperCase();
  switch (verb) {
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
    case "USERNOTICE":
      return userNotice(line, ctx);
    default:
      return { kind: "other", command: verb };
  }
}
