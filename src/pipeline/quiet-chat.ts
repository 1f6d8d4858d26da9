import type { ChatDigest } from "../aggregation/chat-digest.js";
import type { ContentFingerprint } from "../aggregation/content-change.js";
import type { RollupLevel } from "../schema/output-schema.js";

/**
 * What goes on air when chat stops (the pipeline's rule, the same for every summarizer). A snapshot's window reaches back up to 120 s for 15 messages, so a summarizer
 * handed it would keep describing the last burst ("Chat laughs at …") for two minutes of silence: wrong information on
 * air. The headline follows the strict span instead: no viewer message in it, and the headline says chat has gone
 * quiet, in two sentences that stay true for as long as the gate keeps them (the quiet lasts at least as long as
 * they say). Roll-up periods without a viewer message say so too, whatever the summarizer.
 */
export function isQuietSpan(span: ContentFingerprint): boolean {
  return span.active === 0;
}

export function quietSnapshotHeadline(spanMs: number): string {
  return `Chat has gone quiet. No viewer has written in the last ${Math.round(spanMs / 1000)} seconds.`;
}

/** No viewer message in the digest (bots and !commands do not count). */
export function isQuietPeriod(d: ChatDigest): boolean {
  return d.count - d.ignored === 0;
}

const PERIOD_LABEL: ReadonlyMap<RollupLevel, string> = new Map([
  ["5s", "these 5 seconds"],
  ["1m", "this minute"],
  ["10m", "these 10 minutes"],
]);

export function quietPeriodHeadline(level: RollupLevel, d: ChatDigest): string {
  const label = PERIOD_LABEL.get(level) ?? "this period";
  const second = d.count > 0 ? "Only bots and commands posted." : "No message came in.";
  return `Chat was quiet for ${label}. ${second}`;
}
