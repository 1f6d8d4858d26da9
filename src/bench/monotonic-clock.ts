import type { Clock } from "../core/clock.js";

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
    const delay = at - performance.now();
    if (delay <= 0 || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      // setTimeout fires at whole-ms granularity and may fire up to 1 ms early against performance.now(): round up.
      const timer = setTimeout(done, Math.ceil(delay));
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}
