import { escapeJsonText } from "../core/text-cleaning.js";
import type { OutputRecord } from "../schema/output-schema.js";

/**
 * JSON text of each 5 s bucket audit already written, by object. A closed bucket's audit is the same object in every
 * snapshot whose window overlaps it (7 in a busy chat, up to 25 in a quiet one), so it is serialized once; the
 * WeakMap lets each string go with its object. Other parts are new in most snapshots of a busy channel and cost
 * little in a quiet one: keeping them too cost more than it saved (measured on the day-2 replay).
 */
const auditJson = new WeakMap<object, string>();

/**
 * Set by the channel pipeline on a snapshot whose parts (sentiment, topics, clusters, top lines, questions, language
 * mix) are the previous snapshot's own objects because no message entered or left its window: a quiet channel
 * re-publishes the same parts twice a second, so their JSON text is kept by object like the audits'. Busy channels'
 * snapshots never carry it, and pay nothing for it. A symbol key: JSON.stringify and for…in never see it.
 */
export const REUSED_PARTS: unique symbol = Symbol("chatstream.reusedParts");
const REUSABLE = new Set(["sentiment", "topics", "clusters", "top", "questions", "languages"]);
const partJson = new WeakMap<object, string>();
const keyPrefixes = new Map<string, string>();

/**
 * A record as one JSON line (without the newline): exactly `escapeJsonText(JSON.stringify(record))`, with its
 * bucket audits serialized once. Keys keep the record's own order; undefined values are left out, as JSON.stringify
 * does. C1, DEL and bidi controls become \u escapes part by part (the escape acts on single characters, so escaping
 * the parts is escaping the whole). Records and their parts are never changed once emitted.
 */
export function recordJson(record: OutputRecord): string {
  let out = "{";
  const fields = record as unknown as Record<string, unknown>;
  const reused = (record as { [REUSED_PARTS]?: boolean })[REUSED_PARTS] === true;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    const value = fields[key];
    if (value === undefined || typeof value === "function" || typeof value === "symbol") continue;
    let prefix = keyPrefixes.get(key);
    if (prefix === undefined) {
      prefix = `${JSON.stringify(key)}:`;
      // Record keys come from the schema, a few dozen names; the bound only guards against a caller's odd record.
      if (keyPrefixes.size < 1000) keyPrefixes.set(key, prefix);
    }
    out += out.length === 1 ? prefix : `,${prefix}`;
    if (key === "buckets" && Array.isArray(value)) out += `[${value.map(auditText).join(",")}]`;
    else if (reused && typeof value === "object" && value !== null && REUSABLE.has(key)) out += partText(value);
    else out += escapeJsonText(JSON.stringify(value));
  }
  return `${out}}`;
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
