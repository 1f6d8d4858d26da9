import { readFileSync, readdirSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { DecodeContext, DecodeResult } from "../decoder.js";
import { hostileLine, messageProblems } from "../../../test/helpers/hostile-lines.js";
import { detectFormat } from "../detect.js";
import { createIrcDecoder, decodeIrcLine, parseIrcLine, parseTags, unescapeTagValue } from "./irc.js";

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

describe("decodeIrcLine (Twitch-Chat-Downloader logs)", () => {
  const decodeFile = (name: string) => {
    const decode = createIrcDecoder();
    return fixtureLines(name)
      .filter((line) => line.length > 0)
      .map((line, i) => message(decode(line, i + 1, ctx)));
  };

  it("[#14.13] reads badge symbols as badges, not as part of the name; % is a subscriber, not a half-op", () => {
    const messages = decodeFile("tcd-vod.log");
    expect(messages[0]).toEqual({ t: 50_000, platform: "twitch", channel: "logchan", userId: "cheerfan", user: "CheerFan", text: "first cheer of the day", badges: ["bits"] });
    expect(messages.slice(1, 9).map((m) => [m.user, m.badges, m.flags])).toEqual([
      ["SubPerson", ["subscriber"], { subscriber: true }],
      ["ModPerson", ["moderator"], { moderator: true }],
      ["StreamerName", ["broadcaster"], { broadcaster: true }],
      ["plainviewer", undefined, undefined],
      ["ActionUser", undefined, undefined],
      ["VipFriend", ["vip"], { vip: true }],
      ["PrimeUser", undefined, undefined],
      ["ユーザー", undefined, undefined],
    ]);
    expect(messages[5]?.text).toBe("waves at chat");
    expect(messages.filter((m) => m.flags?.moderator === true).map((m) => m.user)).toEqual(["ModPerson"]);
  });

  it("[#14.13] takes the VOD offset as stream time, past a day and with the fork's milliseconds", () => {
    expect(decodeFile("tcd-vod.log").map((m) => m.t)).toEqual([
      50_000, 52_000, 55_000, 60_000, 63_000, 65_000, 67_000, 69_000, 70_000, 3_600_000, 86_399_000, 86_405_000,
    ]);
    const fork = decodeFile("tcd-fork-vod.log");
    expect(fork.map((m) => m.t)).toEqual([50_123, 3_599_999, 3_600_000, 86_399_500, 86_401_000]);
    expect(fork[0]).toMatchObject({ user: "SubMod", badges: ["moderator", "subscriber"], flags: { moderator: true, subscriber: true } });
    expect(fork[1]).toMatchObject({ user: "FounderFan", badges: ["founder"], flags: { subscriber: true } });
  });

  it("[#14.13] detects the fork's millisecond stamps as an IRC log", () => {
    expect(detectFormat(fixtureLines("tcd-fork-vod.log").join("\n"), "chat.txt")).toBe("irc");
    expect(detectFormat(fixtureLines("tcd-vod.log").join("\n"), "chat.txt")).toBe("irc");
  });

  it("keeps an IRC client's ranks: a two-digit clock is a client log, where % is a half-op", () => {
    const decode = createIrcDecoder();
    expect(message(decode("[09:00:00] <%HalfOp> hi", 1, ctx))).toMatchObject({ t: 0, platform: "irc", user: "HalfOp", flags: { moderator: true } });
    expect(message(decode("[09:00:05] <$odd> a symbol an IRC client never writes stays in the nick", 2, ctx))).toMatchObject({ t: 5000, user: "$odd" });
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

  it("gives undefined only without a command, or for one that is neither letters nor a numeric", () => {
    expect(parseIrcLine("@tagsonly")).toBeUndefined();
    expect(parseIrcLine(":prefixonly")).toBeUndefined();
    expect(parseIrcLine("")).toBeUndefined();
    expect(parseIrcLine("@a=1 :src")).toBeUndefined();
    expect(parseIrcLine("h\u00e9llo there")).toBeUndefined();
    expect(parseIrcLine(":n 12 x")).toBeUndefined();
    expect(parseIrcLine(":n 1234 x")).toBeUndefined();
    expect(parseIrcLine("Hello there")).toEqual({ tags: undefined, prefix: undefined, command: "Hello", params: ["there"] });
    expect(parseIrcLine("@;;a=1; x")).toMatchObject({ tags: ";;a=1;", command: "x" });
    expect([...parseTags(";;a=1;")]).toEqual([["a", "1"]]);
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

interface SplitVector {
  input: string;
  atoms: { tags?: Record<string, string | null>; source?: string; verb: string; params?: string[] };
}

/** Cases in the vendored file; a different count means the file was edited or truncated. */
const VECTOR_COUNT = 35;

/** The vendored ircdocs/parser-tests file, checked for the shape this test relies on before it is walked. */
function splitVectors(): SplitVector[] {
  const doc: unknown = parseYaml(readFileSync(new URL("../../../test/fixtures/irc-parser-tests/msg-split.yaml", import.meta.url), "utf8"));
  const tests = (doc as { tests?: unknown }).tests;
  if (!Array.isArray(tests)) throw new Error("msg-split.yaml: no tests list");
  for (const test of tests as unknown[]) {
    const t = test as Partial<SplitVector> | null;
    if (typeof t?.input !== "string" || typeof t.atoms?.verb !== "string") throw new Error(`msg-split.yaml: bad case ${JSON.stringify(test)}`);
  }
  return tests as SplitVector[];
}

describe("parseIrcLine against the IRCv3 parser test vectors (ircdocs/parser-tests msg-split.yaml)", () => {
  it("[#14.18] splits every case as the vectors say: tags (escapes, duplicates), source, verb as written, params", () => {
    const vectors = splitVectors();
    expect(vectors.length).toBe(VECTOR_COUNT);
    for (const { input, atoms } of vectors) {
      const line = parseIrcLine(input);
      const expectedTags = atoms.tags === undefined ? undefined : Object.fromEntries(Object.entries(atoms.tags).map(([k, v]) => [k, v ?? ""]));
      expect.soft(
        line && { tags: line.tags === undefined ? undefined : Object.fromEntries(parseTags(line.tags)), source: line.prefix, verb: line.command, params: line.params },
        JSON.stringify(input),
      ).toEqual({ tags: expectedTags, source: atoms.source, verb: atoms.verb, params: atoms.params ?? [] });
    }
  });
});

describe("lenient IRC lines", () => {
  it("[#14.18] decodes lowercase verbs and lines without a source", () => {
    expect(message(decodeIrcLine(":n!n@host privmsg #room :hi there", 1, ctx))).toMatchObject({ channel: "room", user: "n", text: "hi there" });
    expect(message(decodeIrcLine("@id=x1;display-name=Tagged privmsg #room :tagged, no source", 1, ctx))).toMatchObject({ id: "x1", user: "Tagged", text: "tagged, no source" });
    expect(decodeIrcLine(":tmi.twitch.tv usernotice #room", 1, ctx)).toEqual({ kind: "skip", reason: "USERNOTICE" });
    expect(decodeIrcLine("USERNOTICE #room :bare", 1, ctx)).toEqual({ kind: "skip", reason: "USERNOTICE" });
  });

  it("still refuses plain text that only looks like a verb", () => {
    expect(decodeIrcLine("Hello there everyone", 1, ctx)).toEqual({ kind: "error", reason: "not an IRC log or protocol line" });
    expect(decodeIrcLine("Nick left the room", 1, ctx)).toEqual({ kind: "error", reason: "not an IRC log or protocol line" });
    expect(decodeIrcLine("[12:00:00] Topic changed by someone", 1, ctx)).toEqual({ kind: "skip", reason: "log-event" });
  });
});

/** Every line of every IRC fixture (logs of both dialects, raw captures, the live Twitch session). */
const REAL_LINES = [
  ...readdirSync(FIXTURES).flatMap((name) => fixtureLines(name)),
  ...readFileSync(new URL("../../../test/fixtures/live/twitch/session.irc", import.meta.url), "utf8").split("\n"),
].filter((line) => line.length > 0);

function resultProblems(result: DecodeResult): string[] {
  if (result.kind === "message") return messageProblems(result.message);
  return (result.kind === "skip" || result.kind === "error") && typeof result.reason === "string" && result.reason.length > 0 ? [] : [`result ${JSON.stringify(result)}`];
}

const MB = 1 << 20;
/** Lines of 1 MB built to hit each loop and pattern of the decoder at its worst. */
const HUGE_LINES = [
  `[12:00:00] <${"@".repeat(MB)}`,
  `[12:00:00] * ${"@".repeat(MB)}x`,
  `[0:00:01] <${"%".repeat(MB)}`,
  `[0:00:01] *${"a".repeat(MB)}`,
  `[${"1".repeat(MB)}`,
  `@${"a=\\".repeat(MB / 3)} :n!n@n PRIVMSG #c :x`,
  `@emotes=${"25:0-4,".repeat(MB / 7)} :n!n@n PRIVMSG #c :Kappa`,
  `:n PRIVMSG #c :${"x ".repeat(MB / 2)}`,
  "a ".repeat(MB / 2),
  " ".repeat(MB),
];

describe("IRC parsing over hostile input", () => {
  it("[#14.prop] parseIrcLine and decodeIrcLine never throw, always give a message, skip or error, and are deterministic", () => {
    fc.assert(
      fc.property(fc.array(hostileLine(REAL_LINES), { minLength: 1, maxLength: 12 }), (lines) => {
        const run = (): DecodeResult[] => {
          const decode = createIrcDecoder();
          return lines.map((line, i) => {
            const parsed = parseIrcLine(line);
            if (parsed !== undefined) expect(typeof parsed.command).toBe("string");
            return decode(line, i + 1, ctx);
          });
        };
        const first = run();
        for (const result of first) expect(resultProblems(result)).toEqual([]);
        expect(run()).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it("[#14.prop] a line of 1 MB is decoded (every loop and pattern is linear in the line)", () => {
    const decode = createIrcDecoder();
    for (const [i, line] of HUGE_LINES.entries()) {
      parseIrcLine(line);
      expect(resultProblems(decode(line, i + 1, { ...ctx, maxMessageLength: MB }))).toEqual([]);
    }
  });

  const noSpace = (s: string): string => s.replace(/[ \r\n\0]/g, "_");
  const message = fc.record({
    tags: fc.array(fc.tuple(fc.stringMatching(/^\+?(?:[a-z0-9.-]{1,10}\/)?[A-Za-z0-9-]{1,12}$/), fc.string({ unit: "binary", maxLength: 20 }), fc.boolean()), { maxLength: 6 }),
    source: fc.option(fc.string({ unit: "binary", minLength: 1, maxLength: 30 }).map(noSpace), { nil: undefined }),
    verb: fc.oneof(fc.stringMatching(/^[A-Za-z]{1,12}$/), fc.stringMatching(/^\d{3}$/)),
    middles: fc.array(
      fc.string({ unit: "binary", minLength: 1, maxLength: 15 }).map((s) => (s.startsWith(":") ? `x${noSpace(s)}` : noSpace(s))),
      { maxLength: 8 },
    ),
    trailing: fc.option(fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replace(/[\r\n\0]/g, "_")), { nil: undefined }),
    gap: fc.constantFrom(" ", "  ", "   "),
  });
  const ESCAPES = new Map([["\\", "\\\\"], [";", "\\:"], [" ", "\\s"], ["\r", "\\r"], ["\n", "\\n"]]);

  it("[#14.prop] a valid message (tags, source, verb, params) serialized and parsed back is the same message", () => {
    fc.assert(
      fc.property(message, ({ tags, source, verb, middles, trailing, gap }) => {
        const written = tags.map(([key, value, bare]) =>
          value === "" && bare ? key : `${key}=${value.replace(/[\\; \r\n]/g, (c) => ESCAPES.get(c) ?? c)}`,
        );
        const line =
          (tags.length > 0 ? `@${written.join(";")}${gap}` : "") +
          (source !== undefined ? `:${source}${gap}` : "") +
          verb +
          middles.map((p) => gap + p).join("") +
          (trailing !== undefined ? `${gap}:${trailing}` : "");
        const parsed = parseIrcLine(line);
        expect(parsed && { tags: parsed.tags === undefined ? undefined : parseTags(parsed.tags), source: parsed.prefix, verb: parsed.command, params: parsed.params }).toEqual({
          tags: tags.length > 0 ? new Map(tags.map(([key, value]) => [key, value])) : undefined,
          source,
          verb,
          params: trailing === undefined ? middles : [...middles, trailing],
        });
      }),
      { numRuns: 500 },
    );
  });
});
