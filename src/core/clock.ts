/**
 * Time as the pipeline sees it. Logic never reads Date.now() or sets timers directly: it asks a Clock, so
 * tests run on virtual time and replays at any speed produce the same output.
 */
export interface Clock {
  /** Milliseconds on this clock's own scale (epoch ms for the system clock). */
  now(): number;
  /**
   * Resolves once now() ≥ at, or as soon as `signal` aborts (early: the caller checks `signal.aborted`), so a
   * wait that is no longer needed holds no timer (a process whose work is done can exit).
   */
  sleepUntil(at: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Waits on a real timer until `now()` reaches `at`, or the signal aborts; the timer is cleared either way. setTimeout
 * fires at whole-ms granularity (and may fire up to 1 ms early against a fractional clock), so the delay is rounded up.
 */
export function sleepOnTimer(now: () => number, at: number, signal?: AbortSignal): Promise<void> {
  const delay = at - now();
  if (delay <= 0 || signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.ceil(delay));
    signal?.addEventListener("abort", done, { once: true });
  });
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
    return sleepOnTimer(Date.now, at, signal);
  }
}

interface Sleeper {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told to. In `auto` mode every sleep jumps time forward at once (a replay at
 * any speed then runs as fast as the CPU allows but sees the same sequence of times); in manual mode a test
 * moves time with advanceTo/advanceBy and sleepers wake in time order.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly sleepers: Sleeper[] = [];
  private seq = 0;

  constructor(
    start = 0,
    private readonly auto = false,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
    if (at <= this.current || signal?.aborted === true) return Promise.resolve();
    if (this.auto) {
      this.current = at;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const i = this.sleepers.indexOf(sleeper);
        if (i >= 0) this.sleepers.splice(i, 1);
        resolve();
      };
      // A sleep that ends on time lets go of its abort listener: a long run on one signal would otherwise keep them all.
      const sleeper: Sleeper = {
        at,
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Number of pending sleepers (lets a test wait until the code under test is idle). */
  get pending(): number {
    return this.sleepers.length;
  }

  /** Moves time to `at`, waking sleepers one by one in time order and letting each one's continuation run. */
  async advanceTo(at: number): Promise<void> {
    for (;;) {
      const next = this.sleepers[0];
      if (next === undefined || next.at > at) break;
      this.sleepers.shift();
      this.current = Math.max(this.current, next.at);
      next.resolve();
      await settle();
    }
    this.current = Math.max(this.current, at);
    await settle();
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.current + ms);
  }
}

/** Lets pending promise continuations (and one macrotask turn) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
