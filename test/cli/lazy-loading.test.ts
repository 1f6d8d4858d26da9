import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));
const RECORDER = fileURLToPath(new URL("../fixtures/startup/record-packages.mjs", import.meta.url));

/** Packages a plain replay into JSON lines has no use for: each is loaded only when a flag needs it (issue 17, item 5). */
const ON_DEMAND = ["fastify", "@fastify/websocket", "@fastify/swagger", "@fastify/cors", "openai", "gpt-tokenizer", "ws", "ajv", "@sinclair/typebox", "prom-client", "log-update", "string-width", "cli-progress", "vader-sentiment", "stream-json", "yaml"];

function recording(): string {
  const path = join(mkdtempSync(join(tmpdir(), "chatstream-lazy-")), "tiny.jsonl");
  writeFileSync(path, Array.from({ length: 10 }, (_, i) => JSON.stringify({ t: i * 300, user: `u${i}`, text: "what a play" })).join("\n") + "\n");
  return path;
}

/** Runs the real CLI with the package recorder preloaded; returns the npm packages it loaded. */
function loadedPackages(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; packages: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", RECORDER, "--import", "tsx", CLI, ...args], { env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = /^loaded packages: (.*)$/m.exec(stderr)?.[1] ?? "";
      resolve({ code, packages: line.split(" ").filter(Boolean), stderr });
    });
  });
}

describe("start-up loads only what the flags need", () => {
  it("a replay into JSON lines loads no server, LLM, tokenizer, HUD, WebSocket or peer-model package", async () => {
    const r = await loadedPackages(["run", "-i", recording(), "--speed", "max", "--sink", "jsonl"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages).toContain("commander");
    expect(r.packages.filter((p) => ON_DEMAND.includes(p))).toEqual([]);
  });

  it("each flag loads its own packages: --sentiment vader, --summarizer openai:MODEL, --sink hud", async () => {
    const file = recording();
    const vader = await loadedPackages(["run", "-i", file, "--speed", "max", "--sink", "jsonl", "--sentiment", "vader"]);
    expect(vader.packages).toContain("vader-sentiment");
    // A server that refuses at once: the run goes on with the embedded headline, having loaded the client.
    const llm = await loadedPackages(["run", "-i", file, "--speed", "max", "--sink", "jsonl", "--summarizer", "openai:fake"], { OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "x" });
    expect(llm.code, llm.stderr).toBe(0);
    expect(llm.packages).toContain("openai");
    const hud = await loadedPackages(["run", "-i", file, "--speed", "max", "--sink", "hud"]);
    expect(hud.code, hud.stderr).toBe(0);
    expect(hud.packages).toEqual(expect.arrayContaining(["log-update", "string-width"]));
  });

  it("[#19.2] a JSON config file is read without the YAML parser; a YAML one loads it", async () => {
    const file = recording();
    const json = join(mkdtempSync(join(tmpdir(), "chatstream-lazy-")), "c.json");
    writeFileSync(json, JSON.stringify({ speed: "max", sink: ["jsonl"], queue: 50 }));
    const yaml = json.replace(/json$/, "yaml");
    writeFileSync(yaml, "speed: max\nsink: [jsonl]\nqueue: 50\n");
    const [fromJson, fromYaml] = await Promise.all([loadedPackages(["run", "-i", file, "--config", json]), loadedPackages(["run", "-i", file, "--config", yaml])]);
    expect(fromJson.code, fromJson.stderr).toBe(0);
    expect(fromJson.stderr).toContain("/50");
    expect(fromJson.packages.filter((p) => ON_DEMAND.includes(p))).toEqual([]);
    expect(fromYaml.code, fromYaml.stderr).toBe(0);
    expect(fromYaml.packages).toContain("yaml");
  });
});
