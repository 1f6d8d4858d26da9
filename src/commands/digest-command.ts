import type { Readable, Writable } from "node:stream";
import { cleanText } from "../core/text-cleaning.js";
import { DigestBuilder, type ChatDigest } from "../aggregation/chat-digest.js";
import { moodFields, sentimentBar } from "../aggregation/record-fields.js";
import { clustersOf } from "../aggregation/topic-clusters.js";
import type { DigestOutput } from "../schema/output-schema.js";
import { mapJsonLines, type BatchResult } from "./label-command.js";
import type { ModelSlots } from "./model-setup.js";

interface WindowMessage {
  t?: unknown;
  user?: unknown;
  text?: unknown;
}

const MAX_TOPICS = 5;
const MAX_EXAMPLES = 3;

/** Digest of one window, used whole whatever its length. Exported for the evaluation harness. */
export function digestWindow(models: ModelSlots, messages: readonly WindowMessage[], channel = "window"): { digest: ChatDigest; output: Omit<DigestOutput, "id"> } {
  const builder = new DigestBuilder();
  let first = Infinity;
  let last = -Infinity;
  for (const m of messages) {
    if (typeof m.text !== "string") continue;
    const t = typeof m.t === "number" && Number.isFinite(m.t) ? Math.round(m.t) : 0;
    first = Math.min(first, t);
    last = Math.max(last, t);
    // The run cleans what enters it (core/text-cleaning.ts); a digest reads its own input, so it cleans it here.
    const user = typeof m.user === "string" ? cleanText(m.user) : "";
    builder.add(models.processor.process({ t, platform: "unknown", channel, userId: user, user, text: cleanText(m.text) }));
  }
  const digest = builder.build(Number.isFinite(first) ? first - 1 : 0, Number.isFinite(last) ? last : 0);
  return {
    digest,
    output: {
      headline: models.summarizer.summarizeWindow(digest),
      ...moodAndSentiment(digest),
      topics: topicsWithExamples(digest),
      clusters: clustersOf(digest, undefined).clusters,
    },
  };
}

/** Mood, sentiment and confidence in the order `digest` has always written them. */
function moodAndSentiment(d: ChatDigest): Pick<DigestOutput, "mood" | "sentiment" | "confidence"> {
  const { mood, confidence } = moodFields(d);
  return { mood, sentiment: sentimentBar(d.sentiment, d.scored), confidence };
}

function topicsWithExamples(d: ChatDigest): DigestOutput["topics"] {
  const topics: DigestOutput["topics"] = [];
  for (const term of d.terms) {
    if (topics.length === MAX_TOPICS || term.count < 2) break;
    const key = term.term.toLowerCase();
    const examples = d.groups.filter((g) => g.signature.split(" ").includes(key)).slice(0, MAX_EXAMPLES).map((g) => g.text);
    topics.push({ label: term.term, count: term.count, examples });
  }
  return topics;
}

/** `chatstream digest`: {"id", "messages": [{"t", "user", "text"}]} → {"id", "headline", "mood", "sentiment", "confidence", "topics"}. */
export function digestCommand(models: ModelSlots, input: Readable, output: Writable): Promise<BatchResult> {
  return mapJsonLines(input, output, (value) => {
    const row = value as { id?: unknown; messages?: unknown };
    if (typeof row !== "object" || row === null || !Array.isArray(row.messages)) return { error: 'expected {"id", "messages": [...]}' };
    const { output: out } = digestWindow(models, row.messages as WindowMessage[]);
    const line: DigestOutput = { id: typeof row.id === "string" || typeof row.id === "number" ? row.id : null, ...out };
    return { line: JSON.stringify(line) };
  });
}
