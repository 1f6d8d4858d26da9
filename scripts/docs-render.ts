/** Pure-ish renderers for the generated documents, shared by `npm run docs` and the drift test. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import type { SettingNames } from "../src/config/cli-options.js";
import { renderConfigurationReference } from "../src/config/reference-doc.js";
import { sentimentModelNames } from "../src/models/sentiment/registry.js";
import { summarizerNames } from "../src/models/summarizer/registry.js";
import { sinkNames } from "../src/sinks/registry.js";

export const ARCHITECTURE_DOT = fileURLToPath(new URL("../docs/architecture.dot", import.meta.url));

/** Whether Graphviz `dot` can be run here (CI installs Debian's graphviz; see scripts/test.sh). */
export function hasGraphviz(): boolean {
  try {
    execFileSync("dot", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** docs/architecture.dot rendered to SVG by `dot`, fed on stdin so the output names no local path. */
export function renderArchitectureSvg(): string {
  return execFileSync("dot", ["-Tsvg"], { input: readFileSync(ARCHITECTURE_DOT), encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
}

export const CONFIGURATION_MD = fileURLToPath(new URL("../docs/configuration.md", import.meta.url));

/** The built-in models and sinks, as `chatstream run --help` lists them without plugins. */
const BUILT_IN_NAMES: SettingNames = new Map([
  ["sentiment", sentimentModelNames],
  ["summarizer", summarizerNames],
  ["sink", sinkNames],
]);

/** docs/configuration.md from the settings table the CLI builds its flags from (src/config/settings.ts). */
export function renderConfigurationMarkdown(): string {
  return renderConfigurationReference(BUILT_IN_NAMES);
}
