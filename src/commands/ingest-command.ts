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
}

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
      await publisher.message(cleanMessage(raw));
    }
  }
  return { badTimes };
}

export function formatPublisherStats(s: PublisherStats): string {
  return `stored ${s.stored.toLocaleString("en-US")}, duplicates ${s.duplicates.toLocaleString("en-US")}, failed ${s.failed}, refused ${s.refused}, retries ${s.retries}; in flight high-water ${s.inFlightHighWater}`;
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
  try {
    const sources: MessageSource[] = [...live.sources];
    if (options.input !== undefined) {
      const opened = await openChatInput({ path: options.input, format: options.format, channel: options.channel, maxMessageLength: options.maxMessageLength, arrivalTime: () => io.clock.now() - origin, stdin: io.stdin, maxGapMs: options.maxGapMs, onEvent });
      input = opened;
      sources.push({ name: `file:${opened.format}`, canWait: true, timed: opened.format !== "text", batches: () => opened.batches() });
    }
    if (sources.length === 0) throw new Error("chatstream ingest: give --input FILE (or -) or a live source (--twitch, --youtube, --kick)");
    for (const s of live.sources) s.onEvent?.(onEvent);
    const results = await Promise.all(sources.map((s) => publishSource(s, publisher, { speed: options.speed, clock: io.clock, maxGapMs: options.maxGapMs ?? DEFAULT_MAX_GAP_MS })));
    await Promise.all(events);
    await publisher.flush();
    if (options.closePeriods !== false && sources.every((s) => s.timed)) {
      await publisher.closeChannels(TEN_MINUTES_MS);
      await publisher.flush();
    }
    if (input !== undefined) io.stderr.write(formatInputReport(input.report) + "\n");
    live.report();
    const badTimes = results.reduce((n, r) => n + r.badTimes, 0);
    io.stderr.write(`ingest: ${formatPublisherStats(publisher.stats)}${badTimes > 0 ? `, ${badTimes} with a bad timestamp` : ""}\n`);
    return publisher.stats.failed > 0 ? 1 : 0;
  } finally {
    await live.close().catch(() => undefined);
    await broker.close();
  }
}
