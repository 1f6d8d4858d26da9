// Whole-process throughput: `chatstream run -i FILE --speed max --sink jsonl` with its output to /dev/null, as the
// issue's "Must show" measures it, against the parse-only floor measured in the same run: a bare node process that
// reads the same file line by line and JSON-parses each line (start-up included in both). Each is run RUNS times,
// alternately; the report gives the minimum wall time and CPU time (user + system, read by the child itself at exit)
// of each, messages per second, and the ratios to the floor. The CLI is the built dist/cli.js (`npm run build` first).
//
//   npm run bench:replay [-- FILE [RUNS [CLI]]]     (default: the LoL Worlds day-2 replay, 3 runs, dist/cli.js)
//
// Writes benchmarks/reports/replay-throughput.json (replay-throughput-other.json for another build's CLI, e.g. a
// worktree of an older commit, to compare on the same machine at the same time).
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FILE = process.argv[2] ?? fileURLToPath(new URL("../../shared/data/chat/twitch-riotgames-lolworlds2016-day2.jsonl", import.meta.url));
const RUNS = Number(process.argv[3] ?? 3);
const ownCli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const CLI = process.argv[4] ?? ownCli;
if (!existsSync(CLI)) throw new Error("build first: npm run build");
if (!existsSync(FILE)) throw new Error(`no such recording: ${FILE}`);

const scratch = mkdtempSync(join(tmpdir(), "chatstream-replay-"));
// Preloaded into each child: its own CPU time, written to stderr as it exits.
const cpuProbe = join(scratch, "cpu-probe.cjs");
writeFileSync(cpuProbe, `process.on("exit", () => { const u = process.cpuUsage(); process.stderr.write("\\n@@cpu " + (u.user + u.system) + "\\n"); });\n`);
const floorScript = join(scratch, "parse-floor.mjs");
writeFileSync(
  floorScript,
  `import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
let n = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) {
  if (line.trim() === "") continue;
  const o = JSON.parse(line);
  if (typeof o === "object" && o !== null && typeof o.text === "string") n++;
}
process.stdout.write(String(n) + "\\n");
`,
);

interface Run {
  wallMs: number;
  cpuMs: number;
  stdout: string;
  stderr: string;
}
function timed(args: string[], toDevNull = false): Run {
  const devNull = toDevNull ? openSync("/dev/null", "w") : undefined;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--require", cpuProbe, ...args], { encoding: "utf8", maxBuffer: 1 << 20, stdio: ["ignore", devNull ?? "pipe", "pipe"] });
  if (devNull !== undefined) closeSync(devNull);
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const cpu = /@@cpu (\d+)/.exec(r.stderr);
  return { wallMs, cpuMs: Number(cpu?.[1] ?? NaN) / 1000, stdout: r.stdout, stderr: r.stderr };
}

const floor: Run[] = [];
const run: Run[] = [];
let messages = 0;
for (let i = 0; i < RUNS; i++) {
  const f = timed([floorScript, FILE]);
  messages = Number(f.stdout.trim());
  floor.push(f);
  run.push(timed([CLI, "run", "-i", FILE, "--speed", "max", "--sink", "jsonl"], true));
}
rmSync(scratch, { recursive: true, force: true });

const best = (xs: Run[], k: "wallMs" | "cpuMs"): number => Math.round(Math.min(...xs.map((x) => x[k])));
const result = {
  benchmark: "replay-throughput",
  node: process.version,
  date: new Date().toISOString(),
  loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  file: FILE.replace(/.*\/shared\//, "../shared/"),
  cli: CLI === ownCli ? "dist/cli.js" : CLI,
  runs: RUNS,
  messages,
  run: { wallMs: best(run, "wallMs"), cpuMs: best(run, "cpuMs"), msgPerSecond: Math.round(messages / (best(run, "wallMs") / 1000)), cpuMicrosPerMessage: Math.round((best(run, "cpuMs") * 1000) / messages * 10) / 10 },
  floor: { wallMs: best(floor, "wallMs"), cpuMs: best(floor, "cpuMs"), msgPerSecond: Math.round(messages / (best(floor, "wallMs") / 1000)) },
  ratioToFloor: { wall: Math.round((best(run, "wallMs") / best(floor, "wallMs")) * 10) / 10, cpu: Math.round((best(run, "cpuMs") / best(floor, "cpuMs")) * 10) / 10 },
  allRuns: { runWallMs: run.map((r) => Math.round(r.wallMs)), runCpuMs: run.map((r) => Math.round(r.cpuMs)), floorWallMs: floor.map((r) => Math.round(r.wallMs)), floorCpuMs: floor.map((r) => Math.round(r.cpuMs)) },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
const dir = new URL("./reports/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL(CLI === ownCli ? "replay-throughput.json" : "replay-throughput-other.json", dir), JSON.stringify(result, null, 2) + "\n");
