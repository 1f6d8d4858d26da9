import type { ChatMessage } from "../../core/message.js";
import { cleanMessage, cleanText } from "../../core/text-cleaning.js";
import type { DecodeContext, DecodeResult, DecodedMessage } from "../decoder.js";

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * What every file format shares on the way out: control sequences and bidi controls are cleaned from every text
 * field (core/text-cleaning.ts), then the text is cut to `maxMessageLength` UTF-16 units (never between the
 * halves of a surrogate pair) and emote spans past the cut are dropped.
 */
export function capMessage(decoded: ChatMessage, ctx: DecodeContext): DecodedMessage {
  const message = cleanMessage(decoded);
  const max = ctx.maxMessageLength;
  if (message.text.length <= max) return { message };
  let end = Math.max(0, max);
  if (end > 0 && isHighSurrogate(message.text.charCodeAt(end - 1))) end -= 1;
  message.text = message.text.slice(0, end);
  if (message.emotes) {
    const kept = message.emotes.filter((span) => span.end <= end);
    if (kept.length > 0) message.emotes = kept;
    else delete message.emotes;
  }
  return { message, overlong: true };
}

export function messageResult(message: ChatMessage, ctx: DecodeContext): DecodeResult {
  const decoded = capMessage(message, ctx);
  return decoded.overlong ? { kind: "message", message: decoded.message, overlong: true } : { kind: "message", message: decoded.message };
}

/** A decode result that is not a message. */
export type NonMessage = Extract<DecodeResult, { kind: "skip" | "error" }>;

// Reasons can quote the input (a record's own type name, a parser's message): they reach stderr and metric labels.
export function skip(reason: string): NonMessage {
  return { kind: "skip", reason: cleanText(reason) };
}

export function malformed(reason: string): NonMessage {
  return { kind: "error", reason: cleanText(reason) };
}
