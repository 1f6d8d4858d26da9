import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DecodeContext, DecodeResult } from "../decoder.js";
import { decodeJsonlLine } from "./jsonl.js";

const FIXTURES = new URL("../../../test/fixtures/sources/jsonl/", import.meta.url);
const ctx: DecodeContext = { defaultChannel: "fallback", arrivalTime: () => 42, maxMessageLength: 2000 };

function fixtureLines(name: string): string[] {
  return readFileSync(new URL(name, FIXTURES), "utf8").split("\n");
}

function message(result: DecodeResult) {
  if (result.kind !== "message") throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

describe("decodeJsonlLine", () => {
  const lines = fixtureLines("valid.jsonl");

  it("decodes the minimal shape, using user as user id and the default channel", () => {
    expect(message(decodeJsonlLine(lines[0], 1, ctx))).toEqual({
      t: 0,
      platform: "twitch",
      channel: "fallback",
      userId: "lurker_anna",
      user: "lurker_anna",
      text: "hello chat",
    });
  });

  it("keeps every optional field the line carries", () => {
    expect(message(decodeJsonlLine(lines[1], 2, ctx))).toEqual({
      t: 1200,
      ts: 1700000001200,
      id: "m-0002",
      platform: "twitch",
      channel: "speedrunlive",
      userId: "1001",
      user: "pogfan",
      text: "Kappa that was close Kappa",
      emotes: [
        { name: "Kappa", id: "25", start: 0, end: 5 },
        { name: "Kappa", id: "25", start: 21, end: 26 },
      ],
      badges: ["subscriber/12", "moderator/1"],
      flags: { moderator: true, subscriber: true },
    });
  });

  it("rounds t to whole milliseconds and keeps unicode text as written", () => {
    const decoded = message(decodeJsonlLine(lines[2], 3, ctx));
    expect(decoded.t).toBe(2500);
    expect(decoded.text).toBe("this run 😂😂 is wild");
  });

  it("keeps a paid amount", () => {
    expect(message(decodeJsonlLine(lines[3], 4, ctx)).paid).toEqual({ amount: "$5.00", currency: "USD" });
    const bits = '{"t":1,"user":"a","text":"x","platform":"twitch","paid":{"amount":100,"bits":100}}';
    expect(message(decodeJsonlLine(bits, 1, ctx)).paid).toEqual({ amount: "100", bits: 100 });
    const noAmount = '{"t":1,"user":"a","text":"x","platform":"twitch","paid":{"currency":"USD"}}';
    expect(message(decodeJsonlLine(noAmount, 1, ctx)).paid).toBeUndefined();
  });

  it("accepts numeric user ids and empty texts", () => {
    expect(message(decodeJsonlLine(lines[5], 6, ctx))).toMatchObject({ user: "42", userId: "42" });
    expect(message(decodeJsonlLine(lines[6], 7, ctx)).text).toBe("");
  });

  it("drops emote spans that do not fit the text and flags that are not true", () => {
    const decoded = message(decodeJsonlLine(lines[7], 8, ctx));
    expect(decoded.emotes).toBeUndefined();
    expect(decoded.flags).toEqual({ vip: true });
  });

  it("falls back to anonymous and an unknown platform when the line leaves them out", () => {
    expect(message(decodeJsonlLine('{"t":5,"text":"who said this"}', 1, ctx))).toMatchObject({
      user: "anonymous",
      userId: "anonymous",
      platform: "unknown",
    });
  });

  it("reports a missing or invalid t, a non-string text and non-objects as errors", () => {
    const broken = fixtureLines("broken.jsonl");
    expect(decodeJsonlLine(broken[1], 2, ctx)).toMatchObject({ kind: "error", reason: expect.stringContaining("invalid JSON") });
    expect(decodeJsonlLine(broken[2], 3, ctx)).toEqual({ kind: "error", reason: 'missing or invalid "t"' });
    expect(decodeJsonlLine(broken[3], 4, ctx)).toEqual({ kind: "error", reason: '"text" is not a string' });
    expect(decodeJsonlLine(broken[5], 6, ctx)).toEqual({ kind: "error", reason: "expected a JSON object" });
    expect(decodeJsonlLine(broken[6], 7, ctx)).toEqual({ kind: "error", reason: 'missing or invalid "t"' });
    expect(decodeJsonlLine(broken[8], 9, ctx).kind).toBe("error"); // cut in half
    expect(decodeJsonlLine({ t: 1, text: "x" }, 1, ctx)).toEqual({ kind: "error", reason: "expected a line of text" });
  });

  it("cuts an over-long text and says so", () => {
    const result = decodeJsonlLine(fixtureLines("broken.jsonl")[4], 5, { ...ctx, maxMessageLength: 30 });
    expect(result).toMatchObject({ kind: "message", overlong: true });
    expect(message(result).text).toHaveLength(30);
  });
});
