import { TEN_MINUTES_MS } from "../aggregation/rollup-chain.js";
import type { ChatEvent } from "../core/event.js";
import { cleanEvent, cleanMessage } from "../core/text-cleaning.js";
import { brokerConfigFrom } from "../broker/broker-config.js";
import { ChatPublisher, type ChatStreamWriter, type PublisherStats } from "../broker/chat-publisher.js";
import type { Broker } from "../broker/nats-broker.js";
import type { MessageSource, ReplaySpeed } from "../pipeline/run-pipeline.js";
import { DEFAULT_MAX_GAP_MS, streamTimeFault } from "../pipeline/stream-time.js";
import type { ChatFormat } from "../sources/decoder.js";
import { formatInputReport, openChatInput, type ChatInput } from "../sources/file-source.js";
import { liveRunSetup, type LiveRunOptions } from "../sources/live/live-run.js";
import type { CommandIO } from "./run-command.js";
import { UsageError } from "./usage-error.js";
import { SNAPSHOT_EVERY_MS } from "../pipeline/channel-pipeline.js";
import type { RunningServer } from "../server/start-server.js";
import type { IngestSource } from "../sources/live/ingest/ingest-source.js";
import type { SourceState, SourceStatus } from "../sources/live/source-status.js";

export interface IngestCommandOptions {
  broker?: string;
  brokerCreds?: string;
  input?: string;
  format?: ChatFormat;
  channel?: string;
  speed: ReplaySpeed;
  maxInFlight: number;
  maxMessageLength: number;
  maxGapMs?: number;
  live?: LiveRunOptions;
  /** At the end of a timed recording, close every channel's roll-up periods with a watermark (default true). */
  closePeriods?: boolean;
  /**
   * Arrival-stamped sources (live channels, the WebSocket ingest): how often silent channels get a watermark, on
   * the 500 ms snapshot grid (default 500 ms, as `run`'s ticker; 0: none, a quiet channel then waits for its next message).
   */
  watermarkEveryMs?: number;
  /**
   * How long after each boundary the watermarks go (default 100 ms): a channel with a message in that time needs
   * none (its message carries the snapshot), a silent one gets its snapshot this much later than `run` publishes it.
   * At 20 messages a second per channel 86 % of the watermarks are saved, at 5 a second 39 %.
   */
  watermarkDelayMs?: number;
  /**
   * `--serve [HOST:]PORT --ingest`: the WebSocket ingest of `run --serve --ingest` (/v1/ingest, the same token and
   * Origin checks), with /healthz, /readyz (broker connectivity) and /metrics, as a source of this ingest.
   */
  server?: { serve: string; ingest: boolean; token?: string; ingestToken?: string; corsOrigins?: string[] };
  /** Ends the ingest (SIGTERM, Ctrl-C): live sources and the WebSocket ingest stop, what was read is published. */
  stop?: AbortSignal;
  /** Called once the WebSocket ingest listens (tests, the broker bench read its URL). */
  onListening?: (url: string) => void;
}

/** IngestCommandOptions.watermarkDelayMs's default. */
export const DEFAULT_WATERMARK_DELAY_MS = 100;

/** The JetStream side of the publisher: acks, and channel registration in the channel bucket. */
export function jetStreamWriter(broker: Broker): ChatStreamWriter {
  const channels = broker.bucket("channels");
  return {
    publish: async (subject, data, msgId) => ({ duplicate: (await broker.js.publish(subject, data, { msgID: msgId, timeout: 5000 })).duplicate }),
    registerChannel: async (token, channel) => {
      await channels.create(token, new TextEncoder().encode(channel)).catch(() => undefined);
    },
  };
}

/**
 * Publishes every message of one source, in order: timed sources are paced at `speed` (max: as fast as the acks
 * come), with the same time checks `run` applies, so the stream holds what `run` would have processed.
 */
export async function publishSource(source: MessageSource, publisher: ChatPublisher, o: { speed: ReplaySpeed; clock: CommandIO["clock"]; maxGapMs: number }): Promise<{ badTimes: number }> {
  const live = !source.timed;
  let latest = -Infinity;
  let badTimes = 0;
  let t0: number | undefined;
  let wall0 = 0;
  for await (const batch of source.batches()) {
    for (const raw of batch) {
      if (source.timed ? streamTimeFault(raw.t, latest, o.maxGapMs) !== undefined : !Number.isSafeInteger(raw.t)) {
        badTimes++;
        continue;
      }
      if (raw.t > latest) latest = raw.t;
      if (source.timed && o.speed !== "max") {
        if (t0 === undefined) {
          t0 = raw.t;
          wall0 = o.clock.now();
        }
        await o.clock.sleepUntil(wall0 + (raw.t - t0) / o.speed);
      }
      await publisher.message(cleanMessage(raw), live);
    }
  }
  return { badTimes };
}

export function formatPublisherStats(s: PublisherStats): string {
  return `stored ${s.stored.toLocaleString("en-US")}, duplicates ${s.duplicates.toLocaleString("en-US")}, failed ${s.failed}, refused ${s.refused}, retries ${s.retries}; in flight high-water ${s.inFlightHighWater}${s.watermarks > 0 ? `; ${s.watermarks.toLocaleString("en-US")} watermarks through silence` : ""}`;
}

/**
 * The ingest's ticker for arrival-stamped sources, on `run`'s grid: `delayMs` (1 ms to the grid step) after each
 * 500 ms boundary of stream time, every live channel with no message since the boundary gets a watermark at the
 * stream time then (ChatPublisher.watermarkSilent). Runs until `done` resolves.
 */
export async function tickWatermarks(publisher: ChatPublisher, clock: CommandIO["clock"], origin: number, everyMs: number, done: Promise<unknown>, delayMs = 1): Promise<void> {
  let finished = false;
  const ended = done.then(
    () => (finished = true),
    () => (finished = true),
  );
  const grid = Math.max(SNAPSHOT_EVERY_MS, Math.round(everyMs / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS);
  let step = Math.floor((clock.now() - origin) / grid) * grid + grid;
  while (!finished) {
    await Promise.race([clock.sleepUntil(origin + step + Math.min(grid - 1, Math.max(1, delayMs))), ended]);
    if (finished) return;
    const now = Math.floor(clock.now() - origin - 1);
    await publisher.watermarkSilent(now, Math.floor(now / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS);
    // A late wake-up (a busy loop) covers every boundary already passed with one watermark.
    step = Math.max(step, Math.floor(now / grid) * grid) + grid;
  }
}

/** `chatstream ingest`: a recording, piped chat or live channels → JetStream stream CHAT. Exit 1 when a message could not be stored. */
export async function ingestCommand(options: IngestCommandOptions, io: CommandIO, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const config = brokerConfigFrom({ broker: options.broker, credsFile: options.brokerCreds, env });
  // Loaded here, not at the top: only the broker roles pay for the NATS client.
  const { connectBroker } = await import("../broker/nats-broker.js");
  const broker = await connectBroker(config, { name: `chatstream-ingest-${process.pid}` });
  const publisher = new ChatPublisher(jetStreamWriter(broker), { maxInFlight: options.maxInFlight });
  const origin = io.clock.now();
  const events: Promise<void>[] = [];
  const onEvent = (e: ChatEvent): void => void events.push(publisher.event(cleanEvent(e)));
  let input: ChatInput | undefined;
  const live = await liveRunSetup(options.live, io, origin, options.maxMessageLength);
  let server: RunningServer | undefined;
  let pushed: IngestSource | undefined;
  const stopPushed = (): void => void pushed?.stop();
  options.stop?.addEventListener("abort", stopPushed, { once: true });
  try {
    const sources: MessageSource[] = [...live.sources];
    if (options.server !== undefined) {
      if (!options.server.ingest) throw new UsageError("chatstream ingest: --serve is for the WebSocket ingest: give --ingest with it");
      ({ server, pushed } = await serveIngest(options.server, broker, io, origin, options.maxMessageLength));
      if (options.stop?.aborted === true) stopPushed();
      sources.push(pushed);
      // Pushed chat is stamped on arrival: stream time t is this many ms after the epoch (the broker bench's latency needs it).
      io.stderr.write(`chatstream ingest: stream time 0 is ${origin} ms after the epoch\n`);
      options.onListening?.(server.url);
    }
    if (options.input !== undefined) {
      const opened = await openChatInput({ path: options.input, format: options.format, channel: options.channel, maxMessageLength: options.maxMessageLength, arrivalTime: () => io.clock.now() - origin, stdin: io.stdin, maxGapMs: options.maxGapMs, onEvent });
      input = opened;
      sources.push({ name: `file:${opened.format}`, canWait: true, timed: opened.format !== "text", batches: () => opened.batches() });
    }
    if (sources.length === 0) throw new Error("chatstream ingest: give --input FILE (or -) or a live source (--twitch, --youtube, --kick)");
    for (const s of [...live.sources, ...(pushed === undefined ? [] : [pushed])]) s.onEvent?.(onEvent);
    const publishing = Promise.all(sources.map((s) => publishSource(s, publisher, { speed: options.speed, clock: io.clock, maxGapMs: options.maxGapMs ?? DEFAULT_MAX_GAP_MS })));
    const everyMs = options.watermarkEveryMs ?? SNAPSHOT_EVERY_MS;
    const ticker = sources.some((s) => !s.timed) && everyMs > 0 ? tickWatermarks(publisher, io.clock, origin, everyMs, publishing, options.watermarkDelayMs ?? DEFAULT_WATERMARK_DELAY_MS) : Promise.resolve();
    const results = await publishing;
    await ticker;
    await Promise.all(events);
    await publisher.flush();
    if (options.closePeriods !== false && sources.every((s) => s.timed)) {
      await publisher.closeChannels(TEN_MINUTES_MS);
      await publisher.flush();
    }
    if (input !== undefined) io.stderr.write(formatInputReport(input.report) + "\n");
    live.report();
    if (pushed !== undefined) io.stderr.write(`ingest /v1/ingest: ${pushed.stats.frames.toLocaleString("en-US")} frames, ${pushed.stats.accepted.toLocaleString("en-US")} messages, ${pushed.stats.events} events, ${pushed.stats.rejected} refused\n`);
    const badTimes = results.reduce((n, r) => n + r.badTimes, 0);
    io.stderr.write(`ingest: ${formatPublisherStats(publisher.stats)}${badTimes > 0 ? `, ${badTimes} with a bad timestamp` : ""}\n`);
    return publisher.stats.failed > 0 ? 1 : 0;
  } finally {
    options.stop?.removeEventListener("abort", stopPushed);
    await pushed?.stop();
    await server?.close().catch(() => undefined);
    await live.close().catch(() => undefined);
    await broker.close();
  }
}

/**
 * The WebSocket ingest of `run --serve --ingest`, reused as it is: the server (its Origin policy, its token off
 * loopback, /healthz, /metrics) with the ingest route, and /readyz saying whether the broker connection is up.
 */
async function serveIngest(o: NonNullable<IngestCommandOptions["server"]>, broker: Broker, io: CommandIO, origin: number, maxMessageLength: number): Promise<{ server: RunningServer; pushed: IngestSource }> {
  const [{ IngestSource }, route, { startServer }, { setUpModels }] = await Promise.all([import("../sources/live/ingest/ingest-source.js"), import("../sources/live/ingest/ingest-route.js"), import("../server/start-server.js"), import("./model-setup.js")]);
  const pushed = new IngestSource({ clock: io.clock, streamTime: () => io.clock.now() - origin, maxMessageLength });
  let state: SourceState = "connected";
  void (async () => {
    for await (const s of broker.nc.status()) {
      if (s.type === "disconnect" || s.type === "reconnecting") state = "reconnecting";
      else if (s.type === "reconnect") state = "connected";
    }
  })().catch(() => undefined);
  const brokerStatus = (): SourceStatus => ({ name: `broker:${broker.config.servers.join(",")}`, platform: "nats", channels: [], state: broker.nc.isClosed() ? "closed" : state, reconnects: 0, messages: 0, events: 0 });
  const server = await startServer(
    { serve: o.serve, token: o.token, ingestToken: o.ingestToken, corsOrigins: o.corsOrigins, sighup: false },
    {
      slots: setUpModels({}),
      log: (l) => io.stderr.write(`chatstream ingest: ${l}\n`),
      sourceStatuses: () => [pushed.status(), brokerStatus()],
      routes: (app, bind) => route.registerIngestRoute(app, pushed, { ...route.ingestRouteOptionsFor(bind.host, bind.token, bind.ingestToken), onRefused: bind.refused }),
    },
  );
  server.metrics.trackIngest(() => pushed.stats);
  server.markStarted();
  return { server, pushed };
}
