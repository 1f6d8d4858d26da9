import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SentimentLabel } from "../sentiment-model.js";
import { sharedDataDir } from "../shared-data.js";

/** A German or Indonesian message of `labels/sentiment-multilingual-dev.jsonl` (one vote each). */
export interface MultilingualLabelledMessage {
  id: string;
  stream: string;
  /** The stream's language, as the annotators were told it ("de", "id"): every line of a stream carries it. */
  lang: string;
  text: string;
  label: SentimentLabel;
}

const FILE = "sentiment-multilingual-dev.jsonl";
const LABELS: ReadonlySet<string> = new Set(["pos", "neu", "neg"]);

export function hasMultilingualLabels(dir = sharedDataDir()): boolean {
  return existsSync(join(dir, "labels", FILE));
}

/** Reads and checks the file: a row without a string id, stream, lang and text, or with an unknown label, is an error. */
export function readMultilingualLabelled(dir = sharedDataDir()): MultilingualLabelledMessage[] {
  const rows: MultilingualLabelledMessage[] = [];
  const lines = readFileSync(join(dir, "labels", FILE), "utf8").split("\n");
  lines.forEach((line, i) => {
    if (line.trim().length === 0) return;
    const v: unknown = JSON.parse(line);
    if (typeof v !== "object" || v === null) throw new Error(`${FILE}:${i + 1}: not an object`);
    const { id, stream, lang, text, label } = v as Record<string, unknown>;
    if (typeof id !== "string" || typeof stream !== "string" || typeof lang !== "string" || typeof text !== "string" || typeof label !== "string" || !LABELS.has(label)) {
      throw new Error(`${FILE}:${i + 1}: expected {id, stream, lang, text, label}`);
    }
    rows.push({ id, stream, lang, text, label: label as SentimentLabel });
  });
  return rows;
}
