/**
 * `npm run docs`: regenerates the documents that are built from a source committed beside them.
 * - docs/architecture.svg from docs/architecture.dot (Graphviz `dot`, Debian's `graphviz` package).
 * - docs/configuration.md from the settings table of the CLI (src/config/settings.ts).
 * A test (test/docs/generated-docs.test.ts) renders them again and fails when a committed copy has drifted.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CONFIGURATION_MD, renderArchitectureSvg, renderConfigurationMarkdown } from "./docs-render.js";

const svg = renderArchitectureSvg();
const out = fileURLToPath(new URL("../docs/architecture.svg", import.meta.url));
writeFileSync(out, svg);
process.stdout.write(`wrote ${out}\n`);

writeFileSync(CONFIGURATION_MD, renderConfigurationMarkdown());
process.stdout.write(`wrote ${CONFIGURATION_MD}\n`);
