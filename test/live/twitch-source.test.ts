import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import type { ChatEvent } from "../../src/core/event.js";
import type { ChatMessage } from "../../src/core/message.js";
import { RateLimiter, backoffDelay } from "../../src/sources/live/backoff.js";
import { createTwitchLineContext, interpretTwitchLine, type TwitchLine } from "../../src/sources/live/twitch/twitch-irc.js";
import { TwitchSource, parseTwitchChannels, twitchChannelName } from "../../src/sources/live/twitch/twitch-source.js";
import { eventProblems, hostileLine, messageProblems } from "../helpers/hostile-lines.js";
import { FakeIrcServer, until } from "./helpers/fake-irc-server.js";

const SESSION = readFileSync(new URL("../fixtures/live/twitch/session.irc", import.meta.url), "utf8").trim().split("\n");
const line = (i: number): string => SESSION[i] as string;

function collect(source: TwitchSource): { messages: ChatMessage[]; events: ChatEvent[]; done: Promise<void> } {
  const messages: ChatMessage[] = [];
  const events: ChatEvent[] = [];
  source.onEvent((e) => events.push(e));
  const done = (async () => {
    for await (const batch of source.batches()) messages.push(...batch);
  })();
  return { messages, events, done };
}

const servers: FakeIrcServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe("Twitch IRC lines", () => {
  it("parses tags: id, user id, display name, badges, emotes, bits, first message, reply parent", () => {
    const ctx = createTwitchLineContext(500);
    ctx.t = 1234;
    const first = interpretTwitchLine(line(0), ctx);
    expect(first).toMatchObject({
      kind: "message",
      message: {
        id: "7b1c1e0a-0001-4a4b-9d36-3f1f0b2a0001",
        t: 1234,
        ts: 1764280800000,
        platform: "twitch",
        channel: "quietcove",
        userId: "51000001",
        user: "PixelPanda",
        text: "what a Kappa play",
        emotes: [{ name: "Kappa", id: "25", start: 7, end: 12 }],
        badges: ["subscriber/12", "premium/1"],
        flags: { subscriber: true },
      },
    });
    const reply = interpretTwitchLine(line(1), ctx);
    expect(reply).toMatchObject({ kind: "message", message: { replyTo: "7b1c1e0a-0001-4a4b-9d36-3f1f0b2a0001", flags: { firstMessage: true } } });
    const cheer = interpretTwitchLine(line(2), ctx);
    expect(cheer).toMatchObject({ kind: "message", message: { paid: { bits: 100 }, flags: { moderator: true } } });
    const resub = interpretTwitchLine(line(3), ctx);
    expect(resub).toEqual({
      kind: "event",
      event: {
        kind: "resub",
        t: 1234,
        ts: 1764280803000,
        platform: "twitch",
        channel: "quietcove",
        user: "LoyalOtter",
        id: "9c2d0000-0001-4e5f-8a9b-000000000001",
        text: "three months already",
        count: 3,
        amount: "tier 1",
      },
    });
  });

  it("maps raids, gifts and control lines", () => {
    const ctx = createTwitchLineContext(500);
    const raid = interpretTwitchLine(
      "@display-name=BigRaider;id=r1;login=bigraider;msg-id=raid;msg-param-viewerCount=420;system-msg=420\\sraiders\\sfrom\\sBigRaider :tmi.twitch.tv USERNOTICE #quietcove",
      ctx,
    );
    expect(raid).toMatchObject({ kind: "event", event: { kind: "raid", count: 420, text: "420 raiders from BigRaider" } });
    const gift = interpretTwitchLine("@login=ananas;msg-id=submysterygift;msg-param-mass-gift-count=5;msg-param-sub-plan=Prime :tmi.twitch.tv USERNOTICE #quietcove", ctx);
    expect(gift).toMatchObject({ kind: "event", event: { kind: "gift", user: "ananas", count: 5, amount: "Prime" } });
    expect(interpretTwitchLine("@msg-id=bitsbadgetier :tmi.twitch.tv USERNOTICE #x", ctx)).toMatchObject({ event: { kind: "other", user: "anonymous" } });
    expect(interpretTwitchLine("PING :tmi.twitch.tv", ctx)).toEqual({ kind: "ping", token: "tmi.twitch.tv" });
    expect(interpretTwitchLine(":tmi.twitch.tv RECONNECT", ctx)).toEqual({ kind: "reconnect" });
    expect(interpretTwitchLine(":tmi.twitch.tv 001 justinfan1 :Welcome", ctx)).toEqual({ kind: "welcome" });
    expect(interpretTwitchLine(":a!a@a.tmi.twitch.tv JOIN #chan", ctx)).toEqual({ kind: "join", channel: "chan" });
    expect(interpretTwitchLine(":tmi.twitch.tv NOTICE * :Login authentication failed", ctx)).toMatchObject({ kind: "auth-failed" });
    expect(interpretTwitchLine("@msg-id=slow_on :tmi.twitch.tv NOTICE #x :This room is now in slow mode.", ctx)).toEqual({ kind: "other", command: "NOTICE" });
    expect(interpretTwitchLine(":tmi.twitch.tv CLEARCHAT #x", ctx)).toEqual({ kind: "other", command: "CLEARCHAT" });
    expect(interpretTwitchLine(":only-a-source", ctx)).toEqual({ kind: "other", command: "?" });
    expect(interpretTwitchLine("garbage", ctx)).toEqual({ kind: "other", command: "GARBAGE" });
  });

  it("[#14.17] maps every USERNOTICE msg-id Twitch documents; an unknown or prototype-named one is other", () => {
    const ctx = createTwitchLineContext(500);
    const notice = (tags: string, text = ""): unknown => {
      const line = interpretTwitchLine(`@${tags} :tmi.twitch.tv USERNOTICE #quietcove${text ? ` :${text}` : ""}`, ctx);
      if (line.kind !== "event") return line;
      const { kind, user, count, amount } = line.event;
      return { kind, user, count, amount };
    };
    expect(notice("display-name=Upgrader;msg-id=anongiftpaidupgrade;msg-param-promo-gift-total=0")).toEqual({ kind: "sub", user: "Upgrader", count: undefined, amount: undefined });
    expect(notice("display-name=Upgrader;msg-id=giftpaidupgrade;msg-param-sender-login=giver")).toMatchObject({ kind: "sub", user: "Upgrader" });
    expect(notice("display-name=PrimeFan;msg-id=primepaidupgrade;msg-param-sub-plan=1000")).toMatchObject({ kind: "sub", amount: "tier 1" });
    expect(notice("display-name=New;msg-id=sub;msg-param-cumulative-months=1;msg-param-sub-plan=Prime")).toEqual({ kind: "sub", user: "New", count: 1, amount: "Prime" });
    expect(notice("display-name=Old;msg-id=resub;msg-param-cumulative-months=14;msg-param-sub-plan=3000", "hi")).toEqual({ kind: "resub", user: "Old", count: 14, amount: "tier 3" });
    expect(notice("display-name=Giver;msg-id=subgift;msg-param-recipient-display-name=Lucky;msg-param-sub-plan=2000")).toEqual({ kind: "gift", user: "Giver", count: 1, amount: "tier 2" });
    expect(notice("display-name=AnAnonymousGifter;msg-id=anonsubgift;msg-param-sub-plan=1000")).toMatchObject({ kind: "gift", count: 1 });
    expect(notice("display-name=Bomber;msg-id=submysterygift;msg-param-mass-gift-count=20;msg-param-sub-plan=1000")).toMatchObject({ kind: "gift", user: "Bomber", count: 20 });
    expect(notice("msg-id=anonsubmysterygift;msg-param-mass-gift-count=3")).toMatchObject({ kind: "gift", user: "anonymous", count: 3 });
    expect(notice("display-name=Cheerer;msg-id=rewardgift;msg-param-selected-count=5;msg-param-trigger-type=CHEER")).toMatchObject({ kind: "gift", count: 5 });
    expect(notice("display-name=Raider;msg-id=raid;msg-param-viewerCount=77")).toMatchObject({ kind: "raid", count: 77 });
    expect(notice("display-name=Mod;msg-id=announcement;msg-param-color=PRIMARY", "read the rules")).toMatchObject({ kind: "announcement" });
    expect(notice("display-name=Kind;msg-id=charitydonation;msg-param-donation-amount=500;msg-param-exponent=2;msg-param-donation-currency=USD")).toMatchObject({ kind: "paid", amount: "5.00 USD" });
    expect(notice("display-name=Watcher;msg-id=viewermilestone;msg-param-category=watch-streak;msg-param-value=7")).toMatchObject({ kind: "other", count: 7 });
    for (const msgId of ["unraid", "bitsbadgetier", "sharedchatnotice", "communitypayforward", "standardpayforward", "ritual", "somethingnew", "constructor", "__proto__", "toString"]) {
      expect(notice(`display-name=X;msg-id=${msgId};msg-param-sub-plan=constructor`), msgId).toEqual({ kind: "other", user: "X", count: undefined, amount: undefined });
    }
  });

  it("[#14.17] counts a mass gift once: its per-recipient subgift notices are not events of their own", () => {
    const ctx = createTwitchLineContext(500);
    const bomb = "@display-name=Bomber;msg-id=submysterygift;msg-param-community-gift-id=555;msg-param-mass-gift-count=2 :tmi.twitch.tv USERNOTICE #q";
    const each = (n: number): string =>
      `@display-name=Bomber;msg-id=subgift;msg-param-community-gift-id=555;msg-param-recipient-display-name=R${n} :tmi.twitch.tv USERNOTICE #q`;
    const lines = [each(1), bomb, each(2)].map((raw) => interpretTwitchLine(raw, ctx));
    expect(lines.map((l) => (l.kind === "event" ? [l.event.kind, l.event.count] : l.kind))).toEqual(["other", ["gift", 2], "other"]);
    const direct = interpretTwitchLine("@display-name=Giver;msg-id=subgift;msg-param-recipient-display-name=Lucky :tmi.twitch.tv USERNOTICE #q", ctx);
    expect(direct).toMatchObject({ kind: "event", event: { kind: "gift", count: 1 } });
  });

  it("[#14.18] understands lowercase verbs and lines without a source", () => {
    const ctx = createTwitchLineContext(500);
    expect(interpretTwitchLine("ping :tmi.twitch.tv", ctx)).toEqual({ kind: "ping", token: "tmi.twitch.tv" });
    expect(interpretTwitchLine(":tmi.twitch.tv reconnect", ctx)).toEqual({ kind: "reconnect" });
    expect(interpretTwitchLine("@msg-id=raid;display-name=R;msg-param-viewerCount=3 usernotice #q", ctx)).toMatchObject({ kind: "event", event: { kind: "raid", count: 3 } });
    expect(interpretTwitchLine(":a!a@a.tmi.twitch.tv privmsg #q :lower case", ctx)).toMatchObject({ kind: "message", message: { channel: "q", text: "lower case" } });
  });

  it("normalizes channel names", () => {
    expect(twitchChannelName("https://www.twitch.tv/SomeOne?x=1")).toBe("someone");
    expect(parseTwitchChannels("#A, b,,a")).toEqual(["a", "b"]);
  });
});

describe("backoff and rate limits", () => {
  it("doubles up to the cap with bounded jitter", () => {
    const p = { baseMs: 1000, maxMs: 8000, jitter: 0.5 };
    expect(backoffDelay(0, p, () => 0)).toBe(500);
    expect(backoffDelay(0, p, () => 0.999999)).toBe(1000);
    expect(backoffDelay(3, p, () => 1)).toBe(8000);
    expect(backoffDelay(10, p, () => 0)).toBe(4000);
  });

  it("spaces actions to `limit` per window", () => {
    const r = new RateLimiter(2, 10_000);
    expect([r.next(0), r.next(0), r.next(0), r.next(0), r.next(0)]).toEqual([0, 0, 10_000, 10_000, 20_000]);
    expect(r.next(50_000)).toBe(50_000);
  });
});

describe("TwitchSource against a loopback IRC server", () => {
  it("logs in anonymously, survives PING, RECONNECT and a dropped connection without duplicates", async () => {
    const server = new FakeIrcServer();
    servers.push(server);
    const url = await server.listen();
    const clock = new VirtualClock(0);
    const source = new TwitchSource({ channels: ["QuietCove"], url, clock, random: () => 0.5, backoff: { baseMs: 1000, maxMs: 30_000, jitter: 0.5 } });
    const first = server.nextPeer();
    const got = collect(source);
    expect(source.status().state).toBe("connecting");

    // Connection 1: handshake, chat, an event, a PING, then the server asks us to reconnect.
    const p1 = await first;
    await p1.waitFor(/^JOIN #quietcove$/);
    expect(p1.received[0]).toBe("CAP REQ :twitch.tv/tags twitch.tv/commands");
    expect(p1.received.some((l) => /^NICK justinfan\d+$/.test(l))).toBe(true);
    expect(p1.received.some((l) => l.startsWith("PASS"))).toBe(false);
    expect(source.status().state).toBe("connected");
    p1.send(line(0), line(1), line(3), "PING :tmi.twitch.tv");
    await p1.waitFor(/^PONG :tmi\.twitch\.tv$/);
    const second = server.nextPeer();
    p1.send(line(2), ":tmi.twitch.tv RECONNECT");

    // Connection 2 (immediately, no backoff): the server replays the last message, sends one more, then drops.
    const p2 = await second;
    await p2.waitFor(/^JOIN #quietcove$/);
    const third = server.nextPeer();
    p2.send(line(2), line(3), line(0).replace(/0001;mod/, "0004;mod").replace("what a Kappa play", "back again Kappa"));
    await until(() => got.messages.length === 4);
    p2.drop();

    // The drop waits for the backoff on the (virtual) clock: 1000 ms × (0.5 + 0.5 × 0.5) = 750 ms.
    await until(() => source.status().state === "reconnecting" && clock.pending > 0);
    expect(server.peers.length).toBe(2);
    await clock.advanceBy(749);
    expect(server.peers.length).toBe(2);
    await clock.advanceBy(1);
    const p3 = await third;
    await p3.waitFor(/^JOIN #quietcove$/);
    p3.send("@display-name=BigRaider;id=r1;msg-id=raid;msg-param-viewerCount=42 :tmi.twitch.tv USERNOTICE #quietcove", line(1));
    await until(() => got.events.length === 2);

    const status = source.status();
    expect(status).toMatchObject({ state: "connected", reconnects: 2, messages: 4, events: 2, platform: "twitch", channels: ["quietcove"] });
    expect(status.lastMessageAt).toBe(750);
    await source.stop();
    await got.done;
    expect(source.status().state).toBe("closed");
    expect(got.messages.map((m) => m.id?.slice(-4))).toEqual(["0001", "0002", "0003", "0004"]);
    expect(got.messages.map((m) => m.t)).toEqual([0, 0, 0, 0]);
    expect(got.events.map((e) => e.kind)).toEqual(["resub", "raid"]);
  });

  it("sends PASS/NICK with a token and keeps JOINs within the rate limit", async () => {
    const server = new FakeIrcServer();
    servers.push(server);
    const url = await server.listen();
    const clock = new VirtualClock(0);
    const channels = Array.from({ length: 5 }, (_, i) => `chan${i}`);
    const source = new TwitchSource({ channels, url, clock, token: "abc123", nick: "MyBot", joinLimit: { joins: 3, windowMs: 10_000 } }).start();
    const peer = await server.nextPeer();
    await peer.waitFor(/^JOIN #chan2$/);
    expect(peer.received).toContain("PASS oauth:abc123");
    expect(peer.received).toContain("NICK mybot");
    await until(() => clock.pending > 0);
    expect(peer.received.filter((l) => l.startsWith("JOIN"))).toHaveLength(3);
    await clock.advanceTo(10_000);
    await peer.waitFor(/^JOIN #chan4$/);
    await source.stop();
  });

  it("ends with an error on a failed login, and gives up after maxAttempts", async () => {
    const server = new FakeIrcServer((peer) => peer.send(":tmi.twitch.tv NOTICE * :Login authentication failed"));
    servers.push(server);
    const url = await server.listen();
    const bad = new TwitchSource({ channels: ["x"], url, clock: new VirtualClock(0), token: "nope", nick: "me" });
    await expect(collect(bad).done).rejects.toThrow(/authentication failed/);
    expect(bad.status()).toMatchObject({ state: "closed", lastError: "Login authentication failed" });

    const closed = new FakeIrcServer();
    const deadUrl = await closed.listen();
    await closed.close();
    const clock = new VirtualClock(0, true);
    const gone = new TwitchSource({ channels: ["x"], url: deadUrl, clock, maxAttempts: 2 });
    await expect(collect(gone).done).rejects.toThrow(/gave up after 2/);
    expect(gone.status().reconnects).toBe(3);

    const wrong = new TwitchSource({ channels: ["x"], url: "http://example.invalid/", clock });
    await expect(collect(wrong).done).rejects.toThrow(/unsupported chat URL/);
  });
});

describe("TwitchSource watchdog", () => {
  it("pings an idle connection and reconnects when the ping goes unanswered", async () => {
    const server = new FakeIrcServer();
    servers.push(server);
    const url = await server.listen();
    const clock = new VirtualClock(0);
    const source = new TwitchSource({ channels: ["x"], url, clock, random: () => 0, watchdog: { idleMs: 60_000, pongTimeoutMs: 5_000 } }).start();
    const p1 = await server.nextPeer();
    await p1.waitFor(/^JOIN #x$/);
    // A line at 30 s pushes the idle deadline to 90 s.
    await clock.advanceTo(30_000);
    p1.send("PING :tmi.twitch.tv");
    await p1.waitFor(/^PONG/);
    await clock.advanceTo(60_000);
    expect(p1.received).not.toContain("PING :chatstream");
    await clock.advanceTo(90_000);
    await p1.waitFor(/^PING :chatstream$/);
    // Answered: the connection stays.
    p1.send(":tmi.twitch.tv PONG tmi.twitch.tv :chatstream", "PING :sync-1");
    await p1.waitFor(/^PONG :sync-1$/);
    await clock.advanceTo(95_000);
    expect(server.peers).toHaveLength(1);
    expect(source.status().state).toBe("connected");
    // Next idle period (from 90 s): no answer → the reader drops the connection and reconnects (backoff 500 ms with random 0).
    await clock.advanceTo(150_000);
    await until(() => p1.received.filter((l) => l === "PING :chatstream").length === 2);
    const second = server.nextPeer();
    await clock.advanceTo(155_000);
    await until(() => source.status().state === "reconnecting");
    expect(source.status().lastError).toBe("no answer to PING");
    await clock.advanceTo(155_500);
    await second;
    expect(source.status().reconnects).toBe(1);
    await source.stop();
  });
});

const LINE_KINDS = new Set(["message", "event", "ping", "reconnect", "welcome", "join", "auth-failed", "other"]);
const MB = 1 << 20;

function lineProblems(line: TwitchLine): string[] {
  if (!LINE_KINDS.has(line.kind)) return [`kind ${line.kind}`];
  if (line.kind === "message") return messageProblems(line.message);
  if (line.kind === "event") return eventProblems(line.event);
  return [];
}

describe("Twitch line handler over hostile input", () => {
  const seeds = [
    ...SESSION,
    ...readFileSync(new URL("../fixtures/sources/irc/twitch-raw.irc", import.meta.url), "utf8").trim().split("\n"),
    "@msg-id=submysterygift;msg-param-mass-gift-count=5;msg-param-community-gift-id=1 :tmi.twitch.tv USERNOTICE #q",
    "@msg-id=charitydonation;msg-param-donation-amount=500;msg-param-exponent=2;msg-param-donation-currency=USD :tmi.twitch.tv USERNOTICE #q",
  ];

  const msgIds = ["sub", "resub", "subgift", "anonsubgift", "submysterygift", "anonsubmysterygift", "giftpaidupgrade", "anongiftpaidupgrade", "primepaidupgrade", "rewardgift", "raid", "unraid", "announcement", "charitydonation", "viewermilestone", "bitsbadgetier", "sharedchatnotice", "constructor", "__proto__", "hasOwnProperty", ""];
  const tagNames = ["display-name", "login", "id", "tmi-sent-ts", "msg-param-cumulative-months", "msg-param-mass-gift-count", "msg-param-community-gift-id", "msg-param-viewerCount", "msg-param-selected-count", "msg-param-value", "msg-param-sub-plan", "msg-param-donation-amount", "msg-param-exponent", "msg-param-donation-currency", "system-msg", "emotes", "badges", "bits"];
  const tagValue = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("-1", "0", "1.5", "1e400", "9007199254740993", "Prime", "1000", "constructor", "NaN", "25:0-4,3-1,x-y"));
  /** USERNOTICEs and PRIVMSGs whose tags are the ones the handler reads, holding anything. */
  const tagged = fc
    .record({ msgId: fc.constantFrom(...msgIds), tags: fc.dictionary(fc.constantFrom(...tagNames), tagValue), verb: fc.constantFrom("USERNOTICE", "PRIVMSG", "usernotice"), text: fc.option(fc.string({ maxLength: 20 })) })
    .map(({ msgId, tags, verb, text }) => {
      const written = Object.entries(tags).map(([k, v]) => `${k}=${v.replace(/[\\; \r\n]/g, "_")}`);
      return `@msg-id=${msgId};${written.join(";")} :u!u@u.tmi.twitch.tv ${verb} #q${text === null ? "" : ` :${text}`}`;
    });

  it("[#14.prop] never throws, always gives a known line kind with valid messages and events, deterministically", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostileLine(seeds), tagged), { minLength: 1, maxLength: 12 }), fc.nat({ max: 1e9 }), (lines, t) => {
        const run = (): TwitchLine[] => {
          const ctx = createTwitchLineContext(500);
          ctx.t = t;
          return lines.map((raw) => interpretTwitchLine(raw, ctx));
        };
        const first = run();
        for (const line of first) expect(lineProblems(line)).toEqual([]);
        expect(run()).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it("[#14.prop] a line of 1 MB is handled", () => {
    const ctx = createTwitchLineContext(500);
    const huge = [
      `@emotes=${"25:0-4,".repeat(MB / 7)};id=x :n!n@n.tmi.twitch.tv PRIVMSG #c :${"Kappa ".repeat(MB / 6)}`,
      `@msg-id=resub;system-msg=${"\\s".repeat(MB / 2)} :tmi.twitch.tv USERNOTICE #c :${"x".repeat(MB)}`,
      `@${"k=v;".repeat(MB / 4)} :tmi.twitch.tv NOTICE #c :${"authentication ".repeat(MB / 15)}`,
      `PING :${"p".repeat(MB)}`,
      ":".repeat(MB),
    ];
    for (const raw of huge) expect(lineProblems(interpretTwitchLine(raw, ctx))).toEqual([]);
  });
});
