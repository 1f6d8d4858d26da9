import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface PackedFile {
  path: string;
}

/**
 * The npm package as a user gets it: packed from this tree, installed into an empty folder from the npm cache
 * (`--offline`: `npm ci` filled it; tests talk only to loopback), and run with `npx chatstream demo`.
 */
describe("the npm package", () => {
  let scratch: string;
  let files: string[];
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "chatstream-pack-test-"));
    const packed = JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], { cwd: ROOT, encoding: "utf8" })) as { filename: string; files: PackedFile[] }[];
    files = (packed[0]?.files ?? []).map((f) => f.path);
    const app = join(scratch, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "empty-folder", private: true }));
    const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz")) ?? "";
    execFileSync("npm", ["install", "--offline", "--omit=dev", "--no-audit", "--no-fund", join(scratch, tarball)], { cwd: app, stdio: "ignore" });
  }, 180_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("holds the binary, the embedded models and the demo, and no tests, fixtures or shared data", () => {
    expect(files).toContain("dist/cli.js");
    expect(files).toContain("data/models/sentiment-embedded.json");
    expect(files.some((f) => f.startsWith("demo/"))).toBe(true);
    expect(files.filter((f) => /(^|\/)(test|tests|fixtures|benchmarks|scripts)\/|\.test\.|\.spec\./.test(f))).toEqual([]);
    // The shared data's recordings and labels never ship: the only data files are the project's own models and tables.
    expect(files.filter((f) => f.startsWith("data/") && !/^data\/(models\/[\w-]+\.json|[\w-]+\.json)$/.test(f))).toEqual([]);
  });

  it("`npx chatstream demo` from an empty folder runs the demo and exits 0 on SIGINT", async () => {
    const app = join(scratch, "app");
    // Its own process group, as a terminal's foreground job: Ctrl-C signals npx and chatstream alike.
    const child = spawn("npx", ["--offline", "chatstream", "demo", "--sink", "jsonl"], { cwd: app, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const records: unknown[] = [];
    let buffered = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        buffered += d.toString("utf8");
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const l of lines) records.push(JSON.parse(l));
        if (records.length >= 3) resolve();
      });
    });
    process.kill(-(child.pid ?? 0), "SIGINT");
    const { code, signal } = await exit;
    expect({ code, signal, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, signal: null, stderr: "" });
    expect(records.length).toBeGreaterThanOrEqual(3);
    expect(records.every((r) => typeof r === "object" && r !== null && "channel" in r)).toBe(true);
  }, 60_000);
});
