import type { ChatDigest } from "../../../aggregation/chat-digest.js";
import { cleanText } from "../../../core/text-cleaning.js";
import { isQuiet } from "../headline-text.js";
import type { Summarizer } from "../summarizer.js";
import { checkHeadline, DEFAULT_HEADLINE_BOUNDS, type HeadlineBounds, type Rejection, type Repair } from "./validate.js";

/**
 * Answers a model wrote elsewhere for the requests `chatstream digest --prompts-out` wrote, one `{"id", "text"}`
 * per line (`digest --answers FILE`): they go through the validator and the fallback of the live path, so a
 * prompt can be compared on the dev windows without a network (docs/llm.md).
 */
export interface Answer {
  /** The window's id as the request file gave it: untrusted, a Map key only. */
  id: string | number;
  text: string;
}

/** Longest answer read (characters): a model asked for 120 tokens writes a few hundred. */
export const MAX_ANSWER_CHARS = 20_000;

/** One line of an answers file, or why it cannot be read. Never throws. */
export function parseAnswerLine(raw: string): Answer | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { error: "not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: 'expected {"id", "text"}' };
  const id = Object.hasOwn(value, "id") ? (value as { id: unknown }).id : undefined;
  const text = Object.hasOwn(value, "text") ? (value as { text: unknown }).text : undefined;
  if (typeof id !== "string" && (typeof id !== "number" || !Number.isFinite(id))) return { error: "id must be a string or a number" };
  if (typeof text !== "string") return { error: "text must be a string" };
  if (text.length > MAX_ANSWER_CHARS) return { error: `text longer than ${MAX_ANSWER_CHARS} characters` };
  return { id, text };
}

/** How answers and windows are matched: as score.mjs does, by the id's string form. */
export function answerKey(id: string | number): string {
  return String(id);
}

/** The answers of a file by id: the first answer for an id wins; bad lines and repeats are counted. */
export class AnswerBook {
  private readonly answers = new Map<string, string>();
  private readonly used = new Set<string>();
  lines = 0;
  repeated = 0;
  readonly errors: string[] = [];
  badLines = 0;

  add(raw: string, lineNumber: number): void {
    if (raw.trim().length === 0) return;
    this.lines++;
    const parsed = parseAnswerLine(raw);
    if ("error" in parsed) {
      this.badLines++;
      if (this.errors.length < 10) this.errors.push(`line ${lineNumber}: ${parsed.error}`);
      return;
    }
    const key = answerKey(parsed.id);
    if (this.answers.has(key)) this.repeated++;
    else this.answers.set(key, parsed.text);
  }

  get size(): number {
    return this.answers.size;
  }

  /** The answer for a window, if the file has one (marks it used). */
  take(id: unknown): string | undefined {
    if (typeof id !== "string" && typeof id !== "number") return undefined;
    const key = answerKey(id);
    const text = this.answers.get(key);
    if (text !== undefined) this.used.add(key);
    return text;
  }

  /** Answers whose id matched no window. */
  get unused(): number {
    return this.answers.size - this.used.size;
  }
}

export type AnswerVerdict =
  | { accepted: true; headline: string; repairs: Repair[] }
  | { accepted: false; headline: string; reason: Rejection | "missing" | "quiet" };

/**
 * The headline a window gets from its answer: the validated answer (`checkHeadline`, repairs and all), or the
 * fallback's headline when there is no answer, the window is quiet (the live path never asks then) or the
 * validator refuses it.
 */
export function headlineFromAnswer(digest: ChatDigest, text: string | undefined, fallback: Summarizer, bounds: HeadlineBounds = DEFAULT_HEADLINE_BOUNDS): AnswerVerdict {
  const reason = isQuiet(digest) ? "quiet" : text === undefined ? "missing" : undefined;
  if (reason !== undefined || text === undefined) return { accepted: false, headline: fallback.summarizeWindow(digest), reason: reason ?? "missing" };
  const checked = checkHeadline(text, digest, bounds);
  if (checked.ok) return { accepted: true, headline: checked.headline, repairs: checked.repairs };
  return { accepted: false, headline: fallback.summarizeWindow(digest), reason: checked.reason };
}

/** Counts by outcome, for the summary line. */
export class VerdictTally {
  windows = 0;
  accepted = 0;
  repaired = 0;
  readonly refused = new Map<string, number>();

  add(v: AnswerVerdict): void {
    this.windows++;
    if (v.accepted) {
      this.accepted++;
      if (v.repairs.length > 0) this.repaired++;
    } else this.refused.set(v.reason, (this.refused.get(v.reason) ?? 0) + 1);
  }

  count(reason: string): number {
    return this.refused.get(reason) ?? 0;
  }

  /** "7 rejected (copied-chat 4, one-sentence 3)": every reason but those named in `apart`. */
  rejectedText(apart: readonly string[]): string {
    const rows = [...this.refused.entries()].filter(([r]) => !apart.includes(r)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const n = rows.reduce((s, [, k]) => s + k, 0);
    return `${n} rejected${n > 0 ? ` (${rows.map(([r, k]) => `${cleanText(r)} ${k}`).join(", ")})` : ""}`;
  }
}
