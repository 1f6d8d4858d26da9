import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DecodeContext, DecodeResult } from "../decoder.js";
import { decodeTwitchVodComment } from "./twitch-vod.js";

const FIXTURES = new URL("../../../test/fixtures/sources/twitch-vod/", import.meta.url);
const ctx: DecodeContext = { defaultChannel: "fixturestreamer", arrivalTime: () => 42, maxMessageLength: 2000 };

function comments(name: string): unknown[] {
  const doc = JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8")) as { comments: unknown[] };
  return doc.comments;
}

function message(result: DecodeResult) {
  if (result.kind !== "message") throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

describe("decodeTwitchVodComment (TwitchDownloader)", () => {
  const list = comments("twitchdownloader.json");

  it("walks fragments for emote spans, past astral characters", () => {
    expect(message(decodeTwitchVodComment(list[0], 1, ctx))).toEqual({
      t: 3000,
      ts: Date.parse("2023-11-14T22:13:23.000Z"),
      id: "c-0001",
      platform: "twitch",
      channel: "fixturestreamer",
      userId: "41234567",
      user: "NightOwl_42",
      text: "Kappa 😂 Kappa",
      emotes: [
        { name: "Kappa", id: "25", start: 0, end: 5 },
        { name: "Kappa", id: "25", start: 9, end: 14 },
      ],
      badges: ["moderator/1", "subscriber/12"],
      flags: { moderator: true, subscriber: true },
    });
  });

  it("uses fractional offsets, bits and badge flags", () => {
    expect(message(decodeTwitchVodComment(list[1], 2, ctx)).t).toBe(4250);
    expect(message(decodeTwitchVodComment(list[2], 3, ctx))).toMatchObject({ paid: { amount: "100 bits", bits: 100 }, flags: { vip: true } });
    expect(message(decodeTwitchVodComment(list[4], 5, ctx))).toMatchObject({
      emotes: [{ name: "PogChamp", id: "305954156", start: 20, end: 28 }],
      flags: { broadcaster: true, verified: true },
    });
    expect(message(decodeTwitchVodComment(list[5], 6, ctx))).toMatchObject({ user: "日本の視聴者", flags: { subscriber: true } });
  });

  it("skips sub notices and keeps comments of deleted users", () => {
    expect(decodeTwitchVodComment(list[3], 4, ctx)).toEqual({ kind: "skip", reason: "user-notice" });
    expect(message(decodeTwitchVodComment(list[6], 7, ctx))).toMatchObject({ user: "anonymous", userId: "anonymous" });
  });
});

describe("decodeTwitchVodComment (rechat v5)", () => {
  const list = comments("rechat.json");

  it("falls back to emoticon ranges (inclusive code points) without fragments", () => {
    expect(message(decodeTwitchVodComment(list[0], 1, ctx))).toMatchObject({
      t: 1123,
      text: "😂 Kreygasm",
      emotes: [{ name: "Kreygasm", id: "41", start: 3, end: 11 }],
      badges: ["turbo/1"],
    });
    expect(message(decodeTwitchVodComment(list[1], 2, ctx)).emotes).toBeUndefined();
  });

  it("reports a comment without an offset", () => {
    expect(decodeTwitchVodComment(list[2], 3, ctx)).toEqual({ kind: "error", reason: 'missing or invalid "content_offset_seconds"' });
  });
});

describe("decodeTwitchVodComment (odd comments)", () => {
  it("accepts a comment as a JSON line and rejects non-comments", () => {
    const line = JSON.stringify({ content_offset_seconds: 1, commenter: { name: "login_only" }, message: { body: "hi" } });
    expect(message(decodeTwitchVodComment(line, 1, ctx))).toMatchObject({ user: "login_only", userId: "login_only" });
    expect(decodeTwitchVodComment("{", 1, ctx).kind).toBe("error");
    expect(decodeTwitchVodComment(7, 1, ctx)).toEqual({ kind: "error", reason: "expected a JSON object" });
    expect(decodeTwitchVodComment({ content_offset_seconds: 1, message: {} }, 1, ctx)).toEqual({
      kind: "error",
      reason: '"message.body" is not a string',
    });
  });

  it("ignores inconsistent fragments and unusable emoticons and badges", () => {
    const comment = {
      content_offset_seconds: 2,
      commenter: { _id: 5, display_name: "", name: "x" },
      message: {
        body: "ab cd",
        fragments: [{ text: "zz" }],
        emoticons: [{ _id: "1", begin: 3, end: 4 }, { begin: 9, end: 12 }, { begin: "a" }, { begin: 0, end: 0 }],
        user_badges: [{ _id: "premium" }, { version: "1" }],
      },
    };
    expect(message(decodeTwitchVodComment(comment, 1, ctx))).toMatchObject({
      userId: "5",
      user: "x",
      emotes: [
        { name: "a", start: 0, end: 1 },
        { name: "cd", id: "1", start: 3, end: 5 },
      ],
      badges: ["premium"],
    });
  });
});
