import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { cleanText, escapeJsonText } from "../core/text-cleaning.js";
import { labelOf } from "../models/sentiment/sentiment-model.js";
import { ChannelLanguagePrior } from "../processing/channel-language.js";
import { detectLanguage } from "../processing/language.js";
import { tokenize } from "../processing/tokenizer.js";
import type { LabelOutput } from "../schema/output-schema.js";
import { CHANNEL_PRIOR_LANGUAGES, type ModelSlots } from "./model-setup.js";

export interface BatchResult {
  lines: number;
  errors: number;
  /** First few error descriptions with line numbers. */
  errorSamples: string[];
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const WRITE_CHUNK = 256;
const MAX_ERROR_SAMPLES = 10;

type LineResult = { line: string } | { error: string };

/**
 * Reads JSON lines, maps each through `transform`, and writes one output line per input line, in order.
 * A line that cannot be handled yields {"id": …, "error": …} in its place so outputs stay aligned with inputs.
 */
export async function mapJsonLines(input: Readable, output: Writable, transform: (value: unknown) => LineResult): Promise<BatchResult> {
  const result: BatchResult = { lines: 0, errors: 0, errorSamples: [] };
  let chunk: string[] = [];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const ok = output.write(chunk.join(""));
    chunk = [];
    if (!ok) await new Promise((resolve) => output.once("drain", resolve));
  };
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    if (raw.trim().length === 0) continue;
    result.lines++;
    let out: LineResult;
    let id: unknown = null;
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === "object" && value !== null && "id" in value) id = (value as { id: unknown }).id;
      out = transform(value);
    } catch (err) {
      out = { error: `not valid JSON (${(err as Error).message})` };
    }
    if ("error" in out) {
      // JSON.parse quotes the bad line in its message: it goes to stderr.
      const error = cleanText(out.error);
      result.errors++;
      if (result.errorSamples.length < MAX_ERROR_SAMPLES) result.errorSamples.push(`line ${result.lines}: ${error}`);
      chunk.push(escapeJsonText(JSON.stringify({ id: typeof id === "string" || typeof id === "number" ? id : null, error })) + "\n");
    } else {
      chunk.push(escapeJsonText(out.line) + "\n");
    }
    if (chunk.length >= WRITE_CHUNK) await flush();
  }
  await flush();
  return result;
}

/**
 * `chatstream label`: {"id", "text"} → {"id", "label", "scores", "lang"}. A line may name its `channel` (or `stream`,
 * as the labelled files do): a line of it the detector leaves "und" is then scored in the language the channel's
 * earlier lines of the input are in, as `run` scores it (processing/channel-language.ts); `lang` stays what was read.
 */
export function labelCommand(models: ModelSlots, input: Readable, output: Writable): Promise<BatchResult> {
  const channels = new ChannelLanguagePrior();
  return mapJsonLines(input, output, (value) => {
    const row = value as { id?: unknown; text?: unknown; channel?: unknown; stream?: unknown };
    if (typeof row !== "object" || row === null || typeof row.text !== "string") return { error: 'expected {"id", "text"} with a string text' };
    const text = cleanText(row.text);
    const tokens = tokenize(text, models.emotes);
    const lang = detectLanguage(tokens);
    const channel = typeof row.channel === "string" ? row.channel : typeof row.stream === "string" ? row.stream : undefined;
    const scoredIn = channel === undefined ? lang : channels.scoringLanguage(channel, 0, lang, CHANNEL_PRIOR_LANGUAGES, tokens);
    const scores = models.sentiment.score(text, tokens, scoredIn);
    const out: LabelOutput = {
      id: typeof row.id === "string" || typeof row.id === "number" ? row.id : null,
      label: labelOf(scores),
      scores: { pos: round4(scores.pos), neu: round4(scores.neu), neg: round4(scores.neg) },
      lang,
    };
    return { line: JSON.stringify(out) };
  });
}
