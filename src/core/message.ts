/**
 * The one normalized chat message every source produces and every later stage reads.
 *
 * Times: `t` is stream time in integer milliseconds (from the start of the stream or capture, or from
 * the first message for sources that only know wall-clock time); `ts` is wall-clock epoch milliseconds
 * when the source knows it. All windowing runs on `t`, so replays are deterministic whatever the speed.
 */
export interface ChatMessage {
  /** Platform message id when the source has one. */
  id?: string;
  /** Stream time, integer ms. */
  t: number;
  /** Wall-clock epoch ms, when known. */
  ts?: number;
  /** "twitch" | "youtube" | "kick" | "irc" | "text" … (free-form for adapters added later). */
  platform: string;
  /** Channel the message belongs to; windows, snapshots and roll-ups are kept per channel. */
  channel: string;
  /** Stable user id (platform id, or a hash / login when that is all the source gives). */
  userId: string;
  /** Display name as shown in chat. */
  user: string;
  /** Message text as written (capped at the configured maximum length). */
  text: string;
  /** Emote occurrences, as UTF-16 index ranges [start, end) into `text`, when the source gives them. */
  emotes?: EmoteSpan[];
  /** Badge names, e.g. "subscriber/12", "moderator", "verified". */
  badges?: string[];
  /** Role flags; absent means unknown / false. */
  flags?: MessageFlags;
  /** Super Chat / cheer attached to the message. */
  paid?: { amount: string; currency?: string; bits?: number };
  /** Id of the message this one replies to (Twitch `reply-parent-msg-id`), when the source gives it. */
  replyTo?: string;
}

export interface EmoteSpan {
  name: string;
  id?: string;
  start: number;
  end: number;
}

export interface MessageFlags {
  broadcaster?: boolean;
  moderator?: boolean;
  subscriber?: boolean;
  vip?: boolean;
  member?: boolean;
  verified?: boolean;
  /** Known bot account (set by sources that know, or by the bot filter). */
  bot?: boolean;
  /** First message of this user in the channel (Twitch `first-msg`). */
  firstMessage?: boolean;
}

/** Longest message text kept; longer texts are cut and counted as `overlong`. Twitch caps at 500 chars, YouTube at 200. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 2000;
