import type { Clock } from "../../../core/clock.js";

const MINUTE = 60_000;

/**
 * Tokens per minute on the injected clock (a sliding minute). A request is let through when what it is
 * expected to cost fits in what is left; what it really cost is charged when its answer arrives.
 */
export class TokenBudget {
  private readonly spent: { at: number; tokens: number }[] = [];
  private total = 0;

  constructor(
    private readonly clock: Clock,
    /** Tokens per minute; Infinity for no limit. */
    readonly perMinute: number,
  ) {}

  /** Tokens spent in the last minute. */
  used(): number {
    const since = this.clock.now() - MINUTE;
    while (this.spent.length > 0 && (this.spent[0] as { at: number }).at <= since) this.total -= (this.spent.shift() as { tokens: number }).tokens;
    return this.total;
  }

  allows(tokens: number): boolean {
    return this.used() + tokens <= this.perMinute;
  }

  charge(tokens: number): void {
    if (tokens <= 0) return;
    this.used();
    this.spent.push({ at: this.clock.now(), tokens });
    this.total += tokens;
  }
}
