import type { Clock } from "../../../core/clock.js";

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long (clock ms) the breaker stays open before one trial request is let through. */
  coolDownMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = { failureThreshold: 3, coolDownMs: 30_000 };

/**
 * Stops calling a failing model: after `failureThreshold` consecutive failures no request is let through for
 * `coolDownMs` (the caller falls back at once); then one trial request decides whether to close or re-open.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    private readonly policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
  ) {}

  /** Failures since the last success. */
  get failuresInARow(): number {
    return this.failures;
  }

  get coolDownMs(): number {
    return this.policy.coolDownMs;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return "closed";
    return this.clock.now() - this.openedAt >= this.policy.coolDownMs ? "half-open" : "open";
  }

  /** Whether a request may start now (in half-open state, only one trial at a time). */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** Whether a request could start now, without taking the half-open trial slot. */
  allows(): boolean {
    const state = this.state;
    return state === "closed" || (state === "half-open" && !this.trialInFlight);
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures++;
    if (this.trialInFlight || this.failures >= this.policy.failureThreshold) this.openedAt = this.clock.now();
    this.trialInFlight = false;
  }

  /** Ends a request that neither succeeded nor failed (e.g. skipped): frees the trial slot. */
  release(): void {
    this.trialInFlight = false;
  }
}
