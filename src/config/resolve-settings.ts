import { UsageError } from "../commands/usage-error.js";
import type { ConfigFile } from "./config-file.js";
import { SettingValueError, type SettingOrigin, type SettingScope } from "./setting.js";
import { SETTINGS, SETTING_KEYS, type SettingKey, type Settings } from "./settings.js";

export interface ResolvedSettings {
  values: Settings;
  /** Where each value came from; `default` for a setting nothing gave. */
  origins: ReadonlyMap<SettingKey, SettingOrigin>;
  /** Who gave it, for messages: `--sentiment`, `CHATSTREAM_SENTIMENT`, the config file's path. */
  givenBy: ReadonlyMap<SettingKey, string>;
}

/** The first of a setting's variables that is set and not empty (an empty `FOO=` in a .env file is no value). */
function fromEnv(key: SettingKey, env: NodeJS.ProcessEnv): { name: string; text: string } | undefined {
  for (const name of SETTINGS[key].env) {
    const text = Object.hasOwn(env, name) ? env[name] : undefined;
    if (text !== undefined && text !== "") return { name, text };
  }
  return undefined;
}

function flagName(key: SettingKey): string {
  return SETTINGS[key].flag?.replace(/^-\w, /, "").replace(/ .*$/, "") ?? key;
}

/**
 * One setting, by precedence: a flag given on the command line (`flags`, already parsed by commander), else its
 * environment variable, else the config file, else its default. A variable that cannot be read is a UsageError
 * naming it.
 */
export function resolveSetting<K extends SettingKey>(key: K, flags: ReadonlyMap<SettingKey, unknown>, env: NodeJS.ProcessEnv, file: ConfigFile | undefined): { value: Settings[K]; origin: SettingOrigin; givenBy: string } {
  const definition = SETTINGS[key];
  if (flags.has(key)) return { value: flags.get(key) as Settings[K], origin: "flag", givenBy: flagName(key) };
  const variable = fromEnv(key, env);
  if (variable !== undefined) {
    try {
      return { value: definition.type.fromText(variable.text), origin: "env", givenBy: variable.name };
    } catch (err) {
      if (err instanceof SettingValueError) throw new UsageError(`${variable.name}: ${err.message}`);
      throw err;
    }
  }
  if (file?.has(key) === true) return { value: file.get(key) as Settings[K], origin: "file", givenBy: file.path };
  return { value: definition.default as Settings[K], origin: "default", givenBy: "default" };
}

/**
 * Every setting of a command (`run`, `demo`; the program's own, like --plugin, too) by precedence:
 * flag > environment variable > config file > default. Settings of other commands keep their defaults.
 */
export function resolveSettings(scope: SettingScope, flags: ReadonlyMap<SettingKey, unknown>, env: NodeJS.ProcessEnv, file: ConfigFile | undefined): ResolvedSettings {
  const values = new Map<SettingKey, unknown>();
  const origins = new Map<SettingKey, SettingOrigin>();
  const givenBy = new Map<SettingKey, string>();
  for (const key of SETTING_KEYS) {
    const scopes = SETTINGS[key].scopes;
    if (!scopes.includes(scope) && !scopes.includes("program")) {
      values.set(key, SETTINGS[key].default);
      origins.set(key, "default");
      continue;
    }
    const resolved = resolveSetting(key, flags, env, file);
    values.set(key, resolved.value);
    origins.set(key, resolved.origin);
    givenBy.set(key, resolved.givenBy);
  }
  // Every key of Settings was set above, each by its own definition's type.
  return { values: Object.fromEntries(values) as unknown as Settings, origins, givenBy };
}
