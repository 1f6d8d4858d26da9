import { sleepOnTimer, type Clock } from "../core/clock.js";

/**
 * A Clock on `performance.now()` (fractional ms, never stepped by NTP): the bench stamps arrivals and publications
 * on one time base finer than Date.now()'s whole milliseconds, so a 1 ms latency is not lost in rounding. Stream
 * times derived from it are floored to whole ms where a source stamps them.
 */
export class MonotonicClock implements Clock {
  now(): number {
    return performance.now();
  }

  sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
    return sleepOnTimer(() => performance.now(), at, signal);
  }
}
