import type { ChatDigest } from "../../aggregation/chat-digest.js";
import type { TopicCluster } from "../../schema/output-schema.js";

/**
 * What a live window knows beyond its own digest: its topic clusters measured against the previous window
 * (growth, `new`, `dissent`), so a headline can say what is new. Absent for a window read on its own (`digest`).
 */
export interface WindowContext {
  clusters?: readonly TopicCluster[];
}

/**
 * Writes the two-sentence headline. Summarizers read structure (digests: groups, terms, sentiment), never the
 * raw flood, and are registered by name (see registry.ts). `summarizePeriod` gets the roll-up's own digest
 * and the lower-level digests it was merged from, so a 1 min headline can tell the arc of its twelve parts.
 */
export interface Summarizer {
  readonly name: string;
  summarizeWindow(digest: ChatDigest, context?: WindowContext): string;
  summarizePeriod(digest: ChatDigest, parts: readonly ChatDigest[]): string;
}
