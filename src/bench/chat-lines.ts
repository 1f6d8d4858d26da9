import type { ChatMessage } from "../core/message.js";
import { openChatInput } from "../sources/file-source.js";
import { syntheticChatLines } from "./synthetic-chat.js";

/** What a load replays: ingest items (our JSON lines without `t` and `channel`) and, for a recording, their times. */
export interface ChatLines {
  /** A file name, or "synthetic". */
  readonly source: string;
  readonly items: readonly string[];
  /** Each item's recorded time in ms from the first (a recording's own pacing, for `--rate recorded`). */
  readonly times: readonly number[];
  /** Recorded span from the first item to the last, in ms (0 for synthetic lines). */
  readonly spanMs: number;
}

/** At most this many lines are kept from a recording: a load loops over them, so more would only cost memory. */
export const MAX_LOAD_LINES = 200_000;

/** The fields an ingest item carries: what a producer pushing this chat live would send. */
function itemOf(m: ChatMessage): string {
  const item: Record<string, unknown> = { user: m.user, text: m.text, platform: m.platform };
  if (m.userId !== m.user) item.userId = m.userId;
  if (m.emotes !== undefined) item.emotes = m.emotes;
  if (m.badges !== undefined) item.badges = m.badges;
  if (m.flags !== undefined) item.flags = m.flags;
  return JSON.stringify(item);
}

/** Reads a recording (any format `run` reads) once into load lines. */
export async function recordingLines(path: string, maxLines = MAX_LOAD_LINES): Promise<ChatLines> {
  const input = await openChatInput({ path, arrivalTime: () => 0 });
  const items: string[] = [];
  const times: number[] = [];
  let first: number | undefined;
  try {
    outer: for await (const batch of input.batches()) {
      for (const m of batch) {
        first ??= m.t;
        items.push(itemOf(m));
        // Recordings are in time order; a step back (a late line) is replayed at once, never before its predecessor.
        times.push(Math.max(m.t - first, times.at(-1) ?? 0));
        if (items.length >= maxLines) break outer;
      }
    }
  } finally {
    await input.close();
  }
  if (items.length === 0) throw new Error(`chatstream bench: no chat messages in ${path}`);
  return { source: path, items, times, spanMs: times.at(-1) ?? 0 };
}

/** Synthetic lines (src/bench/synthetic-chat.ts), spaced 100 ms apart when replayed at their "recorded" pace. */
export function syntheticLines(count = 50_000, seed = 17): ChatLines {
  const items = syntheticChatLines(count, seed);
  return { source: "synthetic", items, times: items.map((_, i) => i * 100), spanMs: (items.length - 1) * 100 };
}
