import type { Clock } from "../core/clock.js";
import { DEFAULT_MAX_MESSAGE_LENGTH, type ChatMessage } from "../core/message.js";
import type { MessageSource } from "../pipeline/run-pipeline.js";
import type { DecodeContext } from "../sources/decoder.js";
import { decodeJsonlObject } from "../sources/formats/jsonl.js";
import { DurationHistogram } from "./latency-stats.js";
import type { LoadSchedule, ScheduledLine } from "./load-plan.js";

/** Lines handed over in one batch at most (rate "max"), so the queue's back-pressure is felt between batches. */
const MAX_BATCH = 500;
const SNAPSHOT_EVERY_MS = 500;

/** What the load source counts: every line it generated ends up in exactly one of these (or in the pipeline's shed). */
export interface LoadSourceCounts {
  generated: number;
  /** Lines that did not decode (the torn ones): counted, as a live source counts a bad frame. */
  malformed: number;
  /** Messages handed to the pipeline. */
  emitted: number;
}

/**
 * The in-process load generator as a live source: at each line's due time it decodes the line as the ingest does
 * (JSON.parse, then our JSON lines decoder) and stamps it with its arrival time, `t` = clock time since `origin`
 * (whole ms). Like a live chat it cannot wait (`canWait: false`: a full queue sheds, counted), except at rate "max",
 * where it is a file that waits for room. On a virtual clock it wakes every `batchMs` of stream time.
 */
export class LoadSource implements MessageSource {
  readonly name = "bench";
  readonly timed = false;
  readonly canWait: boolean;
  readonly counts: LoadSourceCounts = { generated: 0, malformed: 0, emitted: 0 };
  /** From a message's arrival to the due time of the first snapshot that counts it: the 2 Hz tick, by design. */
  readonly tickWait = new DurationHistogram();
  private readonly stopped = new AbortController();
  private readonly ctx: DecodeContext;

  constructor(
    private readonly schedule: LoadSchedule,
    private readonly clock: Clock,
    private readonly origin: number,
    private readonly options: { batchMs?: number; maxMessageLength?: number } = {},
  ) {
    this.canWait = schedule.plan.rate === "max";
    this.ctx = { defaultChannel: "bench", arrivalTime: () => this.streamTime(), maxMessageLength: options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH };
  }

  private streamTime(): number {
    return Math.floor(this.clock.now() - this.origin);
  }

  async *batches(): AsyncIterable<ChatMessage[]> {
    const batchMs = this.options.batchMs ?? 1;
    const signal = this.stopped.signal;
    while (!signal.aborted && !this.schedule.done) {
      if (!this.canWait) {
        const due = this.schedule.peekDue();
        await this.clock.sleepUntil(this.origin + Math.ceil(due / batchMs) * batchMs, signal);
        if (signal.aborted) return;
      }
      const now = this.clock.now() - this.origin;
      const batch: ChatMessage[] = [];
      while (!this.schedule.done && (this.canWait ? batch.length < MAX_BATCH : this.schedule.peekDue() <= now)) this.decode(this.schedule.take(), batch);
      if (batch.length > 0) yield batch;
    }
  }

  private decode(line: ScheduledLine, into: ChatMessage[]): void {
    this.counts.generated++;
    let object: unknown;
    try {
      object = JSON.parse(line.item);
    } catch {
      this.counts.malformed++;
      return;
    }
    const t = this.streamTime();
    const result = decodeJsonlObject({ ...(object as Record<string, unknown>), t, channel: line.channel }, this.ctx);
    if (result.kind !== "message") {
      this.counts.malformed++;
      return;
    }
    this.counts.emitted++;
    this.tickWait.recordMs(Math.ceil(t / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS - t);
    into.push(result.message);
  }

  stop(): void {
    this.stopped.abort();
  }
}

/** Records the 2 Hz tick wait of every message a source yields (for a source the bench did not write: the ingest). */
export function recordTickWait(source: MessageSource, into: DurationHistogram): MessageSource {
  const batches = async function* (): AsyncIterable<ChatMessage[]> {
    for await (const batch of source.batches()) {
      for (const m of batch) into.recordMs(Math.ceil(m.t / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS - m.t);
      yield batch;
    }
  };
  return { name: source.name, canWait: source.canWait, timed: source.timed, batches, stop: () => source.stop?.() };
}
