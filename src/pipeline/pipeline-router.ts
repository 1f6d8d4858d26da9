import type { WindowPolicy } from "../aggregation/sliding-window.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import type { ProcessedMessage } from "../processing/message-processor.js";
import type { OutputRecord } from "../schema/output-schema.js";
import { ChannelPipeline, SNAPSHOT_EVERY_MS } from "./channel-pipeline.js";

export interface PipelineRouterOptions {
  summarizer: () => Summarizer;
  emit: (record: OutputRecord) => void;
  window?: WindowPolicy;
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

  constructor(private readonly options: PipelineRouterOptions) {}

  channel(name: string): ChannelPipeline {
    let p = this.pipelines.get(name);
    if (p === undefined) {
      p = new ChannelPipeline({ channel: name, summarizer: this.options.summarizer, emit: this.options.emit, window: this.options.window });
      this.pipelines.set(name, p);
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
