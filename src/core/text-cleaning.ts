import type { ChatEvent } from "./event.js";
import type { ChatMessage, EmoteSpan } from "./message.js";

/**
 * Text from outside (chat, names, channels, event fields, file fields, model answers) is cleaned once where it
 * enters, so no later stage has to think about it: a terminal must never receive a control sequence from a
 * stranger (`ESC ] 0 ; title BEL` retitles it, `ESC [ 2 J` clears it, C1 `CSI` does the same in one byte), and
 * no overlay, report or headline may be reordered by bidi controls (the "Trojan Source" trick: U+202E turns
 * "gnp.exe" into "exe.png").
 *
 * What goes:
 * - whole escape sequences (CSI, OSC/DCS/APC/PM/SOS strings with their terminator, two-byte ESC sequences) and
 *   mIRC colour codes with their digits, so no parameter bytes are left behind as litter;
 * - every other C0 control, DEL and every C1 control; tab, CR, LF and NEL become a space so words do not glue;
 * - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), and the marks U+200E, U+200F and
 *   U+061C: invisible, they only move text around (a neutral run such as ".com" or a number next to a name) or
 *   split a word so that a filter no longer sees it.
 *
 * What stays: ZWJ (U+200D), variation selectors and tag characters, which emoji sequences need ("👩‍💻",
 * "❤️", flags), and every printable character.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

// Each alternative is linear: the classes of a CSI are disjoint, and a control string stops at the next ESC.
const UNSAFE_RUNS = new RegExp(
  [
    "(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]",
    "(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d-\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)",
    "\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]",
    "\\u0003(?:\\d{1,2}(?:,\\d{1,2})?)?",
    "[\\t\\n\\r\\u0085]",
    "[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]",
  ].join("|"),
  "g",
);

const LINE_BREAKS = /^[\t\n\r\u0085]$/;

function replacement(run: string): string {
  return LINE_BREAKS.test(run) ? " " : "";
}

/** The text without control sequences, control characters or bidi controls (see above). Idempotent; returns `text` itself when it is clean. */
export function cleanText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_RUNS, replacement);
}

/** Whether `cleanText` would change the text. */
export function needsCleaning(text: string): boolean {
  return UNSAFE.test(text);
}

/** Cleans `text` and moves UTF-16 ranges into it along; a range whose every character was removed is dropped. */
function cleanWithSpans(text: string, spans: readonly EmoteSpan[]): { text: string; spans: EmoteSpan[] } {
  // Removed or replaced runs, in order: [start, end) in the original and the length left in their place.
  const runs: [number, number, number][] = [];
  const cleaned = text.replace(UNSAFE_RUNS, (run: string, offset: number) => {
    const r = replacement(run);
    runs.push([offset, offset + run.length, r.length]);
    return r;
  });
  // An original index maps to its place in the cleaned text; an index inside a removed run maps to where it was.
  const moved = (i: number): number => {
    let shift = 0;
    for (const [start, end, kept] of runs) {
      if (end <= i) shift += end - start - kept;
      else if (start < i) return start - shift + Math.min(kept, i - start);
      else break;
    }
    return i - shift;
  };
  const out: EmoteSpan[] = [];
  for (const span of spans) {
    const start = moved(span.start);
    const end = moved(span.end);
    if (end > start) out.push({ ...span, name: cleanText(span.name), ...(span.id !== undefined ? { id: cleanText(span.id) } : {}), start, end });
  }
  return { text: cleaned, spans: out };
}

const ANONYMOUS = "anonymous";
const UNNAMED_CHANNEL = "unnamed";
const UNKNOWN_PLATFORM = "unknown";

function cleanOptional(value: string | undefined): string | undefined {
  return value === undefined ? undefined : cleanText(value);
}

function messageNeedsCleaning(m: ChatMessage): boolean {
  if (UNSAFE.test(m.text) || UNSAFE.test(m.user) || UNSAFE.test(m.userId) || UNSAFE.test(m.channel) || UNSAFE.test(m.platform)) return true;
  if ((m.id !== undefined && UNSAFE.test(m.id)) || (m.replyTo !== undefined && UNSAFE.test(m.replyTo))) return true;
  if (m.badges !== undefined && m.badges.some((b) => UNSAFE.test(b))) return true;
  if (m.emotes !== undefined && m.emotes.some((e) => UNSAFE.test(e.name) || (e.id !== undefined && UNSAFE.test(e.id)))) return true;
  return m.paid !== undefined && (UNSAFE.test(m.paid.amount) || (m.paid.currency !== undefined && UNSAFE.test(m.paid.currency)));
}

/**
 * The message with every text field cleaned (text, user, userId, channel, platform, ids, badges, emote names,
 * paid amount), emote ranges moved with the text. The same object when nothing needed it: the common case costs
 * one test per field.
 */
export function cleanMessage(m: ChatMessage): ChatMessage {
  if (!messageNeedsCleaning(m)) return m;
  // A name made only of escapes cleans to nothing; it keeps a visible stand-in, so no message has an empty name.
  const user = cleanText(m.user) || cleanText(m.userId) || ANONYMOUS;
  const out: ChatMessage = { ...m, user, userId: cleanText(m.userId) || user, channel: cleanText(m.channel) || UNNAMED_CHANNEL, platform: cleanText(m.platform) || UNKNOWN_PLATFORM };
  if (m.emotes === undefined) out.text = cleanText(m.text);
  else {
    const moved = cleanWithSpans(m.text, m.emotes);
    out.text = moved.text;
    if (moved.spans.length > 0) out.emotes = moved.spans;
    else delete out.emotes;
  }
  // An id made only of escapes is no id at all.
  const id = cleanOptional(m.id);
  if (id) out.id = id;
  else delete out.id;
  const replyTo = cleanOptional(m.replyTo);
  if (replyTo) out.replyTo = replyTo;
  else delete out.replyTo;
  if (m.badges !== undefined) out.badges = m.badges.map(cleanText);
  if (m.paid !== undefined) {
    out.paid = { ...m.paid, amount: cleanText(m.paid.amount) };
    if (m.paid.currency !== undefined) out.paid.currency = cleanText(m.paid.currency);
  }
  return out;
}

/** The event with every text field cleaned (user, text, amount, channel, platform, id); the same object when clean. */
export function cleanEvent(e: ChatEvent): ChatEvent {
  const fields = [e.user, e.channel, e.platform, e.text, e.amount, e.id];
  if (!fields.some((f) => f !== undefined && UNSAFE.test(f))) return e;
  const out: ChatEvent = { ...e, user: cleanText(e.user) || ANONYMOUS, channel: cleanText(e.channel) || UNNAMED_CHANNEL, platform: cleanText(e.platform) || UNKNOWN_PLATFORM };
  const text = cleanOptional(e.text);
  const amount = cleanOptional(e.amount);
  const id = cleanOptional(e.id);
  if (text !== undefined) out.text = text;
  if (amount !== undefined) out.amount = amount;
  if (id) out.id = id;
  else delete out.id;
  return out;
}

// Characters JSON.stringify leaves raw that a terminal (C1, DEL) or a bidi renderer would act on, and the line
// separators some JSON-lines readers split on.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const JSON_UNSAFE_ALL = new RegExp(JSON_UNSAFE.source, "g");

/**
 * A JSON text with the characters above written as \u escapes: the same value for any JSON reader, inert when
 * the file is shown in a terminal or an editor. (JSON.stringify already escapes C0, quotes and backslashes.)
 */
export function escapeJsonText(json: string): string {
  // A test scans twice as fast as a replace (0.8 against 1.6–2.7 ms/MB of JSON lines), and almost nothing matches.
  if (!JSON_UNSAFE.test(json)) return json;
  return json.replace(JSON_UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * The same string, flattened: a string built by concatenation is a tree of its pieces (measured: 1.8 KB of heap for a
 * 340-byte line) until something reads its characters. V8 flattens a string in place when a character is read; a
 * string kept for long (a roll-up history line, a line template's fixed text) is flattened before it is kept.
 */
export function flattened(s: string): string {
  return s.charCodeAt(0) >= 0 ? s : s;
}
