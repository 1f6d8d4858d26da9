export { seededRandom } from "../src/core/seeded-random.js";
// The labelled headline windows of ../shared (dev and train), read and processed once for the mood and confidence
// fits: each window's messages through the run's own per-message stage, and digests built from any subset of them.
import { existsSync, readFileSync } from "node:fs";
import { DigestBuilder, type ChatDigest } from "../src/aggregation/chat-digest.js";
import type { WindowMood } from "../src/aggregation/mood.js";
import type { ModelSlots } from "../src/commands/model-setup.js";
import { cleanText } from "../src/core/text-cleaning.js";
import type { ProcessedMessage } from "../src/processing/message-processor.js";

export const SHARED = new URL("../../shared/", import.meta.url).pathname;
export const WINDOW_FILES = { dev: `${SHARED}data/windows/windows-dev.jsonl`, train: `${SHARED}data/windows/windows-train.jsonl` } as const;

export interface LabelledWindow {
  id: string;
  split: "dev" | "train";
  stream: string;
  mood: WindowMood;
  /** Recording times (ms) of the first and last message: where the window sits in ../shared/data/chat/<stream>.jsonl. */
  first: number;
  last: number;
  messages: ProcessedMessage[];
}

interface RawWindow {
  id: string;
  stream: string;
  mood: WindowMood;
  messages: { t: number; user: string; text: string }[];
}

export function sharedWindowsPresent(): boolean {
  return existsSync(WINDOW_FILES.dev) && existsSync(WINDOW_FILES.train);
}

/** Every labelled window of dev then train, in file order, its messages processed as `chatstream digest` does. */
export function loadLabelledWindows(models: ModelSlots): LabelledWindow[] {
  const out: LabelledWindow[] = [];
  for (const split of ["dev", "train"] as const) {
    for (const line of readFileSync(WINDOW_FILES[split], "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const w = JSON.parse(line) as RawWindow;
      const messages = w.messages.map((m) => models.processor.process({ t: m.t, platform: "unknown", channel: w.stream, userId: cleanText(m.user), user: cleanText(m.user), text: cleanText(m.text) }));
      const times = w.messages.map((m) => m.t);
      out.push({ id: w.id, split, stream: w.stream, mood: w.mood, first: Math.min(...times), last: Math.max(...times), messages });
    }
  }
  return out;
}

export function digestOf(messages: readonly ProcessedMessage[]): ChatDigest {
  const b = new DigestBuilder();
  let first = Infinity;
  let last = -Infinity;
  for (const m of messages) {
    b.add(m);
    first = Math.min(first, m.t);
    last = Math.max(last, m.t);
  }
  return b.build(Number.isFinite(first) ? first - 1 : 0, Number.isFinite(last) ? last : 0);
}


/** k of the window's scored messages, drawn without replacement (all of them when it has no more). */
export function sampleScored(messages: readonly ProcessedMessage[], k: number, random: () => number): ProcessedMessage[] {
  const scored = messages.filter((m) => m.sentiment !== undefined);
  for (let i = scored.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [scored[i], scored[j]] = [scored[j] as ProcessedMessage, scored[i] as ProcessedMessage];
  }
  return scored.slice(0, k);
}
