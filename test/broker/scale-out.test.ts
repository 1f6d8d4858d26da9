import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, DeliverPolicy } from "@nats-io/jetstream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokerConfigFrom } from "../../src/broker/broker-config.js";
import { ownerOf } from "../../src/broker/channel-assignment.js";
import { ChannelWorker } from "../../src/broker/channel-worker.js";
import { connectBroker, type Broker } from "../../src/broker/nats-broker.js";
import { CHAT_STREAM, ROLLUP_STREAM, partitionKey, partitionOf } from "../../src/broker/subjects.js";
import { encodeToken } from "../../src/broker/subject-token.js";
import { ingestCommand } from "../../src/commands/ingest-command.js";
import { setUpModels } from "../../src/commands/model-setup.js";
import { runCommand } from "../../src/commands/run-command.js";
import { publishedRecord, serveCommand } from "../../src/commands/serve-command.js";
import { SystemClock } from "../../src/core/clock.js";
import type { Rollup, Snapshot } from "../../src/schema/output-schema.js";
import { captureIO, parseRecords } from "../helpers/command-io.js";
import { NATS_SERVER, SKIP_MESSAGE, spawnWorker, startNatsServer, until, type NatsServer, type WorkerProcess } from "./nats-fixture.js";

if (NATS_SERVER === undefined) console.warn(SKIP_MESSAGE);

/** Hostile names on purpose: subject and key syntax (".", "*", ">"), spaces, a prototype word, non-Latin text. */
/** "speedrun" and "lobby": partitions that put channels on both child workers, and one of the victim's on the survivor. */
const CHANNELS = ["a.b", "*", "gt>lt", "__proto__", "Ünï cødé 频道", "plain", "speedrun", "lobby"];
const TEXTS = ["LUL", "what a play", "GG", "PogChamp", "ref is blind", "KEKW", "no way", "baron now"];
const LAST_T = 90_000;
const CLOSING_MARK = 600_000;

/** 90 s of chat over eight channels, time-sorted, some lines with platform ids, some identical lines in one ms. */
function recording(dir: string): { path: string; perChannel: Map<string, number> } {
  const lines: string[] = [];
  const perChannel = new Map<string, number>();
  let n = 0;
  for (let t = 1_000; t <= LAST_T; t += 37) {
    const channel = CHANNELS[n % CHANNELS.length] as string;
    const copies = n % 97 === 0 ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const m: Record<string, unknown> = { t, platform: "twitch", channel, user: `u${(n * 7) % 41}`, text: TEXTS[(n + Math.floor(t / 20_000)) % TEXTS.length] };
      if (n % 5 === 0 && copies === 1) m.id = `id-${n}`;
      lines.push(JSON.stringify(m));
      perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
    }
    n++;
  }
  const path = join(dir, "six-channels.jsonl");
  writeFileSync(path, lines.join("\n") + "\n");
  return { path, perChannel };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

const ingestOptions = (url: string, input: string, speed: number | "max") => ({ broker: url, input, speed, maxInFlight: 64, maxMessageLength: 2000 });

describe("records read back from the broker's subjects", () => {
  it("[#18] only snapshots and roll-ups with a channel and a whole-ms time are taken", () => {
    const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
    expect(publishedRecord(enc({ type: "snapshot", channel: "c", t: 500 }))).toEqual({ type: "snapshot", channel: "c", t: 500 });
    expect(publishedRecord(enc({ type: "rollup", channel: "c", t: 5000, level: "5s", start: 0 }))?.type).toBe("rollup");
    for (const bad of [{ type: "rollup", channel: "c", t: 5000 }, { type: "snapshot", channel: 1, t: 0 }, { type: "other", channel: "c", t: 0 }, { type: "snapshot", channel: "c", t: 0.5 }, [1]]) expect(publishedRecord(enc(bad))).toBeUndefined();
    expect(publishedRecord(new TextEncoder().encode("{"))).toBeUndefined();
  });
});

describe.skipIf(NATS_SERVER === undefined)("scale-out on NATS JetStream (a real nats-server -js on loopback)", () => {
  let server: NatsServer;
  let dir: string;
  let input: { path: string; perChannel: Map<string, number> };
  const total = () => [...input.perChannel.values()].reduce((a, b) => a + b, 0);

  // The failover test's broker and worker processes start here, so their start-up overlaps the first test.
  let own: NatsServer;
  let children: WorkerProcess[] = [];

  beforeAll(async () => {
    [server, own] = await Promise.all([startNatsServer(), startNatsServer()]);
    children = ["w1", "w2"].map((id) => spawnWorker(own.url, id, ["--metrics", "127.0.0.1:0"]));
    dir = mkdtempSync(join(tmpdir(), "chatstream-scale-out-"));
    input = recording(dir);
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await own?.stop();
    await server?.stop();
  });

  it("[#18] a re-sent recording is stored once: every message of the second ingest is a duplicate", async () => {
    const first = captureIO(new SystemClock());
    expect(await ingestCommand(ingestOptions(server.url, input.path, "max"), first.io, {})).toBe(0);
    const second = captureIO(new SystemClock());
    expect(await ingestCommand(ingestOptions(server.url, input.path, "max"), second.io, {})).toBe(0);
    expect(first.stderr()).toContain(`stored ${(total() + CHANNELS.length).toLocaleString("en-US")}, duplicates 0, failed 0`);
    expect(second.stderr()).toContain(`stored 0, duplicates ${(total() + CHANNELS.length).toLocaleString("en-US")}, failed 0`);
    const nc = await connect({ servers: server.url });
    const { jetstreamManager } = await import("@nats-io/jetstream");
    const info = await (await jetstreamManager(nc)).streams.info(CHAT_STREAM);
    await nc.close();
    // Every message plus one closing watermark per channel, and nothing twice (identical lines in one ms included).
    expect(info.state.messages).toBe(total() + CHANNELS.length);
  });

  it("[#18] three workers share the channels; one killed with kill -9 mid-stream; its channels resume elsewhere; roll-ups count every message once; snapshots equal a single-process run", async () => {
    // A broker of its own: the stream fills while the workers run, paced at 15× (about 6 s).
    const config = brokerConfigFrom({ broker: own.url, env: {} });
    const broker: Broker = await connectBroker(config, { name: "test" });
    const snapshots: Snapshot[] = [];
    const sub = broker.nc.subscribe("snap.>", { callback: (_e, m) => void snapshots.push(m.json<Snapshot>()) });
    const models = setUpModels({});
    const inProcess = new ChannelWorker({ id: "w3", broker, models, clock: new SystemClock(), tickMs: 250 });
    try {
      await inProcess.start();
      const members = broker.bucket("members");
      // Two child processes start the whole CLI through tsx: seconds on a quiet machine, longer under a loaded suite.
      await until("three members", async () => {
        for (const c of children) if (c.child.exitCode !== null) throw new Error(`worker ${c.id} exited ${c.child.exitCode}: ${c.stderr()}`);
        return (await collect(await members.keys())).length === 3;
      }, 90_000);
      const leases = broker.bucket("leases");
      const owners = async (): Promise<Map<string, string>> => {
        const out = new Map<string, string>();
        for (const key of await collect(await leases.keys())) {
          const e = await leases.get(key);
          if (e !== null && e.operation === "PUT") out.set(key, e.string());
        }
        return out;
      };
      const tokens = CHANNELS.map(encodeToken);
      // The channels are registered before any chat flows, so the workers settle their shares first.
      const register = broker.bucket("channels");
      for (const [i, t] of tokens.entries()) await register.create(t, new TextEncoder().encode(CHANNELS[i]));
      // Leases are per partition (a hash share of the channels): a channel's owner is its partition's.
      const lease = (t: string): string => partitionKey(partitionOf(t));
      const assigned = (t: string): string => ownerOf(lease(t), ["w1", "w2", "w3"]) as string;
      await until("each channel's partition leased by its rendezvous owner", async () => {
        const now = await owners();
        return tokens.every((t) => now.get(lease(t)) === assigned(t));
      }, 30_000);
      const leased = await owners();
      const before = new Map(tokens.map((t) => [t, leased.get(lease(t)) as string]));
      const ingesting = ingestCommand(ingestOptions(own.url, input.path, 15), captureIO(new SystemClock()).io, {});
      let ingestDone = false;
      void ingesting.then(() => (ingestDone = true));
      // Kill the child holding the most channels, once it has published state for them.
      const victim = children.map((c) => ({ c, n: [...before.values()].filter((o) => o === c.id).length })).sort((a, b) => b.n - a.n)[0]?.c as WorkerProcess;
      const victimTokens = tokens.filter((t) => before.get(t) === victim.id);
      expect(victimTokens.length).toBeGreaterThan(0);
      expect(new Set(before.values()).size).toBeGreaterThan(1);
      const snapshotBucket = broker.bucket("snapshots");
      await until("the victim's first snapshot", async () => (await snapshotBucket.get(victimTokens[0] as string)) !== null, 20_000);
      await victim.kill9();
      const killedAt = Date.now();
      expect(ingestDone, "killed mid-stream").toBe(false);
      const recoveryMs = await until("the victim's channels leased by the others", async () => {
        const now = await owners();
        return victimTokens.every((t) => now.has(lease(t)) && now.get(lease(t)) !== victim.id);
      }, 20_000);
      expect(await ingesting).toBe(0);
      await until("every channel published to its closing watermark", async () => {
        for (const t of tokens) {
          const e = await snapshotBucket.get(t);
          if (e === null || e.operation !== "PUT" || (e.json<{ snapshot: Snapshot }>().snapshot.t !== CLOSING_MARK)) return false;
        }
        return true;
      }, 30_000);
      // The survivor's own metrics say it rebuilt what it took over.
      const survivor = children.find((c) => c !== victim) as WorkerProcess;
      const metricsUrl = /metrics on (http:\/\/\S+)\/metrics/.exec(survivor.stderr())?.[1];
      expect(metricsUrl, survivor.stderr()).toBeDefined();
      const text = await (await fetch(`${metricsUrl}/metrics`)).text();
      expect(Number(/chatstream_worker_owned_channels\{worker="\w+"\} (\d+)/.exec(text)?.[1])).toBe(tokens.filter((t) => ownerOf(lease(t), ["w2", "w3", "w1"].filter((w) => w !== victim.id)) === survivor.id).length);
      expect(Number(/chatstream_worker_records_applied_total\{worker="\w+"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
      expect((await fetch(`${metricsUrl}/readyz`)).status).toBe(200);
      console.info(`[#18] failover: ${victimTokens.length} channel(s) of ${victim.id} leased by the others ${recoveryMs} ms after kill -9 (lease TTL 3 s); all channels done ${Date.now() - killedAt} ms after the kill`);

      // Roll-ups: one record per (channel, level, period), their counts adding up to the messages ingested.
      const rollups: Rollup[] = [];
      const ci = await broker.jsm.consumers.add(ROLLUP_STREAM, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, inactive_threshold: 30_000_000_000 });
      const consumer = await broker.js.consumers.get(ROLLUP_STREAM, ci.name);
      for (let left = ci.num_pending; left > 0; ) {
        for await (const m of await consumer.fetch({ max_messages: Math.min(left, 1000), expires: 2000 })) {
          rollups.push(m.json<Rollup>());
          left--;
        }
      }
      const keys = rollups.map((r) => `${r.channel}|${r.level}|${r.start}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const level of ["5s", "1m", "10m"] as const) {
        for (const channel of CHANNELS) {
          const sum = rollups.filter((r) => r.channel === channel && r.level === level).reduce((n, r) => n + r.count, 0);
          expect(sum, `${level} roll-ups of ${channel}`).toBe(input.perChannel.get(channel));
        }
      }
      expect(rollups.every((r) => r.partial !== true)).toBe(true);

      // Snapshots: every one the single-process run publishes, published by the workers, the same; a re-published one identical.
      const out = join(dir, "single.jsonl");
      const run = captureIO(new SystemClock());
      expect(await runCommand({ input: input.path, speed: "max", sinks: [`jsonl:${out}`], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false }, run.io)).toBe(0);
      const reference = parseRecords(readFileSync(out, "utf8")).filter((r): r is Snapshot => r.type === "snapshot");
      const published = new Map<string, string>();
      for (const s of snapshots) {
        const key = `${s.channel}|${s.t}`;
        const json = JSON.stringify(s);
        const seen = published.get(key);
        if (seen !== undefined) expect(json, `re-published snapshot ${key}`).toBe(seen);
        published.set(key, json);
      }
      let compared = 0;
      for (const r of reference) {
        expect(published.get(`${r.channel}|${r.t}`), `snapshot ${r.channel} at ${r.t}`).toBe(JSON.stringify(r));
        compared++;
      }
      expect(compared).toBeGreaterThan(CHANNELS.length * 150);
      expect(inProcess.stats.applied).toBeGreaterThan(0);

      // `serve --broker`: the API answers from the bucket and the subjects, with no pipeline of its own.
      const stop = new AbortController();
      let url = "";
      const serving = serveCommand({ server: { serve: "127.0.0.1:0" }, stop: stop.signal, onListening: (s) => (url = s.url) }, captureIO(new SystemClock()).io, { CHATSTREAM_BROKER: own.url });
      await until("serve listening", () => url !== "", 20_000);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const latest = (await (await fetch(`${url}/v1/snapshot?channel=${encodeURIComponent("a.b")}`)).json()) as Snapshot;
      expect(latest.t).toBe(CLOSING_MARK);
      expect(JSON.stringify(latest)).toBe(published.get(`a.b|${CLOSING_MARK}`));
      stop.abort();
      expect(await serving).toBe(0);
    } finally {
      sub.unsubscribe();
      await inProcess.stop();
      await Promise.all(children.map((c) => c.stop()));
      await broker.close();
    }
  }, 180_000);
});
