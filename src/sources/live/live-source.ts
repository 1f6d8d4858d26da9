import type { Clock } from "../../core/clock.js";
import type { ChatEvent, ChatEventListener } from "../../core/event.js";
import type { ChatMessage } from "../../core/message.js";
import { cleanText } from "../../core/text-cleaning.js";
import { sleepUnless } from "./backoff.js";
import { PushBuffer } from "./push-buffer.js";
import type { SourceState, SourceStatus, StatusReporter } from "./source-status.js";

export interface LiveSourceBaseOptions {
  clock: Clock;
  /** Stream time now (ms); defaults to clock time since the source was created. Share the pipeline's origin. */
  streamTime?: () => number;
}

/**
 * What every live reader shares: arrival-stamped messages pushed into a buffer the pipeline drains
 * (`canWait: false`, so a full queue sheds), an event listener, a bounded id memory that drops messages
 * replayed after a reconnect, and the connection status.
 */
export abstract class LiveSourceBase implements StatusReporter {
  readonly canWait: boolean = false;
  readonly timed: boolean = false;
  protected readonly buffer = new PushBuffer();
  protected state: SourceState = "connecting";
  protected reconnectCount = 0;
  protected lastAt: number | undefined;
  protected messageCount = 0;
  protected eventCount = 0;
  protected lastError: string | undefined;
  private readonly listeners: ChatEventListener[] = [];
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  protected readonly streamTime: () => number;

  constructor(
    readonly name: string,
    readonly platform: string,
    readonly channels: readonly string[],
    protected readonly base: LiveSourceBaseOptions,
  ) {
    const origin = base.clock.now();
    this.streamTime = base.streamTime ?? (() => base.clock.now() - origin);
  }

  batches(): AsyncIterable<ChatMessage[]> {
    return this.buffer.batches();
  }

  /** Registers a listener for events (subs, raids, gifts, paid messages, memberships). */
  onEvent(listener: ChatEventListener): void {
    this.listeners.push(listener);
  }

  status(): SourceStatus {
    const s: { -readonly [K in keyof SourceStatus]: SourceStatus[K] } = {
      name: this.name,
      platform: this.platform,
      channels: this.channels,
      state: this.state,
      reconnects: this.reconnectCount,
      messages: this.messageCount,
      events: this.eventCount,
    };
    if (this.lastAt !== undefined) s.lastMessageAt = this.lastAt;
    // A server's own error text, shown on stderr and /readyz.
    if (this.lastError !== undefined) s.lastError = cleanText(this.lastError);
    return s;
  }

  /** Stops reading; the message stream ends. */
  abstract stop(): Promise<void>;

  /** True (and remembered) the first time an id is seen; ids are kept for the last `limit` messages. */
  protected firstSight(id: string | undefined, limit = 10_000): boolean {
    if (id === undefined || id === "") return true;
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    this.seenOrder.push(id);
    if (this.seenOrder.length > limit) this.seen.delete(this.seenOrder.shift() as string);
    return true;
  }

  protected emitMessage(m: ChatMessage): void {
    if (!this.firstSight(m.id)) return;
    this.messageCount++;
    this.lastAt = this.base.clock.now();
    this.buffer.push(m);
  }

  protected emitEvent(e: ChatEvent): void {
    if (!this.firstSight(e.id === undefined ? undefined : `event:${e.id}`)) return;
    this.eventCount++;
    this.lastAt = this.base.clock.now();
    for (const l of this.listeners) l(e);
  }
}

/**
 * A live source driven by its own connect / read / reconnect loop (Twitch, YouTube, Kick): the loop starts with
 * the first read of `batches()`, and `stop()` wakes every wait on `stopSignal`, breaks off the pending socket or
 * request (`interrupt`), waits for the loop to end and closes the message stream.
 */
export abstract class RunLoopSource extends LiveSourceBase {
  protected stopped = false;
  private runLoop: Promise<void> | undefined;
  private wakeStop: () => void = () => undefined;
  protected readonly stopSignal: Promise<void> = new Promise((resolve) => (this.wakeStop = resolve));

  start(): this {
    this.runLoop ??= this.run();
    return this;
  }

  override batches(): AsyncIterable<ChatMessage[]> {
    this.start();
    return super.batches();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeStop();
    this.interrupt();
    await this.runLoop;
    this.state = "closed";
    this.buffer.end();
  }

  /** Waits ms on the clock, waking early when the source is stopped. */
  protected sleep(ms: number): Promise<void> {
    const clock = this.base.clock;
    return sleepUnless(clock, clock.now() + ms, () => this.stopped, this.stopSignal);
  }

  /** The connect / read / reconnect loop; returns once `stopped` is set or it gives up. */
  protected abstract run(): Promise<void>;

  /** Breaks off what the loop is waiting on (closes the socket, aborts the request). */
  protected abstract interrupt(): void;
}
