// Whole-process throughput: `chatstream run -i FILE --speed max --sink jsonl` with its output to /dev/null, as the
// issue's "Must show" measures it, against the parse-only floor measured in the same run: a bare node process that
// reads the same file line by line and JSON-parses each line (start-up included in both). Each is run RUNS times,
// alternately; the report gives the minimum wall time and CPU time (user + system, read by the child itself at exit)
// of each, messages per second, and the ratios to the floor. The CLI is the built dist/cli.js (`npm run build` first).
//
//   npm run bench:replay [-- FILE [RUNS [CLI]]]     (default: the LoL Worlds day-2 replay, 3 runs, dist/cli.js)
//   npm run bench:replay -- --ceiling [FILE [RUNS [CLI]]]
//
// Writes benchmarks/reports/replay-throughput.json (replay-throughput-other.json for another build's CLI, e.g. a
// worktree of an older commit, to compare on the same machine at the same time). With --ceiling, the same command
// is also run with parts of it switched off (CHATSTREAM_BENCH_OFF, src/commands/bench-parts.ts), round-robin with
// the whole run, the start-up alone and the floor: what the rest of the pipeline costs with each part free
// (benchmarks/reports/replay-ceiling.json, the ceiling table of docs/performance.md).
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const ceiling = args[0] === "--ceiling";
if (ceiling) args.shift();
const FILE = args[0] ?? fileURLToPath(new URL("../../shared/data/chat/twitch-riotgames-lolworlds2016-day2.jsonl", import.meta.url));
const RUNS = Number(args[1] ?? 3);
const ownCli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const CLI = args[2] ?? ownCli;
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
function timed(args: string[], toDevNull = false, off = ""): Run {
  const devNull = toDevNull ? openSync("/dev/null", "w") : undefined;
  const t0 = performance.now();
  const env = { ...process.env, CHATSTREAM_BENCH_OFF: off };
  const r = spawnSync(process.execPath, ["--require", cpuProbe, ...args], { encoding: "utf8", maxBuffer: 1 << 20, stdio: ["ignore", devNull ?? "pipe", "pipe"], env });
  if (devNull !== undefined) closeSync(devNull);
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const cpu = /@@cpu (\d+)/.exec(r.stderr);
  return { wallMs, cpuMs: Number(cpu?.[1] ?? NaN) / 1000, stdout: r.stdout, stderr: r.stderr };
}

/** The ceiling table's rows: what is switched off (CHATSTREAM_BENCH_OFF), and what is left running. */
const CEILING_ROWS: { off: string; runs: string }[] = [
  { off: "sink", runs: "everything but the sink: records are made, not serialized or written" },
  { off: "rollup-headlines", runs: "everything but the roll-ups' headline writer (a fixed roll-up headline)" },
  { off: "headlines", runs: "everything but the headline writer (the gate still runs; a fixed headline)" },
  { off: "headlines,sink", runs: "windows, snapshots, roll-ups and their records, without headline writer or sink" },
  { off: "pipeline", runs: "decode and the per-message stage (tokenizer, bots, language, sentiment), no channel pipeline" },
  { off: "process", runs: "decode only: read, parse and clean each line" },
];
// The start-up alone: the CLI decoding a 10-message file (modules, models, the input opened and closed).
const tinyFile = join(scratch, "ten-messages.jsonl");
writeFileSync(tinyFile, readFileSync(FILE, "utf8").split("\n").slice(0, 10).join("\n") + "\n");
const runArgs = (file: string): string[] => [CLI, "run", "-i", file, "--speed", "max", "--sink", "jsonl"];

const floor: Run[] = [];
const run: Run[] = [];
const parts = new Map<string, Run[]>(CEILING_ROWS.map((r) => [r.off, []]));
const startup: Run[] = [];
let messages = 0;
for (let i = 0; i < RUNS; i++) {
  const f = timed([floorScript, FILE]);
  messages = Number(f.stdout.trim());
  floor.push(f);
  run.push(timed(runArgs(FILE), true));
  if (!ceiling) continue;
  for (const row of CEILING_ROWS) parts.get(row.off)?.push(timed(runArgs(FILE), true, row.off));
  startup.push(timed(runArgs(tinyFile), true, "process"));
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

if (ceiling) {
  // The start-up row reads 10 messages: its rates would say nothing, so it has none.
  const row = (label: string, off: string, runsOf: Run[], perMessage = true): Record<string, unknown> => ({
    off,
    runs: label,
    wallMs: best(runsOf, "wallMs"),
    cpuMs: best(runsOf, "cpuMs"),
    msgPerSecond: perMessage ? Math.round(messages / (best(runsOf, "wallMs") / 1000)) : null,
    cpuMicrosPerMessage: perMessage ? Math.round(((best(runsOf, "cpuMs") * 1000) / messages) * 10) / 10 : null,
    allWallMs: runsOf.map((r) => Math.round(r.wallMs)),
    allCpuMs: runsOf.map((r) => Math.round(r.cpuMs)),
  });
  const table = {
    benchmark: "replay-ceiling",
    node: process.version,
    date: result.date,
    loadAverage: { start: result.loadAverage, end: loadavg().map((x) => Math.round(x * 100) / 100) },
    file: result.file,
    cli: result.cli,
    runs: RUNS,
    messages,
    rows: [
      row("the whole run", "", run),
      ...CEILING_ROWS.map((r) => row(r.runs, r.off, parts.get(r.off) ?? [])),
      row("start-up alone: the CLI decoding a 10-message file", "process (10 messages)", startup, false),
      row("parse-only floor: bare node reading and JSON-parsing each line", "(not the CLI)", floor),
    ],
  };
  writeFileSync(new URL(CLI === ownCli ? "replay-ceiling.json" : "replay-ceiling-other.json", dir), JSON.stringify(table, null, 2) + "\n");
  for (const r of table.rows) process.stdout.write(`${String(r.off).padEnd(22)} ${String(r.wallMs).padStart(6)} ms wall ${String(r.cpuMs).padStart(6)} ms CPU ${String(r.msgPerSecond).padStart(8)} msg/s ${String(r.cpuMicrosPerMessage).padStart(6)} µs/msg  ${String(r.runs)}\n`);
}
