// One channel of live chat at a fixed rate, in real time, through the whole pipeline as `chatstream run` runs a
// live source: arrival-stamped messages → bounded queue → per-message stage → channel pipeline → JSON lines (to a
// counting sink), snapshots due on the 2 Hz ticker. The messages are a real recording's lines (text and user),
// looped and re-timed to the rate. Reports snapshot assembly time, end-to-end latency (publication minus the later
// of the snapshot's due time and the arrival of the newest message it counts), the gaps between snapshots, the
// event-loop delay, CPU time and memory.
//
//   npx tsx benchmarks/snapshot-latency.bench.ts [RATE [SECONDS [FILE]]] [--sentiment NAME]
//        (default 1000 msg/s for 60 s on the LoL Worlds day-2 replay)
//
// Writes benchmarks/reports/snapshot-latency-RATE.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { Writable } from "node:stream";
import { SystemClock } from "../src/core/clock.js";
import type { ChatMessage } from "../src/core/message.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { PipelineRouter } from "../src/pipeline/pipeline-router.js";
import { runPipeline, type MessageSource } from "../src/pipeline/run-pipeline.js";
import { JsonlSink } from "../src/sinks/jsonl-sink.js";

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--sentiment");
const sentimentAt = process.argv.indexOf("--sentiment");
const sentiment = sentimentAt > 0 ? process.argv[sentimentAt + 1] : undefined;
const RATE = Number(positional[0] ?? 1000);
const SECONDS = Number(positional[1] ?? 60);
const FILE = positional[2] ?? new URL("../../shared/data/chat/twitch-riotgames-lolworlds2016-day2.jsonl", import.meta.url).pathname;
const WARM_UP_MS = 5_000;

interface Line {
  user: string;
  text: string;
}
const lines: Line[] = [];
for (const raw of readFileSync(FILE, "utf8").split("\n")) {
  if (raw.trim() === "") continue;
  const o = JSON.parse(raw) as { user?: unknown; text?: unknown };
  if (typeof o.user === "string" && typeof o.text === "string") lines.push({ user: o.user, text: o.text });
}

class CountingDevNull extends Writable {
  bytes = 0;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

const pct = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) * 1000) / 1000;
};
const summary = (xs: readonly number[]): Record<string, number> => ({ count: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99), max: Math.round(Math.max(...xs) * 1000) / 1000 });

const clock = new SystemClock();
const models = setUpModels({ sentiment });
// Where the long pauses come from: each headline the summarizer writes (snapshot windows, 5 s periods through
// summarizeWindow; 1 min and 10 min periods through summarizePeriod) is timed, and so is each GC pause.
const summarizeWindowMs: number[] = [];
const summarizePeriodMs: number[] = [];
const gcPauseMs: number[] = [];
const inner = models.summarizer;
const timedCall = <T>(into: number[], f: () => T): T => {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    if (clock.now() - origin >= WARM_UP_MS) into.push(performance.now() - t0);
  }
};
const timedSummarizer: typeof inner = {
  name: inner.name,
  summarizeWindow: (d, context) => timedCall(summarizeWindowMs, () => inner.summarizeWindow(d, context)),
  summarizePeriod: (d, parts) => timedCall(summarizePeriodMs, () => inner.summarizePeriod(d, parts)),
};
const gcObserver = new PerformanceObserver((list) => {
  if (clock.now() - origin >= WARM_UP_MS) for (const e of list.getEntries()) gcPauseMs.push(e.duration);
});
gcObserver.observe({ entryTypes: ["gc"] });
const origin = clock.now();
const stop = origin + WARM_UP_MS + SECONDS * 1000;
let sent = 0;
/** Arrival (clock ms) of the newest message with stream time ≤ t, looked up per snapshot. */
const arrivals: { t: number; at: number }[] = [];

const source: MessageSource = {
  name: "paced",
  canWait: false,
  timed: false,
  async *batches(): AsyncIterable<ChatMessage[]> {
    while (clock.now() < stop) {
      await new Promise((r) => setTimeout(r, 2));
      const now = clock.now();
      const due = Math.floor(((now - origin) * RATE) / 1000);
      const batch: ChatMessage[] = [];
      for (; sent < due; sent++) {
        const line = lines[sent % lines.length] as Line;
        batch.push({ t: now - origin, platform: "twitch", channel: "busy", userId: line.user, user: line.user, text: line.text });
      }
      if (batch.length > 0) {
        arrivals.push({ t: now - origin, at: now });
        yield batch;
      }
    }
  },
};

const assemblyMs: number[] = [];
// Split by what the snapshot did: the ones whose headline was written (its `changed` is set) against the rest.
const assemblyWrittenMs: number[] = [];
const assemblyKeptMs: number[] = [];
let lastAssemblyMs: number | undefined;
const endToEndMs: number[] = [];
const gapsMs: number[] = [];
let lastPublished: number | undefined;
let arrivalIndex = 0;
const out = new CountingDevNull();
const sink = new JsonlSink(out);
const router = new PipelineRouter({
  summarizer: () => timedSummarizer,
  onSnapshotAssembled: (_c, ns) => {
    lastAssemblyMs = undefined;
    if (clock.now() - origin >= WARM_UP_MS) assemblyMs.push((lastAssemblyMs = ns / 1e6));
  },
  emit: (r) => {
    sink.write(r);
    if (r.type !== "snapshot") return;
    if (lastAssemblyMs !== undefined) (r.changed === undefined ? assemblyKeptMs : assemblyWrittenMs).push(lastAssemblyMs);
    const now = clock.now();
    while (arrivalIndex + 1 < arrivals.length && (arrivals[arrivalIndex + 1] as { t: number }).t <= r.t) arrivalIndex++;
    const newest = arrivals[arrivalIndex];
    const due = Math.max(origin + r.t, newest !== undefined && newest.t <= r.t ? newest.at : -Infinity);
    if (r.t >= WARM_UP_MS) {
      endToEndMs.push(now - due);
      if (lastPublished !== undefined) gapsMs.push(now - lastPublished);
    }
    lastPublished = now;
  },
});
const loop = monitorEventLoopDelay({ resolution: 1 });
let cpuStart: NodeJS.CpuUsage | undefined;
setTimeout(() => {
  loop.enable();
  cpuStart = process.cpuUsage();
}, WARM_UP_MS).unref();
const rssSamples: number[] = [];
const sampler = setInterval(() => rssSamples.push(process.memoryUsage().rss / 1e6), 1000);
const stats = await runPipeline({ source, processor: models.processor, router, sink, clock, speed: 1, arrivalOrigin: origin });
clearInterval(sampler);
gcObserver.disconnect();
loop.disable();
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
const result = {
  benchmark: "snapshot-latency",
  node: process.version,
  date: new Date().toISOString(),
  loadAverage: (await import("node:os")).loadavg().map((x) => Math.round(x * 100) / 100),
  rate: RATE,
  seconds: SECONDS,
  sentiment: sentiment ?? "default",
  messages: stats.messages,
  shed: stats.queue.shed,
  queueHighWater: stats.queue.highWater,
  snapshotAssemblyMs: summary(assemblyMs),
  snapshotAssemblyHeadlineWrittenMs: summary(assemblyWrittenMs),
  snapshotAssemblyHeadlineKeptMs: summary(assemblyKeptMs),
  endToEndMs: summary(endToEndMs),
  summarizeWindowMs: summary(summarizeWindowMs),
  summarizePeriodMs: summary(summarizePeriodMs),
  gcPauseMs: { ...summary(gcPauseMs), totalMs: Math.round(gcPauseMs.reduce((a, b) => a + b, 0)) },
  snapshotGapMs: summary(gapsMs),
  eventLoopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  cpuPercentOfOneCore: Math.round((cpuMs / (SECONDS * 1000)) * 1000) / 10,
  cpuMicrosPerMessage: Math.round((cpuMs * 1000) / Math.max(1, RATE * SECONDS)),
  rssMB: { first: Math.round(rssSamples[0] ?? 0), last: Math.round(rssSamples.at(-1) ?? 0), max: Math.round(Math.max(...rssSamples)) },
  outputBytesPerSnapshot: Math.round(out.bytes / Math.max(1, endToEndMs.length)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
const dir = new URL("./reports/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL(`snapshot-latency-${RATE}.json`, dir), JSON.stringify(result, null, 2) + "\n");
