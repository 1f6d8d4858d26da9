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
import { DEFAULT_MAX_GAP_MS, streamTimeFault } from "./stream-time.js";

/**
 * Channel steps (one snapshot each) published before the consumer yields to the event loop: a long silence in a
 * replay, or thousands of channels, is published in slices of about 20–50 ms, so the server keeps answering.
 */
export const CATCH_UP_SLICE = 1000;

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
  /** Ends `batches()`; called on every source when the run fails, so a live or ingest source never outlives it. */
  stop?(): Promise<void> | void;
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
  /**
   * Timed sources: a message more than this past the latest time from its source is dropped and counted in
   * `badTimes` (default 24 h, `--max-gap`). Files check this themselves with line numbers (src/sources/time-guard.ts).
   */
  maxGapMs?: number;
  /**
   * Aborting ends the run gracefully (SIGINT, SIGTERM): every source is stopped and no longer awaited, paced waits
   * end at once, what is queued is published and the open roll-ups are flushed; the promise resolves.
   */
  stop?: AbortSignal;
}

export interface RunProgress {
  messages: number;
  lastT: number;
}

export interface RunStats {
  messages: number;
  queue: QueueStats;
  /** Messages and events dropped for a stream time the schedule cannot step to (not a safe integer, or past the maximum gap). */
  badTimes: number;
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
 * drains the queue in batches, then advances the pipelines to the watermark, in slices of CATCH_UP_SLICE
 * snapshots with a turn of the event loop between them. Output depends only on the messages and their times,
 * never on the speed, the slicing or on how the loops interleave.
 *
 * A failure is fatal at once: a source that throws, or the consumer (a sink, a stage). Every source is stopped
 * (`stop`), the ticker ends, and the promise rejects without waiting for sources that never end by themselves
 * (live chat, ingest); after a source failure what was already queued is still published and flushed.
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
  const maxGapMs = options.maxGapMs ?? DEFAULT_MAX_GAP_MS;
  const wake = new WakeSignal();
  let watermark = -Infinity;
  // Each source has its own watermark; the pipelines advance to the lowest one among the sources still running.
  const marks = sources.map(() => -Infinity);
  let producersLeft = sources.length;
  let producerDone = false;
  // Ends the ticker's sleep. An abort signal, not a promise raced on every tick: a never-settled promise in a
  // Promise.race keeps one reaction per race (7,200 an hour at 2 Hz), which a 60-minute soak showed in the heap.
  const producerEnd = new AbortController();
  const markProducerDone = (): void => producerEnd.abort();
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let processed = 0;
  let badTimes = 0;
  let lastT = -Infinity;

  const fail = (error: unknown): void => {
    if (failure !== undefined) return;
    failure = { error };
    producerDone = true;
    markProducerDone();
    // Producers waiting for room wake to a closed queue and end; the consumer publishes what is queued, then stops.
    queue.close();
    wake.notify();
    for (const s of sources) void Promise.resolve().then(() => s.stop?.()).catch(() => undefined);
  };

  const stopGracefully = (): void => {
    if (stopped || failure !== undefined) return;
    stopped = true;
    producerDone = true;
    markProducerDone();
    queue.close();
    wake.notify();
    for (const s of sources) void Promise.resolve().then(() => s.stop?.()).catch(() => undefined);
  };
  if (options.stop?.aborted === true) stopGracefully();
  else options.stop?.addEventListener("abort", stopGracefully, { once: true });

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
      if (failure !== undefined) return;
      if (!Number.isSafeInteger(raw.t)) {
        badTimes++;
        return;
      }
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
    // Highest time taken from this source: every pacing and step loop below is bounded by maxGapMs per message.
    let latest = -Infinity;
    try {
      for await (const batch of source.batches()) {
        if (failure !== undefined || stopped) break;
        for (const raw of batch) {
          if (source.timed ? streamTimeFault(raw.t, latest, maxGapMs) !== undefined : !Number.isSafeInteger(raw.t)) {
            badTimes++;
            continue;
          }
          if (raw.t > latest) latest = raw.t;
          const m = cleanMessage(raw);
          if (pace) {
            if (nextTick === Infinity) {
              t0 = m.t;
              wall0 = clock.now();
              nextTick = Math.floor(m.t / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
            }
            while (nextTick < m.t) {
              await clock.sleepUntil(wall0 + (nextTick - t0) / rate, options.stop);
              if (failure !== undefined || stopped) return;
              // Ticks already due (a coarse timer, a busy consumer) are raised at once: one pass per sleep, not per 500 ms.
              const due = Math.min(m.t - 1, t0 + (clock.now() - wall0) * rate);
              if (due > nextTick) nextTick = Math.floor(due / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
              raiseWatermark(index, nextTick);
              nextTick += SNAPSHOT_EVERY_MS;
            }
            await clock.sleepUntil(wall0 + (m.t - t0) / rate, options.stop);
            if (failure !== undefined || stopped) return;
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
      // After a failure or a stop the queue is closed under a producer still pushing: that is the stop, not an error.
      if (failure === undefined && !stopped) fail(err);
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

  // Arrival-stamped sources have no stream time of their own between messages: the clock supplies it. The ticker
  // wakes on the stream's 500 ms grid, 1 ms after each snapshot's time T (a message stamped later has t > T), so a
  // quiet channel's snapshot is published when it is due, not at a tick up to 500 ms later or at the next message.
  const tick = async (): Promise<void> => {
    const origin = options.arrivalOrigin ?? clock.now();
    let step = Math.floor((clock.now() - origin) / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS + SNAPSHOT_EVERY_MS;
    while (!producerDone) {
      await clock.sleepUntil(origin + step + 1, producerEnd.signal);
      const now = clock.now() - origin - 1;
      // A few microtask turns before the watermark moves to the time read at the wake-up (the Promise.race this sleep
      // replaced gave one): a message that arrived before the tick, in the same turn of the event loop (stamped
      // earlier), but is still on its way through its source's async iterator reaches the queue first, instead of
      // being counted late in the next step. A macrotask would let virtual time run on (test/live/multi-channel).
      for (let i = 0; i < 4; i++) await Promise.resolve();
      if (producerDone) break;
      sources.forEach((s, i) => {
        if (!s.timed) raiseWatermark(i, now);
      });
      // A late wake-up (a busy loop) raised every step already due at once.
      step = Math.max(step, Math.floor(now / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS) + SNAPSHOT_EVERY_MS;
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
  // Messages drained behind one whose silence before it is longer than a slice; published after it, in order.
  const held: ChatMessage[] = [];
  const take = (m: ChatMessage): void => {
    if (held.length > 0 || router.backlog(m.t - 1) > CATCH_UP_SLICE) held.push(m);
    else handle(m);
  };
  /** Publishes up to the watermark a slice at a time, letting the sink drain and the event loop turn in between. */
  const advanceInSlices = async (to: number): Promise<void> => {
    while (!router.advancePartly(to, CATCH_UP_SLICE)) {
      await sink.ready();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  const consume = async (): Promise<void> => {
    let applied = -Infinity;
    for (;;) {
      const woken = wake.wait();
      queue.drain(take, 2000);
      for (const m of held) {
        await advanceInSlices(m.t - 1);
        handle(m);
      }
      held.length = 0;
      if (watermark > applied && queue.depth === 0) {
        applied = watermark;
        await advanceInSlices(applied);
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
  try {
    await consume();
    // A stopped source that cannot end by itself (a pipe held open) is not waited for.
    if (failure === undefined && !stopped) await Promise.all(producers);
    await ticker;
    await sink.ready();
  } catch (err) {
    fail(err);
  }
  options.stop?.removeEventListener("abort", stopGracefully);
  if (failure !== undefined) throw failure.error;
  const queueStats = queue.stats();
  return { messages: processed, badTimes, queue: fair === undefined || fair.shed === 0 ? queueStats : { ...queueStats, shed: queueStats.shed + fair.shed } };
}
