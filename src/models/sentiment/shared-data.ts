import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SentimentLabel } from "./sentiment-model.js";

/**
 * Read-only access to the shared labelled and unlabelled chat next to the project (`../shared/data`). That data may
 * not be redistributed, so it is read at run time by training, evaluation and tests, never copied into the tree.
 * `CHATSTREAM_SHARED_DATA` points elsewhere.
 */
export function sharedDataDir(): string {
  return process.env.CHATSTREAM_SHARED_DATA ?? fileURLToPath(new URL("../../../../shared/data", import.meta.url));
}

export function hasSharedLabels(dir = sharedDataDir()): boolean {
  return existsSync(join(dir, "labels", "sentiment-train.jsonl")) && existsSync(join(dir, "labels", "sentiment-dev.jsonl"));
}

export interface LabelledMessage {
  id: string;
  stream: string;
  text: string;
  label: SentimentLabel;
  votes?: Partial<Record<SentimentLabel, number>>;
}

export interface ChatLine {
  t: number;
  user: string;
  text: string;
  platform: string;
}

function readJsonl<T>(path: string): T[] {
  const rows: T[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) if (line.trim()) rows.push(JSON.parse(line) as T);
  return rows;
}

export type LabelledSplit = "train" | "train2" | "dev";

export function readLabelled(split: LabelledSplit, dir = sharedDataDir()): LabelledMessage[] {
  return readJsonl<LabelledMessage>(join(dir, "labels", `sentiment-${split}.jsonl`));
}

/**
 * Every labelled English training message: `train` and, when present, `train2` (issue 16: 6,000 more from the same
 * 12 streams, disjoint from every other split), in that order.
 */
export function readTrainingSet(dir = sharedDataDir()): LabelledMessage[] {
  const rows = readLabelled("train", dir);
  if (existsSync(join(dir, "labels", "sentiment-train2.jsonl"))) rows.push(...readLabelled("train2", dir));
  return rows;
}

/** Streams recorded in a language other than English (the chat file names say so; see chat/SOURCES.md). */
export const NON_ENGLISH_STREAMS: readonly string[] = ["yt-rocketbeanstv-de-20161125-evening", "yt-anonim-id-dota2-boom-vs-rng-costream-2022"];

export function chatStreams(dir = sharedDataDir()): string[] {
  const chat = join(dir, "chat");
  if (!existsSync(chat)) return [];
  return readdirSync(chat)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => f.slice(0, -".jsonl".length))
    .sort();
}

export function readChat(stream: string, dir = sharedDataDir()): ChatLine[] {
  return readJsonl<ChatLine>(join(dir, "chat", `${stream}.jsonl`));
}
