import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../core/message.js";
import { decodeChatRecord } from "./chat-record.js";
import { ChatPublisher, type ChatStreamWriter } from "./chat-publisher.js";
import { channelTokenOf, chatSubject, partitionOf } from "./subjects.js";

const msg = (t: number, channel = "a.b", extra: Partial<ChatMessage> = {}): ChatMessage => ({ t, platform: "twitch", channel, userId: "u", user: "u", text: `m${t}`, ...extra });

/** A JetStream stand-in: de-duplicates by id like the server, acks when `release` is called or at once. */
function fakeStream(options: { failFirst?: number; manual?: boolean } = {}) {
  const stored = new Map<string, { subject: string; data: Uint8Array }>();
  const waiting: (() => void)[] = [];
  const registered: string[] = [];
  let failures = options.failFirst ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const writer: ChatStreamWriter = {
    publish: async (subject, data, msgId) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (options.manual) await new Promise<void>((resolve) => waiting.push(resolve));
        if (failures > 0) {
          failures--;
          throw new Error("no responders");
        }
        const duplicate = stored.has(msgId);
        if (!duplicate) stored.set(msgId, { subject, data });
        return { duplicate };
      } finally {
        inFlight--;
      }
    },
    registerChannel: (token) => {
      registered.push(token);
      return Promise.resolve();
    },
  };
  return { writer, stored, registered, waiting, maxInFlight: () => maxInFlight };
}

const noSleep = (): Promise<void> => Promise.resolve();

describe("the ingest publisher", () => {
  it("[#18] publishes to chat.<partition>.<platform>.<channel> with tokens, registers each channel once, and counts re-sent messages as duplicates", async () => {
    const s = fakeStream();
    const p = new ChatPublisher(s.writer, { sleep: noSleep });
    for (const m of [msg(1), msg(2, "x y"), msg(4), msg(1), msg(3, "a.b", { id: "p1" }), msg(9, "a.b", { id: "p1" })]) await p.message(m);
    await p.flush();
    expect(p.stats).toMatchObject({ stored: 4, duplicates: 2, failed: 0, refused: 0 });
    expect([...s.stored.values()].map((v) => v.subject)).toEqual(["a=2Eb", "x=20y", "a=2Eb", "a=2Eb"].map((c) => chatSubject("twitch", c)));
    expect(chatSubject("twitch", "a=2Eb")).toBe(`chat.${partitionOf("a=2Eb")}.twitch.a=2Eb`);
    expect(channelTokenOf(chatSubject("twitch", "a=2Eb"))).toBe("a=2Eb");
    expect(s.registered).toEqual(["a=2Eb", "x=20y"]);
  });

  it("[#18] never has more than maxInFlight publishes awaiting their ack: the source waits", async () => {
    const s = fakeStream({ manual: true });
    const p = new ChatPublisher(s.writer, { maxInFlight: 4, sleep: noSleep });
    const sending = (async () => {
      for (let t = 0; t < 20; t++) await p.message(msg(t));
    })();
    for (let i = 0; i < 200 && (s.waiting.length > 0 || p.stats.stored < 20); i++) {
      await new Promise((r) => setImmediate(r));
      s.waiting.splice(0).forEach((release) => release());
    }
    await sending;
    await p.flush();
    expect(s.maxInFlight()).toBe(4);
    expect(p.stats.inFlightHighWater).toBe(4);
    expect(p.stats.stored).toBe(20);
  });

  it("[#18] retries while the broker is away and counts a message failed only after the last attempt", async () => {
    const s = fakeStream({ failFirst: 3 });
    const slept: number[] = [];
    const p = new ChatPublisher(s.writer, { attempts: 3, maxInFlight: 1, sleep: (ms) => (slept.push(ms), Promise.resolve()) });
    await p.message(msg(1));
    await p.message(msg(2));
    await p.flush();
    expect(p.stats).toMatchObject({ stored: 1, failed: 1, retries: 2 });
    expect(slept).toEqual([100, 200]);
  });

  it("[#18] refuses a channel too long for a subject, counted", async () => {
    const p = new ChatPublisher(fakeStream().writer, { sleep: noSleep });
    await p.message(msg(1, ".".repeat(200)));
    expect(p.stats.refused).toBe(1);
  });

  it("[#18] closes each channel's roll-up periods at the end with a watermark at its next 10 min boundary", async () => {
    const s = fakeStream();
    const p = new ChatPublisher(s.writer, { sleep: noSleep });
    await p.message(msg(5_000, "a"));
    await p.message(msg(700_000, "b"));
    await p.event({ kind: "sub", t: 900_000, platform: "twitch", channel: "b", user: "x" });
    await p.closeChannels(600_000);
    await p.flush();
    const marks = [...s.stored.values()].map((v) => decodeChatRecord(v.data, 2000)).filter((r) => r.kind === "watermark");
    expect(marks).toEqual([{ kind: "watermark", t: 600_000 }, { kind: "watermark", t: 1_200_000 }]);
    await p.closeChannels(600_000);
    await p.flush();
    expect(p.stats.duplicates).toBe(2);
  });
});

describe("watermarks through silence", () => {
  it("[#18] a live channel silent since the boundary gets one watermark per tick; a channel whose message after the boundary came first, or a recording's, gets none", async () => {
    const s = fakeStream();
    const p = new ChatPublisher(s.writer, { sleep: noSleep });
    await p.message(msg(100, "quiet"), true);
    await p.message(msg(200, "busy"), true);
    await p.message(msg(300, "file"));
    await p.watermarkSilent(501, 500);
    await p.message(msg(700, "busy"), true);
    await p.message(msg(1_001, "busy"), true);
    await p.watermarkSilent(1_001, 1_000);
    await p.flush();
    const marks = [...s.stored.values()].map((v) => ({ subject: v.subject, record: decodeChatRecord(v.data, 2000) })).filter((x) => x.record.kind === "watermark");
    expect(marks).toEqual([
      { subject: chatSubject("twitch", "quiet"), record: { kind: "watermark", t: 501 } },
      { subject: chatSubject("twitch", "busy"), record: { kind: "watermark", t: 501 } },
      { subject: chatSubject("twitch", "quiet"), record: { kind: "watermark", t: 1_001 } },
    ]);
    expect(p.stats.watermarks).toBe(3);
    // A re-sent watermark (the same channel and time) is the same id: JetStream stores it once.
    await p.watermarkSilent(1_001, 1_000);
    expect(p.stats.watermarks).toBe(3);
  });

  it("[#18] a live channel refused for its name gets no watermarks", async () => {
    const p = new ChatPublisher(fakeStream().writer, { sleep: noSleep });
    await p.message(msg(1, ".".repeat(200)), true);
    await p.watermarkSilent(501, 500);
    expect(p.stats).toMatchObject({ refused: 1, watermarks: 0 });
  });
});
