import { parseDuration } from "../sources/time-guard.js";

/**
 * The commands a setting belongs to: `program` for the options every command takes (`--plugin`); `ingest`, `worker`
 * and `serve` are the scale-out roles (docs/scale-out.md), which read flags and variables but no config file.
 */
export type SettingScope = "program" | "run" | "demo" | "ingest" | "worker" | "serve";

/** Where a resolved value came from, in the order of precedence: the first that gives one wins. */
export type SettingOrigin = "flag" | "env" | "file" | "default";

/**
 * A value that cannot be read: thrown by a ValueType with what was expected; the caller says where the value was
 * (the flag, the variable, or the config file's line), so the one-line error names both.
 */
export class SettingValueError extends Error {
  override readonly name = "SettingValueError";
}

/**
 * How one setting's value is read: from the text of a flag or an environment variable, and from a value of the
 * config file (JSON or YAML, already parsed, not yet trusted).
 */
export interface ValueType<T> {
  /** How the reference names the type ("whole number ≥ 1", "duration", "list"). */
  readonly describe: string;
  fromText(text: string): T;
  fromFile(value: unknown): T;
  /** Closed choices (commander checks them on the command line and lists them in --help). */
  readonly choices?: readonly string[];
  /** A flag of this type takes no argument (`--ingest`, `--no-progress`). */
  readonly isSwitch?: boolean;
  /** Repeating the flag adds to the list; `splitsCommas`: each occurrence may also be `a,b`. */
  readonly list?: { splitsCommas: boolean };
}

/** One row of the configuration reference: a setting as a flag, environment variables and a config file key. */
export interface SettingDefinition<T> {
  /** The commander flag (`"-s, --speed <speed>"`); its attribute name is the key. Absent: no flag (a secret, a test endpoint). */
  readonly flag?: string;
  /** Environment variables, the first one set (non-empty) wins; the first is the canonical name. */
  readonly env: readonly string[];
  /** False for a setting that cannot sit in the config file (`config` itself). */
  readonly inFile?: false;
  readonly scopes: readonly SettingScope[];
  readonly type: ValueType<T>;
  readonly default?: T;
  /** How --help and the reference show the default when `String(default)` would not say it ("24h", "hud on a terminal"). */
  readonly defaultText?: string;
  /** One line: what the setting does. */
  readonly description: string;
  /** A secret: the reference says so, and nothing prints its value. */
  readonly secret?: boolean;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}

/** File values that are text on the command line (a number for `queue: 2000`, a boolean) are read as that text. */
function scalarText(value: unknown, expected: string): string {
  if (typeof value === "string") return value;
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") return String(value);
  throw new SettingValueError(`expected ${expected}, got ${describeValue(value)}`);
}

export function textValue(describe = "text"): ValueType<string> {
  return {
    describe,
    fromText: (text) => text,
    // `serve: 8080` or `channel: 1234` in YAML is a number: the text it was written as.
    fromFile: (value) => {
      if (typeof value === "number" && Number.isFinite(value)) return String(value);
      if (typeof value !== "string") throw new SettingValueError(`expected ${describe}, got ${describeValue(value)}`);
      return value;
    },
  };
}

export function wholeNumberValue(min: 0 | 1): ValueType<number> {
  const expected = min === 1 ? "a positive whole number" : "a whole number";
  const check = (n: number, given: unknown): number => {
    if (!Number.isSafeInteger(n) || n < min) throw new SettingValueError(`expected ${expected}, got ${describeValue(given)}`);
    return n;
  };
  const fromText = (text: string): number => check(text.trim() === "" ? Number.NaN : Number(text), text);
  return { describe: min === 1 ? "whole number ≥ 1" : "whole number ≥ 0", fromText, fromFile: (value) => (typeof value === "number" ? check(value, value) : fromText(scalarText(value, expected))) };
}

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);

export function booleanValue(): ValueType<boolean> {
  const fromText = (text: string): boolean => {
    const word = text.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    throw new SettingValueError(`expected true or false, got ${describeValue(text)}`);
  };
  return { describe: "true or false", isSwitch: true, fromText, fromFile: (value) => (typeof value === "boolean" ? value : fromText(scalarText(value, "true or false"))) };
}

export function choiceValue<C extends string>(choices: readonly C[]): ValueType<C> {
  const fromText = (text: string): C => {
    const found = choices.find((c) => c === text);
    if (found === undefined) throw new SettingValueError(`expected one of ${choices.join(", ")}, got ${describeValue(text)}`);
    return found;
  };
  return { describe: `one of ${choices.join(", ")}`, choices, fromText, fromFile: (value) => fromText(scalarText(value, `one of ${choices.join(", ")}`)) };
}

/** `24h`, `90m`, `3600s` or plain milliseconds (the --max-gap syntax). */
export function durationValue(): ValueType<number> {
  const fromText = (text: string): number => {
    try {
      return parseDuration(text);
    } catch (err) {
      throw new SettingValueError((err as Error).message);
    }
  };
  return { describe: "duration (24h, 90m, 3600s, ms)", fromText, fromFile: (value) => fromText(scalarText(value, "a duration")) };
}

/** Replay speed: "max", or a positive multiple of real time. */
export function speedValue(): ValueType<number | "max"> {
  const fromText = (text: string): number | "max" => {
    if (text === "max") return "max";
    const n = text.trim() === "" ? Number.NaN : Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new SettingValueError(`expected a positive number or "max", got ${describeValue(text)}`);
    return n;
  };
  return { describe: 'positive number or "max"', fromText, fromFile: (value) => fromText(scalarText(value, 'a positive number or "max"')) };
}

/** Lists hold at most this many items from one source: a list is typed by a person, never grown by input. */
export const MAX_LIST_ITEMS = 1_000;

/**
 * A repeatable setting. On the command line each occurrence adds (`a,b` adds two when `splitsCommas`); an environment
 * variable is always comma-separated; in the config file a list of strings or one comma-separated string.
 */
export function listValue(splitsCommas: boolean): ValueType<string[]> {
  const split = (text: string): string[] =>
    text
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
  const bounded = <I>(items: I[]): I[] => {
    if (items.length > MAX_LIST_ITEMS) throw new SettingValueError(`expected at most ${MAX_LIST_ITEMS} items, got ${items.length}`);
    return items;
  };
  return {
    describe: splitsCommas ? "list (comma-separated or repeated)" : "list (repeated; comma-separated in env)",
    list: { splitsCommas },
    fromText: (text) => bounded(split(text)),
    fromFile: (value) => {
      if (typeof value === "string") return bounded(split(value));
      if (!Array.isArray(value)) throw new SettingValueError(`expected a list of strings, got ${describeValue(value)}`);
      return bounded(value as unknown[]).map((item: unknown, i) => {
        if (typeof item !== "string" || item.trim().length === 0) throw new SettingValueError(`item ${i + 1}: expected a non-empty string, got ${describeValue(item)}`);
        return item.trim();
      });
    },
  };
}

const MAX_OPTION_DEPTH = 4;
const MAX_OPTION_KEYS = 100;

/** Copies a model-options value, bounded in depth and size, into fresh objects of its own keys. */
function copyOptionValue(value: unknown, path: string, depth: number): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) return value;
  if (depth >= MAX_OPTION_DEPTH) throw new SettingValueError(`${path}: nested deeper than ${MAX_OPTION_DEPTH} levels`);
  if (Array.isArray(value)) {
    if (value.length > MAX_OPTION_KEYS) throw new SettingValueError(`${path}: more than ${MAX_OPTION_KEYS} items`);
    return value.map((v: unknown, i) => copyOptionValue(v, `${path}[${i}]`, depth + 1));
  }
  if (typeof value !== "object") throw new SettingValueError(`${path}: expected a JSON value, got ${describeValue(value)}`);
  const keys = Object.keys(value);
  if (keys.length > MAX_OPTION_KEYS) throw new SettingValueError(`${path}: more than ${MAX_OPTION_KEYS} keys`);
  // Object.fromEntries defines own properties: a "__proto__" key stays a key, never the prototype.
  return Object.fromEntries(keys.map((key) => [key, copyOptionValue(Reflect.get(value, key), `${path}.${key}`, depth + 1)]));
}

/** A model's options (`summarizerOptions: {temperature: 0}`): an object of JSON values (JSON text in a variable). */
export function modelOptionsValue(): ValueType<Record<string, unknown>> {
  const fromFile = (value: unknown): Record<string, unknown> => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SettingValueError(`expected an object, got ${describeValue(value)}`);
    return copyOptionValue(value, "options", 0) as Record<string, unknown>;
  };
  return {
    describe: "object (JSON in a variable)",
    fromText: (text) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new SettingValueError("expected a JSON object");
      }
      return fromFile(parsed);
    },
    fromFile,
  };
}
