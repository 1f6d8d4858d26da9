import type { ChatLines } from "./chat-lines.js";

/** Messages per second per busy channel; "max" as fast as the pipeline takes them; "recorded" the recording's own pace. */
export type LoadRate = number | "max" | "recorded";

/** Parses `--rate`: messages per second per channel, "max" or "recorded". */
export function parseRate(value: string): LoadRate {
  if (value === "max" || value === "recorded") return value;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error('expected messages per second, "max" or "recorded"');
  return n;
}

/** A load: busy channels replaying chat lines at a rate, and quiet channels saying a line now and then. */
export interface LoadPlan {
  /** Busy channels, each replaying the lines (from its own offset in them) at `rate`. */
  channels: number;
  rate: LoadRate;
  /** Quiet channels, each saying one line every `quietEveryMs`, their turns spread evenly. */
  quietChannels: number;
  quietEveryMs: number;
  /** Length of the load in ms from its start (a fixed or recorded rate; quiet channels). */
  durationMs: number;
  /** With rate "max": busy messages in all (default: one pass over the lines per busy channel). */
  maxMessages?: number;
  /** Every Nth line is sent torn (not JSON), to exercise the malformed count; 0 sends none. */
  malformedEvery: number;
}

/** One line of the load: when it is due (ms from the start), in which channel, and the ingest item to send. */
export interface ScheduledLine {
  due: number;
  channel: string;
  /** An ingest item (JSON text without `t` and `channel`), or a torn one when `malformed`. */
  item: string;
  malformed: boolean;
}

export function busyChannelName(plan: Pick<LoadPlan, "channels">, c: number): string {
  return plan.channels === 1 ? "busy" : `busy-${c}`;
}

export function quietChannelName(c: number): string {
  return `quiet-${c}`;
}

/** The item with `"channel"` added, as a producer pushing to /v1/ingest sends it. */
export function withChannel(item: string, channel: string): string {
  return `{"channel":${JSON.stringify(channel)},${item.slice(1)}`;
}

/** Busy channels replaying at their recorded pace: one cursor per channel, merged by due time in a binary heap. */
class RecordedCursors {
  private readonly heap: { due: number; c: number; n: number }[] = [];
  private readonly loopMs: number;

  constructor(
    private readonly lines: ChatLines,
    private readonly channels: number,
    private readonly offsets: readonly number[],
  ) {
    // A loop restarts one mean gap after the recording's last line, so the pace stays the recording's.
    const gap = lines.items.length > 1 ? lines.spanMs / (lines.items.length - 1) : 1000;
    this.loopMs = lines.spanMs + Math.max(1, gap);
    for (let c = 0; c < channels; c++) this.push({ due: 0, c, n: 0 });
  }

  /** Recorded time of position p of the looped recording. */
  private timeAt(p: number): number {
    const L = this.lines.items.length;
    return Math.floor(p / L) * this.loopMs + (this.lines.times[p % L] as number);
  }

  peek(): { due: number; c: number; n: number } | undefined {
    return this.heap[0];
  }

  advance(): void {
    const top = this.heap[0] as { due: number; c: number; n: number };
    const start = this.offsets[top.c] as number;
    const n = top.n + 1;
    this.replaceTop({ due: this.timeAt(start + n) - this.timeAt(start), c: top.c, n });
  }

  private push(x: { due: number; c: number; n: number }): void {
    const h = this.heap;
    h.push(x);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i] as typeof x, h[parent] as typeof x)) break;
      [h[i], h[parent]] = [h[parent] as typeof x, h[i] as typeof x];
      i = parent;
    }
  }

  private replaceTop(x: { due: number; c: number; n: number }): void {
    const h = this.heap;
    h[0] = x;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l] as typeof x, h[m] as typeof x)) m = l;
      if (r < h.length && this.less(h[r] as typeof x, h[m] as typeof x)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m] as typeof x, h[i] as typeof x];
      i = m;
    }
  }

  private less(a: { due: number; c: number }, b: { due: number; c: number }): boolean {
    return a.due < b.due || (a.due === b.due && a.c < b.c);
  }
}

/**
 * The lines of a load in due order, generated as they are taken (constant memory whatever the length). The same
 * plan and lines give the same sequence, so a generator in another process sends exactly what an in-process one
 * would.
 */
export class LoadSchedule {
  private busyIndex = 0;
  private quietIndex = 0;
  private taken = 0;
  private readonly offsets: number[];
  private readonly recorded: RecordedCursors | undefined;
  private readonly busyTotal: number;

  constructor(
    readonly plan: LoadPlan,
    private readonly lines: ChatLines,
  ) {
    const L = lines.items.length;
    if (L === 0) throw new Error("a load needs at least one chat line");
    if (!Number.isInteger(plan.channels) || plan.channels < 0 || !Number.isInteger(plan.quietChannels) || plan.quietChannels < 0) throw new RangeError("channel counts must be whole numbers ≥ 0");
    if (typeof plan.rate === "number" && !(plan.rate > 0)) throw new RangeError(`rate must be positive, got ${plan.rate}`);
    // Channels start at different places in the recording, so they do not say the same thing at the same time.
    this.offsets = Array.from({ length: plan.channels }, (_, c) => Math.floor((c * L) / Math.max(1, plan.channels)));
    this.recorded = plan.rate === "recorded" && plan.channels > 0 ? new RecordedCursors(lines, plan.channels, this.offsets) : undefined;
    this.busyTotal = plan.rate === "max" ? (plan.maxMessages ?? L * plan.channels) : Infinity;
  }

  /** Due time of the next busy line (Infinity when there is none). */
  private busyDue(): number {
    const { plan } = this;
    if (plan.channels === 0) return Infinity;
    if (plan.rate === "max") return this.busyIndex < this.busyTotal ? 0 : Infinity;
    const due = plan.rate === "recorded" ? (this.recorded?.peek()?.due ?? Infinity) : (this.busyIndex * 1000) / (plan.rate * plan.channels);
    return due < plan.durationMs ? due : Infinity;
  }

  private quietDue(): number {
    const { plan } = this;
    if (plan.quietChannels === 0) return Infinity;
    const due = (this.quietIndex * plan.quietEveryMs) / plan.quietChannels;
    return due < plan.durationMs ? due : Infinity;
  }

  /** When the next line is due (ms from the start), Infinity once the load is over. */
  peekDue(): number {
    return Math.min(this.busyDue(), this.quietDue());
  }

  get done(): boolean {
    return this.peekDue() === Infinity;
  }

  /** Lines taken so far. */
  get count(): number {
    return this.taken;
  }

  /** The next line; call only while `peekDue()` is finite. */
  take(): ScheduledLine {
    const busy = this.busyDue();
    const quiet = this.quietDue();
    if (busy === Infinity && quiet === Infinity) throw new Error("the load is over");
    const L = this.lines.items.length;
    let line: ScheduledLine;
    if (busy <= quiet) {
      let c: number;
      let n: number;
      if (this.recorded !== undefined) {
        const top = this.recorded.peek() as { c: number; n: number };
        c = top.c;
        n = top.n;
        this.recorded.advance();
      } else {
        c = this.busyIndex % this.plan.channels;
        n = Math.floor(this.busyIndex / this.plan.channels);
      }
      this.busyIndex++;
      line = { due: busy, channel: busyChannelName(this.plan, c), item: this.lines.items[((this.offsets[c] as number) + n) % L] as string, malformed: false };
    } else {
      const c = this.quietIndex % this.plan.quietChannels;
      // A prime stride spreads the quiet channels' lines over the recording.
      line = { due: quiet, channel: quietChannelName(c), item: this.lines.items[(this.quietIndex * 7919) % L] as string, malformed: false };
      this.quietIndex++;
    }
    this.taken++;
    if (this.plan.malformedEvery > 0 && this.taken % this.plan.malformedEvery === 0) {
      // What a torn frame looks like: the item cut in the middle.
      line.item = line.item.slice(0, Math.max(1, line.item.length >> 1));
      line.malformed = true;
    }
    return line;
  }
}

/** Busy and quiet channels of a plan, in all. */
export function planChannels(plan: LoadPlan): number {
  return plan.channels + plan.quietChannels;
}
