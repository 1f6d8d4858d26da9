import { InvalidArgumentError, Option, type Command } from "commander";
import { SettingValueError, type SettingDefinition, type SettingScope } from "./setting.js";
import { SETTINGS, SETTING_KEYS, type SettingKey } from "./settings.js";

/** Registered names a description lists (models and sinks a plugin may add to), by setting. */
export type SettingNames = ReadonlyMap<SettingKey, () => readonly string[]>;

/** A setting's description, with the registered names when it has some. */
export function describeSetting(key: SettingKey, names: SettingNames | undefined): string {
  const list = names?.get(key)?.();
  return list === undefined ? SETTINGS[key].description : `${SETTINGS[key].description} (${list.join(", ")})`;
}

/** commander's parser for a setting: the setting's own type, its complaint as commander's "invalid argument". */
function argParser<T>(definition: SettingDefinition<T>): (value: string, previous: unknown) => unknown {
  const read = (text: string): T => {
    try {
      return definition.type.fromText(text);
    } catch (err) {
      if (err instanceof SettingValueError) throw new InvalidArgumentError(err.message.replace(/, got .*$/, ""));
      throw err;
    }
  };
  const list = definition.type.list;
  if (list === undefined) return (value) => read(value);
  // Each occurrence adds: `--twitch a,b --twitch c`; a list that does not split keeps the value whole (a URL).
  return (value, previous) => [...(Array.isArray(previous) ? (previous as string[]) : []), ...(list.splitsCommas ? (read(value) as string[]) : [value])];
}

/** The commander option of a setting that has a flag. */
export function settingOption(key: SettingKey, names?: SettingNames): Option {
  const definition: SettingDefinition<unknown> = SETTINGS[key];
  if (definition.flag === undefined) throw new Error(`setting "${key}" has no flag`);
  const { type } = definition;
  const hasDefault = definition.default !== undefined && type.isSwitch !== true;
  const description = describeSetting(key, names) + (!hasDefault && type.isSwitch !== true && definition.defaultText !== undefined ? ` (default: ${definition.defaultText})` : "");
  const option = new Option(definition.flag, description);
  // The table's key is what the option is read by everywhere (file, env, docs): the flag must name it.
  if (option.attributeName() !== key) throw new Error(`setting "${key}": flag ${definition.flag} reads as "${option.attributeName()}"`);
  if (type.choices !== undefined) option.choices(type.choices);
  else if (type.isSwitch !== true) option.argParser(argParser(definition));
  if (hasDefault) option.default(definition.default, definition.defaultText);
  return option;
}

/** Adds the flags of every setting of `scope` to a command, in the table's order. */
export function addSettingOptions(command: Command, scope: SettingScope, names?: SettingNames): Command {
  for (const key of SETTING_KEYS) {
    const definition = SETTINGS[key];
    if (definition.flag !== undefined && definition.scopes.includes(scope)) command.addOption(settingOption(key, names));
  }
  return command;
}

/** The settings of `scope` given as flags on this command line (not commander's defaults), parsed. */
export function flagsGiven(command: Command, scope: SettingScope): Map<SettingKey, unknown> {
  const given = new Map<SettingKey, unknown>();
  for (const key of SETTING_KEYS) {
    const definition = SETTINGS[key];
    if (definition.flag !== undefined && definition.scopes.includes(scope) && command.getOptionValueSource(key) === "cli") given.set(key, command.getOptionValue(key));
  }
  return given;
}
