import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { runCommand } from "../../src/commands/run-command.js";
import { SystemClock } from "../../src/core/clock.js";
import { captureIO } from "../helpers/command-io.js";

const CHANNELS = 20_000;
const CAP = 1_000;
const FRAME = 500;

async function until<T>(probe: () => T | undefined, what: string, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Pushes one frame and resolves with the server's answer. */
function push(ws: WebSocket, items: unknown[]): Promise<{ ok: boolean; accepted: number; error?: string }> {
  return new Promise((resolve) => {
    ws.once("message", (d: Buffer) => resolve(JSON.parse(d.toString()) as { ok: boolean; accepted: number; error?: string }));
    ws.send(JSON.stringify(items));
  });
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.text() };
}

describe("many distinct channels over /v1/ingest", () => {
  it("[#14.8] 20,000 channels with --max-channels 1000: the cap holds, evictions are counted everywhere, the server keeps answering", async () => {
    const h = captureIO(new SystemClock());
    const stop = new AbortController();
    const done = runCommand(
      { speed: 1, sinks: ["jsonl:/dev/null"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment: "lexicon", maxChannels: CAP, server: { serve: "127.0.0.1:0", sighup: false, ingest: true }, live: { stop: stop.signal } },
      h.io,
    );
    try {
      const base = await until(() => /serving on (http:\/\/\S+)/.exec(h.stderr())?.[1], "the server");
      const ws = new WebSocket(`${base.replace("http", "ws")}/v1/ingest`);
      await new Promise((r) => ws.once("open", r));
      for (let sent = 0; sent < CHANNELS; ) {
        const items = Array.from({ length: Math.min(FRAME, CHANNELS - sent) }, (_, i) => ({ user: `viewer${sent + i}`, text: "hello from my channel", channel: `channel${sent + i}` }));
        const answer = await push(ws, items);
        sent += answer.accepted;
        // The ingest buffer is bounded: back off when it is full, as a producer should.
        if (!answer.ok) await new Promise((r) => setTimeout(r, 20));
        const health = sent % 5_000 < FRAME ? await get(`${base}/healthz`) : undefined;
        if (health !== undefined) expect(health.status).toBe(200);
      }
      const evictedTotal = (metrics: string): number => Number(/^chatstream_channels_evicted_total (\d+)/m.exec(metrics)?.[1]);
      let metrics = "";
      for (let i = 0; i < 200 && evictedTotal(metrics) !== CHANNELS - CAP; i++) {
        metrics = (await get(`${base}/metrics`)).body;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(metrics).toMatch(new RegExp(`^chatstream_channels ${CAP}$`, "m"));
      // Label sets of evicted channels are gone: one series per kept channel, not per channel ever seen.
      const received = new Set([...metrics.matchAll(/^chatstream_messages_received_total\{[^}]*channel="([^"]+)"/gm)].map((m) => m[1]));
      expect(received.size).toBeLessThanOrEqual(CAP + 1000);
      expect(received.has("channel0")).toBe(false);
      expect(metrics).not.toMatch(/chatstream_message_processing_seconds_bucket\{[^}]*channel=/);
      const names = (JSON.parse((await get(`${base}/v1/channels`)).body) as { channels: { name: string }[] }).channels.map((c) => c.name);
      expect(names.length).toBe(CAP);
      expect(names).not.toContain("channel0");
      expect(names).toContain(`channel${CHANNELS - 1}`);
      expect((await get(`${base}/healthz`)).status).toBe(200);
      ws.close();
    } finally {
      stop.abort();
    }
    expect(await done).toBe(0);
    expect(h.stderr()).toMatch(/processed 20,000 messages in 1000 channel\(s\).*19,000 idle channel\(s\) evicted \(--max-channels\)/);
  });
});
