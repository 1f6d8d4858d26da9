import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { runCommand } from "../../src/commands/run-command.js";
import { SystemClock } from "../../src/core/clock.js";
import { captureIO } from "../helpers/command-io.js";
import { startServingCli } from "./cli-server.js";
import { startIngestRun } from "./harness.js";
import type { OutputRecord, Snapshot } from "../../src/schema/output-schema.js";

const io = (): ReturnType<typeof captureIO> => captureIO(new SystemClock());

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("run --serve --ingest", () => {
  it("takes chat pushed over /v1/ingest into the pipeline, and reports the source in /readyz and /metrics", async () => {
    const h = io();
    const stop = new AbortController();
    const done = runCommand(
      { speed: 1, sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment: "lexicon", server: { serve: "127.0.0.1:0", sighup: false, ingest: true }, live: { stop: stop.signal } },
      h.io,
    );
    const base = await until(() => /serving on (http:\/\/\S+)/.exec(h.stderr())?.[1], "the server");
    const ws = new WebSocket(`${base.replace("http", "ws")}/v1/ingest`);
    const answers: unknown[] = [];
    ws.on("message", (d: Buffer) => answers.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify([{ user: "a", text: "LUL that was great", channel: "pushed" }, { user: "b", text: "PogChamp", channel: "pushed" }]));
    ws.send("{not json");
    await until(() => (answers.length >= 2 ? true : undefined), "ingest answers");
    expect(answers[0]).toMatchObject({ ok: true, accepted: 2 });
    expect(answers[1]).toMatchObject({ ok: false, error: "invalid" });
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { status: string; sources: { name: string; messages: number }[] };
    expect(ready.sources.map((s) => s.name)).toContain("ingest");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/chatstream_source_up\{source="ingest"/);
    // Arrival-stamped: the ticker publishes the pushed channel at 2 Hz until both messages are in a snapshot.
    await until(() => (/"channel":"pushed","t":\d+,"window":\{[^}]*\},"count":2,/.test(h.stdout()) ? true : undefined), "a snapshot holding both pushed messages");
    ws.close();
    stop.abort();
    expect(await done).toBe(0);
    const snaps = h.stdout().trim().split("\n").map((l) => JSON.parse(l) as OutputRecord).filter((r): r is Snapshot => r.type === "snapshot" && r.channel === "pushed");
    expect(snaps.at(-1)?.count).toBe(2);
  });
});

/** Opens an ingest socket, sends one frame and resolves with its answer (or rejects after 5 s). */
async function pushOne(base: string, frame: string): Promise<Record<string, unknown>> {
  const ws = new WebSocket(`${base.replace("http", "ws")}/v1/ingest`);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no answer")), 5000);
      ws.once("message", (d: Buffer) => {
        clearTimeout(timer);
        resolve(JSON.parse(d.toString("utf8")) as Record<string, unknown>);
      });
      ws.once("close", () => reject(new Error("closed without an answer")));
      ws.send(frame);
    });
  } finally {
    ws.close();
  }
}

describe("the ingest route on the real server", () => {
  it("[#14.5] a frame nested 60,000 deep gets an error frame and the chatstream process keeps serving", async () => {
    const cli = await startServingCli(["run", "--serve", "127.0.0.1:0", "--ingest", "--no-progress"]);
    try {
      const deep = `{"user":"d","text":"x","x":${"[".repeat(60_000)}${"]".repeat(60_000)}}`;
      expect(await pushOne(cli.url, deep)).toMatchObject({ ok: false, error: "invalid", rejected: 1 });
      expect(await pushOne(cli.url, JSON.stringify({ user: "e", text: "after the attack" }))).toMatchObject({ ok: true, accepted: 1 });
      expect((await fetch(`${cli.url}/healthz`)).status).toBe(200);
      expect(cli.alive()).toBe(true);
    } finally {
      await cli.stop();
    }
  });

  it("keeps 256 KiB ingest frames while the stream's control messages are held to 4 KiB", async () => {
    const run = await startIngestRun();
    try {
      const frame = JSON.stringify({ user: "long", text: "y".repeat(250 * 1024) });
      expect(Buffer.byteLength(frame)).toBeLessThan(256 * 1024);
      expect(await pushOne(run.url, frame)).toEqual({ ok: true, accepted: 1, events: 0 });
    } finally {
      await run.stop();
    }
  });
});
