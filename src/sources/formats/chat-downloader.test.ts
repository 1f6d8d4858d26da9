import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DecodeContext, DecodeResult } from "../decoder.js";
import { createChatDownloaderDecoder, decodeChatDownloaderItem } from "./chat-downloader.js";

const FIXTURES = new URL("../../../test/fixtures/sources/chat-downloader/", import.meta.url);
const ctx: DecodeContext = { defaultChannel: "cd", arrivalTime: () => 42, maxMessageLength: 2000 };

function fixtureJson(name: string): unknown[] {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8")) as unknown[];
}

function message(result: DecodeResult) {
  if (result.kind !== "message") throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

describe("decodeChatDownloaderItem (YouTube items)", () => {
  const items = fixtureJson("youtube.json");

  it("keeps negative pre-stream offsets and finds named emotes in the text", () => {
    expect(message(decodeChatDownloaderItem(items[1], 2, ctx))).toEqual({
      t: -95200,
      ts: 1699999904800,
      id: "FixtureCD0001",
      platform: "youtube",
      channel: "cd",
      userId: "UCa1b2c3d4e5f6g7h8i9j0kA",
      user: "Early Viewer",
      text: "waiting room vibes :hand-pink-waving:",
      emotes: [{ name: ":hand-pink-waving:", id: "UCfixtureEmojiOwner00000/FixtureCustomEmojiWave01", start: 19, end: 37 }],
    });
  });

  it("finds every occurrence of an emote and reads badges as flags", () => {
    expect(message(decodeChatDownloaderItem(items[2], 3, ctx))).toMatchObject({
      t: 12345,
      emotes: [
        { name: ":face_with_tears_of_joy:", start: 21, end: 45 },
        { name: ":face_with_tears_of_joy:", start: 46, end: 70 },
      ],
      badges: ["moderator"],
      flags: { moderator: true },
    });
  });

  it("reads paid messages with their money", () => {
    expect(message(decodeChatDownloaderItem(items[3], 4, ctx))).toMatchObject({
      text: "happy to support",
      badges: ["member"],
      flags: { member: true },
      paid: { amount: "$5.00", currency: "USD" },
    });
  });

  it("skips other message types by name", () => {
    expect(decodeChatDownloaderItem(items[0], 1, ctx)).toEqual({ kind: "skip", reason: "viewer_engagement_message" });
    expect(decodeChatDownloaderItem(items[4], 5, ctx)).toEqual({ kind: "skip", reason: "membership_item" });
    expect(decodeChatDownloaderItem(items[6], 7, ctx)).toEqual({ kind: "skip", reason: "paid_sticker" });
  });
});

describe("decodeChatDownloaderItem (Twitch items, JSON lines)", () => {
  const lines = readFileSync(new URL("twitch.jsonl", FIXTURES), "utf8").split("\n");

  it("converts located emotes from inclusive code points to UTF-16 spans", () => {
    expect(message(decodeChatDownloaderItem(lines[0], 1, ctx))).toEqual({
      t: 5500,
      ts: 1700000005500,
      id: "0b6c2f4e-1111-4a51-9a77-2f3e8b1d6c10",
      platform: "twitch",
      channel: "cd",
      userId: "41234567",
      user: "NightOwl_42",
      text: "Kappa 😂 Kappa",
      emotes: [
        { name: "Kappa", id: "25", start: 0, end: 5 },
        { name: "Kappa", id: "25", start: 9, end: 14 },
      ],
      badges: ["subscriber/12", "moderator/1"],
      flags: { subscriber: true, moderator: true },
    });
  });

  it("reads bits as a payment and location lists", () => {
    expect(message(decodeChatDownloaderItem(lines[1], 2, ctx))).toMatchObject({
      paid: { amount: "100 bits", bits: 100 },
      flags: { vip: true },
    });
    expect(message(decodeChatDownloaderItem(lines[3], 4, ctx)).emotes).toEqual([
      { name: "LUL", id: "425618", start: 0, end: 3 },
      { name: "LUL", id: "425618", start: 4, end: 7 },
    ]);
    expect(decodeChatDownloaderItem(lines[2], 3, ctx)).toEqual({ kind: "skip", reason: "resubscription" });
  });
});

describe("decodeChatDownloaderItem (live captures and odd items)", () => {
  it("measures t from the first timestamp when there is no stream offset", () => {
    const decode = createChatDownloaderDecoder();
    const items = fixtureJson("live.json");
    expect(items.map((item, i) => message(decode(item, i + 1, ctx)).t)).toEqual([0, 2750]);
  });

  it("falls back to arrival time, explicit platforms and plain titles", () => {
    const item = {
      message: "no type, no time",
      platform: "kick",
      author: { name: "someone", badges: [{ title: "Founder" }, { title: "Member (1 year)" }, { icon_name: "OWNER" }, {}, "junk"], is_bot: true },
    };
    expect(message(decodeChatDownloaderItem(item, 1, ctx))).toEqual({
      t: 42,
      platform: "kick",
      channel: "cd",
      userId: "someone",
      user: "someone",
      text: "no type, no time",
      badges: ["founder", "member", "owner"],
      flags: { subscriber: true, member: true, broadcaster: true, bot: true },
    });
  });

  it("reports items that are not chat objects", () => {
    expect(decodeChatDownloaderItem("{oops", 1, ctx)).toMatchObject({ kind: "error", reason: expect.stringContaining("invalid JSON") });
    expect(decodeChatDownloaderItem([1], 1, ctx)).toEqual({ kind: "error", reason: "expected a JSON object" });
    expect(decodeChatDownloaderItem({ message_type: "text_message", message: 5 }, 1, ctx)).toEqual({
      kind: "error",
      reason: '"message" is not a string',
    });
    expect(decodeChatDownloaderItem({ author: {} }, 1, ctx)).toEqual({ kind: "skip", reason: "unknown-item" });
  });

  it("keeps paid messages without text or money, and ignores bad emote locations", () => {
    expect(message(decodeChatDownloaderItem({ message_type: "paid_message", time_in_seconds: 1, money: { amount: 3 } }, 1, ctx))).toMatchObject({
      text: "",
      paid: { amount: "3" },
    });
    expect(message(decodeChatDownloaderItem({ message_type: "paid_message", time_in_seconds: 1 }, 1, ctx)).paid).toBeUndefined();
    const odd = { message: "abc", time_in_seconds: 0, emotes: [{ locations: ["9-12", "x", 3, "0-0"] }, { name: "" }, "junk"] };
    expect(message(decodeChatDownloaderItem(odd, 1, ctx))).toMatchObject({
      platform: "twitch",
      emotes: [{ name: "a", start: 0, end: 1 }],
    });
  });
});
