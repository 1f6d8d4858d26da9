import type { Readable, Writable } from "node:stream";
import cliProgress from "cli-progress";
import type { ShedPolicy } from "../core/bounded-queue.js";
import type { Clock } from "../core/clock.js";
import { PipelineRouter } from "../pipeline/pipeline-router.js";
import { runPipeline, type MessageSource, type ReplaySpeed } from "../pipeline/run-pipeline.js";
import type { ChatFormat } from "../sources/decoder.js";
import { formatInputReport, openChatInput, type ChatInput } from "../sources/file-source.js";
import { createSink, defaultSinkSpec } from "../sinks/registry.js";
import { SinkSet } from "../sinks/sink.js";
import { setUpModels, type ModelOptions } from "./model-setup.js";

export interface RunCommandOptions extends ModelOptions {
  input: string;
  format?: ChatFormat;
  channel?: string;
  speed: ReplaySpeed;
  sinks: string[];
  queueCapacity: number;
  shedPolicy: ShedPolicy;
  maxMessageLength: number;
  /** Show a progress bar on stderr when it is a terminal and the replay runs faster than real time. */
  progress: boolean;
}

export interface CommandIO {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  clock: Clock;
  color: boolean;
}

/** Parses `--speed`: "max", or a positive multiple of real time. */
export function parseSpeed(value: string): ReplaySpeed {
  if (value === "max") return "max";
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--speed takes a positive number or "max", got "${value}"`);
  return n;
}

function fileSource(input: ChatInput): MessageSource {
  return { name: `file:${input.format}`, canWait: true, timed: input.format !== "text", batches: () => input.batches() };
}

/** `chatstream run`: one input through the pipeline into the chosen sinks. Returns the exit code. */
export async function runCommand(options: RunCommandOptions, io: CommandIO): Promise<number> {
  const models = setUpModels(options);
  const origin = io.clock.now();
  const input = await openChatInput({
    path: options.input,
    format: options.format,
    channel: options.channel,
    maxMessageLength: options.maxMessageLength,
    arrivalTime: () => io.clock.now() - origin,
    stdin: io.stdin,
  });
  const specs = options.sinks.length > 0 ? options.sinks : [defaultSinkSpec(io.stdout)];
  const sink = new SinkSet(specs.map((spec) => createSink(spec, { stdout: io.stdout, clock: io.clock, color: io.color })));
  const router = new PipelineRouter({ summarizer: () => models.summarizer, emit: (r) => sink.write(r) });
  const usesHud = specs.some((s) => s === "hud");
  const showProgress = options.progress && io.stderr.isTTY === true && !usesHud && options.speed !== 1 && input.format !== "text";
  const bar = showProgress
    ? new cliProgress.SingleBar(
        { stream: io.stderr, format: "replay |{bar}| {percentage}% | {rate} msg/s | {messages} msgs | ETA {eta_formatted}", hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const started = Date.now();
  bar?.start(100, 0, { rate: 0, messages: 0 });
  try {
    const stats = await runPipeline({
      source: fileSource(input),
      processor: models.processor,
      router,
      sink,
      clock: io.clock,
      speed: options.speed,
      queueCapacity: options.queueCapacity,
      shedPolicy: options.shedPolicy,
      arrivalOrigin: origin,
      onProgress: bar
        ? (p) => {
            const elapsed = Math.max(1, Date.now() - started) / 1000;
            bar.update(Math.floor(input.progress() * 100), { rate: Math.round(p.messages / elapsed), messages: p.messages });
          }
        : undefined,
    });
    bar?.update(100);
    bar?.stop();
    await sink.close();
    const late = router.channels().reduce((n, c) => n + c.lateCount, 0);
    io.stderr.write(formatInputReport(input.report) + "\n");
    io.stderr.write(
      `processed ${stats.messages.toLocaleString("en-US")} messages in ${router.channels().length} channel(s); queue high-water ${stats.queue.highWater}/${stats.queue.capacity}, shed ${stats.queue.shed}` +
        (late > 0 ? `, ${late} out-of-order` : "") +
        "\n",
    );
    return 0;
  } catch (err) {
    bar?.stop();
    await sink.close();
    throw err;
  }
}
