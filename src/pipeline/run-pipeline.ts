import { BoundedQueue, type QueueStats, type ShedPolicy } from "../core/bounded-queue.js";
import type { Clock } from "../core/clock.js";
import type { ChatMessage } from "../core/message.js";
import type { MessageProcessor } from "../processing/message-processor.js";
import type { Sink } from "../sinks/sink.js";
import { SNAPSHOT_EVERY_MS } from "./channel-pipeline.js";
import type { PipelineRouter } from "./pipeline-router.js";

/** Anything that yields chat messages: a file replay, a pipe, later a live connection. */
export interface MessageSource {
  readonly name: string;
  /** Files and pipes can be paused, so a full queue makes them wait and nothing is shed. */
  readonly canWait: boolean;
  /** Messages carry their own stream time (recordings); otherwise the source stamps arrival time. */
  readonly timed: boolean;
  batches(): AsyncIterable<ChatMessage[]>;
}

export type ReplaySpeed = number | "max";

export interface RunPipelineOptions {
  source: MessageSource;
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
  const { source, processor, router, sink, clock, speed } = options;
  const queue = new BoundedQueue<ChatMessage>(options.queueCapacity ?? 1000, options.shedPolicy ?? "drop-newest", (m) => router.noteShed(m.channel, m.t));
  const wake = new WakeSignal();
  let watermark = -Infinity;
  let producerDone = false;
  let markProducerDone: () => void = () => undefined;
  const producerFinished = new Promise<void>((resolve) => (markProducerDone = resolve));
  let producerError: unknown;
  let processed = 0;
  let lastT = -Infinity;

  const raiseWatermark = (t: number): void => {
    if (t > watermark) {
      watermark = t;
      wake.notify();
    }
  };

  const produce = async (): Promise<void> => {
    const pace = source.timed && speed !== "max";
    const rate = typeof speed === "number" ? speed : 1;
    let t0 = 0;
    let wall0 = 0;
    let nextTick = Infinity;
    try {
      for await (const batch of source.batches()) {
        for (const m of batch) {
          if (pace) {
            if (nextTick === Infinity) {
              t0 = m.t;
              wall0 = clock.now();
              nextTick = Math.floor(m.t / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
            }
            while (nextTick < m.t) {
              await clock.sleepUntil(wall0 + (nextTick - t0) / rate);
              raiseWatermark(nextTick);
              nextTick += SNAPSHOT_EVERY_MS;
            }
            await clock.sleepUntil(wall0 + (m.t - t0) / rate);
          }
          if (source.canWait) {
            while (!queue.push(m)) await queue.waitForSpace();
          } else {
            queue.offer(m);
          }
        }
      }
    } catch (err) {
      producerError = err;
    } finally {
      producerDone = true;
      markProducerDone();
      queue.close();
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
      raiseWatermark(clock.now() - origin - 1);
      next += SNAPSHOT_EVERY_MS;
    }
  };

  const handle = (m: ChatMessage): void => {
    router.ingest(m.channel, processor.process(m));
    processed++;
    if (m.t > lastT) lastT = m.t;
  };

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

  const producer = produce();
  const ticker = source.timed ? Promise.resolve() : tick();
  await consume();
  await producer;
  await ticker;
  await sink.ready();
  if (producerError !== undefined) throw producerError;
  return { messages: processed, queue: queue.stats() };
}
