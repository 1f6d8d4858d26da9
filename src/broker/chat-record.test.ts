import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeChatRecord, encodeChatRecord } from "./chat-record.js";

describe("chat records on the stream", () => {
  it("[#18] a message, an event and a watermark come back as they went in", () => {
    const message = { t: 5, platform: "twitch", channel: "a.b", userId: "u", user: "u", text: "LUL", id: "x" };
    expect(decodeChatRecord(encodeChatRecord({ kind: "message", message }), 2000)).toEqual({ kind: "message", message });
    const event = { kind: "sub" as const, t: 9, platform: "twitch", channel: "c", user: "v", count: 3 };
    expect(decodeChatRecord(encodeChatRecord({ kind: "event", event }), 2000)).toEqual({ kind: "event", event });
    expect(decodeChatRecord(encodeChatRecord({ kind: "watermark", t: 600_000 }), 2000)).toEqual({ kind: "watermark", t: 600_000 });
  });

  it("[#18] anything else is an error value, never an exception", () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(decodeChatRecord(new Uint8Array([0xff, 0xfe]), 2000)).toEqual({ kind: "error", reason: "invalid UTF-8" });
    expect(decodeChatRecord(enc("[1]"), 2000).kind).toBe("error");
    expect(decodeChatRecord(enc("{"), 2000).kind).toBe("error");
    expect(decodeChatRecord(enc('{"type":"watermark","t":1.5}'), 2000).kind).toBe("error");
    expect(decodeChatRecord(enc('{"t":1}'), 2000).kind).toBe("error");
  });

  it("[#18.prop] arbitrary bytes decode to a record or an error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(["message", "event", "watermark", "error"]).toContain(decodeChatRecord(bytes, 2000).kind);
      }),
    );
  });
});
