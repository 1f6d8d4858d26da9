import type { DecodeContext, DecodeResult } from "../decoder.js";
import { malformed, messageResult, skip } from "./message-result.js";

/** Plain text, one message per line, no author and no time of its own: stamped on arrival. */
export function decodeTextLine(record: unknown, _lineNo: number, ctx: DecodeContext): DecodeResult {
  if (typeof record !== "string") return malformed("expected a line of text");
  if (record.trim().length === 0) return skip("blank");
  return messageResult(
    { t: ctx.arrivalTime(), platform: "text", channel: ctx.defaultChannel, userId: "anonymous", user: "anonymous", text: record },
    ctx,
  );
}
