import type { ChatInput } from "../sources/file-source.js";
import { cleanMessage } from "../core/text-cleaning.js";
import type { MessageProcessor } from "../processing/message-processor.js";
import type { OutputRecord } from "../schema/output-schema.js";
import type { Sink } from "../sinks/sink.js";
import type { Summarizer, WindowContext } from "../models/summarizer/summarizer.js";

/**
 * Parts of `chatstream run` a benchmark can switch off, to measure what the rest costs (the ceiling table of
 * docs/performance.md, `npm run bench:replay -- --ceiling`). Never for production: the output is not the product's.
 *
 * - `sink`: records are dropped at the sink (no JSON serialization, no write);
 * - `rollup-headlines`: roll-ups get a fixed headline (the snapshots' headlines are still written);
 * - `headlines`: every headline is a fixed one (the gate still runs: only the writer is free);
 * - `pipeline`: decode and the per-message stage only, no channel pipeline (no window, snapshot, roll-up or record);
 * - `process`: decode only (read, parse and clean each line).
 */
export const BENCH_PARTS = ["sink", "rollup-headlines", "headlines", "pipeline", "process"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

/** The environment variable that names them, comma-separated (a hidden switch: no flag, no config setting). */
export const BENCH_OFF_ENV = "CHATSTREAM_BENCH_OFF";

export function parseBenchParts(value: string | undefined): ReadonlySet<BenchPart> {
  const parts = new Set<BenchPart>();
  if (value === undefined || value.trim() === "") return parts;
  for (const raw of value.split(",")) {
    const name = raw.trim();
    const part = BENCH_PARTS.find((p) => p === name);
    if (part === undefined) throw new Error(`${BENCH_OFF_ENV}: unknown part "${name}" (known: ${BENCH_PARTS.join(", ")})`);
    parts.add(part);
  }
  return parts;
}

/** A sink that takes every record and keeps none of it: the run without serialization or output. */
export class DiscardSink implements Sink {
  readonly name = "discard";
  records = 0;

  write(_record: OutputRecord): void {
    this.records++;
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const FIXED_HEADLINE = "Chat is talking.";

/**
 * The summarizer with some of its writing switched off. Snapshots pass their clusters as context and roll-ups do
 * not (channel-pipeline.ts), which is how a 5 s roll-up's call is told from a snapshot's.
 */
export function withoutHeadlines(summarizer: Summarizer, parts: ReadonlySet<BenchPart>): Summarizer {
  const all = parts.has("headlines");
  if (!all && !parts.has("rollup-headlines")) return summarizer;
  return {
    name: summarizer.name,
    summarizeWindow: (digest, context?: WindowContext) => (all || context === undefined ? FIXED_HEADLINE : summarizer.summarizeWindow(digest, context)),
    summarizePeriod: () => FIXED_HEADLINE,
  };
}

/** Decode (and, unless `process` is off, the per-message stage) over the whole input; the number of messages read. */
export async function runStagesOnly(input: ChatInput, processor: MessageProcessor, parts: ReadonlySet<BenchPart>): Promise<number> {
  const process = !parts.has("process");
  let messages = 0;
  let sink = 0;
  for await (const batch of input.batches()) {
    for (const raw of batch) {
      const m = cleanMessage(raw);
      // Read a field of the result, so the stage's work cannot be optimised away.
      sink += process ? processor.process(m).cues : m.text.length;
      messages++;
    }
  }
  return sink >= 0 ? messages : 0;
}
