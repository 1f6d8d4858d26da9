import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIGURATION_MD, hasGraphviz, renderArchitectureSvg, renderConfigurationMarkdown } from "../../scripts/docs-render.js";
import { parseConfigText } from "../../src/config/config-file.js";
import { SETTINGS, SETTING_KEYS } from "../../src/config/settings.js";

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

describe("docs/configuration.md and .env.example", () => {
  it("[#19.2] docs/configuration.md is what `npm run docs` renders from the settings table", () => {
    expect(renderConfigurationMarkdown()).toBe(readFileSync(CONFIGURATION_MD, "utf8"));
  });

  it("[#19.2] the reference's example config file is a valid config file", async () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readFileSync(CONFIGURATION_MD, "utf8"))?.[1];
    expect(yaml).toBeDefined();
    const file = await parseConfigText(yaml ?? "", "example.yaml");
    expect(file.keys().length).toBeGreaterThan(8);
  });

  it("[#19.2] .env.example lists every environment variable of the table, and no other CHATSTREAM_ variable", () => {
    const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const variables = SETTING_KEYS.flatMap((k) => SETTINGS[k].env);
    expect(variables.filter((v) => !listed.has(v))).toEqual([]);
    // Not settings of a run, but read by chatstream's scripts and terminal.
    // The broker roles (src/broker) read their own variables; they are not settings of run / demo yet.
    const others = ["CHATSTREAM_SHARED_DATA", "NO_COLOR", "CHATSTREAM_RELEASE_KEY", "CHATSTREAM_RELEASE_PUBKEY", "CHATSTREAM_BROKER", "CHATSTREAM_BROKER_CREDS", "CHATSTREAM_BROKER_TOKEN", "CHATSTREAM_BROKER_USER", "CHATSTREAM_BROKER_PASSWORD", "CHATSTREAM_BROKER_RETENTION_MS", "CHATSTREAM_BROKER_DUPLICATE_WINDOW_MS"];
    expect([...listed].filter((v) => v !== undefined && !variables.includes(v) && !others.includes(v))).toEqual([]);
  });
});
