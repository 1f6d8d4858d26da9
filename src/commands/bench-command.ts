import { existsSync } from "node:fs";
import type { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { formatBenchTable, type BenchReport } from "../bench/bench-report.js";
import { recordingLines, syntheticLines, type ChatLines } from "../bench/chat-lines.js";
import type { GeneratorSpec } from "../bench/ingest-generator.js";
import { runLoadBench, selfCommand } from "../bench/load-bench.js";
import type { LoadRate } from "../bench/load-plan.js";
import { runCliBench, runStartupBench } from "../bench/process-bench.js";
import { writeFileAtomic } from "./atomic-write.js";
import { DEMO_CHAT_PATH } from "./demo-command.js";
import { assertReadableFile, assertWritableFile, UsageError } from "./usage-error.js";

/** The recording the figures are measured on, beside the project when the shared data is there. */
export const SHARED_RECORDING = fileURLToPath(new URL("../../../shared/data/chat/twitch-riotgames-lolworlds2016-day2.jsonl", import.meta.url));

/** A replay of the shared recording when it is present, else the bundled demo stream. */
export function defaultBenchInput(): string {
  return existsSync(SHARED_RECORDING) ? SHARED_RECORDING : DEMO_CHAT_PATH;
}

export interface BenchIO {
  stdout: Writable;
  stderr: Writable;
}

export interface BenchLoadFlags {
  input?: string;
  synthetic?: boolean;
  rate: LoadRate;
  channels: number;
  quietChannels: number;
  quietEvery: number;
  duration: number;
  warmup: number;
  messages?: number;
  clock: "real" | "virtual";
  generator: "in-process" | "process";
  queue: number;
  sink: string;
  sampleEvery: number;
  malformedEvery: number;
  sentiment?: string;
  summarizer?: string;
  maxChannels?: number;
  eventLoopDelay: boolean;
  out: string;
}

/** Writes the JSON report (`-`: standard output, the table then goes to stderr) and prints the table. */
function publish(report: BenchReport, out: string, io: BenchIO): void {
  const json = JSON.stringify(report, null, 2) + "\n";
  if (out === "-") {
    io.stdout.write(json);
    io.stderr.write(formatBenchTable(report));
    return;
  }
  writeFileAtomic(out, json);
  io.stdout.write(formatBenchTable(report));
  io.stdout.write(`  report               ${out}\n`);
}

/** `chatstream bench [load]`: one load through the whole pipeline, measured (src/bench/load-bench.ts). */
export async function benchLoadCommand(flags: BenchLoadFlags, io: BenchIO): Promise<number> {
  if (flags.out !== "-") assertWritableFile(flags.out, "--out");
  if (flags.input !== undefined) assertReadableFile(flags.input, "--input");
  if (flags.synthetic === true && flags.input !== undefined) throw new UsageError("--synthetic and --input are two different loads: give one");
  if (flags.channels + flags.quietChannels === 0) throw new UsageError("--channels 0 and no --quiet-channels: there is no load");
  let lines: ChatLines;
  let linesSpec: GeneratorSpec["lines"];
  if (flags.synthetic === true) {
    lines = syntheticLines();
    linesSpec = { synthetic: lines.items.length, seed: 17 };
  } else {
    const input = flags.input ?? defaultBenchInput();
    lines = await recordingLines(input);
    linesSpec = { input };
  }
  const report = await runLoadBench({
    plan: { channels: flags.channels, rate: flags.rate, quietChannels: flags.quietChannels, quietEveryMs: flags.quietEvery, durationMs: flags.duration, maxMessages: flags.messages, malformedEvery: flags.malformedEvery },
    lines,
    linesSpec,
    clock: flags.clock,
    generator: flags.generator,
    warmupMs: flags.warmup,
    sampleEveryMs: flags.sampleEvery,
    queueCapacity: flags.queue,
    sink: flags.sink,
    sentiment: flags.sentiment,
    summarizer: flags.summarizer,
    maxChannels: flags.maxChannels,
    eventLoop: flags.eventLoopDelay,
    // On a virtual clock no latency is measured, so a full GC before each memory sample costs nothing that is
    // reported and makes the heap's slope a leak's, not the collector's timing (node --expose-gc gives it).
    gc: flags.clock === "virtual" ? exposedGc() : undefined,
    log: (line) => io.stderr.write(`bench: ${line}\n`),
  });
  publish(report, flags.out, io);
  return report.counts.lost === 0 ? 0 : 1;
}

/** `chatstream bench cli`: the whole `run --speed max` process, against the parse-only floor. */
export async function benchCliCommand(flags: { input?: string; runs: number; sink: string; out: string }, io: BenchIO): Promise<number> {
  if (flags.out !== "-") assertWritableFile(flags.out, "--out");
  const input = flags.input ?? defaultBenchInput();
  assertReadableFile(input, "--input");
  publish(await runCliBench({ command: selfCommand(), input, runs: flags.runs, sink: flags.sink }), flags.out, io);
  return 0;
}

/** `chatstream bench startup`: a 10-message replay's whole process against bare node. */
export async function benchStartupCommand(flags: { runs: number; out: string }, io: BenchIO): Promise<number> {
  if (flags.out !== "-") assertWritableFile(flags.out, "--out");
  publish(await runStartupBench({ command: selfCommand(), runs: flags.runs }), flags.out, io);
  return 0;
}

/** `chatstream bench generate --spec JSON`: the load generator the bench starts in its own process. */
export async function benchGenerateCommand(spec: string, io: BenchIO): Promise<number> {
  const { runIngestGenerator } = await import("../bench/ingest-generator.js");
  const report = await runIngestGenerator(JSON.parse(spec) as GeneratorSpec);
  io.stdout.write(JSON.stringify(report) + "\n");
  return 0;
}

/** The forced full GC of `node --expose-gc`, when the process was started with it. */
function exposedGc(): (() => void) | undefined {
  const gc: unknown = Reflect.get(globalThis, "gc");
  return typeof gc === "function" ? () => void gc() : undefined;
}
