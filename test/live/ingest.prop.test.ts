import websocket from "@fastify/websocket";
import fc from "fast-check";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { VirtualClock } from "../../src/core/clock.js";
import { IngestSource, type IngestResult } from "../../src/sources/live/ingest/ingest-source.js";
import { registerIngestRoute } from "../../src/sources/live/ingest/ingest-route.js";

const MAX_FRAME_BYTES = 64 * 1024;
const MAX_ITEMS = 40;

const message = fc.record(
  {
    user: fc.oneof(fc.string({ maxLength: 30 }), fc.integer()),
    text: fc.string({ maxLength: 200, unit: "grapheme" }),
    channel: fc.constantFrom("a", "b", "__proto__", "constructor", ""),
    ts: fc.double(),
    emotes: fc.array(fc.record({ name: fc.string(), start: fc.integer({ min: -2, max: 20 }), end: fc.integer({ min: -2, max: 20 }) }), { maxLength: 3 }),
    flags: fc.dictionary(fc.string(), fc.boolean(), { maxKeys: 3 }),
  },
  { requiredKeys: ["text"] },
);
const event = fc.record({ type: fc.constant("event"), kind: fc.string({ maxLength: 12 }), user: fc.string({ maxLength: 10 }), amount: fc.oneof(fc.string(), fc.double()), count: fc.double() }, { requiredKeys: ["type"] });
/** The fields of a message with any JSON at all in them. */
const mistyped = fc.record({ text: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 })), user: fc.jsonValue({ maxDepth: 2 }), channel: fc.oneof(fc.string({ maxLength: 250 }), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] });
const item = fc.oneof({ weight: 4, arbitrary: message }, { weight: 2, arbitrary: event }, { weight: 2, arbitrary: mistyped }, { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) });

/** Valid JSON nested `depth` deep, inside an item or alone. */
const deep = fc.tuple(fc.integer({ min: 0, max: 80_000 }), fc.boolean()).map(([depth, inItem]) => {
  const nest = "[".repeat(depth) + "]".repeat(depth);
  return inItem ? `{"user":"d","text":"x","x":${nest}}` : nest;
});
const frame = fc.oneof(
  { weight: 3, arbitrary: item.map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: fc.array(item, { maxLength: MAX_ITEMS + 5, size: "max" }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: deep },
  { weight: 1, arbitrary: fc.tuple(fc.array(message, { maxLength: 3 }), deep).map(([before, d]) => `[${[...before.map((m) => JSON.stringify(m)), d].join(",")}]`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 40_000 }).map((n) => "[{".repeat(n)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300, unit: "binary" }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 50 }), fc.constantFrom("[", "{", '"', "\\", "]", "}", ",")).map(([s, c]) => s + c.repeat(100)) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_FRAME_BYTES - 100, max: MAX_FRAME_BYTES + 100 }).map((n) => JSON.stringify({ user: "u", text: "x".repeat(n - 23) })) },
);

/** What the test itself can tell about a frame: how many items it holds, or that it cannot be read as items. */
function itemsIn(text: string): number | undefined {
  if (Buffer.byteLength(text) > MAX_FRAME_BYTES) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.length : 1;
  } catch {
    return undefined;
  }
}

function checkAnswer(r: IngestResult, text: string, closed: boolean): void {
  expect(typeof r.ok).toBe("boolean");
  expect(Number.isInteger(r.accepted) && r.accepted >= 0 && Number.isInteger(r.events) && r.events >= 0).toBe(true);
  const n = closed ? undefined : itemsIn(text);
  if (r.ok) {
    expect(r.accepted + r.events).toBe(n);
    return;
  }
  expect(r.rejected).toBeGreaterThanOrEqual(1);
  if (r.index !== undefined) {
    // Items before the refused one were all taken; it and the rest were not.
    expect(r.accepted + r.events).toBe(r.index);
    if (n !== undefined) expect(r.index + r.rejected).toBe(n);
    return;
  }
  // Refused as a whole: a frame that cannot be read counts as one item, one with too many items as all of them.
  expect(r.accepted + r.events).toBe(0);
  expect(r.rejected).toBe(n ?? 1);
}

describe("ingest frames, arbitrary and hostile", () => {
  it("[#14.prop] IngestSource.push never throws, answers every frame once, and accounts for every item", () => {
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 80 }), (frames, stopAt, capacity) => {
        const ingest = new IngestSource({ clock: new VirtualClock(0), capacity, maxFrameBytes: MAX_FRAME_BYTES, maxItemsPerFrame: MAX_ITEMS });
        const totals = { accepted: 0, events: 0, rejected: 0, refused: 0 };
        frames.forEach((text, i) => {
          if (i === stopAt) void ingest.stop();
          const r = ingest.push(text);
          checkAnswer(r, text, i >= stopAt);
          totals.accepted += r.accepted;
          totals.events += r.events;
          if (!r.ok) {
            totals.rejected += r.rejected;
            totals.refused++;
          }
        });
        const s = ingest.stats;
        expect(s.frames).toBe(frames.length);
        expect({ accepted: s.accepted, events: s.events, rejected: s.rejected, refused: s.invalid + s.tooLarge + s.queueFull + s.closed }).toEqual(totals);
        expect(ingest.depth).toBe(totals.accepted);
      }),
      { numRuns: 300 },
    );
  });

  it("[#14.prop] through the real route, every frame gets exactly one answer, in order, and the server keeps serving", async () => {
    const app = Fastify();
    // As on the real server: frames above the source's limit get an answer, only those above maxPayload close the socket.
    await app.register(websocket, { options: { maxPayload: 512 * 1024 } });
    const ingest = new IngestSource({ clock: new VirtualClock(0), capacity: 1_000_000, maxFrameBytes: MAX_FRAME_BYTES, maxItemsPerFrame: MAX_ITEMS });
    registerIngestRoute(app, ingest);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    const ws = new WebSocket(`ws://127.0.0.1:${address.port}/v1/ingest`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const answers: IngestResult[] = [];
    ws.on("message", (d: Buffer) => answers.push(JSON.parse(d.toString("utf8")) as IngestResult));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (frames) => {
          answers.length = 0;
          const marker = JSON.stringify({ user: "marker", text: "end of run" });
          for (const f of frames) ws.send(f);
          ws.send(marker);
          for (let i = 0; i < 400 && answers.length < frames.length + 1; i++) await new Promise((r) => setTimeout(r, 5));
          expect(answers).toHaveLength(frames.length + 1);
          frames.forEach((f, i) => checkAnswer(answers[i] as IngestResult, f, false));
          expect(answers.at(-1)).toEqual({ ok: true, accepted: 1, events: 0 });
        }),
        { numRuns: 40 },
      );
      expect(ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      ws.terminate();
      await app.close();
    }
  });
});
