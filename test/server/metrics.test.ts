import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { runCommand } from "../../src/commands/run-command.js";
import { SystemClock, VirtualClock } from "../../src/core/clock.js";
import { PipelineMetrics } from "../../src/metrics/pipeline-metrics.js";
import { IngestSource } from "../../src/sources/live/ingest/ingest-source.js";
import { captureIO } from "../helpers/command-io.js";
import { startIngestRun, until, type IngestRun } from "./harness.js";

const scrape = async (url: string): Promise<string> => (await fetch(`${url}/metrics`)).text();

/** Sends frames on one ingest socket and resolves once each got its answer. */
async function pushAll(url: string, frames: (string | Buffer)[]): Promise<Record<string, unknown>[]> {
  const ws = new WebSocket(url.replace("http", "ws") + "/v1/ingest");
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const answers: Record<string, unknown>[] = [];
  ws.on("message", (d: Buffer) => answers.push(JSON.parse(d.toString("utf8")) as Record<string, unknown>));
  for (const f of frames) ws.send(f, { binary: Buffer.isBuffer(f) });
  await until(() => (answers.length === frames.length ? true : undefined), "an answer to every frame");
  ws.close();
  return answers;
}

describe("metrics of refused input", () => {
  let run: IngestRun | undefined;
  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });

  it("[#14.8] /metrics counts ingest frames and items by result, read from the ingest source at scrape time", async () => {
    run = await startIngestRun();
    const answers = await pushAll(run.url, [
      JSON.stringify([{ user: "a", text: "one" }, { type: "event", kind: "raid", user: "r", count: 5 }]),
      "{not json",
      JSON.stringify([{ user: "b", text: "two" }, { user: "c", text: 3 }, { user: "d", text: "lost" }]),
      JSON.stringify({ user: "big", text: "x".repeat(300 * 1024) }),
      Buffer.from("binary"),
    ]);
    expect(answers.map((a) => a.ok)).toEqual([true, false, false, false, false]);
    const text = await scrape(run.url);
    for (const line of [
      'chatstream_ingest_frames_total{result="ok"} 1',
      'chatstream_ingest_frames_total{result="invalid"} 3',
      'chatstream_ingest_frames_total{result="too-large"} 1',
      'chatstream_ingest_frames_total{result="queue-full"} 0',
      'chatstream_ingest_frames_total{result="closed"} 0',
      'chatstream_ingest_items_total{result="accepted"} 2',
      'chatstream_ingest_items_total{result="event"} 1',
      'chatstream_ingest_items_total{result="rejected"} 5',
    ]) {
      expect(text).toContain(line);
    }
  });

  it("[#14.8] queue-full and closed refusals are counted too", async () => {
    const metrics = new PipelineMetrics();
    const ingest = new IngestSource({ clock: new VirtualClock(0), capacity: 1 });
    metrics.trackIngest(() => ingest.stats);
    ingest.push(JSON.stringify({ user: "a", text: "fits" }));
    expect(ingest.push(JSON.stringify([{ user: "b", text: "no room" }, { user: "c", text: "nor here" }]))).toMatchObject({ ok: false, error: "queue-full", rejected: 2 });
    await ingest.stop();
    expect(ingest.push(JSON.stringify({ user: "d", text: "too late" }))).toMatchObject({ ok: false, error: "closed", rejected: 1 });
    const text = await metrics.text();
    expect(text).toContain('chatstream_ingest_frames_total{result="queue-full"} 1');
    expect(text).toContain('chatstream_ingest_frames_total{result="closed"} 1');
    expect(text).toContain('chatstream_ingest_items_total{result="rejected"} 3');
  });

  it("[#14.8] lines with invalid UTF-8 count in chatstream_messages_malformed_total", async () => {
    const stdin = new PassThrough();
    const out = captureIO(new SystemClock(), stdin);
    const done = runCommand(
      { input: "-", format: "jsonl", speed: "max", sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment: "lexicon", server: { serve: "127.0.0.1:0", sighup: false } },
      out.io,
    );
    const url = await until(() => /serving on (http:\/\/\S+)/.exec(out.stderr())?.[1], "the server");
    const good = (n: number): Buffer => Buffer.from(`{"t":${n * 1000},"user":"u${n}","text":"fine ${n}","platform":"twitch"}\n`);
    stdin.write(Buffer.concat([good(1), Buffer.from('{"t":2000,"user":"x","text":"bad '), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('"}\n'), good(3), Buffer.from("{broken\n"), Buffer.from([0xe2, 0x82, 0x0a]), good(5)]));
    // Once the last good line is in, every line before it has been counted.
    const text = await until(async () => {
      const t = await scrape(url);
      return /chatstream_messages_received_total\{[^}]*\} 3\n/.test(t) ? t : undefined;
    }, "the three good lines");
    const metric = /chatstream_messages_malformed_total\{source="[^"]*"\} (\d+)/.exec(text)?.[1];
    stdin.end();
    expect(await done).toBe(0);
    expect(metric).toBe("3");
    expect(out.stderr()).toContain("1 malformed (line 4), 2 invalid UTF-8 (lines 2, 5)");
  });
});

describe("snapshot assembly histogram", () => {
  it("counts every assembled snapshot in its bucket, with the sum in seconds", async () => {
    const metrics = new PipelineMetrics();
    for (const ns of [2_000, 8_000, 30_000, 700_000, 80_000_000]) metrics.snapshotAssembled("c", ns);
    const text = await metrics.text();
    const line = (series: string): string | undefined => text.split("\n").find((l) => l.startsWith(`chatstream_snapshot_assembly_seconds${series} `));
    expect(line('_bucket{le="0.00001"}')).toBe('chatstream_snapshot_assembly_seconds_bucket{le="0.00001"} 2');
    expect(line('_bucket{le="0.00005"}')).toBe('chatstream_snapshot_assembly_seconds_bucket{le="0.00005"} 3');
    expect(line('_bucket{le="0.001"}')).toBe('chatstream_snapshot_assembly_seconds_bucket{le="0.001"} 4');
    expect(line('_bucket{le="+Inf"}')).toBe('chatstream_snapshot_assembly_seconds_bucket{le="+Inf"} 5');
    expect(Number(line("_sum")?.split(" ")[1])).toBeCloseTo(0.08074, 9);
    expect(line("_count")).toBe("chatstream_snapshot_assembly_seconds_count 5");
  });
});
