// Memory per busy channel: K channels, each replaying the LoL Worlds day-2 recording at its own rate (channel k
// starts k × 97 s into it, so windows hold different chat), through the per-message stage, the channel pipelines
// and the server's state (latest snapshot, roll-up history), into JSON lines to a discarding sink. After
// MINUTES of stream time it forces a GC and reports RSS and heap. Run it for 1 and for 100 channels; the
// per-channel figure is (RSS(100) − RSS(1)) / 99. `--pipeline-only` leaves the server's state out (what the
// pipeline alone holds per channel). The replay runs as fast as it can, so V8 sizes its heap for that allocation
// rate (up to several times what is live); the heap figure, (heapUsed(100) − heapUsed(1)) / 99 after full
// collections, is what a channel keeps alive.
//
//   npm run bench:channel-memory [-- --pipeline-only] [--minutes M]
//        runs 1 and 100 channels, M minutes of stream each (default 70: the server's 1 h ring of 5 s roll-ups is
//        full), each in its own process, and writes benchmarks/reports/channel-memory[-pipeline].json
//   node --expose-gc --import tsx benchmarks/channel-memory.bench.ts CHANNELS [MINUTES [FILE]] [--sentiment NAME] [--pipeline-only]
//        one run: prints one JSON line
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import type { ChatMessage } from "../src/core/message.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { PipelineRouter } from "../src/pipeline/pipeline-router.js";
import { ServerSink } from "../src/server/server-sink.js";
import { JsonlSink } from "../src/sinks/jsonl-sink.js";

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--sentiment" && all[i - 1] !== "--minutes");
const pipelineOnly = process.argv.includes("--pipeline-only");
const minutesAt = process.argv.indexOf("--minutes");
const sentimentAt = process.argv.indexOf("--sentiment");
const sentiment = sentimentAt > 0 ? process.argv[sentimentAt + 1] : undefined;
if (positional[0] === undefined) {
  // Both runs, each in a fresh process so neither inherits the other's heap.
  const runs = [1, 100].map((k) => {
    const minutes = minutesAt > 0 ? (process.argv[minutesAt + 1] as string) : "70";
    const flags = [...(sentiment !== undefined ? ["--sentiment", sentiment] : []), ...(pipelineOnly ? ["--pipeline-only"] : [])];
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), String(k), minutes, ...flags], { encoding: "utf8", maxBuffer: 1 << 20 });
    return JSON.parse(out.trim().split("\n").at(-1) as string) as { rssMB: number; heapUsedMB: number };
  });
  const [one, hundred] = runs as [{ rssMB: number; heapUsedMB: number }, { rssMB: number; heapUsedMB: number }];
  const summary = {
    benchmark: "channel-memory",
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    pipelineOnly,
    rssPerChannelMB: Math.round(((hundred.rssMB - one.rssMB) / 99) * 100) / 100,
    heapPerChannelMB: Math.round(((hundred.heapUsedMB - one.heapUsedMB) / 99) * 100) / 100,
    runs,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  writeFileSync(new URL(`./reports/channel-memory${pipelineOnly ? "-pipeline" : ""}.json`, import.meta.url), JSON.stringify(summary, null, 2) + "\n");
  process.exit(0);
}
const CHANNELS = Number(positional[0]);
const MINUTES = Number(positional[1] ?? 70);
const FILE = positional[2] ?? new URL("../../shared/data/chat/twitch-riotgames-lolworlds2016-day2.jsonl", import.meta.url).pathname;
const STEP = 500;
const OFFSET_MS = 97_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");
// Raw lines with their times: each channel decodes its own copy, so no two channels share a message's strings.
const lines: { t: number; raw: string }[] = [];
for (const raw of readFileSync(FILE, "utf8").split("\n")) {
  if (raw.trim() === "") continue;
  const o = JSON.parse(raw) as { t?: unknown };
  if (typeof o.t === "number") lines.push({ t: o.t, raw });
}
lines.sort((a, b) => a.t - b.t);
const t0 = (lines[0] as { t: number }).t;
const duration = (lines.at(-1) as { t: number }).t - t0 + STEP;

class DevNull extends Writable {
  override _write(_chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    done();
  }
}

const models = setUpModels({ sentiment });
const server = new ServerSink();
const jsonl = new JsonlSink(new DevNull());
const router = new PipelineRouter({
  summarizer: () => models.summarizer,
  emit: (r) => {
    jsonl.write(r);
    if (!pipelineOnly) server.write(r);
  },
});
// For each channel, the index of its next line in the looped recording.
const cursor = Array.from({ length: CHANNELS }, (_, k) => {
  const from = t0 + ((k * OFFSET_MS) % duration);
  const i = lines.findIndex((l) => l.t >= from);
  return { i: i < 0 ? 0 : i, lap: 0, offset: (k * OFFSET_MS) % duration };
});
const baseline = process.memoryUsage().rss;
const end = MINUTES * 60_000;
let messages = 0;
const started = process.cpuUsage();
for (let s = 0; s < end; s += STEP) {
  for (let k = 0; k < CHANNELS; k++) {
    const c = cursor[k] as { i: number; lap: number; offset: number };
    // Recording time of stream time s for this channel: (s + offset) mod duration, laps counted.
    for (;;) {
      const line = lines[c.i] as { t: number; raw: string };
      const streamT = line.t - t0 - c.offset + c.lap * duration;
      if (streamT >= s + STEP) break;
      const o = JSON.parse(line.raw) as { user: string; text: string; platform?: string };
      const m: ChatMessage = { t: Math.max(s, streamT), platform: o.platform ?? "twitch", channel: `ch${k}`, userId: o.user, user: o.user, text: o.text };
      router.ingest(m.channel, models.processor.process(m));
      messages++;
      if (++c.i === lines.length) {
        c.i = 0;
        c.lap++;
      }
    }
  }
  router.advanceTo(s + STEP - 1);
}
const cpu = process.cpuUsage(started);
// Settle: a few collections and a pause, so RSS shows what is live rather than the garbage of a replay at full speed.
// Full collections a second apart for 10 s give V8 the idle time in which it shrinks an oversized heap.
for (let i = 0; i < 3; i++) gc();
for (let i = 0; i < 10; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  gc();
}
if (process.env.HEAP_SNAPSHOT !== undefined) (await import("node:v8")).writeHeapSnapshot(process.env.HEAP_SNAPSHOT);
const mem = process.memoryUsage();
const result = {
  benchmark: "channel-memory",
  node: process.version,
  date: new Date().toISOString(),
  channels: CHANNELS,
  streamMinutes: MINUTES,
  pipelineOnly,
  sentiment: sentiment ?? "default",
  messages,
  rssMB: Math.round(mem.rss / 1e5) / 10,
  heapUsedMB: Math.round(mem.heapUsed / 1e5) / 10,
  heapTotalMB: Math.round(mem.heapTotal / 1e5) / 10,
  externalMB: Math.round(mem.external / 1e5) / 10,
  arrayBuffersMB: Math.round(mem.arrayBuffers / 1e5) / 10,
  rssBeforeMB: Math.round(baseline / 1e5) / 10,
  cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
