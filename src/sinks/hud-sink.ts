import type { Writable } from "node:stream";
import { createLogUpdate } from "log-update";
import type { Clock } from "../core/clock.js";
import type { OutputRecord, Snapshot, SnapshotEvent } from "../schema/output-schema.js";
import { renderHud } from "./hud-render.js";
import type { Sink } from "./sink.js";

/** The HUD redraws at most twice a second of wall-clock time, whatever the replay speed. */
export const HUD_REDRAW_MS = 500;
/** Events (subs, raids, Super Chats) stay on the HUD this long in stream time, not just the 500 ms of their snapshot. */
export const HUD_EVENT_MS = 30_000;
const HUD_MAX_EVENTS = 5;

/**
 * Terminal heads-up display: the latest snapshot of each channel (headline, coloured sentiment bar with
 * net ±, confidence, rate, topics), redrawn in place. Roll-ups are not shown.
 */
export class HudSink implements Sink {
  readonly name = "hud";
  private readonly latest = new Map<string, Snapshot>();
  private readonly recentEvents = new Map<string, SnapshotEvent[]>();
  private lastDraw = -Infinity;
  private dirty = false;
  private readonly draw: ReturnType<typeof createLogUpdate>;

  constructor(
    private readonly out: Writable & { columns?: number; isTTY?: boolean },
    private readonly clock: Clock,
    private readonly color = true,
  ) {
    this.draw = createLogUpdate(out, { showCursor: false });
  }

  write(record: OutputRecord): void {
    if (record.type !== "snapshot") return;
    const recent = (this.recentEvents.get(record.channel) ?? []).concat(record.events ?? []).filter((e) => e.t > record.t - HUD_EVENT_MS).slice(-HUD_MAX_EVENTS);
    this.recentEvents.set(record.channel, recent);
    this.latest.set(record.channel, recent.length > 0 ? { ...record, events: recent } : record);
    this.dirty = true;
    const now = this.clock.now();
    if (now - this.lastDraw >= HUD_REDRAW_MS) this.redraw(now);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.dirty) this.redraw(this.clock.now());
    this.draw.done();
  }

  private redraw(now: number): void {
    this.lastDraw = now;
    this.dirty = false;
    this.draw(renderHud([...this.latest.values()], { width: this.out.columns ?? 100, color: this.color }));
  }
}
