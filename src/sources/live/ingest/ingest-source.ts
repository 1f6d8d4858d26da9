import type { Static } from "@sinclair/typebox";
import type { Clock } from "../../../core/clock.js";
import type { ChatEvent } from "../../../core/event.js";
import { DEFAULT_MAX_MESSAGE_LENGTH, type ChatMessage } from "../../../core/message.js";
import type { DecodeContext } from "../../decoder.js";
import { decodeJsonlObject } from "../../formats/jsonl.js";
import { LiveSourceBase } from "../live-source.js";
import { checkIngestItem, MAX_INGEST_DEPTH, readFrame, scanFrame, type IngestAnswer } from "./ingest-frame.js";

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

/**
 * What one pushed frame did (the IngestAnswer schema). `rejected` counts the items not taken: from `index` (the
 * first refused item) to the end of the frame; a frame refused before it could be read as items counts as one.
 */
export type IngestResult = Static<typeof IngestAnswer>;
export type IngestError = Extract<IngestResult, { ok: false }>["error"];

/** Running totals, read by the metrics at scrape time: frames by answer, items by fate. */
export interface IngestStats {
  frames: number;
  /** Messages taken. */
  accepted: number;
  /** Events taken. */
  events: number;
  /** Items refused. */
  rejected: number;
  /** Frames answered with each error. */
  invalid: number;
  tooLarge: number;
  queueFull: number;
  closed: number;
}

export const DEFAULT_INGEST_FRAME_BYTES = 256 * 1024;
export const DEFAULT_INGEST_FRAME_ITEMS = 1000;

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
  readonly stats: IngestStats = { frames: 0, accepted: 0, events: 0, rejected: 0, invalid: 0, tooLarge: 0, queueFull: 0, closed: 0 };

  constructor(options: IngestSourceOptions) {
    super("ingest", "ingest", [], options);
    this.capacity = options.capacity ?? 1000;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_INGEST_FRAME_BYTES;
    this.maxItems = options.maxItemsPerFrame ?? DEFAULT_INGEST_FRAME_ITEMS;
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

  /**
   * Takes one frame as received (text): one item or an array of them. Its nesting is bounded before it is parsed
   * and each item is checked against the ingest schema before it is decoded. Items before a refused one are kept;
   * it and the rest of the frame are refused. Never throws: every frame gets exactly one answer.
   */
  push(frame: string): IngestResult {
    this.stats.frames++;
    if (this.ended) return this.refuse("closed", "ingest is closed", 0, 0, 1);
    if (Buffer.byteLength(frame) > this.maxFrameBytes) return this.refuse("too-large", `frame larger than ${this.maxFrameBytes} bytes`, 0, 0, 1);
    const shape = scanFrame(frame, MAX_INGEST_DEPTH);
    if (shape.items > this.maxItems) return this.refuse("too-large", `more than ${this.maxItems} items in one frame`, 0, 0, shape.items);
    const read = readFrame(frame, shape);
    if (read === undefined) return this.refuse("invalid", "not JSON", 0, 0, 1);
    const { items, total } = read;
    let accepted = 0;
    let events = 0;
    for (let i = 0; i < items.length; i++) {
      const checked = checkIngestItem(items[i]);
      if ("problem" in checked) return this.refuse("invalid", checked.problem, accepted, events, total - i, i);
      const isEvent = checked.item.type === "event";
      if (!isEvent && this.full) return this.refuse("queue-full", `queue full (${this.capacity} waiting); retry later`, accepted, events, total - i, i);
      // Live input is arrival-stamped, like every live source; a producer's `t` is replaced, its `ts` kept.
      this.frameEvents = [];
      const result = decodeJsonlObject({ ...checked.item, t: this.streamTime() }, this.ctx);
      if (result.kind === "error") return this.refuse("invalid", result.reason, accepted, events, total - i, i);
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
    if (read.stop !== undefined) return this.refuse("invalid", read.stop, accepted, events, total - items.length, items.length);
    this.taken(accepted, events);
    return { ok: true, accepted, events };
  }

  /** A binary frame: refused (frames are JSON text), and counted like any other refused frame. */
  pushBinary(): IngestResult {
    this.stats.frames++;
    return this.refuse("invalid", "binary frames are not accepted", 0, 0, 1);
  }

  private refuse(error: IngestError, reason: string, accepted: number, events: number, rejected: number, index?: number): IngestResult {
    if (error === "invalid") this.stats.invalid++;
    else if (error === "too-large") this.stats.tooLarge++;
    else if (error === "queue-full") this.stats.queueFull++;
    else this.stats.closed++;
    this.stats.rejected += rejected;
    this.taken(accepted, events);
    const r: IngestResult = { ok: false, error, reason, accepted, events, rejected };
    if (index !== undefined) r.index = index;
    return r;
  }

  private taken(accepted: number, events: number): void {
    this.stats.accepted += accepted;
    this.stats.events += events;
    if (accepted > 0) this.wake();
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
