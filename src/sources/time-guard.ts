import type { ChatEvent } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";
import { DEFAULT_MAX_GAP_MS, streamTimeFault } from "../pipeline/stream-time.js";
import type { InputReportRecorder } from "./input-report.js";

export { DEFAULT_MAX_GAP_MS } from "../pipeline/stream-time.js";

const UNIT_MS = new Map<string, number>([["ms", 1], ["s", 1000], ["m", 60_000], ["h", 3_600_000], ["d", 86_400_000]]);

/** Parses `--max-gap`: `24h`, `90m`, `3600s`, `1d`, `500ms` or plain milliseconds; a positive whole number of ms. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  const unit = UNIT_MS.get((m?.[2] ?? "ms").toLowerCase()) ?? NaN;
  const ms = m === null ? NaN : Math.round(Number(m[1]) * unit);
  if (!Number.isSafeInteger(ms) || ms < 1) throw new Error(`expected a duration such as 24h, 90m, 3600s or milliseconds, got "${text}"`);
  return ms;
}

/**
 * Checks the times of one input as it is read, so a bad one is reported with its line like any bad line
 * (`badTime` in the input report) and never reaches the pipeline. A message's `t` must be a safe integer no more
 * than the maximum gap past the latest `t` accepted (the first message sets the origin; going back in time is
 * fine, the pipeline counts it as late). An event's `t` obeys the same rule without moving the latest time.
 * A wall-clock `ts` that is not a safe integer is dropped: the message keeps its place, only the field goes.
 */
export class InputTimeGuard {
  private latest = -Infinity;

  constructor(
    private readonly recorder: InputReportRecorder,
    readonly maxGapMs = DEFAULT_MAX_GAP_MS,
  ) {}

  admitMessage(m: ChatMessage, line: number): boolean {
    const fault = streamTimeFault(m.t, this.latest, this.maxGapMs);
    if (fault !== undefined) {
      this.recorder.badTime(line, fault);
      return false;
    }
    if (m.t > this.latest) this.latest = m.t;
    if (m.ts !== undefined && !Number.isSafeInteger(m.ts)) delete m.ts;
    return true;
  }

  admitEvent(e: ChatEvent, line: number): boolean {
    const fault = streamTimeFault(e.t, this.latest, this.maxGapMs);
    if (fault !== undefined) {
      this.recorder.badTime(line, `event ${fault}`);
      return false;
    }
    if (e.ts !== undefined && !Number.isSafeInteger(e.ts)) delete e.ts;
    return true;
  }
}
