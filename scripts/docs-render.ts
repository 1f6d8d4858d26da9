/** Pure-ish renderers for the generated documents, shared by `npm run docs` and the drift test. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

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
