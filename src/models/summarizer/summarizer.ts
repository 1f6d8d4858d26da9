import type { ChatDigest } from "../../aggregation/chat-digest.js";

/**
 * Writes the two-sentence headline. Summarizers read structure (digests: groups, terms, sentiment), never the
 * raw flood, and are registered by name (see registry.ts). `summarizePeriod` gets the roll-up's own digest
 * and the lower-level digests it was merged from, so a 1 min headline can tell the arc of its twelve parts.
 */
export interface Summarizer {
  readonly name: string;
  summarizeWindow(digest: ChatDigest): string;
  summarizePeriod(digest: ChatDigest, parts: readonly ChatDigest[]): string;
}
