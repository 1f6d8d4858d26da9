import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Example {
  file: string;
  line: number;
  script: string;
}

/** Every ```sh runnable fence in README.md and docs/*.md, with where it starts. */
function runnableExamples(): Example[] {
  const files = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
  const out: Example[] = [];
  for (const file of files) {
    const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]?.trim() !== "```sh runnable") continue;
      const end = lines.findIndex((l, j) => j > i && l.trim() === "```");
      if (end < 0) throw new Error(`${file}:${i + 1}: runnable fence never closed`);
      out.push({ file, line: i + 1, script: lines.slice(i + 1, end).join("\n") });
      i = end;
    }
  }
  return out;
}

const examples = runnableExamples();

describe("runnable shell examples in the docs", () => {
  let cwd: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    // An empty folder with the demo beside it, and `chatstream` on PATH running this tree's CLI.
    cwd = mkdtempSync(join(tmpdir(), "chatstream-examples-"));
    symlinkSync(join(ROOT, "demo"), join(cwd, "demo"));
    const bin = join(cwd, ".bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "chatstream"), `#!/bin/sh\nexec "${join(ROOT, "node_modules", ".bin", "tsx")}" "${join(ROOT, "src", "cli.ts")}" "$@"\n`);
    chmodSync(join(bin, "chatstream"), 0o755);
    env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, NO_COLOR: "1" };
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("there are some", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((e) => [`${e.file}:${e.line}`, e] as const))("%s runs and exits 0", (_where, example) => {
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", example.script], { cwd, env, encoding: "utf8", timeout: 120_000 });
    expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({ status: 0, stderr: "" });
  }, 150_000);
});
