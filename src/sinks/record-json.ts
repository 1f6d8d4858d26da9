import { escapeJsonText } from "../core/text-cleaning.js";
import type { OutputRecord } from "../schema/output-schema.js";

/**
 * JSON text of each part of a record already written, by object. A channel's snapshots share their unchanged parts
 * (a closed 5 s bucket's audit for 5–25 snapshots, every part of a quiet window's snapshot), so those are serialized
 * once; the WeakMap lets each string go with its object. Records and their parts are never changed once emitted.
 */
const fragments = new WeakMap<object, string>();
const keyPrefixes = new Map<string, string>();

/**
 * A record as one JSON line (without the newline): exactly `escapeJsonText(JSON.stringify(record))`, with its
 * shared parts serialized once. Keys keep the record's own order; undefined values are left out, as JSON.stringify
 * does. C1, DEL and bidi controls become \u escapes part by part (the escape acts on single characters, so escaping
 * the parts is escaping the whole).
 */
export function recordJson(record: OutputRecord): string {
  let out = "{";
  const fields = record as unknown as Record<string, unknown>;
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
    out += partJson(value);
  }
  return `${out}}`;
}

function partJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return escapeJsonText(JSON.stringify(value) ?? "null");
  const known = fragments.get(value);
  if (known !== undefined) return known;
  let json: string;
  // An array whose first object was written before is a list of shared parts (the bucket audits): join them.
  if (Array.isArray(value) && value.length > 0 && typeof value[0] === "object" && value[0] !== null && fragments.has(value[0] as object)) {
    json = `[${value.map(elementJson).join(",")}]`;
  } else {
    json = escapeJsonText(JSON.stringify(value));
  }
  fragments.set(value, json);
  return json;
}

function elementJson(value: unknown): string {
  // JSON.stringify writes an undefined (or function) array element as null.
  if (value === undefined || typeof value === "function") return "null";
  return partJson(value);
}
