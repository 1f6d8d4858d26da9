import type { ChatEvent } from "../core/event.js";
import type { WindowPolicy } from "../aggregation/sliding-window.js";
import { TEN_MINUTES_MS } from "../aggregation/rollup-chain.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import type { ProcessedMessage } from "../processing/message-processor.js";
import type { OutputRecord } from "../schema/output-schema.js";
import { ChannelPipeline, SNAPSHOT_EVERY_MS } from "./channel-pipeline.js";
import { RecencyList, type RecencyNode } from "./recency-list.js";

/** Default `--max-channels`: the load issue's 10,000 quiet channels fit; one step of them costs about 0.2 s. */
export const DEFAULT_MAX_CHANNELS = 10_000;
/** Events kept for a channel that has had no message yet, per channel and in all; beyond, the oldest go (counted). */
export const MAX_WAITING_EVENTS_PER_CHANNEL = 100;
export const MAX_WAITING_EVENTS = 10_000;
/** Waiting events expire once the channel has been silent this long in stream time: the longest roll-up period. */
export const WAITING_EVENTS_TTL_MS = TEN_MINUTES_MS;

export interface PipelineRouterOptions {
  summarizer: () => Summarizer;
  emit: (record: OutputRecord) => void;
  window?: WindowPolicy;
  /** Optional metrics hook passed to every channel: nanoseconds spent assembling each snapshot. */
  onSnapshotAssembled?: (channel: string, ns: number) => void;
  /** `--max-channels`: a new channel beyond this evicts the least recently active one. */
  maxChannels?: number;
  /** Told the name of every evicted channel, so the server and the metrics forget it too. */
  onEvicted?: (channel: string) => void;
  /** Which topic and thread labels are emotes (shown as they are; the rest are masked for air). */
  isEmote?: (name: string) => boolean;
}

export interface RouterStats {
  channels: number;
  /** Channels evicted to stay within `maxChannels`. */
  evicted: number;
  /** Events held for channels that have had no message yet. */
  waitingEvents: number;
  /** Waiting events dropped: expired, or beyond the per-channel or total bound. */
  eventsDropped: number;
}

interface ChannelEntry extends RecencyNode {
  readonly pipeline: ChannelPipeline;
}

interface WaitingEvents extends RecencyNode {
  readonly channel: string;
  readonly events: ChatEvent[];
  lastT: number;
}

/**
 * Keeps one ChannelPipeline per channel, created on the channel's first message, and moves them through
 * stream time together: step by step on the 500 ms grid, every channel in order of first appearance at each
 * step. Lines from several channels then interleave the same way whatever the watermarks were, which keeps
 * multi-channel output byte-identical across replay speeds.
 *
 * Memory is bounded whatever the input: at most `maxChannels` pipelines (the least recently active one is
 * evicted for a new one), and a bounded, expiring store of events for channels that have had no message yet.
 */
export class PipelineRouter {
  private readonly pipelines = new Map<string, ChannelEntry>();
  /** Least recently active first: the one evicted for a new channel beyond maxChannels. */
  private readonly activity = new RecencyList<ChannelEntry>();
  private readonly maxChannels: number;
  private evictedCount = 0;
  private nextStep = -Infinity;
  /** Channels not yet advanced to `nextStep` when a step was cut short by a budget (advancePartly). */
  private stepCursor: Iterator<ChannelEntry> | undefined;
  private lastT = -Infinity;
  private readonly eventsBeforeFirstMessage = new Map<string, WaitingEvents>();
  /** The same, least recently added to first: the first to expire or to go when the total bound is reached. */
  private readonly waitingOrder = new RecencyList<WaitingEvents>();
  private waitingCount = 0;
  private droppedEvents = 0;

  constructor(private readonly options: PipelineRouterOptions) {
    this.maxChannels = options.maxChannels ?? DEFAULT_MAX_CHANNELS;
    if (!Number.isInteger(this.maxChannels) || this.maxChannels < 1) throw new RangeError(`maxChannels must be a positive integer, got ${this.maxChannels}`);
  }

  channel(name: string): ChannelPipeline {
    const entry = this.pipelines.get(name);
    if (entry !== undefined) {
      this.activity.touch(entry);
      return entry.pipeline;
    }
    const idlest = this.activity.oldest;
    if (this.pipelines.size >= this.maxChannels && idlest !== undefined) this.evict(idlest);
    const p = new ChannelPipeline({
      channel: name,
      summarizer: this.options.summarizer,
      emit: this.options.emit,
      window: this.options.window,
      onSnapshotAssembled: this.options.onSnapshotAssembled,
      publishedUpTo: () => this.nextStep - SNAPSHOT_EVERY_MS,
      isEmote: this.options.isEmote,
    });
    const created: ChannelEntry = { pipeline: p, older: undefined, newer: undefined };
    this.activity.append(created);
    this.pipelines.set(name, created);
    const waiting = this.eventsBeforeFirstMessage.get(name);
    if (waiting !== undefined) {
      this.forgetWaiting(waiting);
      for (const e of waiting.events) p.noteEvent(e);
    }
    return p;
  }

  channels(): ChannelPipeline[] {
    return Array.from(this.pipelines.values(), (e) => e.pipeline);
  }

  stats(): RouterStats {
    return { channels: this.pipelines.size, evicted: this.evictedCount, waitingEvents: this.waitingCount, eventsDropped: this.droppedEvents };
  }

  ingest(channel: string, m: ProcessedMessage): void {
    // A time beyond ±2^53 would never be reached by 500 ms steps: a caller that skipped the stream-time check is a bug.
    if (!Number.isSafeInteger(m.t)) throw new RangeError(`stream time must be a safe integer, got ${m.t}`);
    if (this.nextStep === -Infinity) this.nextStep = Math.floor(m.t / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
    this.advanceTo(m.t - 1);
    this.channel(channel).ingest(m);
    if (m.t > this.lastT) this.lastT = m.t;
  }

  /** An event (sub, raid, gift, paid message…) for its channel; shown in snapshots and counted in roll-ups, never chat. */
  noteEvent(event: ChatEvent): void {
    const entry = this.pipelines.get(event.channel);
    if (entry !== undefined) {
      this.activity.touch(entry);
      entry.pipeline.noteEvent(event);
      return;
    }
    // A channel starts with its first message (that fixes the channels' order); events before it wait, bounded.
    let waiting = this.eventsBeforeFirstMessage.get(event.channel);
    if (waiting === undefined) {
      waiting = { channel: event.channel, events: [], lastT: event.t, older: undefined, newer: undefined };
      this.eventsBeforeFirstMessage.set(event.channel, waiting);
      this.waitingOrder.append(waiting);
    } else {
      this.waitingOrder.touch(waiting);
    }
    if (waiting.events.length >= MAX_WAITING_EVENTS_PER_CHANNEL) {
      waiting.events.shift();
      this.waitingCount--;
      this.droppedEvents++;
    }
    waiting.events.push(event);
    if (event.t > waiting.lastT) waiting.lastT = event.t;
    this.waitingCount++;
    while (this.waitingCount > MAX_WAITING_EVENTS) this.dropWaiting(this.waitingOrder.oldest as WaitingEvents);
  }

  noteShed(channel: string, t: number): void {
    this.channel(channel).noteShed(t);
  }

  /** The watermark applies to every channel: no message at or before it is still to come from any source. */
  advanceTo(watermark: number): void {
    this.advancePartly(watermark, Infinity);
  }

  /**
   * Snapshots still to publish before the watermark (steps × channels): what `advanceTo(watermark)` would cost.
   * runPipeline asks before each message so a long silence is published in slices, yielding in between.
   */
  backlog(watermark: number): number {
    const n = this.pipelines.size;
    if (n === 0 || this.nextStep > watermark) return 0;
    if (this.nextStep === -Infinity) return n;
    return (Math.floor((watermark - this.nextStep) / SNAPSHOT_EVERY_MS) + 1) * n;
  }

  /**
   * Like advanceTo, but stops after about `budget` channel steps (a step may stop between channels and resume
   * where it stopped). Returns true once everything at or before the watermark is published.
   */
  advancePartly(watermark: number, budget: number): boolean {
    if (this.pipelines.size === 0 || watermark === -Infinity) return true;
    if (!(Math.abs(watermark) <= 2 ** 53)) throw new RangeError(`watermark must be within ±2^53, got ${watermark}`);
    if (this.nextStep === -Infinity) this.nextStep = Math.floor(watermark / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
    let spent = 0;
    while (this.nextStep <= watermark) {
      const cursor = (this.stepCursor ??= this.pipelines.values());
      for (let next = cursor.next(); !next.done; next = cursor.next()) {
        next.value.pipeline.advanceTo(this.nextStep);
        if (++spent >= budget) return false;
      }
      this.stepCursor = undefined;
      this.expireWaiting(this.nextStep);
      this.nextStep += SNAPSHOT_EVERY_MS;
    }
    return true;
  }

  /** End of input: every channel is published up to the last message of any channel, then flushed. */
  finish(): void {
    this.advanceTo(this.lastT);
    for (const e of this.pipelines.values()) e.pipeline.finish();
  }

  private evict(entry: ChannelEntry): void {
    this.activity.remove(entry);
    const name = entry.pipeline.channel;
    this.pipelines.delete(name);
    this.evictedCount++;
    this.options.onEvicted?.(name);
  }

  private forgetWaiting(waiting: WaitingEvents): void {
    this.eventsBeforeFirstMessage.delete(waiting.channel);
    this.waitingOrder.remove(waiting);
    this.waitingCount -= waiting.events.length;
  }

  private dropWaiting(waiting: WaitingEvents): void {
    this.forgetWaiting(waiting);
    this.droppedEvents += waiting.events.length;
  }

  /** Drops the waiting events of channels silent for the TTL, stalest first (once per step: usually one comparison). */
  private expireWaiting(now: number): void {
    for (let w = this.waitingOrder.oldest; w !== undefined && w.lastT < now - WAITING_EVENTS_TTL_MS; w = this.waitingOrder.oldest) this.dropWaiting(w);
  }
}
