/**
 * Small readers for loosely typed JSON records. Sources change their shapes between versions,
 * so every field is read defensively and a wrong type reads as "absent" rather than throwing.
 */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A non-empty string, or a number written as one (ids are numbers in some dumps, strings in others). */
export function asId(value: unknown): string | undefined {
  if (typeof value === "string") return value.length > 0 ? value : undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

export function asFiniteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A finite number, also when written as a decimal string (yt-dlp writes offsets and µs timestamps as strings). */
export function asNumeric(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.length > 0) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Badges a chatter shows are a handful; a record listing more is not read past this many. */
export const MAX_BADGES = 20;

/** Seconds as whole milliseconds; undefined when that overflows (1e308 seconds is a finite number, its ms are not). */
export function msFromSeconds(seconds: number): number | undefined {
  const ms = Math.round(seconds * 1000);
  return Number.isFinite(ms) ? ms : undefined;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
}

/**
 * Document formats also accept one JSON value per line, so their decoders take either a parsed
 * value or a line of text. A chat item is never a JSON string, which keeps the two apart.
 */
export function parseIfLine(record: unknown): ParsedJson {
  return typeof record === "string" ? parseJson(record) : { ok: true, value: record };
}
