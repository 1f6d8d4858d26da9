import websocket from "@fastify/websocket";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { extractive, processor } from "../helpers/pipeline-fixtures.js";
import { VirtualClock } from "../../src/core/clock.js";
import { PipelineRouter } from "../../src/pipeline/pipeline-router.js";
import { runPipeline } from "../../src/pipeline/run-pipeline.js";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { IngestSource, type IngestResult } from "../../src/sources/live/ingest/ingest-source.js";
import { ingestRouteOptionsFor, isLoopbackHost, registerIngestRoute } from "../../src/sources/live/ingest/ingest-route.js";
import { MemorySink } from "./helpers/memory.js";

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function serve(ingest: IngestSource, token?: string): Promise<string> {
  const app = Fastify();
  apps.push(app);
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  registerIngestRoute(app, ingest, token === undefined ? {} : { token });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  return `ws://127.0.0.1:${address.port}/v1/ingest`;
}

/** A producer: sends frames and reads one answer per frame, in order. */
async function producer(url: string, headers: Record<string, string> = {}): Promise<{ send(frame: string | Buffer): Promise<IngestResult>; close(): void }> {
  const ws = new WebSocket(url, { headers });
  const answers: IngestResult[] = [];
  const waiting: ((r: IngestResult) => void)[] = [];
  ws.on("message", (data: Buffer) => {
    const r = JSON.parse(data.toString("utf8")) as IngestResult;
    const w = waiting.shift();
    if (w) w(r);
    else answers.push(r);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    send: (frame) => {
      const answer = new Promise<IngestResult>((resolve, reject) => {
        const ready = answers.shift();
        if (ready) return resolve(ready);
        const timer = setTimeout(() => reject(new Error("no answer to the frame in 5 s")), 5000);
        waiting.push((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      });
      ws.send(frame, { binary: Buffer.isBuffer(frame) });
      return answer;
    },
    close: () => ws.close(),
  };
}

describe("WebSocket ingest", () => {
  it("accepts valid frames (objects and arrays, events included) and refuses invalid and oversized ones with counts", async () => {
    const clock = new VirtualClock(10_000);
    const ingest = new IngestSource({ clock, maxFrameBytes: 2048, defaultChannel: "studio" });
    const url = await serve(ingest);
    const p = await producer(url);
    expect(await p.send(JSON.stringify({ t: 5, user: "ann", text: "hello there", platform: "web", ts: 1764280800000 }))).toEqual({ ok: true, accepted: 1, events: 0 });
    await clock.advanceBy(700);
    expect(
      await p.send(
        JSON.stringify([
          { t: 0, user: "bob", text: "gg", channel: "other" },
          { type: "event", kind: "paid", t: 0, user: "cat", amount: "$5.00", text: "love it", platform: "web", channel: "studio" },
        ]),
      ),
    ).toEqual({ ok: true, accepted: 1, events: 1 });
    expect(await p.send("{nope")).toMatchObject({ ok: false, error: "invalid", reason: "not JSON" });
    expect(await p.send(JSON.stringify([{ user: "x", text: "ok" }, 42]))).toMatchObject({ ok: false, error: "invalid", accepted: 1, rejected: 1, index: 1 });
    expect(await p.send(JSON.stringify({ user: "x", text: 5 }))).toMatchObject({ ok: false, error: "invalid", reason: '"text" must be string' });
    expect(await p.send(JSON.stringify({ user: "x", text: "y".repeat(5000) }))).toMatchObject({ ok: false, error: "too-large" });
    expect(await p.send(Buffer.from("binary"))).toMatchObject({ ok: false, error: "invalid" });
    p.close();
    expect(ingest.stats).toEqual({ frames: 7, accepted: 3, events: 1, rejected: 5, invalid: 4, tooLarge: 1, queueFull: 0, closed: 0 });
    expect(ingest.status()).toMatchObject({ state: "connected", messages: 3, events: 1 });

    const got: { t: number; channel: string; user: string; ts?: number }[] = [];
    await ingest.stop();
    for await (const batch of ingest.batches()) got.push(...batch.map((m) => ({ t: m.t, channel: m.channel, user: m.user, ...(m.ts ? { ts: m.ts } : {}) })));
    // Arrival-stamped: the producer's t is replaced by stream time since the source started; ts is kept.
    expect(got).toEqual([
      { t: 0, channel: "studio", user: "ann", ts: 1764280800000 },
      { t: 700, channel: "other", user: "bob" },
      { t: 700, channel: "studio", user: "x" },
    ]);
    expect(ingest.push("{}")).toMatchObject({ ok: false, error: "closed" });
  });

  it("applies the bounded queue's back-pressure: a full queue refuses pushes with queue-full, nothing is shed", async () => {
    const clock = new VirtualClock(0);
    const ingest = new IngestSource({ clock, capacity: 3 });
    const url = await serve(ingest);
    let open: () => void = () => undefined;
    let gate = new Promise<void>((r) => (open = r));
    const sink = new MemorySink();
    sink.ready = () => gate;
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const run = runPipeline({ source: ingest, processor, router, sink, clock, speed: 1, queueCapacity: 2, arrivalOrigin: 0 });
    const p = await producer(url);
    const results: IngestResult[] = [];
    for (let i = 0; i < 12; i++) results.push(await p.send(JSON.stringify({ user: `u${i}`, text: `message ${i}` })));
    const accepted = results.filter((r) => r.ok).length;
    expect(results.at(-1)).toMatchObject({ ok: false, error: "queue-full" });
    expect(accepted).toBeGreaterThanOrEqual(3);
    expect(accepted).toBeLessThan(12);
    expect(ingest.stats.queueFull).toBe(12 - accepted);
    // The pipeline catches up; pushes are accepted again.
    open();
    gate = Promise.resolve();
    sink.ready = () => Promise.resolve();
    await new Promise((r) => setTimeout(r, 20));
    expect(await p.send(JSON.stringify({ user: "late", text: "made it" }))).toMatchObject({ ok: true, accepted: 1 });
    await clock.advanceTo(600);
    p.close();
    await ingest.stop();
    const stats = await run;
    expect(stats.messages).toBe(accepted + 1);
    expect(stats.queue.shed).toBe(0);
    expect(sink.records.filter((r): r is Snapshot => r.type === "snapshot").at(-1)?.count).toBe(accepted + 1);
  });

  it("requires the token when one is set (off loopback)", async () => {
    const ingest = new IngestSource({ clock: new VirtualClock(0) });
    const url = await serve(ingest, "s3cret");
    await expect(producer(url)).rejects.toThrow(/401/);
    const ok = await producer(url, { authorization: "Bearer s3cret" });
    expect(await ok.send(JSON.stringify({ user: "a", text: "b" }))).toMatchObject({ ok: true });
    ok.close();
    const viaQuery = await producer(`${url}?token=s3cret`);
    viaQuery.close();
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("0.0.0.0")).toBe(false);
    expect(ingestRouteOptionsFor("127.0.0.1", undefined)).toEqual({});
    expect(ingestRouteOptionsFor("0.0.0.0", "t")).toEqual({ token: "t" });
    expect(() => ingestRouteOptionsFor("0.0.0.0", undefined)).toThrow(/CHATSTREAM_TOKEN/);
  });
});

/** `{"user":"d","text":"x","x":` + `[` × depth + `]` × depth + `}`: valid JSON, nested `depth` deep. */
const deepItem = (depth: number): string => `{"user":"d","text":"x","x":${"[".repeat(depth)}${"]".repeat(depth)}}`;

describe("ingest frames from a hostile producer", () => {
  it("[#14.5] a frame nested 60,000 deep gets an error frame, and the same connection takes the next frame", async () => {
    const ingest = new IngestSource({ clock: new VirtualClock(0) });
    const url = await serve(ingest);
    const p = await producer(url);
    const frame = deepItem(60_000);
    expect(Buffer.byteLength(frame)).toBeLessThan(256 * 1024);
    const answer = await p.send(frame);
    expect(answer).toMatchObject({ ok: false, error: "invalid", accepted: 0, rejected: 1, index: 0 });
    expect(answer.ok === false && answer.reason).toMatch(/nested deeper than 32/);
    expect(await p.send(JSON.stringify({ user: "e", text: "still here" }))).toEqual({ ok: true, accepted: 1, events: 0 });
    p.close();
  });

  it("[#14.5] items before a too-deep item are kept, the rest of the frame is refused and counted", () => {
    const ingest = new IngestSource({ clock: new VirtualClock(0) });
    const frame = `[${JSON.stringify({ user: "a", text: "first" })},${JSON.stringify({ type: "event", kind: "raid", user: "r", count: 3 })},${deepItem(5000)},${JSON.stringify({ user: "c", text: "after" })}]`;
    expect(ingest.push(frame)).toEqual({ ok: false, error: "invalid", reason: "item nested deeper than 32 levels", accepted: 1, events: 1, rejected: 2, index: 2 });
    expect(ingest.depth).toBe(1);
    // Depth 32 is allowed: the item is an object (1) holding 31 nested arrays.
    expect(ingest.push(`{"user":"d","text":"x","x":${"[".repeat(31)}${"]".repeat(31)}}`)).toMatchObject({ ok: true, accepted: 1 });
    expect(ingest.push(`{"user":"d","text":"x","x":${"[".repeat(32)}${"]".repeat(32)}}`)).toMatchObject({ ok: false, reason: "item nested deeper than 32 levels" });
    // Brackets inside strings are text, not nesting.
    expect(ingest.push(JSON.stringify({ user: "s", text: "[".repeat(1000) + '\\"{' }))).toMatchObject({ ok: true, accepted: 1 });
    expect(ingest.stats).toMatchObject({ frames: 4, accepted: 3, events: 1, rejected: 3, invalid: 2 });
  });

  it("[#14.5] every item is checked against the ingest schema before it is decoded", () => {
    const ingest = new IngestSource({ clock: new VirtualClock(0) });
    expect(ingest.push(JSON.stringify({ user: { name: "x" }, text: "hi" }))).toMatchObject({ ok: false, error: "invalid", reason: '"user" must be string,number', index: 0 });
    expect(ingest.push(JSON.stringify({ user: "u", text: "hi", channel: "c".repeat(201) }))).toMatchObject({ ok: false, error: "invalid", reason: '"channel" must NOT have more than 200 characters' });
    expect(ingest.push(JSON.stringify({ user: "u" }))).toMatchObject({ ok: false, error: "invalid", reason: 'missing "text"' });
    expect(ingest.push(JSON.stringify([{ user: "u", text: "ok" }, { type: "event", user: "u" }]))).toMatchObject({ ok: false, accepted: 1, rejected: 1, index: 1, reason: 'missing "kind"' });
    expect(ingest.push(JSON.stringify({ user: "u", text: "hi", emotes: "Kappa" }))).toMatchObject({ ok: false, reason: '"emotes" must be array' });
    // Unknown fields are allowed, and a numeric user id is an id.
    expect(ingest.push(JSON.stringify({ user: 42, text: "hi", extra: { any: ["thing"] } }))).toEqual({ ok: true, accepted: 1, events: 0 });
  });
});
