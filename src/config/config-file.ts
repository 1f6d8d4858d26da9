import { readFile, stat } from "node:fs/promises";
import { UsageError } from "../commands/usage-error.js";
import { describeFsError } from "../sources/byte-source.js";
import { SettingValueError } from "./setting.js";
import { SETTING_BY_KEY, SETTING_KEYS, type SettingKey, type Settings } from "./settings.js";

/** A config file larger than this is not a config file (a recording given by mistake): refused before parsing. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The settings a config file gives, validated: only the keys it names, each read by its setting's type. */
export class ConfigFile {
  constructor(
    /** As given (`--config FILE`), for messages. */
    readonly path: string,
    private readonly values: ReadonlyMap<SettingKey, unknown>,
  ) {}

  has(key: SettingKey): boolean {
    return this.values.has(key);
  }

  get<K extends SettingKey>(key: K): Settings[K] | undefined {
    // Each value was produced by SETTINGS[key].type.fromFile, whose type is Settings[K].
    return this.values.get(key) as Settings[K] | undefined;
  }

  keys(): SettingKey[] {
    return [...this.values.keys()];
  }
}

/** The keys whose value differs between two readings of a config file (given in one and not the other included), in table order. */
export function changedSettings(before: ConfigFile, after: ConfigFile): SettingKey[] {
  return SETTING_KEYS.filter((k) => before.has(k) !== after.has(k) || JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k)));
}

/** A config file that cannot be used, said in one line with where: `chatstream.yaml:3:1: unknown key "qeue" (did you mean "queue"?)`. */
export class ConfigError extends UsageError {}

/** Where in the parsed document a problem is: the key path, and whether the key itself or its value is wrong. */
export interface ConfigProblem {
  path: readonly string[];
  at: "key" | "value" | "document";
  message: string;
}

export type ConfigValidation = { ok: true; values: Map<SettingKey, unknown> } | { ok: false; problem: ConfigProblem };

/** A key as a message may quote it: at most 40 characters (control characters are cleaned where it is printed). */
function quoteKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

/** Lowercase, without `-` and `_`, and without a `CHATSTREAM_` prefix: `shed-policy`, `SHED_POLICY`, `CHATSTREAM_QUEUE` match. */
function foldKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/^chatstream_/, "")
    .replace(/[-_]/g, "");
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for the "did you mean" of an unknown key. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

const FILE_KEYS = SETTING_KEYS.filter((k) => SETTING_BY_KEY.get(k)?.inFile !== false);

/** The config key closest to an unknown one, when one is close enough to be what was meant. */
export function closestKey(unknown: string): SettingKey | undefined {
  if (unknown.length > 64) return undefined;
  const folded = foldKey(unknown);
  let best: { key: SettingKey; distance: number } | undefined;
  for (const key of FILE_KEYS) {
    const distance = foldKey(key) === folded ? 0 : editDistance(folded, foldKey(key));
    if (best === undefined || distance < best.distance) best = { key, distance };
  }
  return best !== undefined && best.distance <= Math.max(1, Math.floor(folded.length / 3)) ? best.key : undefined;
}

/**
 * Validates a parsed config document (not yet trusted: from JSON.parse or YAML) against the settings table, before
 * anything reads it: an object of known keys, each value of its setting's type. The first problem is the answer.
 */
export function validateConfig(document: unknown): ConfigValidation {
  const values = new Map<SettingKey, unknown>();
  // An empty YAML file is no settings at all.
  if (document === null || document === undefined) return { ok: true, values };
  if (typeof document !== "object" || Array.isArray(document)) {
    return { ok: false, problem: { path: [], at: "document", message: `expected a mapping of settings (${Array.isArray(document) ? "got a list" : `got ${typeof document}`})` } };
  }
  for (const key of Object.keys(document)) {
    const definition = SETTING_BY_KEY.get(key);
    if (definition === undefined) {
      const close = closestKey(key);
      return { ok: false, problem: { path: [key], at: "key", message: `unknown key ${quoteKey(key)}${close === undefined ? "" : ` (did you mean "${close}"?)`}` } };
    }
    if (definition.inFile === false) return { ok: false, problem: { path: [key], at: "key", message: `"${key}" cannot be set in the config file (use ${definition.flag?.replace(/ <.*$/, "") ?? "the command line"} or ${definition.env[0] ?? "a flag"})` } };
    try {
      values.set(key as SettingKey, definition.type.fromFile(Reflect.get(document, key)));
    } catch (err) {
      if (!(err instanceof SettingValueError)) throw err;
      return { ok: false, problem: { path: [key], at: "value", message: `${key}: ${err.message}` } };
    }
  }
  return { ok: true, values };
}

/** Which parser reads the file: JSON for `.json` (no YAML parser loaded, start-up stays lean), YAML otherwise. */
export function configFormat(path: string): "json" | "yaml" {
  return /\.json$/i.test(path) ? "json" : "yaml";
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split("\n").length;
  return `${line}:${offset - before.lastIndexOf("\n")}`;
}

/**
 * Where a problem sits in the text, as `line:column`, found with the YAML parser (JSON is YAML), loaded only on this
 * path: a valid file is never parsed twice.
 */
async function locate(text: string, problem: ConfigProblem): Promise<string | undefined> {
  if (problem.path.length === 0) return undefined;
  const { parseDocument, isMap, isScalar } = await import("yaml");
  const doc = parseDocument(text, { uniqueKeys: false });
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && String(p.key.value) === problem.path[0]);
  if (pair === undefined) return undefined;
  const node = problem.at === "value" && pair.value !== null && typeof pair.value === "object" && "range" in pair.value ? pair.value : pair.key;
  const range = node !== null && typeof node === "object" && "range" in node ? (node.range as [number, number, number] | undefined) : undefined;
  return range === undefined ? undefined : lineAndColumn(text, range[0]);
}

/** Parses the text of a config file (JSON or YAML by `format`) into a document, or throws a ConfigError naming the line. */
async function parseDocumentText(text: string, name: string, format: "json" | "yaml"): Promise<unknown> {
  if (format === "json") {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      const message = (err as Error).message;
      const position = /at position (\d+)/.exec(message)?.[1];
      const where = position === undefined ? "" : `${lineAndColumn(text, Number(position))}: `;
      throw new ConfigError(`${name}:${where === "" ? " " : where}not valid JSON (${message.replace(/ in JSON at position \d+.*$/, "")})`);
    }
  }
  const { parse, YAMLParseError } = await import("yaml");
  try {
    // No aliases: a config file has no use for them, and an alias bomb then cannot be one.
    return parse(text, { uniqueKeys: true, maxAliasCount: 0 }) as unknown;
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      throw new ConfigError(`${name}:${pos === undefined ? " " : `${pos.line}:${pos.col}: `}not valid YAML (${err.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "")})`);
    }
    throw new ConfigError(`${name}: not valid YAML (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Parses and validates a config file's text; a ConfigError says what is wrong and where. */
export async function parseConfigText(text: string, name: string, format: "json" | "yaml" = configFormat(name)): Promise<ConfigFile> {
  const document = await parseDocumentText(text, name, format);
  const result = validateConfig(document);
  if (!result.ok) {
    const where = await locate(text, result.problem);
    throw new ConfigError(`${name}:${where === undefined ? " " : `${where}: `}${result.problem.message}`);
  }
  return new ConfigFile(name, result.values);
}

/** Reads, parses and validates `--config FILE`. */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > MAX_CONFIG_BYTES) throw new ConfigError(`${path}: ${info.size} bytes is too large for a config file (at most ${MAX_CONFIG_BYTES})`);
    text = await readFile(path, "utf8");
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot read "${path}" (--config): ${describeFsError(err)}`);
  }
  return parseConfigText(text, path);
}
