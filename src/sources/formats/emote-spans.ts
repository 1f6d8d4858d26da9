import type { EmoteSpan } from "../../core/message.js";

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Maps code-point indices (what Twitch IRC and rechat count in) to UTF-16 indices (what
 * `ChatMessage.emotes` use). Texts without astral characters, the common case, need no table.
 * Returns undefined for an index past the end of the text.
 */
export function codePointIndexer(text: string): (codePoint: number) => number | undefined {
  if (!SURROGATE.test(text)) {
    return (codePoint) => (codePoint >= 0 && codePoint <= text.length ? codePoint : undefined);
  }
  const offsets: number[] = [];
  let unit = 0;
  for (const char of text) {
    offsets.push(unit);
    unit += char.length;
  }
  offsets.push(unit);
  return (codePoint) => (codePoint >= 0 ? offsets[codePoint] : undefined);
}

/**
 * Turns an inclusive code-point range ("12-16", as Twitch writes it) into a UTF-16 [start, end) span.
 * A range that does not fit the text (edited message, cut text, bad data) yields undefined.
 */
export function spanFromInclusiveRange(
  toUtf16: (codePoint: number) => number | undefined,
  first: number,
  last: number,
): { start: number; end: number } | undefined {
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last < first) return undefined;
  const start = toUtf16(first);
  const end = toUtf16(last + 1);
  return start === undefined || end === undefined ? undefined : { start, end };
}

/** Parses "start-end" (inclusive code points) into numbers; undefined when it is not that shape. */
export function parseInclusiveRange(range: string): [number, number] | undefined {
  const dash = range.indexOf("-");
  if (dash <= 0) return undefined;
  const first = Number(range.slice(0, dash));
  const last = Number(range.slice(dash + 1));
  return Number.isInteger(first) && Number.isInteger(last) ? [first, last] : undefined;
}

/** Every occurrence of `name` in `text`, for sources that list an emote's name but not where it sits. */
export function spansOfName(text: string, name: string, id: string | undefined): EmoteSpan[] {
  const spans: EmoteSpan[] = [];
  if (name.length === 0) return spans;
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + name.length)) {
    spans.push(id === undefined ? { name, start: at, end: at + name.length } : { name, id, start: at, end: at + name.length });
  }
  return spans;
}

export function byStart(a: EmoteSpan, b: EmoteSpan): number {
  return a.start - b.start;
}
