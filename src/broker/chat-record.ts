import type { ChatEvent } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";
import { decodeJsonlObject } from "../sources/formats/jsonl.js";
import { asObject, parseJson } from "../sources/formats/record-fields.js";

/**
 * What the chat stream carries, as our JSON lines (the `--record` format): a message, an event, or a watermark
 * (no message at or before `t` is still to come for that channel: the ingest of a finite recording sends one at
 * its end so every roll-up period holding a message closes).
 */
export type ChatRecord = { kind: "message"; message: ChatMessage } | { kind: "event"; event: ChatEvent } | { kind: "watermark"; t: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodeChatRecord(r: ChatRecord): Uint8Array {
  if (r.kind === "message") return encoder.encode(JSON.stringify(r.message));
  if (r.kind === "event") return encoder.encode(JSON.stringify({ type: "event", ...r.event }));
  return encoder.encode(JSON.stringify({ type: "watermark", t: r.t }));
}

/** A stored record, validated as untrusted input (anyone with publish rights on `chat.>` could have written it). */
export function decodeChatRecord(data: Uint8Array, maxMessageLength: number): ChatRecord | { kind: "error"; reason: string } {
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    return { kind: "error", reason: "invalid UTF-8" };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return { kind: "error", reason: parsed.reason };
  const object = asObject(parsed.value);
  if (object === undefined) return { kind: "error", reason: "expected a JSON object" };
  if (object.type === "watermark") {
    return typeof object.t === "number" && Number.isSafeInteger(object.t) ? { kind: "watermark", t: object.t } : { kind: "error", reason: "watermark without a whole-ms t" };
  }
  let event: ChatEvent | undefined;
  const result = decodeJsonlObject(object, { defaultChannel: "", arrivalTime: () => 0, maxMessageLength, onEvent: (e) => (event = e) });
  if (event !== undefined) return { kind: "event", event };
  if (result.kind === "message") return { kind: "message", message: result.message };
  return { kind: "error", reason: result.reason };
}
