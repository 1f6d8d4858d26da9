import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import type { ChatEvent } from "../../src/core/event.js";
import type { ChatMessage } from "../../src/core/message.js";
import { retryAfterMs } from "../../src/sources/live/http-retry.js";
import { decodeYtdlpLine } from "../../src/sources/formats/ytdlp.js";
import { parseChatResponse, parseLiveChatPage, youtubeVideoId } from "../../src/sources/live/youtube/youtube-chat.js";
import { YouTubeSource } from "../../src/sources/live/youtube/youtube-source.js";
import { until } from "./helpers/fake-irc-server.js";
import { FakeHttpServer, json } from "./helpers/fake-http-server.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/live/youtube/${name}`, import.meta.url), "utf8");
const VIDEO = "dQw4w9WgXcQ";

const servers: FakeHttpServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe("YouTube live chat decoding", () => {
  it("reads video ids, the page config and continuation responses", () => {
    expect(youtubeVideoId(VIDEO)).toBe(VIDEO);
    expect(youtubeVideoId(`https://www.youtube.com/watch?v=${VIDEO}&t=1`)).toBe(VIDEO);
    expect(youtubeVideoId(`https://youtu.be/${VIDEO}`)).toBe(VIDEO);
    expect(youtubeVideoId(`youtube.com/live/${VIDEO}?si=x`)).toBe(VIDEO);
    expect(youtubeVideoId("not a video")).toBeUndefined();
    expect(youtubeVideoId("https://www.youtube.com/@channel")).toBeUndefined();
    expect(parseLiveChatPage(fixture("live_chat.html"))).toEqual({
      apiKey: "AIzaSyTestKeyForLoopbackOnly000000000",
      clientVersion: "2.20261120.01.00",
      continuation: "0ofMyANhGlhDaWtxSndvWVZVTnVaWGRUZEhKbFlXMWxjbFJsYzNReE1nIn0%3D",
    });
    expect(parseLiveChatPage("<html></html>")).toBeUndefined();
    const page = parseChatResponse(JSON.parse(fixture("get_live_chat-1.json")), VIDEO, 42, 200);
    expect(page.next).toEqual({ continuation: "cont-2", timeoutMs: 2000 });
    expect(page.messages[0]).toMatchObject({
      t: 42,
      platform: "youtube",
      channel: VIDEO,
      user: "Marta Silva",
      userId: "UCmartaSilva000000000001",
      text: "hello from Lisbon 👋",
      emotes: [{ name: ":waving_hand:", start: 18, end: 20 }],
      flags: { member: true },
      ts: 1764280801000,
    });
    expect(page.messages[1]).toMatchObject({ user: "Kenji", flags: { moderator: true } });
    expect(page.messages).toHaveLength(3);
    expect(page.events).toEqual([
      { kind: "paid", t: 42, platform: "youtube", channel: VIDEO, user: "Ada L.", id: "ChwKGkNQYWlkMDAwMDAwMDAwMDAwMDAwMDAw", ts: 1764280802000, text: "keep it up!", amount: "€5.00" },
    ]);
    const second = parseChatResponse(JSON.parse(fixture("get_live_chat-2.json")), VIDEO, 0, 200);
    expect(second.events.map((e) => [e.kind, e.user, e.count, e.text])).toEqual([
      ["membership", "Nadia", 12, "Gold tier"],
      ["gift", "Generous Gus", 5, "Gifted 5 Gold memberships"],
    ]);
    expect(second.messages.at(-1)?.text).toBe("thanks Gus :yt:");
    expect(parseChatResponse(JSON.parse(fixture("get_live_chat-end.json")), VIDEO, 0, 200)).toEqual({ messages: [], events: [] });
    expect(retryAfterMs("7", 0)).toBe(7000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});

describe("YouTube live chat against a replay of it", () => {
  it("[#14.17] makes a live Super Chat chat with `paid` and a paid event, as the replay readers do", () => {
    const page = parseChatResponse(JSON.parse(fixture("get_live_chat-1.json")), VIDEO, 42, 200);
    expect(page.messages[2]).toEqual({
      t: 42,
      ts: 1764280802000,
      id: "ChwKGkNQYWlkMDAwMDAwMDAwMDAwMDAwMDAw",
      platform: "youtube",
      channel: VIDEO,
      userId: "UCada00000000000000000003",
      user: "Ada L.",
      text: "keep it up!",
      paid: { amount: "€5.00", currency: "EUR" },
    });
    expect(page.events.filter((e) => e.kind === "paid")).toHaveLength(1);
    const replay = JSON.stringify({ replayChatItemAction: { actions: [JSON.parse(fixture("get_live_chat-1.json")).continuationContents.liveChatContinuation.actions[2]], videoOffsetTimeMsec: "42" } });
    const replayEvents: ChatEvent[] = [];
    const replayed = decodeYtdlpLine(replay, 1, { defaultChannel: VIDEO, arrivalTime: () => 0, maxMessageLength: 200, onEvent: (e) => replayEvents.push(e) });
    expect(replayed).toEqual({ kind: "message", message: page.messages[2] });
    expect(replayEvents).toEqual(page.events.filter((e) => e.kind === "paid"));
  });

  it("[#14.17] reads the legacy new-member renderer as a membership event, and words-less payments as events only", () => {
    const page = parseChatResponse(JSON.parse(fixture("get_live_chat-legacy.json")), VIDEO, 7000, 200);
    expect(page.messages).toEqual([]);
    expect(page.events).toEqual([
      { kind: "membership", t: 7000, ts: 1764280820000, platform: "youtube", channel: VIDEO, user: "Early Member", id: "ChwKGkNMZWdhY3kwMDAwMDAwMDAwMDAwMDAwMQ", text: "Welcome to Fixture Live!" },
      { kind: "paid", t: 7000, ts: 1764280821000, platform: "youtube", channel: VIDEO, user: "Quiet Donor", id: "ChwKGkNQYWlkU2lsZW50MDAwMDAwMDAwMDAwMDA", amount: "¥1,000" },
      { kind: "paid", t: 7000, ts: 1764280822000, platform: "youtube", channel: VIDEO, user: "Sticker Fan", id: "ChwKGkNTdGlja2VyMDAwMDAwMDAwMDAwMDAwMQ", amount: "£1.99" },
    ]);
    expect(page.next).toEqual({ continuation: "cont-legacy-2", timeoutMs: 1000 });
  });

  it("reads a deeply nested action without walking it whole", () => {
    const deep = `{"continuationContents":{"liveChatContinuation":{"actions":[{"addChatItemAction":{"item":{"liveChatTextMessageRenderer":{"message":{"runs":[{"text":"hi"}]},"authorName":{"simpleText":"D"},"x":${"[".repeat(50_000)}${"]".repeat(50_000)}}}}}]}}}`;
    expect(parseChatResponse(JSON.parse(deep), VIDEO, 1, 200).messages).toMatchObject([{ user: "D", text: "hi" }]);
  });
});

describe("YouTubeSource against a loopback fake", () => {
  it("polls at the server's interval, survives a 500, a 429 with Retry-After and a drop, and ends with the chat", async () => {
    const clock = new VirtualClock(0);
    const script: ("1" | "500" | "429" | "drop" | "2" | "end")[] = ["1", "500", "429", "drop", "2", "end"];
    const server = new FakeHttpServer((req, res) => {
      if (req.method === "GET") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(fixture("live_chat.html"));
        return;
      }
      const step = script.shift();
      if (step === "1") json(res, 200, fixture("get_live_chat-1.json"));
      else if (step === "500") json(res, 500, { error: { code: 500, message: "Internal error encountered." } });
      else if (step === "429") json(res, 429, { error: { code: 429 } }, { "retry-after": "7" });
      else if (step === "drop") req.socket.destroy();
      else if (step === "2") json(res, 200, fixture("get_live_chat-2.json"));
      else json(res, 200, fixture("get_live_chat-end.json"));
    }, () => clock.now());
    servers.push(server);
    const baseUrl = await server.listen();
    const source = new YouTubeSource({ video: `https://www.youtube.com/watch?v=${VIDEO}`, baseUrl, clock, random: () => 0.5, backoff: { baseMs: 1000, maxMs: 30_000, jitter: 0.5 } });
    const messages: ChatMessage[] = [];
    const events: ChatEvent[] = [];
    source.onEvent((e) => events.push(e));
    const done = (async () => {
      for await (const batch of source.batches()) messages.push(...batch);
    })();

    const posts = (): number => server.requests.filter((r) => r.method === "POST").length;
    // Poll times: 0; +2000 (timeoutMs); 500 → backoff 750; 429 → Retry-After 7 s; drop → backoff 3000 (attempt 2: 4000 × 0.75); then +1500.
    const expected = [0, 2000, 2750, 9750, 12_750, 14_250];
    for (let i = 0; i < expected.length; i++) {
      const at = expected[i] as number;
      if (at > 0) {
        await until(() => posts() === i && clock.pending > 0);
        await clock.advanceTo(at - 1);
        await new Promise((r) => setTimeout(r, 20));
        expect(posts()).toBe(i);
        await clock.advanceTo(at);
      }
      await until(() => posts() === i + 1);
      if (i === 0) await until(() => messages.length === 3 && source.status().state === "connected");
      if (i === 3) await until(() => source.status().state === "reconnecting");
    }
    await done;
    const postBodies = server.requests.filter((r) => r.method === "POST").map((r) => (JSON.parse(r.body) as { continuation: string }).continuation);
    expect(postBodies).toEqual(["0ofMyANhGlhDaWtxSndvWVZVTnVaWGRUZEhKbFlXMWxjbFJsYzNReE1nIn0%3D", "cont-2", "cont-2", "cont-2", "cont-2", "cont-3"]);
    expect(server.requests[1]?.path).toBe("/youtubei/v1/live_chat/get_live_chat?key=AIzaSyTestKeyForLoopbackOnly000000000&prettyPrint=false");
    expect(messages.map((m) => [m.user, m.t])).toEqual([
      ["Marta Silva", 0],
      ["Kenji", 0],
      ["Ada L.", 0],
      ["Marta Silva", 12_750],
    ]);
    expect(events.map((e) => e.kind)).toEqual(["paid", "membership", "gift"]);
    expect(source.status()).toMatchObject({ state: "closed", reconnects: 3, messages: 4, events: 3, lastError: "live chat ended" });
  });

  it("fails clearly when the video has no live chat, and gives up after maxAttempts", async () => {
    const clock = new VirtualClock(0, true);
    const server = new FakeHttpServer((req, res) => {
      if (req.url?.includes("v=aaaaaaaaaaa")) {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html>no chat here</html>");
      } else json(res, 503, {});
    }, () => clock.now());
    servers.push(server);
    const baseUrl = await server.listen();
    const none = new YouTubeSource({ video: "aaaaaaaaaaa", baseUrl, clock });
    await expect((async () => { for await (const _ of none.batches()) void _; })()).rejects.toThrow(/no live chat/);
    const down = new YouTubeSource({ video: "bbbbbbbbbbb", baseUrl, clock, maxAttempts: 2 });
    await expect((async () => { for await (const _ of down.batches()) void _; })()).rejects.toThrow(/gave up after 2 attempts: HTTP 503/);
    expect(() => new YouTubeSource({ video: "??", baseUrl, clock })).toThrow(/not a video id/);
    const stopped = new YouTubeSource({ video: VIDEO, baseUrl: "http://127.0.0.1:9", clock: new VirtualClock(0) }).start();
    await stopped.stop();
    expect(stopped.status().state).toBe("closed");
  });
});
