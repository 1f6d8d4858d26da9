import type { ChatMessage } from "../../core/message.js";
import type { DecodeContext, DecodeResult, DecodedMessage } from "../decoder.js";

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Applies the length cap every source shares: the text is cut to `maxMessageLength` UTF-16 units
 * (never between the halves of a surrogate pair) and emote spans past the cut are dropped.
 */
export function capMessage(message: ChatMessage, ctx: DecodeContext): DecodedMessage {
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

export function skip(reason: string): NonMessage {
  return { kind: "skip", reason };
}

export function malformed(reason: string): NonMessage {
  return { kind: "error", reason };
}
