/**
 * The rule every stream time must pass before it drives the 500 ms schedule. A pipeline publishes every
 * snapshot between two messages, so the gap between them is work: 1e15 ms is two trillion snapshots, and past
 * 2^53 adding 500 no longer changes the number at all (a loop that never ends). Times are therefore whole
 * milliseconds within ±2^53, and a time more than the maximum gap past the latest one is refused.
 */

/** Default `--max-gap`: a day of silence still replays (172,800 snapshots per channel); anything longer is refused. */
export const DEFAULT_MAX_GAP_MS = 24 * 3_600_000;

/** Why stream time `t` cannot follow `latest` (the highest time accepted so far, -Infinity before the first), or undefined. */
export function streamTimeFault(t: number, latest: number, maxGapMs: number): string | undefined {
  if (!Number.isSafeInteger(t)) return `time ${String(t)} is not a whole number of milliseconds within ±2^53`;
  if (latest !== -Infinity && t - latest > maxGapMs) return `time ${t} jumps ${formatDuration(t - latest)} past the latest time ${latest} (--max-gap ${formatDuration(maxGapMs)})`;
  return undefined;
}

/** `86400000` → `24h`, `5400000` → `90m`, `1500` → `1500ms`: the largest unit that divides evenly, days beyond a year. */
export function formatDuration(ms: number): string {
  if (ms >= 365 * 86_400_000) return `${Math.round(ms / 86_400_000).toLocaleString("en-US")} days`;
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
