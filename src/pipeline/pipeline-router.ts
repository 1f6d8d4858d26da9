import type { ChatEvent } from "../core/event.js";
import type { WindowPolicy } from "../aggregation/sliding-window.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import type { ProcessedMessage } from "../processing/message-processor.js";
import type { OutputRecord } from "../schema/output-schema.js";
import { ChannelPipeline, SNAPSHOT_EVERY_MS } from "./channel-pipeline.js";

export interface PipelineRouterOptions {
  summarizer: () => Summarizer;
  emit: (record: OutputRecord) => void;
  window?: WindowPolicy;
  /** Optional metrics hook passed to every channel: nanoseconds spent assembling each snapshot. */
  onSnapshotAssembled?: (channel: string, ns: number) => void;
}

/**
 * Keeps one ChannelPipeline per channel, created on the channel's first message, and moves them through
 * stream time together: step by step on the 500 ms grid, every channel in order of first appearance at each
 * step. Lines from several channels then interleave the same way whatever the watermarks were, which keeps
 * multi-channel output byte-identical across replay speeds.
 */
export class PipelineRouter {
  private readonly pipelines = new Map<string, ChannelPipeline>();
  private nextStep = -Infinity;
  private lastT = -Infinity;
  private readonly eventsBeforeFirstMessage = new Map<string, ChatEvent[]>();

  constructor(private readonly options: PipelineRouterOptions) {}

  channel(name: string): ChannelPipeline {
    let p = this.pipelines.get(name);
    if (p === undefined) {
      p = new ChannelPipeline({ channel: name, summarizer: this.options.summarizer, emit: this.options.emit, window: this.options.window, onSnapshotAssembled: this.options.onSnapshotAssembled });
      this.pipelines.set(name, p);
      const waiting = this.eventsBeforeFirstMessage.get(name);
      if (waiting !== undefined) {
        this.eventsBeforeFirstMessage.delete(name);
        for (const e of waiting) p.noteEvent(e);
      }
    }
    return p;
  }

  channels(): ChannelPipeline[] {
    return [...this.pipelines.values()];
  }

  ingest(channel: string, m: ProcessedMessage): void {
    this.advanceTo(m.t - 1);
    this.channel(channel).ingest(m);
    if (m.t > this.lastT) this.lastT = m.t;
  }

  /** An event (sub, raid, gift, paid message…) for its channel; shown in snapshots and counted in roll-ups, never chat. */
  noteEvent(event: ChatEvent): void {
    const p = this.pipelines.get(event.channel);
    if (p !== undefined) {
      p.noteEvent(event);
      return;
    }
    // A channel starts with its first message (that fixes the channels' order); events before it wait.
    const waiting = this.eventsBeforeFirstMessage.get(event.channel);
    if (waiting === undefined) this.eventsBeforeFirstMessage.set(event.channel, [event]);
    else waiting.push(event);
  }

  noteShed(channel: string, t: number): void {
    this.channel(channel).noteShed(t);
  }

  /** The watermark applies to every channel: no message at or before it is still to come from any source. */
  advanceTo(watermark: number): void {
    if (this.pipelines.size === 0) return;
    if (this.nextStep === -Infinity) this.nextStep = Math.floor(watermark / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
    while (this.nextStep <= watermark) {
      for (const p of this.pipelines.values()) p.advanceTo(this.nextStep);
      this.nextStep += SNAPSHOT_EVERY_MS;
    }
  }

  /** End of input: every channel is published up to the last message of any channel, then flushed. */
  finish(): void {
    this.advanceTo(this.lastT);
    for (const p of this.pipelines.values()) p.finish();
  }
}
