import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUntilSigint } from "../helpers/demo-until-sigint.js";

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

  it("the installed chatstream binary runs the demo and exits 0 on SIGINT, after its summary", async () => {
    const r = await demoUntilSigint(join(scratch, "app", "node_modules", ".bin", "chatstream"), ["demo", "--sink", "jsonl"], { cwd: join(scratch, "app") });
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
    expect(r.stderr).toMatch(/^processed \d+ messages in 1 channel/m);
    expect(r.records.every((x) => typeof x === "object" && x !== null && "channel" in x)).toBe(true);
  }, 60_000);

  it("`npx chatstream demo` from the empty folder runs and stops cleanly on SIGINT", async () => {
    const r = await demoUntilSigint("npx", ["--offline", "chatstream", "demo", "--sink", "jsonl"], { cwd: join(scratch, "app") });
    // chatstream stops gracefully (its summary is printed); npm re-raises the SIGINT it was sent itself, so npx's
    // own exit is the signal (a shell reports 130), never an error code of chatstream's.
    expect(r.stderr).toMatch(/^processed \d+ messages in 1 channel/m);
    expect(r.code === 0 || r.signal === "SIGINT").toBe(true);
    expect(r.records.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
