import type { Readable, Writable } from "node:stream";
import { formatCount } from "../core/count-format.js";
import type cliProgress from "cli-progress";
import type { ShedPolicy } from "../core/bounded-queue.js";
import type { Clock } from "../core/clock.js";
import { PipelineRouter } from "../pipeline/pipeline-router.js";
import { runPipeline, type MessageSource, type ReplaySpeed } from "../pipeline/run-pipeline.js";
import type { ChatFormat } from "../sources/decoder.js";
import { formatInputReport, openChatInput, type ChatInput } from "../sources/file-source.js";
import { createSink, defaultSinkSpec } from "../sinks/registry.js";
import { SinkSet, type Sink } from "../sinks/sink.js";
import { setUpModels, superviseSummarizer, type ModelOptions } from "./model-setup.js";
import type { EmoteApiBases } from "../processing/emote-providers.js";
import type { RunningServer, ServeOptions } from "../server/start-server.js";
import { liveRunSetup, noInput, type LiveRunOptions } from "../sources/live/live-run.js";
import { assertReadableFile, assertWritableFile } from "./usage-error.js";
import { BENCH_OFF_ENV, DiscardSink, parseBenchParts, runStagesOnly, withoutHeadlines } from "./bench-parts.js";

export interface RunCommandOptions extends ModelOptions {
  /** Chat file or "-"; optional when live sources are given (`live`). */
  input?: string;
  format?: ChatFormat;
  channel?: string;
  speed: ReplaySpeed;
  sinks: string[];
  queueCapacity: number;
  shedPolicy: ShedPolicy;
  maxMessageLength: number;
  /** Show a progress bar on stderr when it is a terminal and the replay runs faster than real time. */
  progress: boolean;
  /** `--serve [HOST:]PORT` and friends: HTTP/WebSocket server, metrics, hot-swap, alerts (src/server); `ingest` opens /v1/ingest. */
  server?: ServeOptions & { linger?: boolean; ingest?: boolean };
  /** Live chat (--twitch/--youtube/--kick), --record and a stop signal (Ctrl-C ends live reading). */
  live?: LiveRunOptions;
  /** `--fetch-emotes`: the Twitch channels' BTTV / FFZ / 7TV emotes are fetched before the run (APIs overridable for tests). */
  fetchEmotes?: { bases?: EmoteApiBases };
  /** `--max-gap`: a recorded time more than this past the latest one is a bad line (default 24 h). */
  maxGapMs?: number;
  /** `--max-channels`: channels kept at once; the least recently active one is evicted for a new one (default 10,000). */
  maxChannels?: number;
  /**
   * SIGINT / SIGTERM: aborting ends the run gracefully (every source stops, what was read is published, the open
   * roll-ups are flushed, the server closes instead of lingering) and the command returns 0.
   */
  stop?: AbortSignal;
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
  return { name: `file:${input.format}`, canWait: true, timed: input.format !== "text", batches: () => input.batches(), stop: () => input.close() };
}

/**
 * Every file the run will read or write, checked before anything starts (UsageError): a missing --alert-rules
 * file or an unwritable --sink jsonl:FILE is one line at start, not a crash or a lost replay later.
 */
function checkFiles(options: RunCommandOptions): void {
  for (const file of options.emotes ?? []) assertReadableFile(file, "--emotes");
  if (options.server?.alertRules !== undefined) assertReadableFile(options.server.alertRules, "--alert-rules");
  if (options.server?.config !== undefined) assertReadableFile(options.server.config, "--config");
  for (const spec of options.sinks) if (spec.startsWith("jsonl:") && spec !== "jsonl:-") assertWritableFile(spec.slice("jsonl:".length), "--sink");
  if (options.live?.record !== undefined) assertWritableFile(options.live.record, "--record");
}

/**
 * Runs every clean-up step even when one fails: a fatal path must leave nothing running (sources, sockets, timers).
 * A step that hangs (a socket that never closes) does not hold back the error report for more than `timeoutMs`.
 */
async function allSettled(steps: readonly (() => unknown)[], timeoutMs = 3_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.allSettled(steps.map((step) => Promise.resolve().then(step))), timeout]);
  clearTimeout(timer);
}

/**
 * `chatstream run`: one input through the pipeline into the chosen sinks. Returns the exit code. The server, the
 * ingest, the emote fetcher and the progress bar are loaded only when a flag asks for them (docs/performance.md#start-up).
 */
export async function runCommand(options: RunCommandOptions, io: CommandIO): Promise<number> {
  checkFiles(options);
  // Benchmarks only (docs/performance.md, the replay's ceiling table): parts of the run switched off.
  const off = parseBenchParts(process.env[BENCH_OFF_ENV]);
  const twitch = options.live?.twitch ?? [];
  const fetched = options.fetchEmotes !== undefined && twitch.length > 0 ? await (await import("./emotes-command.js")).fetchEmoteDocuments(twitch, io.stderr, options.fetchEmotes.bases) : [];
  const models = setUpModels({ ...options, emoteDocuments: [...(options.emoteDocuments ?? []), ...fetched] });
  const origin = io.clock.now();
  const live = await liveRunSetup(options.live, io, origin, options.maxMessageLength);
  // Producers pushing JSON messages over the server's WebSocket (/v1/ingest), when asked for with --ingest.
  const ingest = options.server?.ingest === true ? new (await import("../sources/live/ingest/ingest-source.js")).IngestSource({ clock: io.clock, streamTime: () => io.clock.now() - origin, maxMessageLength: options.maxMessageLength }) : undefined;
  if (ingest !== undefined) options.live?.stop?.addEventListener("abort", () => void ingest.stop(), { once: true });
  // Pushed chat is recorded like any live chat (--record).
  const liveSources = ingest === undefined ? live.sources : [...live.sources, live.record(ingest)];
  let input: ChatInput | undefined;
  let sink: Sink | undefined;
  let server: RunningServer | undefined;
  let bar: cliProgress.SingleBar | undefined;
  // An LLM summarizer's status on stderr (unreachable, failing, back); stopped with the run so no request lingers.
  const llm = superviseSummarizer(models.summarizer, (l) => io.stderr.write(`chatstream: ${l}\n`));
  try {
    if (options.input === undefined && liveSources.length === 0) throw new Error("chatstream run: give --input FILE (or -), a live source (--twitch, --youtube, --kick) or --serve with --ingest");
    input = options.input === undefined ? noInput() : await openChatInput({
      path: options.input,
      onEvent: live.fileEvents,
      format: options.format,
      channel: options.channel,
      maxMessageLength: options.maxMessageLength,
      arrivalTime: () => io.clock.now() - origin,
      stdin: io.stdin,
      maxGapMs: options.maxGapMs,
    });
    if (off.has("pipeline") || off.has("process")) {
      const messages = await runStagesOnly(input, models.processor, off);
      await Promise.all([input.close(), llm.stop(), live.close()]);
      io.stderr.write(`processed ${formatCount(messages)} messages (${BENCH_OFF_ENV}=${[...off].join(",")}: no channel pipeline)\n`);
      return 0;
    }
    const specs = options.sinks.length > 0 ? options.sinks : [defaultSinkSpec(io.stdout)];
    // Sinks first: a bad --sink fails before anything listens.
    const sinks: Sink[] = [];
    for (const spec of specs) sinks.push(off.has("sink") ? new DiscardSink() : await createSink(spec, { stdout: io.stdout, clock: io.clock, color: io.color }));
    const serverModule = options.server === undefined ? undefined : await import("../server/start-server.js");
    const ingestRoute = ingest === undefined ? undefined : await import("../sources/live/ingest/ingest-route.js");
    server =
      options.server === undefined || serverModule === undefined
        ? undefined
        : await serverModule.startServer(options.server, {
            slots: models,
            sentimentName: options.sentiment,
            summarizerName: options.summarizer,
            log: (l) => io.stderr.write(`chatstream: ${l}\n`),
            sourceStatuses: () => (ingest === undefined ? live.statuses() : [...live.statuses(), ingest.status()]),
            routes: ingest === undefined || ingestRoute === undefined ? undefined : (app, bind) => ingestRoute.registerIngestRoute(app, ingest, { ...ingestRoute.ingestRouteOptionsFor(bind.host, bind.token, bind.ingestToken), onRefused: bind.refused }),
          });
    const output = new SinkSet(server === undefined ? sinks : [...sinks, server.sink]);
    sink = output;
    const running = server;
    const benchSummarizer = off.size === 0 ? undefined : { of: models.summarizer, as: withoutHeadlines(models.summarizer, off) };
    const router = new PipelineRouter({
      // A hot-swapped summarizer is used as it is, even under a benchmark's switches.
      summarizer: () => (benchSummarizer?.of === models.summarizer ? benchSummarizer.as : models.summarizer),
      emit: (r) => output.write(r),
      onSnapshotAssembled: running?.onSnapshotAssembled,
      maxChannels: options.maxChannels,
      isEmote: (name) => models.emotes.emote(name) !== undefined,
      // An evicted channel leaves the server's latest and history and its metric label sets with it.
      onEvicted:
        running === undefined
          ? undefined
          : (channel) => {
              running.sink.forget(channel);
              running.metrics.forgetChannel(channel);
            },
    });
    const opened = input;
    running?.setChannelStats(() => router.channels().map((c) => ({ name: c.channel, messages: c.messageCount, lastT: c.lastMessageT })));
    running?.metrics.trackInput(() => opened.report);
    if (ingest !== undefined) running?.metrics.trackIngest(() => ingest.stats);
    running?.metrics.trackChannels(() => router.stats());
    running?.markStarted();
    const usesHud = specs.some((s) => s === "hud");
    const showProgress = options.input !== undefined && options.progress && io.stderr.isTTY === true && !usesHud && options.speed !== 1 && opened.format !== "text";
    const progress = showProgress ? (await import("cli-progress")).default : undefined;
    bar = progress
      ? new progress.SingleBar(
          { stream: io.stderr, format: "replay |{bar}| {percentage}% | {rate} msg/s | {messages} msgs | ETA {eta_formatted}", hideCursor: true, etaBuffer: 50 },
          progress.Presets.shades_classic,
        )
      : undefined;
    const started = Date.now();
    const progressBar = bar;
    progressBar?.start(100, 0, { rate: 0, messages: 0 });
    const stats = await runPipeline({
      source: options.input === undefined ? undefined : live.wrap(fileSource(opened)),
      sources: liveSources,
      processor: models.processor,
      router,
      sink: output,
      clock: io.clock,
      speed: options.speed,
      queueCapacity: options.queueCapacity,
      shedPolicy: options.shedPolicy,
      arrivalOrigin: origin,
      observer: running?.observer,
      maxGapMs: options.maxGapMs,
      stop: options.stop,
      onProgress: progressBar
        ? (p) => {
            const elapsed = Math.max(1, Date.now() - started) / 1000;
            progressBar.update(Math.floor(opened.progress() * 100), { rate: Math.round(p.messages / elapsed), messages: p.messages });
          }
        : undefined,
    });
    progressBar?.update(100);
    progressBar?.stop();
    await llm.stop();
    await output.close();
    await live.close();
    await ingest?.stop();
    const late = router.channels().reduce((n, c) => n + c.lateCount, 0);
    const { evicted, eventsDropped } = router.stats();
    if (options.input !== undefined) io.stderr.write(formatInputReport(opened.report) + "\n");
    live.report();
    io.stderr.write(
      `processed ${formatCount(stats.messages)} messages in ${router.channels().length} channel(s); queue high-water ${stats.queue.highWater}/${stats.queue.capacity}, shed ${stats.queue.shed}` +
        (late > 0 ? `, ${late} out-of-order` : "") +
        (stats.badTimes > 0 ? `, ${stats.badTimes} with a bad timestamp` : "") +
        (evicted > 0 ? `, ${formatCount(evicted)} idle channel(s) evicted (--max-channels)` : "") +
        (eventsDropped > 0 ? `, ${formatCount(eventsDropped)} event(s) for channels without chat dropped` : "") +
        "\n",
    );
    if (running !== undefined && options.server?.linger === true && options.stop?.aborted !== true) {
      io.stderr.write(`chatstream: input finished; still serving on ${running.url} (Ctrl-C to stop)\n`);
      await serverModule?.waitForStop();
    }
    await running?.close();
    return 0;
  } catch (err) {
    // Every fatal path ends here: stop the sources (an ingest or live source never ends by itself), the sinks and
    // the server, so the process exits once cli.ts has reported the error.
    bar?.stop();
    await allSettled([() => llm.stop(), () => ingest?.stop(), () => live.close(), () => input?.close(), () => sink?.close(), () => server?.close()]);
    throw err;
  }
}
