import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasGraphviz, renderArchitectureSvg } from "../../scripts/docs-render.js";

const graphviz = hasGraphviz();
if (!graphviz) console.warn("generated-docs: Graphviz `dot` not found (Debian package graphviz); the architecture diagram drift test is skipped");

describe("generated documents", () => {
  it.skipIf(!graphviz)("docs/architecture.svg is what `npm run docs` renders from docs/architecture.dot", () => {
    const committed = readFileSync(new URL("../../docs/architecture.svg", import.meta.url), "utf8");
    expect(renderArchitectureSvg()).toBe(committed);
  });

  it("docs/architecture.md shows the diagram and names every src/ folder", () => {
    const md = readFileSync(new URL("../../docs/architecture.md", import.meta.url), "utf8");
    expect(md).toContain("](architecture.svg)");
    expect(md).not.toContain("metrics later");
    const folders = readdirSync(new URL("../../src/", import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.length).toBeGreaterThan(5);
    expect(folders.filter((f) => !md.includes(`src/${f}`))).toEqual([]);
  });
});
