import { escapeJsonText, flattened } from "../core/text-cleaning.js";
import { hasReusedParts, stableFieldsOf } from "../core/record-marks.js";
import type { OutputRecord } from "../schema/output-schema.js";
import type { LineChunks } from "./line-chunks.js";

/**
 * JSON text of each 5 s bucket audit already written, by object. A closed bucket's audit is the same object in every
 * snapshot whose window overlaps it (7 in a busy chat, up to 25 in a quiet one), so it is serialized once; the
 * WeakMap lets each string go with its object. Other parts are new in most snapshots of a busy channel and cost
 * little in a quiet one: keeping them too cost more than it saved (measured on the day-2 replay).
 */
const auditJson = new WeakMap<object, string>();

/**
 * The parts of a record marked "reused parts" (core/record-marks.ts) whose JSON text is kept by object like the
 * audits': a quiet channel re-publishes the same parts twice a second.
 */
const REUSABLE = new Set(["sentiment", "topics", "clusters", "top", "questions", "languages"]);
const partJson = new WeakMap<object, string>();
const keyPrefixes = new Map<string, string>();
const keyPrefixesAfter = new Map<string, string>();

/**
 * The fields a record's stable-fields token (core/record-marks.ts) vouches for: they hold the same values for as long
 * as the token is the same object (a quiet window between two messages: only the times, the rate and the bucket
 * audits move). The text of each run of consecutive stable fields is kept by that token (weakly), so such a snapshot
 * serializes its times, its rate and its audits, and copies the rest.
 */
const STABLE_KEYS = new Set(["type", "channel", "count", "scored", "chatters", "sentiment", "mood", "confidence", "headline", "headlineSince", "topics", "clusters", "top", "questions", "languages"]);
/**
 * A snapshot's line as fixed text between the fields that move: `statics[0] + value(dynamic[0]) + statics[1] + …`.
 * Kept by token and by which optional fields the snapshot has (`changed`, `ts`, `events`), which with the token's
 * stable fields fix its keys and their order (the channel pipeline writes them in one order).
 */
interface LineTemplate {
  statics: string[];
  dynamic: string[];
  /** The statics as UTF-8, for writeRecordJson (encoded at its first use). */
  bytes?: Buffer[];
}
const templates = new WeakMap<object, (LineTemplate | undefined)[]>();

/** Text of each bucket-audit list already written, by array: a quiet channel's list is the same array for 5 s. */
const bucketsJson = new WeakMap<object, string>();
/** Each audit's text as UTF-8, for writeRecordJson: most of a quiet snapshot's line, copied rather than encoded. */
const auditUtf8 = new WeakMap<object, Buffer>();
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * A record as one JSON line (without the newline): exactly `escapeJsonText(JSON.stringify(record))`, with its
 * bucket audits serialized once. Keys keep the record's own order; undefined values are left out, as JSON.stringify
 * does. C1, DEL and bidi controls become \u escapes part by part (the escape acts on single characters, so escaping
 * the parts is escaping the whole). Records and their parts are never changed once emitted.
 */
export function recordJson(record: OutputRecord): string {
  // Every sink of a run is handed the same record in turn (the JSON-lines file and the server's roll-up history both
  // write each roll-up): the last one's line is kept for the next.
  if (record === lastRecord) return lastLine;
  const line = lineOf(record);
  lastRecord = record;
  lastLine = line;
  return line;
}

let lastRecord: OutputRecord | undefined;
let lastLine = "";

function lineOf(record: OutputRecord): string {
  const fields = record as unknown as Record<string, unknown>;
  const stable = stableFieldsOf(record);
  if (stable !== undefined && !isOneOff(fields)) {
    const byShape = templatesOf(stable);
    const shape = shapeOf(fields);
    const template = byShape[shape];
    if (template !== undefined) {
      const { statics, dynamic } = template;
      let out = statics[0] as string;
      for (let i = 0; i < dynamic.length; i++) {
        const key = dynamic[i] as string;
        const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
        // A moving field gone (no pipeline record does that) leaves the template to the general writer.
        if (!isWritten(value)) return fieldsJson(fields, true, undefined);
        out += valueText(key, value, true) + (statics[i + 1] as string);
      }
      return out;
    }
    const built: LineTemplate = { statics: [], dynamic: [] };
    byShape[shape] = built;
    return fieldsJson(fields, true, built);
  }
  return fieldsJson(fields, hasReusedParts(record), undefined);
}

/**
 * The same text as recordJson, written into `out` as UTF-8: a record with a line template has its fixed parts copied
 * as bytes (encoded once per template) and its moving fields written as text, with no line string built.
 */
export function writeRecordJson(record: OutputRecord, out: LineChunks): void {
  const fields = record as unknown as Record<string, unknown>;
  const stable = stableFieldsOf(record);
  const template = stable === undefined ? undefined : templatesOf(stable)[shapeOf(fields)];
  if (template === undefined || !movingFieldsWritten(template.dynamic, fields)) {
    out.text(recordJson(record));
    return;
  }
  const { statics, dynamic } = template;
  const bytes = (template.bytes ??= statics.map((s) => Buffer.from(s, "utf8")));
  out.bytes(bytes[0] as Buffer);
  for (let i = 0; i < dynamic.length; i++) {
    const key = dynamic[i] as string;
    const value = ownField(fields, key);
    if (typeof value === "number") out.number(value);
    else if (key === "buckets" && Array.isArray(value)) writeBuckets(value, out);
    else if (key === "window" && isTimeSpan(value)) {
      out.bytes(WINDOW_START);
      out.number(value.start);
      out.bytes(WINDOW_END);
      out.number(value.end);
      out.byte(CLOSE_BRACE);
    } else out.text(valueText(key, value, true));
    out.bytes(bytes[i + 1] as Buffer);
  }
}

const WINDOW_START = Buffer.from('{"start":');
const WINDOW_END = Buffer.from(',"end":');
const CLOSE_BRACE = 0x7d;

/** A snapshot's window as the pipeline builds it: exactly `{start, end}`, both numbers, in that order. */
function isTimeSpan(value: unknown): value is { start: number; end: number } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  let i = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || key !== (i === 0 ? "start" : i === 1 ? "end" : undefined)) return false;
    i++;
  }
  const span = value as { start?: unknown; end?: unknown };
  return i === 2 && typeof span.start === "number" && typeof span.end === "number";
}

function movingFieldsWritten(keys: readonly string[], fields: Record<string, unknown>): boolean {
  for (const key of keys) if (!isWritten(ownField(fields, key))) return false;
  return true;
}

/** A template's key is a record field's name, never a chat word; read as an own field all the same. */
function ownField(fields: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(fields, key) ? fields[key] : undefined;
}

function templatesOf(stable: object): (LineTemplate | undefined)[] {
  let byShape = templates.get(stable);
  if (byShape === undefined) templates.set(stable, (byShape = []));
  return byShape;
}

/**
 * A record whose headline was just rewritten (`changed`) or that lists events is the only one of its shape under its
 * token (the next snapshot has neither): a template for it would be built to be used once.
 */
function isOneOff(fields: Record<string, unknown>): boolean {
  return fields.changed !== undefined || fields.events !== undefined;
}

function shapeOf(fields: Record<string, unknown>): number {
  return (fields.changed === undefined ? 0 : 1) | (fields.ts === undefined ? 0 : 2) | (fields.events === undefined ? 0 : 4);
}

/** What JSON.stringify writes for an object's field (it leaves out undefined, functions and symbols). */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

/** The general writer; given a template, it also records which text is fixed and which fields move. */
function fieldsJson(fields: Record<string, unknown>, reused: boolean, template: LineTemplate | undefined): string {
  let out = "{";
  // A template's fixed text is gathered beside the line, not sliced out of it: slicing the line (a tree of pieces until
  // it is read) flattened it again at every moving field.
  let fixed = "{";
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    const value = fields[key];
    if (value === undefined || typeof value === "function" || typeof value === "symbol") continue;
    const prefix = keyPrefix(key, out.length > 1);
    out += prefix;
    const text = valueText(key, value, reused);
    out += text;
    if (template === undefined) continue;
    fixed += prefix;
    if (STABLE_KEYS.has(key)) {
      fixed += text;
    } else {
      template.statics.push(flattened(fixed));
      template.dynamic.push(key);
      fixed = "";
    }
  }
  out += "}";
  template?.statics.push(flattened(fixed + "}"));
  return out;
}

/** `"key":`, or `,"key":` after another field. */
function keyPrefix(key: string, afterAnother = false): string {
  const kept = afterAnother ? keyPrefixesAfter : keyPrefixes;
  let prefix = kept.get(key);
  if (prefix === undefined) {
    prefix = `${afterAnother ? "," : ""}${JSON.stringify(key)}:`;
    // Record keys come from the schema, a few dozen names; the bound only guards against a caller's odd record.
    if (kept.size < 1000) kept.set(key, prefix);
  }
  return prefix;
}

function valueText(key: string, value: unknown, reused: boolean): string {
  if (key === "buckets" && Array.isArray(value)) return bucketsText(value);
  if (typeof value !== "object" || value === null || !REUSABLE.has(key)) return escapeJsonText(JSON.stringify(value));
  // A busy channel's window often goes a snapshot without a message entering or leaving (9,688 of the day-2 replay's
  // 19,365 snapshots): that snapshot re-publishes the previous one's parts, marked, and found none of their text kept.
  // The last text of each field is kept (one per field, never a table: records of other channels only replace it).
  const last = lastParts.get(key);
  if (last !== undefined && last.value === value) return last.json;
  const json = reused ? partText(value) : escapeJsonText(JSON.stringify(value));
  lastParts.set(key, { value, json });
  return json;
}

const lastParts = new Map<string, { value: object; json: string }>();

function bucketsText(list: unknown[]): string {
  let json = bucketsJson.get(list);
  if (json === undefined) {
    json = `[${Array.from(list, auditText).join(",")}]`;
    bucketsJson.set(list, json);
  }
  return json;
}

/**
 * The same text as bucketsText, as UTF-8 from each audit's own bytes: a quiet channel's list is new every 5 s but
 * shares all its closed buckets' audits with the list before, so only the open bucket's audit is encoded anew.
 */
function writeBuckets(list: unknown[], out: LineChunks): void {
  out.byte(OPEN_BRACKET);
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out.byte(COMMA);
    const value: unknown = list[i];
    if (typeof value === "object" && value !== null) out.bytes(auditBytes(value));
    else out.text(auditText(value));
  }
  out.byte(CLOSE_BRACKET);
}

function auditBytes(audit: object): Buffer {
  let bytes = auditUtf8.get(audit);
  if (bytes === undefined) {
    bytes = Buffer.from(auditText(audit), "utf8");
    auditUtf8.set(audit, bytes);
  }
  return bytes;
}

function auditText(value: unknown): string {
  // JSON.stringify writes an undefined (or function) array element as null.
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return "null";
  if (typeof value !== "object" || value === null) return escapeJsonText(JSON.stringify(value));
  let json = auditJson.get(value);
  if (json === undefined) {
    json = escapeJsonText(JSON.stringify(value));
    auditJson.set(value, json);
  }
  return json;
}

function partText(value: object): string {
  let json = partJson.get(value);
  if (json === undefined) {
    json = escapeJsonText(JSON.stringify(value));
    partJson.set(value, json);
  }
  return json;
}
