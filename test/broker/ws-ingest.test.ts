import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { brokerConfigFrom } from "../../src/broker/broker-config.js";
import { ChannelWorker } from "../../src/broker/channel-worker.js";
import { connectBroker, type Broker } from "../../src/broker/nats-broker.js";
import { ingestCommand } from "../../src/commands/ingest-command.js";
import { setUpModels } from "../../src/commands/model-setup.js";
import { SystemClock } from "../../src/core/clock.js";
import type { Rollup, Snapshot } from "../../src/schema/output-schema.js";
import { captureIO } from "../helpers/command-io.js";
import { NATS_SERVER, SKIP_MESSAGE, startNatsServer, until, type NatsServer } from "./nats-fixture.js";

if (NATS_SERVER === undefined) console.warn(SKIP_MESSAGE);

const TOKEN = "ingest-s3cret";

/** Opens a WebSocket and resolves with it once open, or with the HTTP status it was refused with. */
function open(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", () => resolve(0));
  });
}

function send(ws: WebSocket, frame: unknown): Promise<{ ok: boolean; accepted: number }> {
  return new Promise((resolve) => {
    ws.once("message", (data: Buffer) => resolve(JSON.parse(data.toString("utf8")) as { ok: boolean; accepted: number }));
    ws.send(JSON.stringify(frame));
  });
}

describe.skipIf(NATS_SERVER === undefined)("chatstream ingest with the WebSocket ingest as its source (a real nats-server -js)", () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("[#18] /v1/ingest checks the token and the Origin as run --serve does; pushed chat reaches a worker; a quiet channel keeps its 2 Hz snapshots and closes its roll-ups through silence", async () => {
    const broker: Broker = await connectBroker(brokerConfigFrom({ broker: server.url, env: {} }), { name: "test" });
    const snapshots: Snapshot[] = [];
    const rollups: Rollup[] = [];
    const subs = [broker.nc.subscribe("snap.>", { callback: (_e, m) => void snapshots.push(m.json<Snapshot>()) }), broker.nc.subscribe("rollup.>", { callback: (_e, m) => void rollups.push(m.json<Rollup>()) })];
    const worker = new ChannelWorker({ id: "solo", broker, models: setUpModels({}), clock: new SystemClock(), tickMs: 200 });
    const stop = new AbortController();
    let base = "";
    const io = captureIO(new SystemClock());
    const ingesting = ingestCommand({ broker: server.url, speed: "max", maxInFlight: 64, maxMessageLength: 2000, server: { serve: "127.0.0.1:0", ingest: true, ingestToken: TOKEN }, stop: stop.signal, onListening: (url) => (base = url) }, io.io, {});
    try {
      await worker.start();
      await until("the ingest listening", () => base !== "", 20_000);
      const url = `${base.replace(/^http/, "ws")}/v1/ingest`;
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status, await ready.clone().text()).toBe(200);
      expect((await ready.json()) as { sources: { platform: string }[] }).toMatchObject({ sources: [{ platform: "ingest" }, { platform: "nats" }] });
      // The same checks as run --serve --ingest: no token, a wrong one, a foreign page's Origin are refused.
      expect(await open(url, {})).toBe(401);
      expect(await open(url, { authorization: "Bearer wrong" })).toBe(401);
      expect(await open(url, { authorization: `Bearer ${TOKEN}`, origin: "https://evil.example" })).toBe(403);
      const ws = await open(url, { authorization: `Bearer ${TOKEN}` });
      if (typeof ws === "number") throw new Error(`refused: ${ws}`);
      const burst = Array.from({ length: 30 }, (_, i) => ({ channel: "quiet one", user: `u${i % 4}`, text: i % 2 === 0 ? "what a save" : "save of the year" }));
      expect(await send(ws, burst)).toMatchObject({ ok: true, accepted: 30 });
      expect(await send(ws, { type: "event", kind: "sub", channel: "quiet one", user: "fan" })).toMatchObject({ ok: true });
      const lastPushAt = Date.now();
      // Silence: nothing is pushed for 6 s; the worker keeps publishing from the ingest's watermarks alone.
      await until("a 5 s roll-up of the quiet channel closed through silence", () => rollups.some((r) => r.channel === "quiet one" && r.level === "5s" && r.count === 30), 20_000);
      await until("3 s of snapshots after the last message", () => {
        const ts = snapshots.filter((s) => s.channel === "quiet one").map((s) => s.t);
        return ts.length > 0 && (ts.at(-1) as number) - (ts[0] as number) >= 6_000;
      }, 20_000);
      expect(Date.now() - lastPushAt).toBeGreaterThanOrEqual(5_000);
      const ts = snapshots.filter((s) => s.channel === "quiet one").map((s) => s.t);
      // Every 500 ms of stream time, none missed, none twice.
      expect(ts.every((t, i) => i === 0 || t - (ts[i - 1] as number) === 500)).toBe(true);
      const silent = snapshots.filter((s) => s.channel === "quiet one" && s.t >= (ts[0] as number) + 2_000);
      expect(silent.length).toBeGreaterThanOrEqual(8);
      ws.close();
      stop.abort();
      expect(await ingesting, io.stderr()).toBe(0);
      // Stored: the 30 messages, the event and one watermark per silent tick, nothing lost or refused.
      const line = /stored (\d+), duplicates 0, failed 0, refused 0, retries 0; in flight high-water \d+; (\d+) watermarks through silence/.exec(io.stderr());
      expect(line, io.stderr()).not.toBeNull();
      const [stored, marks] = (line as RegExpExecArray).slice(1).map(Number) as [number, number];
      expect(marks).toBeGreaterThanOrEqual(10);
      expect(stored).toBe(31 + marks);
      expect(io.stderr()).toContain("ingest /v1/ingest: 2 frames, 30 messages, 1 events, 0 refused");
    } finally {
      stop.abort();
      await ingesting.catch(() => undefined);
      for (const s of subs) s.unsubscribe();
      await worker.stop();
      await broker.close();
    }
  }, 60_000);
});
