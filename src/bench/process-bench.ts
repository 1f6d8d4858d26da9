import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { openChatInput } from "../sources/file-source.js";
import { median, round3 } from "./latency-stats.js";

/** One timed run of a whole process: wall time from spawn to exit, and its own CPU time and peak RSS. */
export interface ProcessRun {
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
  code: number | null;
  /** The run's "processed N messages" line, when it printed one. */
  messages?: number;
}

/**
 * Preloaded (`node --import`) into a process timed from outside: at exit it writes that process's own CPU time and
 * peak RSS to the file named by CHATSTREAM_BENCH_EXIT_REPORT. Plain JavaScript, written beside the report, so bare
 * node loads it as readily as chatstream from dist or through tsx.
 */
const EXIT_REPORT_SOURCE = `import { writeFileSync } from "node:fs";
process.on("exit", () => {
  const cpu = process.cpuUsage();
  writeFileSync(process.env.CHATSTREAM_BENCH_EXIT_REPORT, JSON.stringify({ userMs: cpu.user / 1000, systemMs: cpu.system / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
});
`;

/**
 * Runs `command` (the node binary, its options, then the script, if any) and times it from outside. The exit-report
 * preload goes in after node's options, so the process reports its own CPU and peak RSS.
 */
export async function timeProcess(command: readonly string[], args: readonly string[]): Promise<ProcessRun> {
  const dir = mkdtempSync(join(tmpdir(), "chatstream-bench-"));
  const reportPath = join(dir, "exit.json");
  const preload = join(dir, "exit-report.mjs");
  writeFileSync(preload, EXIT_REPORT_SOURCE);
  const [exe, ...rest] = command as [string, ...string[]];
  // After node's own options (tsx must load first to read a .ts preload), before the script.
  const nodeArgs = rest.length === 0 ? ["--import", preload] : [...rest.slice(0, -1), "--import", preload, rest.at(-1) as string];
  const t0 = performance.now();
  const child = spawn(exe, [...nodeArgs, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CHATSTREAM_BENCH_EXIT_REPORT: reportPath, NO_COLOR: "1" } });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (c) => resolve(c));
  });
  const wallMs = performance.now() - t0;
  try {
    const own = JSON.parse(readFileSync(reportPath, "utf8")) as { userMs: number; systemMs: number; maxRssMB: number };
    const processed = /processed ([\d,]+) messages/.exec(stderr)?.[1];
    const run: ProcessRun = { wallMs: round3(wallMs), cpuMs: round3(own.userMs + own.systemMs), maxRssMB: Math.round(own.maxRssMB), code };
    if (processed !== undefined) run.messages = Number(processed.replace(/,/g, ""));
    if (code !== 0) throw new Error(`exit ${code}`);
    return run;
  } catch (err) {
    throw new Error(`chatstream bench: ${[...command, ...args].join(" ")} failed (${(err as Error).message}): ${stderr.trim().split("\n").at(-1) ?? ""}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Read and decode only, in this process: the floor a whole run is compared with (best of `passes`). */
export async function readFloor(path: string, passes = 3): Promise<{ wallMs: number; cpuMs: number; messages: number }> {
  let best = { wallMs: Infinity, cpuMs: Infinity, messages: 0 };
  for (let i = 0; i < passes; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const input = await openChatInput({ path, arrivalTime: () => 0 });
    let messages = 0;
    for await (const batch of input.batches()) messages += batch.length;
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    best = { wallMs: Math.min(best.wallMs, wallMs), cpuMs: Math.min(best.cpuMs, cpuMs), messages };
  }
  return { wallMs: round3(best.wallMs), cpuMs: round3(best.cpuMs), messages: best.messages };
}

const machine = (): { cpus: number; model: string; loadAverage: number[] } => ({ cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", loadAverage: loadavg().map((x) => round3(x)) });

export interface CliBenchReport {
  benchmark: "cli";
  date: string;
  node: string;
  machine: ReturnType<typeof machine>;
  command: string;
  input: string;
  messages: number;
  runs: ProcessRun[];
  /** Best run (min of N): wall and CPU. */
  best: { wallMs: number; cpuMs: number; maxRssMB: number };
  messagesPerSecond: number;
  /** Read + decode only, in the bench's process, best of 3; the whole run as a multiple of it. */
  floor: { wallMs: number; cpuMs: number; messages: number; messagesPerSecond: number };
  ratio: { wall: number; cpu: number };
}

/**
 * `chatstream run -i FILE --speed max --sink SINK` as its own process, `runs` times: the whole process, start-up
 * included, as a user runs it; the parse-only floor is measured in the same bench run.
 */
export async function runCliBench(options: { command: readonly string[]; input: string; runs: number; sink: string }): Promise<CliBenchReport> {
  const floor = await readFloor(options.input);
  const args = ["run", "-i", options.input, "--speed", "max", "--sink", options.sink, "--no-progress"];
  const runs: ProcessRun[] = [];
  for (let i = 0; i < options.runs; i++) runs.push(await timeProcess(options.command, args));
  const bestWall = Math.min(...runs.map((r) => r.wallMs));
  const bestCpu = Math.min(...runs.map((r) => r.cpuMs));
  const messages = runs[0]?.messages ?? floor.messages;
  return {
    benchmark: "cli",
    date: new Date().toISOString(),
    node: process.version,
    machine: machine(),
    command: [...options.command.slice(1), ...args].join(" "),
    input: basename(options.input),
    messages,
    runs,
    best: { wallMs: bestWall, cpuMs: bestCpu, maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)) },
    messagesPerSecond: Math.round(messages / (bestWall / 1000)),
    floor: { ...floor, messagesPerSecond: Math.round(floor.messages / (floor.wallMs / 1000)) },
    ratio: { wall: round3(bestWall / floor.wallMs), cpu: round3(bestCpu / floor.cpuMs) },
  };
}

export interface StartupBenchReport {
  benchmark: "startup";
  date: string;
  node: string;
  machine: ReturnType<typeof machine>;
  command: string;
  runs: number;
  chatstream: { minWallMs: number; medianWallMs: number; minCpuMs: number; maxRssMB: number };
  bareNode: { minWallMs: number; medianWallMs: number; minCpuMs: number; maxRssMB: number };
}

function summarize(runs: ProcessRun[]): StartupBenchReport["chatstream"] {
  return {
    minWallMs: round3(Math.min(...runs.map((r) => r.wallMs))),
    medianWallMs: round3(median(runs.map((r) => r.wallMs))),
    minCpuMs: round3(Math.min(...runs.map((r) => r.cpuMs))),
    maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)),
  };
}

/** Start-up: `run -i tiny.jsonl --speed max` on a 10-message file, against bare `node -e 0`; min of `runs` each. */
export async function runStartupBench(options: { command: readonly string[]; runs: number }): Promise<StartupBenchReport> {
  const dir = mkdtempSync(join(tmpdir(), "chatstream-startup-"));
  const tiny = join(dir, "tiny.jsonl");
  writeFileSync(tiny, Array.from({ length: 10 }, (_, i) => JSON.stringify({ t: 1000 + i * 100, user: `u${i}`, text: ["NA FANGAYS", "Clown 9 Lul", "Lol", "gg"][i % 4], platform: "twitch" })).join("\n") + "\n");
  const args = ["run", "-i", tiny, "--speed", "max", "--sink", "jsonl:/dev/null"];
  try {
    // One untimed run of each first: the file cache, not start-up, is what a first run measures.
    await timeProcess(options.command, args);
    await timeProcess([process.execPath], ["-e", "0"]);
    const chatstream: ProcessRun[] = [];
    const bare: ProcessRun[] = [];
    for (let i = 0; i < options.runs; i++) {
      chatstream.push(await timeProcess(options.command, args));
      bare.push(await timeProcess([process.execPath], ["-e", "0"]));
    }
    return {
      benchmark: "startup",
      date: new Date().toISOString(),
      node: process.version,
      machine: machine(),
      command: [...options.command.slice(1), "run", "-i", "tiny.jsonl", "--speed", "max", "--sink", "jsonl:/dev/null"].join(" "),
      runs: options.runs,
      chatstream: summarize(chatstream),
      bareNode: summarize(bare),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
