import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokerConfigFrom } from "../../src/broker/broker-config.js";
import { ChannelWorker } from "../../src/broker/channel-worker.js";
import { decodeChatRecord } from "../../src/broker/chat-record.js";
import { ChatPublisher } from "../../src/broker/chat-publisher.js";
import { connectBroker, type Broker } from "../../src/broker/nats-broker.js";
import { CHAT_STREAM, chatSubject, partitionFilter, partitionOf } from "../../src/broker/subjects.js";
import { encodeToken } from "../../src/broker/subject-token.js";
import { jetStreamWriter } from "../../src/commands/ingest-command.js";
import { setUpModels } from "../../src/commands/model-setup.js";
import { SystemClock } from "../../src/core/clock.js";
import type { ChatMessage } from "../../src/core/message.js";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { NATS_SERVER, SKIP_MESSAGE, startNatsServer, until, type NatsServer } from "./nats-fixture.js";

if (NATS_SERVER === undefined) console.warn(SKIP_MESSAGE);

const msg = (t: number, channel: string, text: string): ChatMessage => ({ t, platform: "twitch", channel, userId: `u${t % 7}`, user: `u${t % 7}`, text });

/** Every record stored on one partition's subjects, in stream order, with its subject. */
async function storedIn(broker: Broker, partition: number): Promise<{ subject: string; record: ReturnType<typeof decodeChatRecord> }[]> {
  const ci = await broker.jsm.consumers.add(CHAT_STREAM, { filter_subject: partitionFilter(partition), inactive_threshold: 30_000_000_000 });
  const consumer = await broker.js.consumers.get(CHAT_STREAM, ci.name);
  const out: { subject: string; record: ReturnType<typeof decodeChatRecord> }[] = [];
  for (let left = ci.num_pending; left > 0; ) {
    for await (const m of await consumer.fetch({ max_messages: left, expires: 2000 })) {
      out.push({ subject: m.subject, record: decodeChatRecord(m.data, 2000) });
      m.ack();
      left--;
    }
  }
  return out;
}

describe.skipIf(NATS_SERVER === undefined)("the ingest's publisher and the workers' bucket writes against a real nats-server -js", () => {
  let server: NatsServer;
  let broker: Broker;
  beforeAll(async () => {
    server = await startNatsServer();
    broker = await connectBroker(brokerConfigFrom({ broker: server.url, env: {} }), { name: "test" });
  });
  afterAll(async () => {
    await broker?.close();
    await server?.stop();
  });

  it("[#18] pipelined publishes land on chat.<partition>.<platform>.<channel> in order, a re-sent message is stored once, a silent live channel's watermark is in its own subject", async () => {
    const publisher = new ChatPublisher(jetStreamWriter(broker), { maxInFlight: 8 });
    const channel = "speed run";
    const token = encodeToken(channel);
    const lines = Array.from({ length: 200 }, (_, i) => msg(1_000 + i * 10, channel, `line ${i}`));
    for (const m of lines) await publisher.message(m, true);
    await publisher.flush();
    expect(publisher.stats.inFlightHighWater).toBeLessThanOrEqual(8);
    expect(publisher.stats.inFlightHighWater).toBeGreaterThan(1);
    // A reconnecting source re-sends its last lines: JetStream's de-duplication window keeps them once.
    const again = new ChatPublisher(jetStreamWriter(broker));
    for (const m of lines.slice(-20)) await again.message(m, true);
    await again.flush();
    expect(again.stats).toMatchObject({ stored: 0, duplicates: 20, failed: 0 });
    // Silence after 2,990: the tick at 3,600 (boundary 3,500) gives the channel one watermark, in its subject.
    await publisher.watermarkSilent(3_600, 3_500);
    await publisher.flush();
    expect(publisher.stats).toMatchObject({ stored: 201, duplicates: 0, failed: 0, watermarks: 1 });

    const stored = (await storedIn(broker, partitionOf(token))).filter((s) => s.subject === chatSubject("twitch", token));
    expect(stored.map((s) => (s.record.kind === "message" ? s.record.message.text : s.record.kind))).toEqual([...lines.map((m) => m.text), "watermark"]);
    expect(stored.at(-1)?.record).toEqual({ kind: "watermark", t: 3_600 });
    const registered = await broker.bucket("channels").get(token);
    expect(registered?.string()).toBe(channel);
  });

  it("[#18] a worker writes each channel's bucket entry at most once per persistEveryMs, and the latest one in the end", async () => {
    const names = ["alpha", "beta", "gamma"];
    const published = new Map<string, Snapshot>();
    const sub = broker.nc.subscribe("snap.>", { callback: (_e, m) => void published.set(m.subject, m.json<Snapshot>()) });
    const worker = new ChannelWorker({ id: "persist", broker, models: setUpModels({}), clock: new SystemClock(), tickMs: 200, persistEveryMs: 1_500 });
    try {
      await worker.start();
      const publisher = new ChatPublisher(jetStreamWriter(broker));
      const started = Date.now();
      // 60 s of stream time per channel (120 snapshots each), published as fast as the acks come.
      for (let t = 0; t < 60_000; t += 250) for (const c of names) await publisher.message(msg(t, c, t % 1000 === 0 ? "what a play" : "GG"));
      await publisher.closeChannels(600_000);
      await publisher.flush();
      await until("every channel's closing snapshot published", () => names.every((c) => published.get(`snap.${encodeToken(c)}`)?.t === 600_000), 30_000);
      await until("every channel's closing snapshot persisted", async () => {
        for (const c of names) if ((await worker.persistedEntry(encodeToken(c)))?.snapshot.t !== 600_000) return false;
        return true;
      }, 10_000);
      // Thousands of snapshots, a handful of writes: at most one per channel per 1.5 s of the run, plus the first and the last.
      const elapsedMs = Date.now() - started;
      expect(worker.stats.snapshotsPublished).toBeGreaterThan(names.length * 1000);
      expect(worker.stats.snapshotsPersisted).toBeLessThanOrEqual(names.length * (Math.ceil(elapsedMs / 1_500) + 2));
      for (const c of names) expect((await worker.persistedEntry(encodeToken(c)))?.snapshot).toEqual(published.get(`snap.${encodeToken(c)}`));
    } finally {
      sub.unsubscribe();
      await worker.stop();
    }
  }, 60_000);
});
