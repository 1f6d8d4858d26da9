import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { VirtualClock, settle, type Clock } from "../core/clock.js";
import { DEFAULT_MAX_MESSAGE_LENGTH } from "../core/message.js";
import { setUpModels } from "../commands/model-setup.js";
import { SNAPSHOT_EVERY_MS } from "../pipeline/channel-pipeline.js";
import { PipelineRouter, type RouterStats } from "../pipeline/pipeline-router.js";
import { runPipeline, type MessageSource, type PipelineObserver } from "../pipeline/run-pipeline.js";
import type { RunningServer } from "../server/start-server.js";
import { createSink } from "../sinks/registry.js";
import { SinkSet, type Sink } from "../sinks/sink.js";
import type { DecodeContext } from "../sources/decoder.js";
import { decodeJsonlObject } from "../sources/formats/jsonl.js";
import type { IngestSource } from "../sources/live/ingest/ingest-source.js";
import { BenchProbe, type MemorySample, type ProbeFigures } from "./bench-probe.js";
import type { ChatLines } from "./chat-lines.js";
import type { GeneratorReport, GeneratorSpec } from "./ingest-generator.js";
import { DurationHistogram, median, peakGrowthOf, round3, slope, type Percentiles } from "./latency-stats.js";
import { LoadSchedule, planChannels, type LoadPlan } from "./load-plan.js";
import { LoadSource, recordTickWait } from "./load-source.js";
import { MonotonicClock } from "./monotonic-clock.js";

export interface LoadBenchOptions {
  plan: LoadPlan;
  lines: ChatLines;
  /** How `lines` were made, for a generator in another process to make the same ones. */
  linesSpec: GeneratorSpec["lines"];
  /** "real": wall-clock time (latencies mean something); "virtual": stream time jumps, only CPU and counts do. */
  clock: "real" | "virtual";
  /** "process": a separate process pushes the load over /v1/ingest (the server runs here, as with --serve --ingest). */
  generator: "in-process" | "process";
  /** Figures leave out this first part of the load (JIT, first windows filling). */
  warmupMs: number;
  /** RSS, heap and queue depth are sampled this often (stream time on a virtual clock). */
  sampleEveryMs: number;
  queueCapacity?: number;
  /** Output sink spec (`jsonl:/dev/null` by default, as the figures), or "none". */
  sink?: string;
  sentiment?: string;
  summarizer?: string;
  maxChannels?: number;
  /** The command that starts `chatstream bench generate` (default: this chatstream). */
  generatorCommand?: readonly string[];
  /** Virtual clock: the stream time the driver moves at each step, and the load's batching. */
  stepMs?: number;
  batchMs?: number;
  /**
   * Measure the event loop's delay (monitorEventLoopDelay at 1 ms resolution, on real time). The monitor wakes the
   * loop every millisecond, about 2 % of a core: CPU figures of a near-idle load are taken without it.
   */
  eventLoop?: boolean;
  /** Called for a forced full GC before each memory sample (when the process has one, e.g. node --expose-gc). */
  gc?: () => void;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
}

/** Every generated line ends in exactly one of: processed, shed (queue full), malformed, refused (ingest full). */
export interface LoadCounts {
  generated: number;
  processed: number;
  shed: number;
  malformed: number;
  refused: number;
  /** generated − (processed + shed + malformed + refused): must be 0. */
  lost: number;
}

export interface LoadBenchReport {
  benchmark: "load";
  date: string;
  node: string;
  machine: { cpus: number; model: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  load: {
    lines: string;
    channels: number;
    rate: LoadPlan["rate"];
    quietChannels: number;
    quietEverySeconds: number;
    durationSeconds: number;
    clock: LoadBenchOptions["clock"];
    generator: LoadBenchOptions["generator"];
    warmupSeconds: number;
    sink: string;
    queueCapacity: number;
  };
  counts: LoadCounts;
  /** Over the measured interval (after warm-up). */
  measuredSeconds: number;
  throughput: { messagesPerSecond: number; messages: number };
  processingLatencyUs: Percentiles;
  endToEndMs: Percentiles;
  /** Arrival to the due time of the first snapshot that counts the message: the 2 Hz tick, by design. */
  tickWaitMs: Percentiles;
  assemblyMs: Percentiles;
  eventLoopDelayMs: ProbeFigures["eventLoopDelayMs"];
  snapshotGapMs: ProbeFigures["snapshotGapMs"];
  snapshots: number;
  rollups: number;
  queue: { capacity: number; highWater: number; maxSampledDepth: number };
  cpu: { userMs: number; systemMs: number; percentOfOneCore: number; usPerMessage: number; usPerChannelSecond: number };
  /** The parse-only floor (JSON.parse and the JSON lines decoder, nothing else) over the same lines, in this run. */
  floor: { usPerMessage: number; ratio: number };
  memory: {
    rssPeakMB: number;
    /** Median RSS after warm-up. */
    rssSteadyMB: number;
    heapSteadyMB: number;
    rssSlopeMBPerHour: number;
    heapSlopeMBPerHour: number;
    /** The same over the second half of the measured interval: tells state still filling from a leak. */
    rssSlopeSecondHalfMBPerHour: number;
    heapSlopeSecondHalfMBPerHour: number;
    /**
     * The highest sample of the measured interval's second half minus the highest of its first half. Bounded caches
     * that fill and are cleared make a saw-tooth whose slope depends on where the run ends; a leak raises every peak.
     */
    rssPeakGrowthMB: number;
    heapPeakGrowthMB: number;
    samples: MemorySample[];
  };
  state: RouterStats;
  wallSeconds: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

/** A sink that drops everything (`--sink none`): the cost of serialization left out. */
class NullSink implements Sink {
  readonly name = "none";
  write(): void {}
  ready(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Several observers as one (the bench's probe and the server's metrics). */
function fanOut(observers: readonly PipelineObserver[]): PipelineObserver {
  if (observers.length === 1) return observers[0] as PipelineObserver;
  return {
    start: (source, stats) => observers.forEach((o) => o.start(source, stats)),
    received: (channel) => observers.forEach((o) => o.received(channel)),
    shed: (channel) => observers.forEach((o) => o.shed(channel)),
    processed: (channel, ns) => observers.forEach((o) => o.processed(channel, ns)),
  };
}

/**
 * The parse-only floor: what the load costs before any pipeline stage, i.e. JSON.parse and our JSON lines decoder
 * over the same lines (the ingest's path without its frame checks), in CPU µs per message, best of three passes.
 */
export function parseFloorUsPerMessage(lines: ChatLines, passes = 3, maxLines = 20_000): number {
  const ctx: DecodeContext = { defaultChannel: "floor", arrivalTime: () => 0, maxMessageLength: DEFAULT_MAX_MESSAGE_LENGTH };
  const n = Math.min(lines.items.length, maxLines);
  // Loops over small sets of lines, so a pass is long enough to time.
  const rounds = Math.max(1, Math.ceil(20_000 / n));
  let best = Infinity;
  let sink = 0;
  for (let pass = 0; pass < passes; pass++) {
    const cpu0 = process.cpuUsage();
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < n; i++) {
        const object = JSON.parse(lines.items[i] as string) as Record<string, unknown>;
        const result = decodeJsonlObject({ ...object, t: i, channel: "floor" }, ctx);
        if (result.kind === "message") sink += result.message.text.length;
      }
    }
    const cpu = process.cpuUsage(cpu0);
    best = Math.min(best, (cpu.user + cpu.system) / (n * rounds));
  }
  // `sink` keeps the decoding from being optimised away.
  return sink >= 0 ? round3(best) : 0;
}

/** How to start this chatstream again (`node dist/cli.js`, or through tsx from src). */
export function selfCommand(): string[] {
  const fromSource = import.meta.url.endsWith(".ts");
  const cli = fileURLToPath(new URL(fromSource ? "../cli.ts" : "../cli.js", import.meta.url));
  return [process.execPath, ...(fromSource ? ["--import", "tsx"] : []), cli];
}

interface GeneratorProcess {
  done: Promise<GeneratorReport>;
  kill(): void;
}

function startGenerator(command: readonly string[], spec: GeneratorSpec, log: (line: string) => void): GeneratorProcess {
  const [exe, ...args] = command as [string, ...string[]];
  const child = spawn(exe, [...args, "bench", "generate", "--spec", JSON.stringify(spec)], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => {
    err += c.toString("utf8");
    for (const line of c.toString("utf8").trimEnd().split("\n")) if (line !== "") log(`generator: ${line}`);
  });
  const done = new Promise<GeneratorReport>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(last) as GeneratorReport);
      } catch (e) {
        reject(new Error(`the load generator failed (${(e as Error).message}): ${err.trim().split("\n").at(-1) ?? ""}`));
      }
    });
  });
  return { done, kill: () => child.kill("SIGKILL") };
}

/**
 * Runs one load through the whole pipeline of `chatstream run` (models, queue, channel pipelines, snapshots,
 * roll-ups, a JSON-lines sink; with a generator in another process also the server and its /v1/ingest) and
 * measures it: see LoadBenchReport and docs/performance.md.
 */
export async function runLoadBench(options: LoadBenchOptions): Promise<LoadBenchReport> {
  const log = options.log ?? (() => undefined);
  const { plan, lines } = options;
  if (options.clock === "virtual" && options.generator === "process") throw new Error("chatstream bench: a generator in another process needs --clock real");
  if (options.clock === "virtual" && plan.rate === "max") throw new Error("chatstream bench: --rate max runs as fast as it can; it needs --clock real");
  const loadAverageStart = loadavg();
  const wallStart = performance.now();
  const floorUs = parseFloorUsPerMessage(lines);
  log(`parse-only floor: ${floorUs} µs per message`);

  const models = setUpModels({ sentiment: options.sentiment, summarizer: options.summarizer });
  const virtual = options.clock === "virtual" ? new VirtualClock(0) : undefined;
  const clock: Clock = virtual ?? new MonotonicClock();
  const sinkSpec = options.sink ?? "jsonl:/dev/null";
  const output = sinkSpec === "none" ? new NullSink() : await createSink(sinkSpec, { stdout: process.stdout, clock, color: false });
  const origin = clock.now();
  const probe = new BenchProbe(clock, origin, { eventLoop: options.clock === "real" && options.eventLoop !== false });
  const schedule = new LoadSchedule(plan, lines);

  let server: RunningServer | undefined;
  let ingest: IngestSource | undefined;
  let source: MessageSource;
  let loadSource: LoadSource | undefined;
  let tickWait = new DurationHistogram();
  if (options.generator === "process") {
    const { IngestSource } = await import("../sources/live/ingest/ingest-source.js");
    const { registerIngestRoute } = await import("../sources/live/ingest/ingest-route.js");
    const { startServer } = await import("../server/start-server.js");
    const pushed = new IngestSource({ clock, streamTime: () => Math.floor(clock.now() - origin), capacity: options.queueCapacity });
    ingest = pushed;
    server = await startServer({ serve: "127.0.0.1:0", sighup: false }, { slots: models, log, sourceStatuses: () => [pushed.status()], routes: (app) => registerIngestRoute(app, pushed) });
    server.metrics.trackIngest(() => pushed.stats);
    source = recordTickWait(pushed, tickWait);
  } else {
    loadSource = new LoadSource(schedule, clock, origin, { batchMs: options.batchMs ?? (virtual ? 10 : 1) });
    tickWait = loadSource.tickWait;
    source = loadSource;
  }
  const running = server;
  const sink = probe.wrap(running === undefined ? output : new SinkSet([output, running.sink]));
  const router = new PipelineRouter({
    summarizer: () => models.summarizer,
    emit: (r) => sink.write(r),
    onSnapshotAssembled: running === undefined ? probe.snapshotAssembled : (c, ns) => (probe.snapshotAssembled(c, ns), running.onSnapshotAssembled(c, ns)),
    maxChannels: options.maxChannels,
    isEmote: (name) => models.emotes.emote(name) !== undefined,
    onEvicted: running === undefined ? undefined : (c) => (running.sink.forget(c), running.metrics.forgetChannel(c)),
  });
  running?.setChannelStats(() => router.channels().map((c) => ({ name: c.channel, messages: c.messageCount, lastT: c.lastMessageT })));
  running?.metrics.trackChannels(() => router.stats());
  running?.markStarted();

  const samples: MemorySample[] = [];
  const sample = (): void => {
    options.gc?.();
    const m = process.memoryUsage();
    samples.push({ t: Math.round((clock.now() - origin) / 100) / 10, rssMB: mb(m.rss), heapMB: mb(m.heapUsed), queueDepth: probe.queueDepth(), load1: round3(loadavg()[0] ?? 0) });
  };
  let cpuStart = process.cpuUsage();
  let measureStart = { clock: origin, wall: performance.now() };
  let measured: { cpu: NodeJS.CpuUsage; clockMs: number; wallMs: number } | undefined;
  const startMeasuring = (): void => {
    probe.startMeasuring();
    cpuStart = process.cpuUsage();
    measureStart = { clock: clock.now(), wall: performance.now() };
    log(`warm-up over at ${Math.round((clock.now() - origin) / 1000)} s; measuring`);
  };
  const stopMeasuring = (): void => {
    if (measured !== undefined) return;
    probe.stopMeasuring();
    measured = { cpu: process.cpuUsage(cpuStart), clockMs: clock.now() - measureStart.clock, wallMs: performance.now() - measureStart.wall };
  };
  const warm = options.warmupMs > 0 && options.warmupMs < (plan.rate === "max" ? Infinity : plan.durationMs);
  if (!warm) startMeasuring();

  const pipeline = runPipeline({ sources: [source], processor: models.processor, router, sink, clock, speed: 1, queueCapacity: options.queueCapacity, arrivalOrigin: origin, observer: running === undefined ? probe : fanOut([probe, running.observer]) });
  let finished = false;
  const done = pipeline.finally(() => (finished = true));
  done.catch(() => undefined);

  let generator: GeneratorProcess | undefined;
  let generated: GeneratorReport | undefined;
  try {
    if (virtual !== undefined) {
      // Stream time moves in steps; each step lets every sleeper due in it run, in time order.
      const step = options.stepMs ?? 100;
      let nextSample = 0;
      let warmed = !warm;
      while (!finished) {
        const now = virtual.now() - origin;
        if (!warmed && now >= options.warmupMs) {
          startMeasuring();
          warmed = true;
        }
        if (now >= plan.durationMs) stopMeasuring();
        if (now >= nextSample) {
          sample();
          nextSample += options.sampleEveryMs;
        }
        await virtual.advanceBy(step);
        // Stream time waits for the pipeline, as a fast enough machine would: a step ends once what was due in it is
        // processed and published (the queue empty, no snapshot owed before the last 500 ms tick).
        const tick = Math.floor((virtual.now() - origin) / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
        for (let spins = 0; spins < 100_000 && !finished && (probe.queueDepth() > 0 || router.backlog(tick - 1) > 0); spins++) await settle();
      }
    } else {
      const timers: NodeJS.Timeout[] = [setInterval(sample, options.sampleEveryMs)];
      if (warm) timers.push(setTimeout(startMeasuring, options.warmupMs));
      if (plan.rate !== "max") timers.push(setTimeout(stopMeasuring, plan.durationMs));
      try {
        sample();
        if (options.generator === "process" && running !== undefined && ingest !== undefined) {
          const spec: GeneratorSpec = { url: `${running.url.replace(/^http/, "ws")}/v1/ingest`, plan, lines: options.linesSpec };
          generator = startGenerator(options.generatorCommand ?? selfCommand(), spec, log);
          generated = await generator.done;
          // Everything the ingest accepted is still to go through the pipeline before the run ends.
          for (let waited = 0; waited < 30_000 && (ingest.depth > 0 || probe.queueDepth() > 0); waited += 20) await new Promise((r) => setTimeout(r, 20));
          stopMeasuring();
          await ingest.stop();
        }
        await done;
      } finally {
        for (const t of timers) clearInterval(t);
      }
    }
    const stats = await done;
    stopMeasuring();
    sample();
    await sink.close();
    const m = measured as NonNullable<typeof measured>;
    const figures = probe.figures();
    const ingestStats = ingest?.stats;
    const malformed = loadSource?.counts.malformed ?? ingestStats?.invalid ?? 0;
    const refused = ingestStats === undefined ? 0 : ingestStats.rejected - ingestStats.invalid;
    const generatedLines = loadSource?.counts.generated ?? generated?.generated ?? 0;
    const counts: LoadCounts = { generated: generatedLines, processed: stats.messages, shed: stats.queue.shed, malformed, refused, lost: 0 };
    counts.lost = counts.generated - counts.processed - counts.shed - counts.malformed - counts.refused;
    const seconds = m.clockMs / 1000;
    const cpuUs = m.cpu.user + m.cpu.system;
    const warmSamples = samples.filter((s) => s.t * 1000 >= (warm ? options.warmupMs : 0));
    const secondHalf = warmSamples.slice(Math.floor(warmSamples.length / 2));
    const slopeOf = (xs: MemorySample[], key: "rssMB" | "heapMB"): number => round3(slope(xs.map((s) => [s.t / 3600, s[key]] as const)));
    const peakGrowth = (key: "rssMB" | "heapMB"): number => round3(peakGrowthOf(warmSamples.map((s) => s[key])));
    const usPerMessage = figures.processed > 0 ? round3(cpuUs / figures.processed) : 0;
    const report: LoadBenchReport = {
      benchmark: "load",
      date: new Date().toISOString(),
      node: process.version,
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", loadAverageStart: loadAverageStart.map((x) => round3(x)), loadAverageEnd: loadavg().map((x) => round3(x)) },
      load: {
        lines: lines.source === "synthetic" ? "synthetic" : (lines.source.split("/").at(-1) ?? lines.source),
        channels: plan.channels,
        rate: plan.rate,
        quietChannels: plan.quietChannels,
        quietEverySeconds: plan.quietEveryMs / 1000,
        durationSeconds: plan.rate === "max" ? round3(m.clockMs / 1000) : plan.durationMs / 1000,
        clock: options.clock,
        generator: options.generator,
        warmupSeconds: warm ? options.warmupMs / 1000 : 0,
        sink: sinkSpec,
        queueCapacity: stats.queue.capacity,
      },
      counts,
      measuredSeconds: round3(seconds),
      throughput: { messages: figures.processed, messagesPerSecond: seconds > 0 ? Math.round(figures.processed / (options.clock === "real" ? seconds : m.wallMs / 1000)) : 0 },
      processingLatencyUs: figures.processingUs,
      endToEndMs: figures.endToEndMs,
      tickWaitMs: tickWait.summary("ms"),
      assemblyMs: figures.assemblyMs,
      eventLoopDelayMs: figures.eventLoopDelayMs,
      snapshotGapMs: figures.snapshotGapMs,
      snapshots: figures.snapshots,
      rollups: figures.rollups,
      queue: { capacity: stats.queue.capacity, highWater: stats.queue.highWater, maxSampledDepth: probe.maxSampledDepth },
      cpu: {
        userMs: Math.round(m.cpu.user / 1000),
        systemMs: Math.round(m.cpu.system / 1000),
        percentOfOneCore: m.wallMs > 0 ? round3((cpuUs / 1000 / m.wallMs) * 100) : 0,
        usPerMessage,
        usPerChannelSecond: seconds > 0 ? round3(cpuUs / (planChannels(plan) * seconds)) : 0,
      },
      floor: { usPerMessage: floorUs, ratio: floorUs > 0 ? round3(usPerMessage / floorUs) : 0 },
      memory: {
        rssPeakMB: mb(process.resourceUsage().maxRSS * 1024),
        rssSteadyMB: round3(median(warmSamples.map((s) => s.rssMB))),
        heapSteadyMB: round3(median(warmSamples.map((s) => s.heapMB))),
        rssSlopeMBPerHour: slopeOf(warmSamples, "rssMB"),
        heapSlopeMBPerHour: slopeOf(warmSamples, "heapMB"),
        rssSlopeSecondHalfMBPerHour: slopeOf(secondHalf, "rssMB"),
        heapSlopeSecondHalfMBPerHour: slopeOf(secondHalf, "heapMB"),
        rssPeakGrowthMB: peakGrowth("rssMB"),
        heapPeakGrowthMB: peakGrowth("heapMB"),
        samples,
      },
      state: router.stats(),
      wallSeconds: round3((performance.now() - wallStart) / 1000),
    };
    return report;
  } finally {
    generator?.kill();
    loadSource?.stop();
    await ingest?.stop();
    await running?.close();
  }
}
