// Replays recordings through the whole pipeline at --speed max (file → decode → queue → tokenize → sentiment →
// windows → snapshots and roll-ups → JSON lines) and reports wall time, throughput, the cost of one snapshot and
// memory. Floors measured in the same run: read+decode only, and the per-message stage alone.
//
//   npm run bench:pipeline [-- FILE…]     (default: every recording in ../shared/data/chat)
//
// Writes benchmarks/reports/pipeline.json.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Writable } from "node:stream";
import { VirtualClock } from "../src/core/clock.js";
import type { ChatMessage } from "../src/core/message.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { PipelineRouter } from "../src/pipeline/pipeline-router.js";
import { runPipeline } from "../src/pipeline/run-pipeline.js";
import { JsonlSink } from "../src/sinks/jsonl-sink.js";
import { openChatInput } from "../src/sources/file-source.js";

const CHAT_DIR = new URL("../../shared/data/chat/", import.meta.url).pathname;

class CountingDevNull extends Writable {
  bytes = 0;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

async function readAll(path: string): Promise<ChatMessage[]> {
  const input = await openChatInput({ path, arrivalTime: () => 0 });
  const all: ChatMessage[] = [];
  for await (const batch of input.batches()) for (const m of batch) all.push(m);
  return all;
}

async function benchFile(path: string): Promise<Record<string, unknown>> {
  // Floor 1: read and decode only.
  let t0 = performance.now();
  const messages = await readAll(path);
  const decodeMs = performance.now() - t0;

  const models = setUpModels({});
  // Floor 2: the per-message stage (tokenize, bot filter, sentiment) alone.
  t0 = performance.now();
  for (const m of messages) models.processor.process(m);
  const perMessageMs = performance.now() - t0;

  // The whole pipeline, as `chatstream run --speed max --sink jsonl` runs it.
  const out = new CountingDevNull();
  const sink = new JsonlSink(out);
  let snapshots = 0;
  let rollups = 0;
  const router = new PipelineRouter({
    summarizer: () => models.summarizer,
    emit: (r) => {
      if (r.type === "snapshot") snapshots++;
      else rollups++;
      sink.write(r);
    },
  });
  const input = await openChatInput({ path, arrivalTime: () => 0 });
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  t0 = performance.now();
  const stats = await runPipeline({
    source: { name: "file", canWait: true, timed: input.format !== "text", batches: () => input.batches() },
    processor: models.processor,
    router,
    sink,
    clock: new VirtualClock(0, true),
    speed: "max",
  });
  await sink.close();
  const totalMs = performance.now() - t0;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const durationMin = messages.length > 0 ? ((messages.at(-1) as ChatMessage).t - (messages[0] as ChatMessage).t) / 60_000 : 0;
  return {
    file: basename(path),
    messages: stats.messages,
    streamMinutes: Math.round(durationMin * 10) / 10,
    snapshots,
    rollups,
    outputMB: Math.round(out.bytes / 1e4) / 100,
    decodeMs: Math.round(decodeMs),
    perMessageStageMs: Math.round(perMessageMs),
    pipelineMs: Math.round(totalMs),
    messagesPerSecond: Math.round(stats.messages / (totalMs / 1000)),
    // Everything that is not the per-message stage or decoding, spread over snapshots: the cost of one snapshot
    // (window digest ranking, headline, audit, serialization) including its share of roll-ups.
    microsPerSnapshot: snapshots > 0 ? Math.round(((totalMs - perMessageMs - decodeMs) * 1000) / snapshots) : 0,
    realTimeFactor: Math.round((durationMin * 60_000) / totalMs),
    peakRssMB: Math.round(peakRss / 1e6),
    rssGrowthMB: Math.round((peakRss - rssBefore) / 1e6),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const files = args.length > 0 ? args : existsSync(CHAT_DIR) ? readdirSync(CHAT_DIR).filter((f) => f.endsWith(".jsonl")).sort().map((f) => join(CHAT_DIR, f)) : [];
  if (files.length === 0) {
    process.stderr.write(`bench:pipeline: no input (pass files, or put ../shared/data/chat beside the project)\n`);
    return;
  }
  const results: Record<string, unknown>[] = [];
  for (const file of files) {
    const r = await benchFile(file);
    results.push(r);
    process.stdout.write(`${JSON.stringify(r)}\n`);
  }
  const report = { benchmark: "pipeline", node: process.version, date: new Date().toISOString(), cpu: (await import("node:os")).cpus()[0]?.model, results };
  const dir = new URL("./reports/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL("pipeline.json", dir), JSON.stringify(report, null, 2) + "\n");
  process.stdout.write(`wrote benchmarks/reports/pipeline.json\n`);
}

await main();
