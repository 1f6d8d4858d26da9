import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { VirtualClock } from "../../src/core/clock.js";
import type { ChatEvent } from "../../src/core/event.js";
import type { ChatMessage } from "../../src/core/message.js";
import { SubscriptionEchoFilter, interpretKickFrame, kickText, parseChannelInfo, type KickFrame } from "../../src/sources/live/kick/kick-chat.js";
import { KickSource, kickChannelSlug } from "../../src/sources/live/kick/kick-source.js";
import { eventProblems, hostileLine, messageProblems, mutatedLine } from "../helpers/hostile-lines.js";
import { until } from "./helpers/fake-irc-server.js";
import { FakeHttpServer, json } from "./helpers/fake-http-server.js";

const FRAMES = readFileSync(new URL("../fixtures/live/kick/frames.jsonl", import.meta.url), "utf8").trim().split("\n");
const CHANNEL = readFileSync(new URL("../fixtures/live/kick/channel.json", import.meta.url), "utf8");
const frame = (i: number): string => FRAMES[i] as string;

/** A loopback Pusher endpoint: each connection is handed to the test, which sees what the client sent. */
class FakePusher {
  readonly wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  readonly peers: { ws: WebSocket; received: string[] }[] = [];

  url(): string {
    const address = this.wss.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    return `ws://127.0.0.1:${address.port}/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false`;
  }

  constructor() {
    this.wss.on("connection", (ws) => {
      const peer = { ws, received: [] as string[] };
      ws.on("message", (d: Buffer) => peer.received.push(d.toString()));
      this.peers.push(peer);
      ws.send(frame(0));
    });
  }

  close(): Promise<void> {
    for (const p of this.peers) p.ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe("Kick frames", () => {
  it("decodes chat (emotes, badges, replies), subs, gifts, hosts and control frames", () => {
    expect(kickText("a [emote:1:KEK] b")).toEqual({ text: "a KEK b", emotes: [{ name: "KEK", id: "1", start: 2, end: 5 }] });
    expect(interpretKickFrame(frame(2), "quietcove", 5)).toMatchObject({
      kind: "message",
      message: {
        id: "9a1b2c3d-0001-4e5f-8000-000000000001",
        t: 5,
        ts: Date.parse("2026-11-27T22:00:01Z"),
        platform: "kick",
        channel: "quietcove",
        userId: "4100001",
        user: "Rafa_77",
        text: "let's go KEKLEO POGGIES",
        emotes: [
          { name: "KEKLEO", id: "37226", start: 9, end: 15 },
          { name: "POGGIES", id: "37227", start: 16, end: 23 },
        ],
        badges: ["subscriber/3"],
        flags: { subscriber: true },
      },
    });
    expect(interpretKickFrame(frame(3), "q", 0)).toMatchObject({ message: { replyTo: "9a1b2c3d-0001-4e5f-8000-000000000001", flags: { moderator: true } } });
    expect(interpretKickFrame(frame(4), "q", 0)).toEqual({ kind: "event", event: { kind: "sub", t: 0, platform: "kick", channel: "q", user: "NewSub", count: 1 } });
    expect(interpretKickFrame(frame(6), "q", 0)).toMatchObject({ event: { kind: "gift", user: "BigGifter", count: 3 } });
    expect(interpretKickFrame(frame(7), "q", 0)).toMatchObject({ event: { kind: "raid", user: "FriendlyHost", count: 77 } });
    expect(interpretKickFrame('{"event":"pusher:ping","data":{}}', "q", 0)).toEqual({ kind: "ping" });
    expect(interpretKickFrame('{"event":"pusher:error","data":{"code":4201,"message":"Pong reply not received"}}', "q", 0)).toEqual({ kind: "error", code: 4201, message: "Pong reply not received" });
    expect(interpretKickFrame('{"event":"App\\\\Events\\\\ChatMessageEvent","data":"{bad"}', "q", 0)).toEqual({ kind: "other", name: "App\\Events\\ChatMessageEvent" });
    expect(interpretKickFrame("nope", "q", 0)).toEqual({ kind: "other", name: "?" });
    expect(parseChannelInfo(JSON.parse(CHANNEL))).toEqual({ channelId: 1618033, chatroomId: 2718281 });
    expect(parseChannelInfo({})).toBeUndefined();
    expect(kickChannelSlug("https://kick.com/QuietCove?x")).toBe("quietcove");
  });
});

describe("Kick frames (2025 shapes)", () => {
  it("[#14.16] an emote is its own token: a space after it (and before it) where text touches it, spans on the name", () => {
    expect(kickText("[emote:3989851:name]on my way")).toEqual({ text: "name on my way", emotes: [{ name: "name", id: "3989851", start: 0, end: 4 }] });
    expect(kickText("hi[emote:1:KEK]")).toEqual({ text: "hi KEK", emotes: [{ name: "KEK", id: "1", start: 3, end: 6 }] });
    const glued = interpretKickFrame(frame(14), "q", 0);
    expect(glued).toMatchObject({ kind: "message", message: { text: "catJAM on my way POGGIES KEKLEO ok" } });
    const message = glued.kind === "message" ? glued.message : undefined;
    expect(message?.emotes?.map((e) => message.text.slice(e.start, e.end))).toEqual(["catJAM", "POGGIES", "KEKLEO"]);
  });

  it("[#14.16] a celebration frame is a resub event with its months, not a chat message", () => {
    expect(interpretKickFrame(frame(8), "q", 7)).toEqual({
      kind: "event",
      event: { kind: "resub", t: 7, ts: Date.parse("2026-11-27T22:01:00Z"), platform: "kick", channel: "q", user: "LoyalFan", id: "9a1b2c3d-0001-4e5f-8000-000000000010", count: 13 },
    });
    expect(interpretKickFrame(frame(9), "q", 0)).toMatchObject({ kind: "event", event: { kind: "resub", user: "TenMonths", count: 10, text: "ten months of this KEKLEO" } });
  });

  it("[#14.16] 2025 frames: an unprefixed GiftedSubscriptionsEvent is a gift, ChannelSubscriptionEvent a sub, months > 1 a resub", () => {
    expect(interpretKickFrame(frame(10), "q", 0)).toEqual({ kind: "event", event: { kind: "gift", t: 0, platform: "kick", channel: "q", user: "NewGifter", count: 2 } });
    expect(interpretKickFrame(frame(11), "q", 0)).toEqual({ kind: "event", event: { kind: "sub", t: 0, platform: "kick", channel: "q", user: "NewSub" } });
    // Several recipients and no name: the channel's echo of a gift the chatroom's GiftedSubscriptionsEvent tells in full.
    expect(interpretKickFrame(frame(12), "q", 0)).toEqual({ kind: "other", name: "App\\Events\\ChannelSubscriptionEvent" });
    expect(interpretKickFrame(frame(13), "q", 0)).toMatchObject({ kind: "event", event: { kind: "resub", user: "BackAgain", count: 7 } });
    expect(interpretKickFrame('{"event":"SubscriptionEvent","data":{"username":"x","months":1}}', "q", 0)).toMatchObject({ event: { kind: "sub", count: 1 } });
  });

  it("drops a subscription's echo from the other Pusher channel, within a minute, with bounded memory", () => {
    const filter = new SubscriptionEchoFilter(60_000, 2);
    const sub = (user: string, t: number): ChatEvent => ({ kind: "sub", t, platform: "kick", channel: "q", user });
    expect(filter.admit(sub("NewSub", 0))).toBe(true);
    expect(filter.admit({ ...sub("newsub", 1_000), kind: "resub" })).toBe(false);
    expect(filter.admit({ kind: "gift", t: 1_000, platform: "kick", channel: "q", user: "NewSub" })).toBe(true);
    expect(filter.admit(sub("NewSub", 61_000))).toBe(true);
    expect(filter.admit(sub("a", 61_000))).toBe(true);
    expect(filter.admit(sub("b", 61_000))).toBe(true);
    // Capacity 2: the oldest ("NewSub") was forgotten.
    expect(filter.admit(sub("NewSub", 62_000))).toBe(true);
    expect(filter.admit(sub("anonymous", 62_000))).toBe(true);
    expect(filter.admit(sub("anonymous", 62_000))).toBe(true);
  });
});

describe("KickSource against loopback fakes", () => {
  it("looks up the chatroom (honouring 429 Retry-After), subscribes, answers pings, survives a server error and a drop", async () => {
    const clock = new VirtualClock(0);
    const apiScript = ["500", "429", "200"];
    const api = new FakeHttpServer((_req, res) => {
      const step = apiScript.shift();
      if (step === "500") json(res, 500, { message: "Server Error" });
      else if (step === "429") json(res, 429, { message: "Too Many Attempts." }, { "retry-after": "3" });
      else json(res, 200, CHANNEL);
    }, () => clock.now());
    const pusher = new FakePusher();
    cleanup.push(() => api.close(), () => pusher.close());
    const apiBaseUrl = await api.listen();
    const source = new KickSource({ channel: "QuietCove", apiBaseUrl, wsUrl: pusher.url(), clock, random: () => 0.5, backoff: { baseMs: 1000, maxMs: 30_000, jitter: 0.5 } });
    const messages: ChatMessage[] = [];
    const events: ChatEvent[] = [];
    source.onEvent((e) => events.push(e));
    const done = (async () => {
      for await (const batch of source.batches()) messages.push(...batch);
    })();

    // 500: backoff 750 ms; then 429: waits exactly Retry-After (3 s) on the clock before asking again.
    await until(() => api.requests.length === 1 && clock.pending > 0);
    expect(api.requests[0]?.path).toBe("/api/v2/channels/quietcove");
    expect(source.status()).toMatchObject({ state: "connecting", lastError: "HTTP 500 from the channel API" });
    await clock.advanceTo(750);
    await until(() => api.requests.length === 2 && clock.pending > 0);
    await clock.advanceTo(3749);
    await new Promise((r) => setTimeout(r, 20));
    expect(api.requests.length).toBe(2);
    await clock.advanceTo(3750);
    await until(() => pusher.peers.length === 1 && pusher.peers[0]!.received.length === 2);
    const p1 = pusher.peers[0]!;
    expect(p1.received.map((r) => JSON.parse(r) as unknown)).toEqual([
      { event: "pusher:subscribe", data: { auth: "", channel: "chatrooms.2718281.v2" } },
      { event: "pusher:subscribe", data: { auth: "", channel: "channel.1618033" } },
    ]);
    p1.ws.send(frame(1));
    p1.ws.send(frame(2));
    p1.ws.send(frame(3));
    p1.ws.send(frame(4));
    p1.ws.send('{"event":"pusher:ping","data":{}}');
    await until(() => p1.received.some((r) => r.includes("pusher:pong")));
    expect(source.status().state).toBe("connected");
    // The server asks for a reconnect (4200 range): no backoff.
    p1.ws.send('{"event":"pusher:error","data":{"code":4200,"message":"Generic reconnect immediately"}}');
    await until(() => pusher.peers.length === 2 && pusher.peers[1]!.received.length === 2);
    const p2 = pusher.peers[1]!;
    p2.ws.send(frame(1));
    p2.ws.send(frame(3)); // replayed: dropped by id
    p2.ws.send(frame(5));
    await until(() => messages.length === 3);
    p2.ws.terminate(); // a dropped connection: backoff 750 ms on the clock
    await until(() => source.status().state === "reconnecting" && clock.pending > 0);
    await clock.advanceBy(749);
    await new Promise((r) => setTimeout(r, 20));
    expect(pusher.peers.length).toBe(2);
    await clock.advanceBy(1);
    await until(() => pusher.peers.length === 3 && pusher.peers[2]!.received.length === 2);
    const p3 = pusher.peers[2]!;
    p3.ws.send(frame(1));
    p3.ws.send(frame(6));
    p3.ws.send(frame(7));
    await until(() => events.length === 3);
    expect(api.requests.length).toBe(3);
    expect(source.status()).toMatchObject({ state: "connected", reconnects: 4, messages: 3, events: 3, lastError: "connection closed" });
    await source.stop();
    await done;
    expect(messages.map((m) => m.user)).toEqual(["Rafa_77", "ModMia", "lurker"]);
    expect(messages.map((m) => m.t)).toEqual([3750, 3750, 3750]);
    expect(events.map((e) => [e.kind, e.t])).toEqual([
      ["sub", 3750],
      ["gift", 4500],
      ["raid", 4500],
    ]);
  });

  it("ends with an error for an unknown channel or a fatal Pusher error", async () => {
    const clock = new VirtualClock(0, true);
    const api = new FakeHttpServer((req, res) => (req.url?.endsWith("/nobody") ? json(res, 404, { message: "Not found" }) : json(res, 200, CHANNEL)), () => clock.now());
    const pusher = new FakePusher();
    pusher.wss.on("connection", (ws) => ws.send('{"event":"pusher:error","data":{"code":4001,"message":"Application does not exist"}}'));
    cleanup.push(() => api.close(), () => pusher.close());
    const apiBaseUrl = await api.listen();
    const drain = async (s: KickSource): Promise<void> => {
      for await (const _ of s.batches()) void _;
    };
    await expect(drain(new KickSource({ channel: "nobody", apiBaseUrl, wsUrl: pusher.url(), clock }))).rejects.toThrow(/no Kick channel "nobody"/);
    await expect(drain(new KickSource({ channel: "quietcove", apiBaseUrl, wsUrl: pusher.url(), clock }))).rejects.toThrow(/pusher error 4001/);
    expect(() => new KickSource({ channel: " ", clock })).toThrow(/not a channel/);
  });
});

describe("KickSource events", () => {
  it("[#14.16] reads 2025 subscription frames from both Pusher channels as one event each, and a celebration as no chat", async () => {
    const clock = new VirtualClock(0);
    const api = new FakeHttpServer((_req, res) => json(res, 200, CHANNEL), () => clock.now());
    const pusher = new FakePusher();
    cleanup.push(() => api.close(), () => pusher.close());
    const apiBaseUrl = await api.listen();
    const source = new KickSource({ channel: "quietcove", apiBaseUrl, wsUrl: pusher.url(), clock });
    const messages: ChatMessage[] = [];
    const events: ChatEvent[] = [];
    source.onEvent((e) => events.push(e));
    const done = (async () => {
      for await (const batch of source.batches()) messages.push(...batch);
    })();
    await until(() => pusher.peers.length === 1 && pusher.peers[0]!.received.length === 2);
    const peer = pusher.peers[0]!;
    peer.ws.send(frame(1));
    for (const i of [4, 11, 10, 12, 8, 5]) peer.ws.send(frame(i));
    await until(() => messages.some((m) => m.text === "back after the break"));
    await source.stop();
    await done;
    expect(events.map((e) => [e.kind, e.user, e.count])).toEqual([
      ["sub", "NewSub", 1],
      ["gift", "NewGifter", 2],
      ["resub", "LoyalFan", 13],
    ]);
    expect(messages.map((m) => m.text)).toEqual(["back after the break"]);
  });
});

const FRAME_KINDS = new Set(["established", "subscribed", "ping", "error", "message", "event", "other"]);
const MB = 1 << 20;

function frameProblems(f: KickFrame): string[] {
  if (!FRAME_KINDS.has(f.kind)) return [`kind ${f.kind}`];
  if (f.kind === "message") return messageProblems(f.message);
  if (f.kind === "event") return eventProblems(f.event);
  if (f.kind === "error") return typeof f.code === "number" && typeof f.message === "string" ? [] : ["error frame"];
  if (f.kind === "other") return typeof f.name === "string" ? [] : ["other frame"];
  return [];
}

describe("Kick frame parser over hostile input", () => {
  const datas = FRAMES.map((f) => (JSON.parse(f) as { data: string }).data);
  const names = [...new Set(FRAMES.map((f) => (JSON.parse(f) as { event: string }).event)), "celebration", "constructor", "__proto__", "App\\Events\\constructor", "pusher:error"];
  const keys = ["id", "content", "type", "created_at", "sender", "username", "months", "gifter_username", "gifted_usernames", "user_ids", "host_username", "number_viewers", "optional_message", "metadata", "code", "message"];
  const value = fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 0, 1.5, Infinity, Number.MAX_SAFE_INTEGER + 2, "7", "", "celebration", [], {}));
  /** Data with the fields the parser reads, each holding anything (a celebration's metadata, a sender's badges). */
  const knownFields = fc.dictionary(fc.constantFrom(...keys), fc.oneof(value, fc.dictionary(fc.constantFrom(...keys, "celebration", "identity", "badges", "total_months", "original_message"), value)));
  /** A frame whose envelope is sound but whose data is damaged, arbitrary JSON, or not a string at all. */
  const structured = fc
    .record({
      event: fc.constantFrom(...names),
      data: fc.oneof(mutatedLine(datas), fc.jsonValue().map((v) => JSON.stringify(v)), fc.jsonValue(), knownFields, knownFields.map((v) => JSON.stringify(v))),
      channel: fc.constantFrom("chatrooms.1.v2", "channel.1"),
    })
    .map((f) => JSON.stringify(f));

  it("[#14.prop] never throws, always gives a known frame kind with valid messages and events, deterministically", () => {
    fc.assert(
      fc.property(fc.oneof(hostileLine(FRAMES), structured), fc.nat({ max: 1e9 }), (raw, t) => {
        const first = interpretKickFrame(raw, "q", t);
        expect(frameProblems(first)).toEqual([]);
        expect(interpretKickFrame(raw, "q", t)).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it("[#14.prop] a frame of 1 MB is handled", () => {
    const chat = (content: string): string =>
      JSON.stringify({ event: "App\\Events\\ChatMessageEvent", data: JSON.stringify({ id: "x", content, sender: { username: "u" } }) });
    const huge = [
      chat("[emote:1:a".repeat(MB / 10)),
      chat("[emote:1:ab]".repeat(MB / 12)),
      chat(`[emote:${"1".repeat(MB)}`),
      JSON.stringify({ event: "App\\Events\\ChatMessageEvent", data: "[".repeat(MB / 2) + "]".repeat(MB / 2) }),
      JSON.stringify({ event: "GiftedSubscriptionsEvent", data: JSON.stringify({ gifter_username: "g", gifted_usernames: Array.from({ length: MB / 8 }, () => "n") }) }),
      "{".repeat(MB),
    ];
    for (const raw of huge) expect(frameProblems(interpretKickFrame(raw, "q", 0))).toEqual([]);
  });
});
