import type { Clock } from "../../core/clock.js";
/** Exponential backoff with jitter: attempt 0 waits about `baseMs`, doubling up to `maxMs`. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay that is randomized (0 = none, 1 = "full jitter"). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000, jitter: 0.5 };

/** Delay before reconnect attempt `attempt` (0-based); `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(raw * (1 - jitter) + raw * jitter * random());
}

/**
 * At most `limit` actions per `windowMs` on the given clock (Twitch: 20 JOINs per 10 s anonymous). `next(now)`
 * returns the clock time at which the next action may run and books it.
 */
export class RateLimiter {
  private readonly times: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  next(now: number): number {
    while (this.times.length > 0 && (this.times[0] as number) <= now - this.windowMs) this.times.shift();
    let at = now;
    if (this.times.length >= this.limit) {
      at = (this.times[this.times.length - this.limit] as number) + this.windowMs;
    }
    this.times.push(at);
    return at;
  }
}

/**
 * Sleeps on the clock until `at`, in slices of at most `sliceMs`, returning early once `done()` is true (checked
 * after each slice, and when `wake` resolves). A
 * Clock's sleep cannot be cancelled, so slicing keeps a stopped reader from holding the process open for a
 * whole backoff or polling interval.
 */
export async function sleepUnless(clock: Clock, at: number, done: () => boolean, wake?: Promise<void>, sliceMs = 1000): Promise<void> {
  while (!done() && clock.now() < at) {
    const slice = clock.sleepUntil(Math.min(at, clock.now() + sliceMs));
    await (wake === undefined ? slice : Promise.race([slice, wake]));
  }
}
