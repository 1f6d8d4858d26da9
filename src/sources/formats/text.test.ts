import { describe, expect, it } from "vitest";
import type { DecodeContext } from "../decoder.js";
import { decodeTextLine } from "./text.js";

describe("decodeTextLine", () => {
  let clock = 0;
  const ctx: DecodeContext = { defaultChannel: "notes", arrivalTime: () => (clock += 100), maxMessageLength: 10 };

  it("makes an anonymous message stamped with the arrival time", () => {
    expect(decodeTextLine("hi there", 1, ctx)).toEqual({
      kind: "message",
      message: { t: 100, platform: "text", channel: "notes", userId: "anonymous", user: "anonymous", text: "hi there" },
    });
    expect(decodeTextLine("again", 2, ctx)).toMatchObject({ message: { t: 200 } });
  });

  it("skips blank lines", () => {
    expect(decodeTextLine("", 1, ctx)).toEqual({ kind: "skip", reason: "blank" });
    expect(decodeTextLine(" \t ", 1, ctx)).toEqual({ kind: "skip", reason: "blank" });
  });

  it("cuts long lines without splitting a surrogate pair", () => {
    const result = decodeTextLine("123456789😀 and more", 1, ctx);
    expect(result).toMatchObject({ kind: "message", overlong: true, message: { text: "123456789" } });
  });

  it("rejects records that are not lines", () => {
    expect(decodeTextLine(42, 1, ctx)).toEqual({ kind: "error", reason: "expected a line of text" });
  });
});
