import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { pluginApi } from "../plugin.js";
import { assertReadableFile, UsageError } from "./usage-error.js";

/**
 * Loads each `--plugin FILE` in order: imports the ES module and calls its default export with the plugin API.
 * Any failure (a missing file, a module that throws on import, no default function, a registration refused) is a
 * UsageError naming the file, so the command stops in one line before any work starts.
 */
export async function loadPlugins(files: readonly string[]): Promise<void> {
  for (const file of files) {
    assertReadableFile(file, "--plugin");
    let mod: unknown;
    try {
      mod = await import(pathToFileURL(resolve(file)).href);
    } catch (err) {
      throw new UsageError(`plugin "${file}" failed to load: ${err instanceof Error ? err.message : String(err)}`);
    }
    const register = typeof mod === "object" && mod !== null ? (mod as { default?: unknown }).default : undefined;
    if (typeof register !== "function") throw new UsageError(`plugin "${file}" has no default export function (export default function (api) { … })`);
    try {
      await (register as (api: ReturnType<typeof pluginApi>) => unknown)(pluginApi(file));
    } catch (err) {
      throw new UsageError(`plugin "${file}" failed to register: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
