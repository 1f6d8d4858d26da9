import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { QueueStats } from "../core/bounded-queue.js";
import type { Clock } from "../core/clock.js";
import type { PipelineObserver } from "../pipeline/run-pipeline.js";
import type { OutputRecord } from "../schema/output-schema.js";
import type { Sink } from "../sinks/sink.js";
import { DurationHistogram, loopDelaySummary, type Percentiles } from "./latency-stats.js";

/** A snapshot more than this after the channel's previous one is a gap in the 2 Hz stream (the bar). */
export const GAP_MS = 600;

/** One memory and queue sample: seconds since the start of the load, MB, messages, and the machine's 1-minute load average. */
export interface MemorySample {
  t: number;
  rssMB: number;
  heapMB: number;
  queueDepth: number;
  load1: number;
}

/** What the probe measured over the measured interval (after warm-up). */
export interface ProbeFigures {
  received: number;
  processed: number;
  shed: number;
  snapshots: number;
  rollups: number;
  processingUs: Percentiles;
  endToEndMs: Percentiles;
  assemblyMs: Percentiles;
  eventLoopDelayMs: (Percentiles & { mean: number }) | undefined;
  snapshotGapMs: Percentiles & { over600: number; channelsWithGap: number; channelsMeasured: number; slowestChannelHz: number };
  queueHighWater: number;
  queueCapacity: number;
}

/**
 * The bench's instruments, attached through the hooks the pipeline already has: the observer (per message), the
 * router's onSnapshotAssembled (per snapshot) and a sink wrapper (per published record). None of them exists
 * outside a bench, so a run pays nothing for them.
 *
 * End-to-end latency of a snapshot is its publication time minus the later of its due time (the 500 ms boundary,
 * `origin + t`) and the arrival of the newest message it counts. The load is stamped on arrival, so a message a
 * snapshot at t counts has arrived by `origin + t` (within a millisecond): the later of the two is the due time.
 */
export class BenchProbe implements PipelineObserver {
  readonly processing = new DurationHistogram();
  readonly assembly = new DurationHistogram();
  readonly endToEnd = new DurationHistogram();
  readonly gaps = new DurationHistogram();
  private readonly lastPublished = new Map<string, number>();
  private readonly maxGap = new Map<string, number>();
  /** Per channel, over the measured interval: its first publication and how many snapshots since. */
  private readonly snapshotsInWindow = new Map<string, { first: number; count: number }>();
  private loop: IntervalHistogram | undefined;
  private queueStats: (() => QueueStats) | undefined;
  private measureFrom = -Infinity;
  private measuredUntil: number | undefined;
  private counts = { received: 0, processed: 0, shed: 0, snapshots: 0, rollups: 0 };
  private gapsOver = 0;
  /** Deepest queue seen by the sampler over the whole run (the queue's own high-water mark is in `figures`). */
  maxSampledDepth = 0;

  constructor(
    private readonly clock: Clock,
    private readonly origin: number,
    private readonly options: { eventLoop: boolean } = { eventLoop: true },
  ) {}

  // PipelineObserver
  start(_source: string, queueStats: () => QueueStats): void {
    this.queueStats = queueStats;
  }

  received(): void {
    this.counts.received++;
  }

  shed(): void {
    this.counts.shed++;
  }

  processed(_channel: string, latencyNs: number): void {
    this.counts.processed++;
    this.processing.recordNs(latencyNs);
  }

  /** For PipelineRouter's onSnapshotAssembled. */
  readonly snapshotAssembled = (_channel: string, ns: number): void => {
    this.assembly.recordNs(ns);
  };

  /** Wraps the run's sink: every published record passes here first. */
  wrap(inner: Sink): Sink {
    return {
      name: inner.name,
      write: (record: OutputRecord) => {
        this.published(record);
        inner.write(record);
      },
      ready: () => inner.ready(),
      close: () => inner.close(),
    };
  }

  private published(record: OutputRecord): void {
    if (record.type !== "snapshot") {
      this.counts.rollups++;
      return;
    }
    this.counts.snapshots++;
    const now = this.clock.now();
    this.endToEnd.recordMs(now - (this.origin + record.t));
    const channel = record.channel;
    const last = this.lastPublished.get(channel);
    this.lastPublished.set(channel, now);
    // A channel's first snapshot in the measured interval has no gap before it.
    if (last !== undefined && last >= this.measureFrom) {
      const gap = now - last;
      this.gaps.recordMs(gap);
      if (gap > GAP_MS) this.gapsOver++;
      if (gap > (this.maxGap.get(channel) ?? 0)) this.maxGap.set(channel, gap);
    }
    if (now >= this.measureFrom) {
      const seen = this.snapshotsInWindow.get(channel);
      if (seen === undefined) this.snapshotsInWindow.set(channel, { first: now, count: 1 });
      else seen.count++;
    }
  }

  /** End of warm-up: everything recorded so far is dropped, the event-loop monitor starts. */
  startMeasuring(): void {
    this.measureFrom = this.clock.now();
    this.counts = { received: 0, processed: 0, shed: 0, snapshots: 0, rollups: 0 };
    this.gapsOver = 0;
    for (const h of [this.processing, this.assembly, this.endToEnd, this.gaps]) h.reset();
    this.maxGap.clear();
    this.snapshotsInWindow.clear();
    if (this.options.eventLoop) {
      this.loop?.disable();
      this.loop = monitorEventLoopDelay({ resolution: 1 });
      this.loop.enable();
    }
  }

  stopMeasuring(): void {
    this.measuredUntil ??= this.clock.now();
    this.loop?.disable();
  }

  /** The queue's depth now (0 before the pipeline started). */
  queueDepth(): number {
    const depth = this.queueStats?.().depth ?? 0;
    if (depth > this.maxSampledDepth) this.maxSampledDepth = depth;
    return depth;
  }

  figures(): ProbeFigures {
    const gaps = this.gaps.summary("ms");
    let channelsWithGap = 0;
    for (const g of this.maxGap.values()) if (g > GAP_MS) channelsWithGap++;
    const until = this.measuredUntil ?? this.clock.now();
    // A channel's rate from its first snapshot in the interval to the end (one that started late is not slow).
    let slowest = Infinity;
    for (const { first, count } of this.snapshotsInWindow.values()) if (until - first >= 5_000) slowest = Math.min(slowest, count / ((until - first) / 1000 + 0.5));
    const q = this.queueStats?.();
    return {
      ...this.counts,
      processingUs: this.processing.summary("us"),
      endToEndMs: this.endToEnd.summary("ms"),
      assemblyMs: this.assembly.summary("ms"),
      eventLoopDelayMs: this.loop === undefined ? undefined : loopDelaySummary(this.loop),
      snapshotGapMs: {
        ...gaps,
        over600: this.gapsOver,
        channelsWithGap,
        channelsMeasured: this.snapshotsInWindow.size,
        slowestChannelHz: slowest === Infinity ? 0 : Math.round(slowest * 100) / 100,
      },
      queueHighWater: q?.highWater ?? 0,
      queueCapacity: q?.capacity ?? 0,
    };
  }
}
