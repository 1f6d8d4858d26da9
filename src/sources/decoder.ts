import type { ChatEvent } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";

/** Every recorded-chat format we read; `--format` takes these names. */
export const CHAT_FORMATS = ["jsonl", "text", "ytdlp", "chat-downloader", "twitch-vod", "irc"] as const;
export type ChatFormat = (typeof CHAT_FORMATS)[number];

export function isChatFormat(name: string): name is ChatFormat {
  return (CHAT_FORMATS as readonly string[]).includes(name);
}

/** What a decoder needs from its surroundings; kept small so decoders stay pure and testable. */
export interface DecodeContext {
  /** Channel to use when the record names none (from --channel or the file name). */
  defaultChannel: string;
  /** Stream time (ms) to stamp on records that carry no time of their own (arrival time). */
  arrivalTime(): number;
  /** Texts longer than this are cut; the decoder reports `overlong` so it is counted. */
  maxMessageLength: number;
  /** Receives events (subs, raids, paid messages…) from formats that record them (our JSON lines); they are not chat. */
  onEvent?: (event: ChatEvent) => void;
}

/**
 * Result of decoding one record (a line, or one element of a JSON document).
 * - message: a chat message
 * - skip: a well-formed record that is not chat (a ping, a membership banner, an unknown item kind); counted by reason
 * - error: a malformed record; counted and reported with its line number
 */
export type DecodeResult =
  | { kind: "message"; message: ChatMessage; overlong?: boolean; more?: DecodedMessage[] }
  | { kind: "skip"; reason: string }
  | { kind: "error"; reason: string };

/**
 * A message plus whether its text was cut. `more` on a message result carries the rare extra
 * messages of one record (a yt-dlp line whose action list holds several chat items), in order.
 */
export interface DecodedMessage {
  message: ChatMessage;
  overlong?: boolean;
}

/**
 * Decodes one record: a line (string) for line formats, a parsed JSON value for document formats.
 * Decoders that need memory across records (a time origin) come from a factory, one per input.
 */
export type RecordDecoder = (record: unknown, lineNo: number, ctx: DecodeContext) => DecodeResult;

/** One problem found while reading input, kept for the end-of-run report (first N only; all are counted). */
export interface InputIssue {
  line: number;
  kind: "malformed" | "invalid-utf8" | "overlong" | "skipped" | "empty-input" | "bad-time";
  reason: string;
}
