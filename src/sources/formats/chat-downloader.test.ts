import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../../core/event.js";
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
    expect(decodeChatDownloaderItem({ author: {} }, 1, ctx)).toEqual({ kind: "error", reason: 'not a chat-downloader item (no "message_type" or "message")' });
    expect(decodeChatDownloaderItem({ message_type: "\u001b]0;x\u0007", message: "hi" }, 1, ctx)).toEqual({
      kind: "error",
      reason: '"message_type" is not a chat-downloader type',
    });
  });

  it("keeps paid messages without money, counts those without words as the payment alone, and ignores bad emote locations", () => {
    expect(decodeChatDownloaderItem({ message_type: "paid_message", time_in_seconds: 1, money: { amount: 3 } }, 1, ctx)).toEqual({ kind: "skip", reason: "paid-without-text" });
    expect(message(decodeChatDownloaderItem({ message_type: "paid_message", message: "hi", time_in_seconds: 1 }, 1, ctx)).paid).toBeUndefined();
    const odd = { message: "abc", time_in_seconds: 0, emotes: [{ locations: ["9-12", "x", 3, "0-0"] }, { name: "" }, "junk"] };
    expect(message(decodeChatDownloaderItem(odd, 1, ctx))).toMatchObject({
      platform: "twitch",
      emotes: [{ name: "a", start: 0, end: 1 }],
    });
  });
});

describe("decodeChatDownloaderItem (hostile emote lists)", () => {
  it("looks for emotes only in the text that is kept, and no more of them than it can hold", () => {
    const names = Array.from({ length: 20_000 }, (_, i) => ({ name: i % 2 === 0 ? "a" : `n${i}` }));
    const ranges = { id: "1", locations: Array.from({ length: 50_000 }, (_, i) => `${i}-${i}`).join(",") };
    const item = { message: "a".repeat(100_000), time_in_seconds: 1, author: { name: "x", id: "UCx0000000000000000000x1" }, emotes: [...names, ranges] };
    const result = decodeChatDownloaderItem(item, 1, { ...ctx, maxMessageLength: 50 });
    expect(result).toMatchObject({ kind: "message", overlong: true, message: { text: "a".repeat(50) } });
    const emotes = message(result).emotes ?? [];
    expect(emotes).toHaveLength(50);
    expect(emotes.every((span) => span.name === "a" && span.end <= 50)).toBe(true);
  });
});

describe("decodeChatDownloaderItem (a Twitch live capture)", () => {
  const lines = readFileSync(new URL("twitch-live.jsonl", FIXTURES), "utf8").split("\n");
  const decode = createChatDownloaderDecoder();
  const results = lines.slice(0, 5).map((line, i) => decode(line, i + 1, ctx));

  it("[#14.11] reads highlighted and sub-only-mode messages as chat, with the author's own moderator and subscriber flags", () => {
    expect(message(results[0] as DecodeResult)).toEqual({
      t: 0,
      ts: 1700000100000,
      id: "7f2b7a1e-0001-4c7e-9d53-000000000001",
      platform: "twitch",
      channel: "cd",
      userId: "41234567",
      user: "NightOwl_42",
      text: "Kappa good morning chat",
      emotes: [{ name: "Kappa", id: "25", start: 0, end: 5 }],
      badges: ["moderator/1", "subscriber/12"],
      flags: { moderator: true, subscriber: true },
    });
    expect(message(results[1] as DecodeResult)).toEqual({
      t: 1500,
      ts: 1700000101500,
      id: "7f2b7a1e-0002-4c7e-9d53-000000000002",
      platform: "twitch",
      channel: "cd",
      userId: "51234567",
      user: "QuietSub",
      text: "please notice me",
      badges: ["glhf-pledge/1"],
      flags: { subscriber: true },
    });
    expect(message(results[2] as DecodeResult)).toEqual({
      t: 3000,
      ts: 1700000103000,
      id: "7f2b7a1e-0003-4c7e-9d53-000000000003",
      platform: "twitch",
      channel: "cd",
      userId: "61234567",
      user: "Newcomer",
      text: "first time here, hi!",
      flags: { firstMessage: true },
    });
    expect(results[4]).toEqual({ kind: "skip", reason: "resubscription" });
  });

  it("[#14.11] drops the /me wrapper's closing \\u0001 and keeps the emote where it was", () => {
    expect(message(results[3] as DecodeResult)).toEqual({
      t: 4250,
      ts: 1700000104250,
      id: "7f2b7a1e-0004-4c7e-9d53-000000000004",
      platform: "twitch",
      channel: "cd",
      userId: "71234567",
      user: "DanceVip",
      text: "dances PogChamp",
      emotes: [{ name: "PogChamp", id: "305954156", start: 7, end: 15 }],
      badges: ["vip/1"],
      flags: { vip: true },
    });
    expect(message(decodeChatDownloaderItem({ message: "\u0001ACTION waves\u0001", time_in_seconds: 1, author: { display_name: "A", id: "1" } }, 1, ctx)).text).toBe("waves");
  });
});

describe("decodeChatDownloaderItem (chat-replay-downloader's older JSON)", () => {
  it("[#14.12] reads the author string and top-level author_id, badges and amounts of a YouTube file", () => {
    const events: ChatEvent[] = [];
    const decode = createChatDownloaderDecoder();
    const items = fixtureJson("old-youtube.json");
    const results = items.map((item, i) => decode(item, i + 1, { ...ctx, onEvent: (event) => events.push(event) }));
    expect(message(results[0] as DecodeResult)).toEqual({
      t: -95000,
      ts: 1699999904800,
      platform: "youtube",
      channel: "cd",
      userId: "UCa1b2c3d4e5f6g7h8i9j0kA",
      user: "Early Viewer",
      text: "waiting room vibes :hand-pink-waving:",
    });
    expect(message(results[1] as DecodeResult)).toEqual({
      t: 12345,
      ts: 1700000012345,
      platform: "youtube",
      channel: "cd",
      userId: "UCzz99yy88xx77ww66vv55uB",
      user: "Chat Mod",
      text: "please keep it civil",
      badges: ["moderator"],
      flags: { moderator: true },
    });
    expect(message(results[2] as DecodeResult)).toEqual({
      t: 61000,
      ts: 1700000061000,
      platform: "youtube",
      channel: "cd",
      userId: "UCmmnnoopp11223344556677",
      user: "Loyal Member",
      text: "happy to support",
      badges: ["member"],
      flags: { member: true },
      paid: { amount: "$5.00", currency: "USD" },
    });
    expect(results[3]).toEqual({ kind: "skip", reason: "ticker" });
    expect(message(results[4] as DecodeResult)).toMatchObject({
      platform: "youtube",
      userId: "UCfixture000000000000001",
      user: "Fixture Channel",
      text: "über cool 🎉",
      t: 75000,
      badges: ["owner", "verified"],
      flags: { broadcaster: true, verified: true },
    });
    expect(events).toEqual([{ kind: "paid", t: 61000, ts: 1700000061000, platform: "youtube", channel: "cd", user: "Loyal Member", text: "happy to support", amount: "$5.00" }]);
  });

  it("[#14.12] labels a Twitch file twitch and tells its chatters apart", () => {
    const decode = createChatDownloaderDecoder();
    const messages = fixtureJson("old-twitch.json").map((item, i) => message(decode(item, i + 1, ctx)));
    expect(messages).toEqual([
      { t: 5500, ts: 1700000005500, platform: "twitch", channel: "cd", userId: "NightOwl_42", user: "NightOwl_42", text: "Kappa good morning chat" },
      { t: 9250, ts: 1700000009250, platform: "twitch", channel: "cd", userId: "plain_viewer", user: "plain_viewer", text: "what a start" },
      { t: 12000, ts: 1700000012000, platform: "twitch", channel: "cd", userId: "NightOwl_42", user: "NightOwl_42", text: "LUL LUL" },
    ]);
    expect(message(decode({ author: "x", author_id: 12345, message: "numeric id", time_in_seconds: 1 }, 1, ctx))).toMatchObject({ platform: "twitch", userId: "12345", user: "x" });
  });
});

describe("decodeChatDownloaderItem (localised YouTube badges)", () => {
  it("[#14.14] knows a member badge by its picture, whatever language its title is in", () => {
    const items = fixtureJson("youtube-ja.json");
    const decode = createChatDownloaderDecoder();
    const messages = items.map((item, i) => message(decode(item, i + 1, ctx)));
    expect(messages[0]).toEqual({
      t: 3500,
      ts: 1700000003500,
      id: "FixtureJa0001",
      platform: "youtube",
      channel: "cd",
      userId: "UCsakura00000000000000aa",
      user: "さくら",
      text: "こんばんは！",
      badges: ["member"],
      flags: { member: true },
    });
    expect(messages[1]).toMatchObject({ user: "ゆうき", userId: "UCyuuki000000000000000bb", platform: "youtube", t: 7250, text: "初見です", badges: ["member"], flags: { member: true } });
    expect(messages[2]).toMatchObject({ user: "モデ太郎", t: 9000, badges: ["moderator", "member"], flags: { moderator: true, member: true } });
    expect(messages[3]).toMatchObject({ user: "Fixture Channel", t: 12000, badges: ["owner", "verified"], flags: { broadcaster: true, verified: true } });
    expect(messages[4]).toMatchObject({ user: "ひかり", t: 20000, text: "応援してます", flags: { member: true }, paid: { amount: "¥500", currency: "JPY" } });
  });
});

describe("decodeChatDownloaderItem (payments and memberships)", () => {
  it("[#14.17] reads a Super Chat as chat with `paid` plus one paid event, and stickers and memberships as events", () => {
    const events: ChatEvent[] = [];
    const withEvents: DecodeContext = { ...ctx, onEvent: (event) => events.push(event) };
    const items = fixtureJson("youtube.json");
    expect(message(decodeChatDownloaderItem(items[3], 4, withEvents))).toEqual({
      t: 61000,
      ts: 1700000061000,
      id: "FixtureCD0003",
      platform: "youtube",
      channel: "cd",
      userId: "UCmmnnoopp11223344556677",
      user: "Loyal Member",
      text: "happy to support",
      badges: ["member"],
      flags: { member: true },
      paid: { amount: "$5.00", currency: "USD" },
    });
    expect(decodeChatDownloaderItem(items[4], 5, withEvents)).toEqual({ kind: "skip", reason: "membership_item" });
    expect(decodeChatDownloaderItem(items[6], 7, withEvents)).toEqual({ kind: "skip", reason: "paid_sticker" });
    const legacy = { action_type: "add_chat_item", author: { id: "UCearlymember0000000000a", name: "Early Member" }, message: "", message_id: "FixtureLegacy0001", message_type: "legacy_paid_message", time_in_seconds: 42.5, timestamp: 1500000042500000 };
    expect(decodeChatDownloaderItem(legacy, 8, withEvents)).toEqual({ kind: "skip", reason: "legacy_paid_message" });
    expect(events).toEqual([
      { kind: "paid", t: 61000, ts: 1700000061000, platform: "youtube", channel: "cd", user: "Loyal Member", id: "FixtureCD0003", text: "happy to support", amount: "$5.00" },
      { kind: "membership", t: 70500, ts: 1700000070500, platform: "youtube", channel: "cd", user: "Newcomer", id: "FixtureCD0004", text: "Welcome to Fixture Channel!" },
      { kind: "paid", t: 80000, ts: 1700000080000, platform: "youtube", channel: "cd", user: "Sticker Fan", id: "FixtureCD0006", amount: "£1.99" },
      { kind: "membership", t: 42500, ts: 1500000042500, platform: "youtube", channel: "cd", user: "Early Member", id: "FixtureLegacy0001" },
    ]);
  });
});
