/**
 * Proves an issue's regression tests: every test tagged `[#ISSUE.N]` must pass on this tree and fail on the commit
 * before the fix. The base is checked out in a temporary worktree, this tree's tests (and their fixtures and helpers)
 * are copied over it, and the tagged tests run in both places.
 *
 *   npx tsx scripts/prove-regressions.ts --issue 14 --base 027badb [--pattern REGEX]
 *
 * Prints one row per item (tests, passing here, failing on the base) and lists any tagged test that passes on the
 * base: a regression test that cannot fail there proves nothing. Property tests (`[#ISSUE.prop]`) are left out by
 * default: some of them block the base for minutes on the very inputs that were fixed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { issue: { type: "string" }, base: { type: "string" }, pattern: { type: "string" } } });
if (values.issue === undefined || values.base === undefined) {
  console.error("usage: tsx scripts/prove-regressions.ts --issue N --base REV [--pattern REGEX]");
  process.exit(2);
}
const issue = values.issue;
const tag = new RegExp(`\\[#${issue}\\.([^\\]]+)\\]`);
const pattern = values.pattern ?? `\\[#${issue}\\.[0-9]`;
const here = execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).trim();

interface VitestJson {
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

/** Tagged test → status, from a vitest JSON report of `dir`. */
function runTagged(dir: string): Map<string, string> {
  const out = join(mkdtempSync(join(tmpdir(), "prove-")), "report.json");
  spawnSync("npx", ["vitest", "run", "-t", pattern, "--reporter=json", `--outputFile=${out}`, "--coverage.enabled=false"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  const report = JSON.parse(readFileSync(out, "utf8")) as VitestJson;
  const statuses = new Map<string, string>();
  for (const file of report.testResults) {
    const name = file.name.slice(dir.length + 1);
    for (const a of file.assertionResults) if (tag.test(a.fullName) && a.status !== "skipped") statuses.set(`${name} :: ${a.fullName}`, a.status);
  }
  return statuses;
}

const merged = runTagged(here);
const baseDir = join(mkdtempSync(join(tmpdir(), "prove-base-")), "tree");
execFileSync("git", ["worktree", "add", "--detach", baseDir, values.base], { cwd: here, stdio: "ignore" });
try {
  symlinkSync(join(here, "node_modules"), join(baseDir, "node_modules"));
  const tests = execFileSync("git", ["ls-files", "test", "src"], { cwd: here, encoding: "utf8" })
    .split("\n")
    .filter((f) => f.startsWith("test/") || f.endsWith(".test.ts"));
  for (const f of tests) cpSync(join(here, f), join(baseDir, f));
  cpSync(join(here, "vitest.config.ts"), join(baseDir, "vitest.config.ts"));
  const base = runTagged(baseDir);

  const rows = new Map<string, { tests: number; passHere: number; failBase: number }>();
  const provesNothing: string[] = [];
  for (const [name, status] of merged) {
    const item = (tag.exec(name) as RegExpExecArray)[1] as string;
    const row = rows.get(item) ?? { tests: 0, passHere: 0, failBase: 0 };
    row.tests++;
    if (status === "passed") row.passHere++;
    // A test absent from the base report failed to load there (its module did not exist yet): it fails.
    if (base.get(name) !== "passed") row.failBase++;
    else provesNothing.push(name);
    rows.set(item, row);
  }
  console.log(`| item | tagged tests | pass here | fail on ${values.base} |\n|---|---:|---:|---:|`);
  const items = [...rows.keys()].sort((a, b) => (Number(a) || Infinity) - (Number(b) || Infinity) || a.localeCompare(b));
  for (const item of items) {
    const r = rows.get(item) as { tests: number; passHere: number; failBase: number };
    console.log(`| ${item} | ${r.tests} | ${r.passHere} | ${r.failBase} |`);
  }
  const failingHere = [...merged].filter(([, s]) => s !== "passed").map(([n, s]) => `${s}: ${n}`);
  if (failingHere.length > 0) console.log(`\nnot passing here:\n${failingHere.join("\n")}`);
  if (provesNothing.length > 0) console.log(`\npassing on the base too (they prove nothing):\n${provesNothing.join("\n")}`);
  process.exitCode = failingHere.length > 0 || provesNothing.length > 0 ? 1 : 0;
} finally {
  execFileSync("git", ["worktree", "remove", "--force", baseDir], { cwd: here, stdio: "ignore" });
}
