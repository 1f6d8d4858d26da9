import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../../core/event.js";
import type { DecodeContext, DecodeResult } from "../decoder.js";
import { createYtdlpDecoder, currencyOf, decodeYtdlpLine } from "./ytdlp.js";

const FIXTURES = new URL("../../../test/fixtures/sources/ytdlp/", import.meta.url);
const ctx: DecodeContext = { defaultChannel: "yt", arrivalTime: () => 42, maxMessageLength: 2000 };

function fixtureLines(name: string): string[] {
  return readFileSync(new URL(name, FIXTURES), "utf8").split("\n");
}

function message(result: DecodeResult) {
  if (result.kind !== "message") throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

describe("decodeYtdlpLine (replay)", () => {
  const lines = fixtureLines("replay.live_chat.json");
  const decode = createYtdlpDecoder();

  it("decodes a text message with unicode and custom emoji runs as emote spans", () => {
    expect(message(decode(lines[1], 2, ctx))).toEqual({
      t: 3123,
      ts: 1700000003123,
      id: "FixtureMsg0002",
      platform: "youtube",
      channel: "yt",
      userId: "UCa1b2c3d4e5f6g7h8i9j0kA",
      user: "Mika Tan",
      text: "that clutch was insane 😂 :hand-pink-waving:",
      emotes: [
        { name: ":face_with_tears_of_joy:", id: "😂", start: 23, end: 25 },
        { name: ":hand-pink-waving:", id: "UCfixtureEmojiOwner00000/FixtureCustomEmojiWave01", start: 26, end: 44 },
      ],
      badges: ["moderator"],
      flags: { moderator: true },
    });
  });

  it("keeps link runs as text and reads member badges", () => {
    expect(message(decode(lines[2], 3, ctx))).toMatchObject({
      text: "vod is at https://example.com/vod",
      badges: ["member"],
      flags: { member: true },
    });
  });

  it("[#14.17] reads a Super Chat as chat with `paid` and its payment as one paid event; without words, as the event alone", () => {
    const events: ChatEvent[] = [];
    const withEvents: DecodeContext = { ...ctx, onEvent: (event) => events.push(event) };
    const result = decode(lines[3], 4, withEvents);
    expect(result).toMatchObject({ kind: "message" });
    expect(result.kind === "message" && result.more).toBeFalsy();
    expect(message(result)).toEqual({
      t: 62000,
      ts: 1700000062000,
      id: "FixturePaid0004",
      platform: "youtube",
      channel: "yt",
      userId: "UCmmnnoopp11223344556677",
      user: "Generous Viewer",
      text: "for the snacks 😂",
      emotes: [{ name: ":face_with_tears_of_joy:", id: "😂", start: 15, end: 17 }],
      paid: { amount: "€10.00", currency: "EUR" },
    });
    expect(decode(lines[10], 11, withEvents)).toEqual({ kind: "skip", reason: "paid-without-text" });
    expect(events).toEqual([
      { kind: "paid", t: 62000, ts: 1700000062000, platform: "youtube", channel: "yt", user: "Generous Viewer", id: "FixturePaid0004", text: "for the snacks 😂", amount: "€10.00" },
      { kind: "paid", t: 90000, ts: 1700000090000, platform: "youtube", channel: "yt", user: "Silent Supporter", id: "FixturePaid0011", amount: "$2.00" },
    ]);
  });

  it("[#14.17] reads the legacy new-member notice and memberships as membership events, not chat", () => {
    const events: ChatEvent[] = [];
    const withEvents: DecodeContext = { ...ctx, onEvent: (event) => events.push(event) };
    const legacy = fixtureLines("legacy-member.live_chat.json");
    expect(decode(legacy[0], 1, withEvents)).toEqual({ kind: "skip", reason: "liveChatLegacyPaidMessageRenderer" });
    expect(decode(lines[4], 5, withEvents)).toEqual({ kind: "skip", reason: "liveChatMembershipItemRenderer" });
    expect(events).toEqual([
      { kind: "membership", t: 42500, ts: 1500000042500, platform: "youtube", channel: "yt", user: "Early Member", id: "FixtureLegacy0001", text: "Welcome to Fixture Channel!" },
      { kind: "membership", t: 70000, ts: 1700000070000, platform: "youtube", channel: "yt", user: "Brand New", id: "FixtureMembership0005", text: "Welcome to Fixture Channel!" },
    ]);
    expect(message(decode(legacy[1], 2, withEvents))).toEqual({
      t: 43000,
      ts: 1500000043000,
      id: "FixtureLegacyChat01",
      platform: "youtube",
      channel: "yt",
      userId: "UCearlymember0000000000a",
      user: "Early Member",
      text: "glad to be here",
      badges: ["member"],
      flags: { member: true },
    });
  });

  it("skips non-chat items with the renderer or action name as reason", () => {
    expect(decode(lines[0], 1, ctx)).toEqual({ kind: "skip", reason: "liveChatViewerEngagementMessageRenderer" });
    expect(decode(lines[4], 5, ctx)).toEqual({ kind: "skip", reason: "liveChatMembershipItemRenderer" });
    expect(decode(lines[5], 6, ctx)).toEqual({ kind: "skip", reason: "liveChatPlaceholderItemRenderer" });
    expect(decode(lines[6], 7, ctx)).toEqual({ kind: "skip", reason: "markChatItemAsDeletedAction" });
    expect(decode(lines[7], 8, ctx)).toEqual({ kind: "skip", reason: "liveChatTickerPaidMessageItemRenderer" });
  });

  it("returns every chat item of a line, the extra ones in `more`", () => {
    const result = decode(lines[8], 9, ctx);
    expect(message(result)).toMatchObject({ user: "Fixture Channel", badges: ["owner"], flags: { broadcaster: true } });
    expect(result.kind === "message" && result.more).toEqual([
      { message: expect.objectContaining({ user: "Official Partner", text: "gg", badges: ["verified"], flags: { verified: true } }) },
    ]);
  });

  it("takes the text of a held message from its replacement", () => {
    expect(message(decode(lines[9], 10, ctx))).toMatchObject({ t: 81000, text: "my message was held for review" });
  });

  it("cuts long texts and drops the emote spans past the cut", () => {
    const result = decode(lines[1], 2, { ...ctx, maxMessageLength: 30 });
    expect(result).toMatchObject({ kind: "message", overlong: true });
    expect(message(result).emotes).toEqual([{ name: ":face_with_tears_of_joy:", id: "😂", start: 23, end: 25 }]);
    const shorter = decode(lines[1], 2, { ...ctx, maxMessageLength: 10 });
    expect(message(shorter).emotes).toBeUndefined();
  });

  it("marks the first of several overlong messages", () => {
    const result = decode(lines[8], 9, { ...ctx, maxMessageLength: 1 });
    expect(result).toMatchObject({ kind: "message", overlong: true, more: [{ overlong: true }] });
  });
});

describe("decodeYtdlpLine (a raw get_live_chat_replay response saved on one line)", () => {
  it("[#14.15] reads every chat item of the response, with its own offset, and its payments and memberships as events", () => {
    const [line] = fixtureLines("get_live_chat_replay.json");
    const events: ChatEvent[] = [];
    const result = createYtdlpDecoder()(line, 1, { ...ctx, onEvent: (event) => events.push(event) });
    if (result.kind !== "message") throw new Error(`expected messages, got ${JSON.stringify(result)}`);
    const messages = [result.message, ...(result.more ?? []).map((extra) => extra.message)];
    expect(messages).toHaveLength(13);
    expect(messages[0]).toEqual({ t: 1500, ts: 1700000001500, id: "RawMsg0000", platform: "youtube", channel: "yt", userId: "UCa1b2c3d4e5f6g7h8i9j0kA", user: "Mika Tan", text: "first!" });
    expect(messages[3]).toEqual({
      t: 9750,
      ts: 1700000009750,
      id: "RawMsg0003",
      platform: "youtube",
      channel: "yt",
      userId: "UClena0000000000000000l1",
      user: "Lena K",
      text: "replay it",
      badges: ["moderator"],
      flags: { moderator: true },
    });
    expect(messages[5]).toMatchObject({ user: "Priya", userId: "UCpriya000000000000000p1", text: "chat is moving fast", flags: { member: true } });
    expect(messages[7]).toEqual({
      t: 18400,
      ts: 1700000018400,
      id: "RawPaid0001",
      platform: "youtube",
      channel: "yt",
      userId: "UCada00000000000000000a3",
      user: "Ada L.",
      text: "for the snacks",
      paid: { amount: "€10.00", currency: "EUR" },
    });
    expect(messages.map((m) => m.t)).toEqual([1500, 4250, 7000, 9750, 12500, 15250, 18000, 18400, 20750, 23500, 26250, 29000, 31750]);
    expect(new Set(messages.map((m) => m.userId)).size).toBe(9);
    expect(events.map((e) => [e.kind, e.user, e.t, e.amount, e.text])).toEqual([
      ["paid", "Ada L.", 18400, "€10.00", "for the snacks"],
      ["membership", "Nadia", 26350, undefined, "Welcome to Fixture Channel!"],
    ]);
  });

  it("[#14.15] reads the older response envelope and live responses, whose items have only timestamps", () => {
    const text = (id: string, usec: string, words: string) => ({
      addChatItemAction: { item: { liveChatTextMessageRenderer: { id, timestampUsec: usec, authorName: { simpleText: "Kim" }, authorExternalChannelId: "UCkim0000000000000000k01", message: { runs: [{ text: words }] } } } },
    });
    const live = JSON.stringify({ response: { continuationContents: { liveChatContinuation: { actions: [text("a", "1700000000000000", "one"), text("b", "1700000002500000", "two")] } } } });
    const result = createYtdlpDecoder()(live, 1, ctx);
    expect(result).toMatchObject({
      kind: "message",
      message: { t: 0, ts: 1700000000000, platform: "youtube", user: "Kim", userId: "UCkim0000000000000000k01", text: "one" },
      more: [{ message: { t: 2500, ts: 1700000002500, user: "Kim", userId: "UCkim0000000000000000k01", text: "two" } }],
    });
    const ended = JSON.stringify({ continuationContents: { liveChatContinuation: { continuations: [] } } });
    expect(decodeYtdlpLine(ended, 1, ctx)).toEqual({ kind: "skip", reason: "no-actions" });
  });
});

describe("decodeYtdlpLine (live capture)", () => {
  it("measures t from the first timestamp of the stream", () => {
    const decode = createYtdlpDecoder();
    const lines = fixtureLines("live.live_chat.json");
    expect(lines.slice(0, 3).map((line, i) => message(decode(line, i + 1, ctx)).t)).toEqual([0, 1500, 4250]);
  });

  it("keeps one origin per decoder", () => {
    const lines = fixtureLines("live.live_chat.json");
    const first = createYtdlpDecoder();
    first(lines[0], 1, ctx);
    expect(message(createYtdlpDecoder()(lines[1], 1, ctx)).t).toBe(0);
    expect(message(decodeYtdlpLine(lines[2], 1, ctx)).t).toBe(0);
  });

  it("accepts bare actions and falls back to arrival time without any timestamp", () => {
    const bare = JSON.stringify({
      addChatItemAction: {
        item: { liveChatTextMessageRenderer: { message: { runs: [{ text: "bare" }] }, authorName: { simpleText: "A" } } },
      },
    });
    expect(message(decodeYtdlpLine(bare, 1, ctx))).toEqual({
      t: 42,
      platform: "youtube",
      channel: "yt",
      userId: "A",
      user: "A",
      text: "bare",
    });
  });
});

describe("decodeYtdlpLine (broken input)", () => {
  const lines = fixtureLines("broken.live_chat.json");

  it("reports garbage, non-objects, empty items and cut lines as errors", () => {
    expect(decodeYtdlpLine(lines[1], 2, ctx)).toMatchObject({ kind: "error", reason: expect.stringContaining("invalid JSON") });
    expect(decodeYtdlpLine(lines[2], 3, ctx)).toEqual({ kind: "error", reason: "expected a JSON object" });
    expect(decodeYtdlpLine(lines[3], 4, ctx)).toEqual({ kind: "error", reason: "addChatItemAction has an empty item" });
    expect(decodeYtdlpLine(lines[4], 5, ctx).kind).toBe("error");
    expect(decodeYtdlpLine({}, 1, ctx)).toEqual({ kind: "error", reason: "expected a line of text" });
  });

  it("copes with odd action lists", () => {
    const wrap = (actions: unknown) => JSON.stringify({ replayChatItemAction: { actions, videoOffsetTimeMsec: "1" } });
    expect(decodeYtdlpLine(wrap([]), 1, ctx)).toEqual({ kind: "skip", reason: "no-actions" });
    expect(decodeYtdlpLine(wrap(["text"]), 1, ctx)).toEqual({ kind: "error", reason: "action is not an object" });
    expect(decodeYtdlpLine(wrap([{ clickTrackingParams: "x" }]), 1, ctx)).toEqual({ kind: "error", reason: "action has no kind" });
    expect(decodeYtdlpLine(wrap([{ addChatItemAction: { item: { liveChatTextMessageRenderer: 5 } } }]), 1, ctx)).toEqual({
      kind: "error",
      reason: "liveChatTextMessageRenderer is not an object",
    });
    expect(decodeYtdlpLine(wrap([{ addBannerToLiveChatCommand: { bannerRenderer: { liveChatBannerRenderer: {} } } }]), 1, ctx)).toEqual({
      kind: "skip",
      reason: "liveChatBannerRenderer",
    });
    expect(decodeYtdlpLine(wrap([{ updateLiveChatPollAction: {} }]), 1, ctx)).toEqual({ kind: "skip", reason: "updateLiveChatPollAction" });
  });

  it("reads emoji runs without shortcuts and odd badges", () => {
    const runs = [
      "not a run",
      { emoji: { emojiId: "UCx/custom", isCustomEmoji: true, image: { accessibility: { accessibilityData: { label: "party" } } } } },
      { emoji: { emojiId: "👍" } },
      { emoji: {} },
      { somethingElse: true },
    ];
    const badges = [
      { liveChatAuthorBadgeRenderer: { tooltip: "Moderator" } },
      { liveChatAuthorBadgeRenderer: { icon: { iconType: "SOMETHING_NEW" } } },
      { liveChatAuthorBadgeRenderer: {} },
      { otherRenderer: {} },
    ];
    const line = JSON.stringify({
      replayChatItemAction: {
        actions: [
          { addChatItemAction: { item: { liveChatTextMessageRenderer: { message: { runs }, authorBadges: badges, authorName: { simpleText: "B" } } } } },
        ],
        videoOffsetTimeMsec: "12.6",
      },
    });
    expect(message(decodeYtdlpLine(line, 1, ctx))).toMatchObject({
      t: 13,
      text: ":party:👍",
      emotes: [
        { name: ":party:", id: "UCx/custom", start: 0, end: 7 },
        { name: "👍", id: "👍", start: 7, end: 9 },
      ],
      badges: ["moderator", "something_new"],
      flags: { moderator: true },
    });
  });
});

describe("currencyOf", () => {
  it("knows common symbols and ISO codes written before or after the amount", () => {
    expect(currencyOf("$5.00")).toBe("USD");
    expect(currencyOf("CA$10.00")).toBe("CAD");
    expect(currencyOf("¥1,000")).toBe("JPY");
    expect(currencyOf("PLN 20.00")).toBe("PLN");
    expect(currencyOf("20,00 SEK")).toBe("SEK");
    expect(currencyOf("??? 5")).toBeUndefined();
    expect(currencyOf("free")).toBeUndefined();
  });
});
