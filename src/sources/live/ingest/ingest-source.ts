import type { Clock } from "../../../core/clock.js";
import type { ChatEvent } from "../../../core/event.js";
import { DEFAULT_MAX_MESSAGE_LENGTH, type ChatMessage } from "../../../core/message.js";
import type { DecodeContext } from "../../decoder.js";
import { decodeJsonlLine } from "../../formats/jsonl.js";
import { LiveSourceBase } from "../live-source.js";

export interface IngestSourceOptions {
  clock: Clock;
  streamTime?: () => number;
  /** Messages held while the pipeline's queue is full; beyond this, pushes are refused with `queue-full`. */
  capacity?: number;
  /** Largest frame accepted, in bytes (UTF-8). */
  maxFrameBytes?: number;
  /** Most items in one array frame. */
  maxItemsPerFrame?: number;
  /** Channel for messages that name none. */
  defaultChannel?: string;
  maxMessageLength?: number;
}

/** What one pushed frame did. */
export type IngestResult =
  | { ok: true; accepted: number; events: number }
  | { ok: false; error: "invalid" | "too-large" | "queue-full" | "closed"; reason: string; accepted: number; events: number; rejected: number; index?: number };

export interface IngestStats {
  frames: number;
  accepted: number;
  events: number;
  invalid: number;
  tooLarge: number;
  queueFull: number;
}

export const DEFAULT_INGEST_FRAME_BYTES = 256 * 1024;

/**
 * A MessageSource fed by pushes (the server's /v1/ingest WebSocket): each frame is one object of our JSON
 * lines format, or an array of them; `"type":"event"` objects are events. Messages are stamped with arrival
 * time (`ts` is kept). It is waitable (`canWait`): when the pipeline's bounded queue is full, its producer
 * stops pulling, this source's own buffer fills to `capacity`, and further pushes are refused with
 * `queue-full` so the producer can back off — nothing is shed silently.
 */
export class IngestSource extends LiveSourceBase {
  override readonly canWait = true;
  private pending: ChatMessage[] = [];
  private ended = false;
  private waiter: (() => void) | undefined;
  private readonly capacity: number;
  readonly maxFrameBytes: number;
  private readonly maxItems: number;
  private readonly ctx: DecodeContext;
  private frameEvents: ChatEvent[] = [];
  readonly stats: IngestStats = { frames: 0, accepted: 0, events: 0, invalid: 0, tooLarge: 0, queueFull: 0 };

  constructor(options: IngestSourceOptions) {
    super("ingest", "ingest", [], options);
    this.capacity = options.capacity ?? 1000;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_INGEST_FRAME_BYTES;
    this.maxItems = options.maxItemsPerFrame ?? 1000;
    this.state = "connected";
    this.ctx = {
      defaultChannel: options.defaultChannel ?? "ingest",
      arrivalTime: () => this.streamTime(),
      maxMessageLength: options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
      onEvent: (e) => this.frameEvents.push(e),
    };
  }

  /** Messages waiting for the pipeline. */
  get depth(): number {
    return this.pending.length;
  }

  get full(): boolean {
    return this.pending.length >= this.capacity;
  }

  /** Takes one frame as received (text). Items before an invalid one are kept; the rest of the frame is refused. */
  push(frame: string): IngestResult {
    this.stats.frames++;
    const fail = (error: "invalid" | "too-large" | "queue-full" | "closed", reason: string, accepted: number, events: number, rejected: number, index?: number): IngestResult => {
      if (error === "invalid") this.stats.invalid++;
      else if (error === "too-large") this.stats.tooLarge++;
      else if (error === "queue-full") this.stats.queueFull++;
      // Items before the failing one were taken.
      this.stats.accepted += accepted;
      this.stats.events += events;
      if (accepted > 0) this.wake();
      const r: IngestResult = { ok: false, error, reason, accepted, events, rejected };
      if (index !== undefined) r.index = index;
      return r;
    };
    if (this.ended) return fail("closed", "ingest is closed", 0, 0, 0);
    if (Buffer.byteLength(frame) > this.maxFrameBytes) return fail("too-large", `frame larger than ${this.maxFrameBytes} bytes`, 0, 0, 0);
    let parsed: unknown;
    try {
      parsed = JSON.parse(frame);
    } catch {
      return fail("invalid", "not JSON", 0, 0, 1);
    }
    const items = Array.isArray(parsed) ? parsed : [parsed];
    if (items.length > this.maxItems) return fail("too-large", `more than ${this.maxItems} items in one frame`, 0, 0, items.length);
    let accepted = 0;
    let events = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (typeof item !== "object" || item === null || Array.isArray(item)) return fail("invalid", "expected a JSON object", accepted, events, items.length - i, i);
      const isEvent = (item as { type?: unknown }).type === "event";
      if (!isEvent && this.full) return fail("queue-full", `queue full (${this.capacity} waiting); retry later`, accepted, events, items.length - i, i);
      // Live input is arrival-stamped, like every live source; a producer's `t` is replaced, its `ts` kept.
      const stamped = { ...(item as Record<string, unknown>), t: this.streamTime() };
      this.frameEvents = [];
      const result = decodeJsonlLine(JSON.stringify(stamped), i, this.ctx);
      if (result.kind === "error") return fail("invalid", result.reason, accepted, events, items.length - i, i);
      if (result.kind === "message") {
        this.pending.push(result.message);
        this.messageCount++;
        this.lastAt = this.base.clock.now();
        accepted++;
      }
      for (const e of this.frameEvents) {
        this.emitEvent(e);
        events++;
      }
    }
    this.stats.accepted += accepted;
    this.stats.events += events;
    if (accepted > 0) this.wake();
    return { ok: true, accepted, events };
  }

  override async *batches(): AsyncIterable<ChatMessage[]> {
    for (;;) {
      if (this.pending.length > 0) {
        // One message at a time keeps the buffer's depth honest: the producer pulls only while the queue has room.
        const batch = this.pending.splice(0, Math.min(this.pending.length, 64));
        yield batch;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  stop(): Promise<void> {
    this.ended = true;
    this.state = "closed";
    this.wake();
    return Promise.resolve();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
