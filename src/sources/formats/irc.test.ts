import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DecodeContext, DecodeResult } from "../decoder.js";
import { createIrcDecoder, decodeIrcLine, parseIrcLine, unescapeTagValue } from "./irc.js";

const FIXTURES = new URL("../../../test/fixtures/sources/irc/", import.meta.url);
const ctx: DecodeContext = { defaultChannel: "logchan", arrivalTime: () => 42, maxMessageLength: 2000 };

function fixtureLines(name: string): string[] {
  return readFileSync(new URL(name, FIXTURES), "utf8").split("\n").map((line) => line.replace(/\r$/, ""));
}

function message(result: DecodeResult) {
  if (result.kind !== "message") throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

describe("decodeIrcLine (text logs)", () => {
  it("reads nicks with rank prefixes, /me lines and log events", () => {
    const decode = createIrcDecoder();
    const results = fixtureLines("chatty.irc").slice(0, 8).map((line, i) => decode(line, i + 1, ctx));
    expect(message(results[0]!)).toEqual({
      t: 0,
      platform: "irc",
      channel: "logchan",
      userId: "nightowl_42",
      user: "NightOwl_42",
      text: "is it midnight yet",
    });
    expect(message(results[1]!)).toMatchObject({ t: 5000, user: "ModPerson", flags: { moderator: true } });
    expect(message(results[2]!)).toMatchObject({ t: 8000, user: "Lurker", text: "waves at everyone" });
    expect(results[3]).toEqual({ kind: "skip", reason: "log-event" });
    expect(message(results[4]!)).toMatchObject({ user: "VoicedUser", text: "happy new day 🎉" });
    expect(message(results[4]!).flags).toBeUndefined();
    expect(message(results[5]!)).toMatchObject({ user: "plainnick" });
    expect(message(results[6]!)).toMatchObject({ user: "Owner", flags: { broadcaster: true } });
    expect(message(results[7]!)).toMatchObject({ user: "HalfOp", flags: { moderator: true } });
  });

  it("adds a day when the clock wraps past midnight, not for small steps back", () => {
    const decode = createIrcDecoder();
    const times = fixtureLines("chatty.irc")
      .slice(0, 8)
      .map((line, i) => decode(line, i + 1, ctx))
      .filter((result) => result.kind === "message")
      .map((result) => message(result).t);
    expect(times).toEqual([0, 5000, 8000, 12000, 15000, 14000, 70000]);
  });

  it("uses the dates of dated logs", () => {
    const decode = createIrcDecoder();
    const times = fixtureLines("dated.irc")
      .slice(0, 3)
      .map((line, i) => message(decode(line, i + 1, ctx)).t);
    expect(times).toEqual([0, 3000, 86_400_000]);
  });

  it("reports lines that are neither log lines nor IRC", () => {
    const lines = fixtureLines("broken.irc");
    expect(decodeIrcLine(lines[1], 2, ctx)).toEqual({ kind: "error", reason: "not an IRC log or protocol line" });
    expect(decodeIrcLine(lines[2], 3, ctx)).toEqual({ kind: "skip", reason: "log-event" });
    expect(decodeIrcLine(lines[3], 4, ctx).kind).toBe("error");
    expect(decodeIrcLine(["x"], 1, ctx)).toEqual({ kind: "error", reason: "expected a line of text" });
    expect(decodeIrcLine("[not a stamp] hello", 1, ctx).kind).toBe("error");
  });
});

describe("decodeIrcLine (raw Twitch IRC)", () => {
  const lines = fixtureLines("twitch-raw.irc");

  it("decodes a tagged PRIVMSG with emotes past an astral character", () => {
    const decode = createIrcDecoder();
    expect(message(decode(lines[3], 4, ctx))).toEqual({
      t: 0,
      ts: 1700000000123,
      id: "3f1c2b9e-0c4d-4a51-9a77-2f3e8b1d6c10",
      platform: "twitch",
      channel: "fixturechannel",
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
    expect(message(decode(lines[4], 5, ctx))).toMatchObject({ t: 2500, paid: { amount: "100 bits", bits: 100 }, flags: { vip: true } });
  });

  it("skips other commands by name", () => {
    const decode = createIrcDecoder();
    expect([0, 1, 2, 5, 6, 10].map((i) => decode(lines[i], i + 1, ctx))).toEqual([
      { kind: "skip", reason: "CAP" },
      { kind: "skip", reason: "001" },
      { kind: "skip", reason: "JOIN" },
      { kind: "skip", reason: "PING" },
      { kind: "skip", reason: "USERNOTICE" },
      { kind: "skip", reason: "CLEARCHAT" },
    ]);
  });

  it("reads broadcaster, first-message, /me and untagged lines", () => {
    const decode = createIrcDecoder();
    expect(message(decode(lines[7], 8, ctx))).toMatchObject({ t: 0, user: "FixtureStreamer", flags: { broadcaster: true } });
    expect(message(decode(lines[8], 9, ctx))).toMatchObject({
      t: 1000,
      user: "brandnew",
      text: "waves hello",
      flags: { firstMessage: true },
    });
    expect(message(decode(lines[9], 10, ctx))).toEqual({
      t: 42,
      platform: "irc",
      channel: "fixturechannel",
      userId: "oldschool",
      user: "oldschool",
      text: "no tags on this one",
    });
  });

  it("takes the log time for raw lines behind a log stamp", () => {
    const decode = createIrcDecoder();
    decode("[10:00:00] <a> first", 1, ctx);
    expect(message(decode(`[10:00:09] ${lines[3]}`, 2, ctx))).toMatchObject({ t: 9000, ts: 1700000000123 });
  });

  it("handles odd PRIVMSG shapes", () => {
    expect(message(decodeIrcLine("PRIVMSG #room hello", 1, ctx))).toMatchObject({ channel: "room", text: "hello", user: "" });
    expect(message(decodeIrcLine(":n!n@h PRIVMSG", 1, ctx))).toMatchObject({ channel: "logchan", text: "" });
    expect(message(decodeIrcLine(":n PRIVMSG #x :\u0001ACTION dances", 1, ctx)).text).toBe("dances");
    const badEmotes = "@emotes=25:0-4,9-99,x/:1-2/7;tmi-sent-ts=abc;bits=0 :n!n@n.tmi.twitch.tv PRIVMSG #x :Kappa";
    expect(message(decodeIrcLine(badEmotes, 1, ctx))).toMatchObject({ t: 42, emotes: [{ name: "Kappa", id: "25", start: 0, end: 5 }] });
    expect(message(decodeIrcLine(badEmotes, 1, ctx)).paid).toBeUndefined();
  });
});

describe("parseIrcLine", () => {
  it("splits tags, prefix, command and parameters", () => {
    expect(parseIrcLine("@a=1;b :nick!u@h PRIVMSG  #chan  :hello  world")).toEqual({
      tags: "a=1;b",
      prefix: "nick!u@h",
      command: "PRIVMSG",
      params: ["#chan", "hello  world"],
    });
    expect(parseIrcLine(":srv 353 me = #chan")).toEqual({ tags: undefined, prefix: "srv", command: "353", params: ["me", "=", "#chan"] });
    expect(parseIrcLine("PING")).toEqual({ tags: undefined, prefix: undefined, command: "PING", params: [] });
  });

  it("rejects what is not IRC", () => {
    expect(parseIrcLine("@tagsonly")).toBeUndefined();
    expect(parseIrcLine(":prefixonly")).toBeUndefined();
    expect(parseIrcLine("Hello there")).toBeUndefined();
    expect(parseIrcLine("HELLO there")).toBeUndefined();
    expect(parseIrcLine(":n lowercase x")).toBeUndefined();
  });
});

describe("unescapeTagValue", () => {
  it("undoes IRCv3 tag escapes", () => {
    expect(unescapeTagValue("is\\sit\\smidnight\\:\\syet\\\\")).toBe("is it midnight; yet\\");
    expect(unescapeTagValue("a\\rb\\nc\\xd")).toBe("a\rb\ncxd");
    expect(unescapeTagValue("trailing\\")).toBe("trailing");
    expect(unescapeTagValue("plain")).toBe("plain");
  });
});
