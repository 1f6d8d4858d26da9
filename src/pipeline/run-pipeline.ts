import { BoundedQueue, type QueueStats, type ShedPolicy } from "../core/bounded-queue.js";
import type { Clock } from "../core/clock.js";
import type { ChatEvent, ChatEventListener } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";
import { cleanEvent, cleanMessage } from "../core/text-cleaning.js";
import type { MessageProcessor } from "../processing/message-processor.js";
import type { Sink } from "../sinks/sink.js";
import { SNAPSHOT_EVERY_MS } from "./channel-pipeline.js";
import { FairShare } from "./fair-share.js";
import type { PipelineRouter } from "./pipeline-router.js";

/** Anything that yields chat messages: a file replay, a pipe, later a live connection. */
export interface MessageSource {
  readonly name: string;
  /** Files and pipes can be paused, so a full queue makes them wait and nothing is shed. */
  readonly canWait: boolean;
  /** Messages carry their own stream time (recordings); otherwise the source stamps arrival time. */
  readonly timed: boolean;
  batches(): AsyncIterable<ChatMessage[]>;
  /** Sources that see events (subs, raids, gifts, paid messages) report them here, outside the message path. */
  onEvent?(listener: ChatEventListener): void;
}

export type ReplaySpeed = number | "max";

/**
 * Optional hooks for metrics. When none is attached the hot path takes no timings; when one is, each message
 * costs one `hrtime` pair and one call.
 */
export interface PipelineObserver {
  /** Called once at start: the source's name and a reader for the queue's stats (polled, e.g. on scrape). */
  start(source: string, queueStats: () => QueueStats): void;
  /** A message came from the source (before the queue: it may still be shed). */
  received(channel: string): void;
  /** A message was shed by the full queue. */
  shed(channel: string): void;
  /** A message went through the per-message stage and its channel pipeline, in `latencyNs` nanoseconds. */
  processed(channel: string, latencyNs: number): void;
}

export interface RunPipelineOptions {
  /** One source (file replays), or several in `sources` (live channels, mixed platforms); both may be given. */
  source?: MessageSource;
  sources?: readonly MessageSource[];
  /** Every event any source reports (after the channel pipelines noted it), e.g. for the recorder. */
  onEvent?: (event: ChatEvent) => void;
  processor: MessageProcessor;
  router: PipelineRouter;
  sink: Sink;
  clock: Clock;
  /** Timed sources are replayed at this multiple of real time; "max" as fast as processing allows. */
  speed: ReplaySpeed;
  queueCapacity?: number;
  shedPolicy?: ShedPolicy;
  /** Stream time origin for arrival-stamped sources (clock time at which t = 0). */
  arrivalOrigin?: number;
  onProgress?: (progress: RunProgress) => void;
  observer?: PipelineObserver;
}

export interface RunProgress {
  messages: number;
  lastT: number;
}

export interface RunStats {
  messages: number;
  queue: QueueStats;
}

/** A resettable wake-up: the consumer sleeps on it while the queue is empty and the watermark unchanged. */
class WakeSignal {
  private waiters: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}

/**
 * Runs one source through the bounded queue, the per-message stage and the channel pipelines into the sink.
 *
 * Two loops share the queue. The producer paces timed sources on the clock (stream time T is due at
 * start + (T − T0) / speed) and, while it waits through silence, raises the watermark every 500 ms of
 * stream time so snapshots keep coming; arrival-stamped sources get the same from a ticker. The consumer
 * drains the queue in batches, then advances the pipelines to the watermark. Output depends only on the
 * messages and their times, never on the speed or on how the loops interleave.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunStats> {
  const { processor, router, sink, clock, speed } = options;
  const sources = [...(options.source ? [options.source] : []), ...(options.sources ?? [])];
  if (sources.length === 0) throw new Error("runPipeline needs at least one source");
  const observer = options.observer;
  // Live sources share the queue fairly between channels (see FairShare); file replays keep the plain queue.
  const fair = sources.some((s) => !s.canWait) ? new FairShare(options.queueCapacity ?? 1000) : undefined;
  const queue = new BoundedQueue<ChatMessage>(options.queueCapacity ?? 1000, options.shedPolicy ?? "drop-newest", (m) => {
    if (fair !== undefined && queue.policy === "drop-oldest") fair.removed(m.channel);
    router.noteShed(m.channel, m.t);
    observer?.shed(m.channel);
  });
  observer?.start(sources.map((s) => s.name).join("+"), () => queue.stats());
  const wake = new WakeSignal();
  let watermark = -Infinity;
  // Each source has its own watermark; the pipelines advance to the lowest one among the sources still running.
  const marks = sources.map(() => -Infinity);
  let producersLeft = sources.length;
  let producerDone = false;
  let markProducerDone: () => void = () => undefined;
  const producerFinished = new Promise<void>((resolve) => (markProducerDone = resolve));
  let producerError: unknown;
  let processed = 0;
  let lastT = -Infinity;

  const raiseWatermark = (i: number, t: number): void => {
    if (t <= (marks[i] as number)) return;
    marks[i] = t;
    let low = Infinity;
    for (const m of marks) if (m < low) low = m;
    if (low > watermark && low !== Infinity) {
      watermark = low;
      wake.notify();
    }
  };

  for (const source of sources) {
    // Every event and every message is cleaned here, before the router, the queue or a metric label sees it:
    // whatever a source's parser let through, no control sequence or bidi control goes further.
    source.onEvent?.((raw) => {
      const event = cleanEvent(raw);
      router.noteEvent(event);
      options.onEvent?.(event);
      wake.notify();
    });
  }

  const produce = async (source: MessageSource, index: number): Promise<void> => {
    const pace = source.timed && speed !== "max";
    const rate = typeof speed === "number" ? speed : 1;
    let t0 = 0;
    let wall0 = 0;
    let nextTick = Infinity;
    try {
      for await (const batch of source.batches()) {
        for (const raw of batch) {
          const m = cleanMessage(raw);
          if (pace) {
            if (nextTick === Infinity) {
              t0 = m.t;
              wall0 = clock.now();
              nextTick = Math.floor(m.t / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
            }
            while (nextTick < m.t) {
              await clock.sleepUntil(wall0 + (nextTick - t0) / rate);
              raiseWatermark(index, nextTick);
              nextTick += SNAPSHOT_EVERY_MS;
            }
            await clock.sleepUntil(wall0 + (m.t - t0) / rate);
          }
          observer?.received(m.channel);
          if (source.canWait) {
            while (!queue.push(m)) await queue.waitForSpace();
            fair?.added(m.channel);
          } else if (fair === undefined) {
            queue.offer(m);
          } else if (!fair.admit(m.channel, queue.depth)) {
            fair.shed++;
            router.noteShed(m.channel, m.t);
            observer?.shed(m.channel);
          } else if (queue.offer(m)) {
            fair.added(m.channel);
          }
        }
      }
    } catch (err) {
      producerError ??= err;
    } finally {
      raiseWatermark(index, Infinity);
      if (--producersLeft === 0) {
        producerDone = true;
        markProducerDone();
        queue.close();
      }
      wake.notify();
    }
  };

  // Arrival-stamped sources have no stream time of their own between messages: the clock supplies it.
  const tick = async (): Promise<void> => {
    const origin = options.arrivalOrigin ?? clock.now();
    let next = clock.now() + SNAPSHOT_EVERY_MS;
    while (!producerDone) {
      await Promise.race([clock.sleepUntil(next), producerFinished]);
      if (producerDone) break;
      const now = clock.now() - origin - 1;
      sources.forEach((s, i) => {
        if (!s.timed) raiseWatermark(i, now);
      });
      next += SNAPSHOT_EVERY_MS;
    }
  };

  const plainHandle = (m: ChatMessage): void => {
    fair?.removed(m.channel);
    router.ingest(m.channel, processor.process(m));
    processed++;
    if (m.t > lastT) lastT = m.t;
  };
  const observedHandle = (m: ChatMessage): void => {
    const t0 = process.hrtime.bigint();
    plainHandle(m);
    observer?.processed(m.channel, Number(process.hrtime.bigint() - t0));
  };
  const handle = observer === undefined ? plainHandle : observedHandle;

  const consume = async (): Promise<void> => {
    let applied = -Infinity;
    for (;;) {
      const woken = wake.wait();
      queue.drain(handle, 2000);
      if (watermark > applied && queue.depth === 0) {
        applied = watermark;
        router.advanceTo(watermark);
      }
      options.onProgress?.({ messages: processed, lastT });
      await sink.ready();
      if (queue.closed && queue.depth === 0) break;
      if (queue.depth === 0) await Promise.race([woken, queue.waitForItems()]);
    }
    router.finish();
  };

  const producers = sources.map((s, i) => produce(s, i));
  const ticker = sources.every((s) => s.timed) ? Promise.resolve() : tick();
  await consume();
  await Promise.all(producers);
  await ticker;
  await sink.ready();
  if (producerError !== undefined) throw producerError;
  const queueStats = queue.stats();
  return { messages: processed, queue: fair === undefined || fair.shed === 0 ? queueStats : { ...queueStats, shed: queueStats.shed + fair.shed } };
}
