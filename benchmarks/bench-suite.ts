// The standard set of `chatstream bench` runs behind issue 17's "Must show", each in its own process of the built
// CLI (node dist/cli.js, built first), each writing its JSON report under benchmarks/reports/, then the bars.
//
//   npm run bench                       startup, cli, live, quiet, memory, curves (about 25 minutes)
//   npm run bench -- live quiet         only these
//   npm run soak                        both 60-minute real-time soaks (soak-20, soak-1000), one after the other
//   npm run soak:20, npm run soak:1000  one of them
//   npm run soak -- --duration 2m       a shorter soak (warm-up a quarter of it, at most 5 min), as soak-20-2m.json …
//   npm run soak:virtual                both soaks on virtual time (60 min of stream time; counts and heap, no latency)
//   npm run bench -- soak --recheck     the bars of the reports already written, without running anything
//
// Scenarios: see SCENARIOS below. Wall-clock figures depend on what else the machine runs: every report carries the
// load average at its start and end; CPU figures (process.cpuUsage) depend on it much less. The summary of the
// last run of each scenario, with its bars, is kept in benchmarks/reports/bench-summary.json.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { peakGrowthOf } from "../src/bench/latency-stats.js";
import type { LoadBenchReport } from "../src/bench/load-bench.js";
import type { CliBenchReport, StartupBenchReport } from "../src/bench/process-bench.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPORTS = fileURLToPath(new URL("./reports/", import.meta.url));
const CLI = `${ROOT}dist/cli.js`;
const SHARED = fileURLToPath(new URL("../../shared/data/chat/twitch-riotgames-lolworlds2016-day2.jsonl", import.meta.url));
const INPUT = existsSync(SHARED) ? ["-i", SHARED] : [];

/** One bar of the issue: a figure, the limit, and whether this run met it. */
interface Bar {
  figure: string;
  value: number;
  limit: string;
  met: boolean;
}

const atMost = (figure: string, value: number, limit: number): Bar => ({ figure, value, limit: `≤ ${limit}`, met: value <= limit });
const atLeast = (figure: string, value: number, limit: number): Bar => ({ figure, value, limit: `≥ ${limit}`, met: value >= limit });

/** RSS is flat after warm-up when it grows by no more than this per hour (about 3 % of a 300 MB process). */
const FLAT_MB_PER_HOUR = 10;

function loadBars(r: LoadBenchReport): Bar[] {
  return [
    atMost("queue high-water (messages)", r.queue.highWater, 1000),
    atMost("messages lost (generated − processed − shed − malformed − refused)", Math.abs(r.counts.lost), 0),
  ];
}

/** Peaks of the second half may exceed those of the first by this much (MB): a bounded cache's saw-tooth, no leak. */
const PEAK_GROWTH_MB = 5;

/** The second half's highest sample minus the first half's (from the samples, so older reports are read the same way). */
function peakGrowth(r: LoadBenchReport, key: "rssMB" | "heapMB"): number {
  const measured = r.memory.samples.filter((x) => x.t >= r.load.warmupSeconds).map((x) => x[key]);
  return Math.round(peakGrowthOf(measured) * 10) / 10;
}

function soakBars(r: LoadBenchReport): Bar[] {
  return [
    ...loadBars(r),
    atMost("RSS slope after warm-up (MB/h)", Math.abs(r.memory.rssSlopeMBPerHour), FLAT_MB_PER_HOUR),
    atMost("heap slope after warm-up (MB/h)", Math.abs(r.memory.heapSlopeMBPerHour), FLAT_MB_PER_HOUR),
    atMost("RSS peak, second half − first half (MB)", peakGrowth(r, "rssMB"), PEAK_GROWTH_MB),
    atMost("heap peak, second half − first half (MB)", peakGrowth(r, "heapMB"), PEAK_GROWTH_MB),
  ];
}

interface Scenario {
  /** `chatstream bench` arguments (the report path is added). */
  args: string[];
  /** Node's own flags for the child (--expose-gc: a full GC before each memory sample, virtual time only). */
  node?: string[];
  bars: (report: never, reports: ReadonlyMap<string, unknown>) => Bar[];
  /** Several runs whose reports are summed up by `bars` (memory: 1 and 100 channels). */
  runs?: { name: string; args: string[] }[];
}

const curveRates = [10, 100, 1000, 3000];
const curveChannels = [1, 10, 100, 1000];

const SCENARIOS = new Map<string, Scenario>([
  ["startup", { args: ["startup", "--runs", "20"], bars: (r: StartupBenchReport) => [atMost("start-up, min of 20 (ms)", r.chatstream.minWallMs, 300)] }],
  ["cli", { args: ["cli", ...INPUT, "--runs", "3"], bars: (r: CliBenchReport) => [atLeast("whole process --speed max (msg/s)", r.messagesPerSecond, 50_000)] }],
  [
    "live",
    {
      args: ["load", ...INPUT, "--rate", "1000", "--duration", "70s", "--warmup", "10s"],
      bars: (r: LoadBenchReport) => [
        atMost("end-to-end p95 (ms)", r.endToEndMs.p95, 50),
        atMost("end-to-end p99 (ms)", r.endToEndMs.p99, 100),
        atMost("snapshot assembly p99 (ms)", r.assemblyMs.p99, 5),
        atMost("event-loop delay p99 (ms)", r.eventLoopDelayMs?.p99 ?? Infinity, 10),
        atMost("largest snapshot gap (ms)", r.snapshotGapMs.max, 600),
        ...loadBars(r),
      ],
    },
  ],
  [
    "quiet",
    {
      // Every channel has spoken once by 60 s; the second half is measured.
      args: ["load", ...INPUT, "--channels", "0", "--quiet-channels", "10000", "--quiet-every", "60s", "--duration", "180s", "--warmup", "90s", "--generator", "process", "--no-event-loop-delay"],
      bars: (r: LoadBenchReport) => [
        atMost("chatstream CPU (% of one core)", r.cpu.percentOfOneCore, 25),
        atMost("channels with a snapshot gap over 600 ms", r.snapshotGapMs.channelsWithGap, 0),
        atLeast("slowest channel's snapshot rate (Hz)", r.snapshotGapMs.slowestChannelHz, 1.9),
        ...loadBars(r),
      ],
    },
  ],
  [
    "memory",
    {
      args: [],
      runs: [1, 100].map((k) => ({ name: `memory-${k}`, args: ["load", ...INPUT, "--rate", "recorded", "--channels", String(k), "--duration", "10m", "--warmup", "2m", "--clock", "virtual", "--sample-every", "5s"] })),
      bars: (_r: never, reports) => {
        const one = reports.get("memory-1") as LoadBenchReport;
        const hundred = reports.get("memory-100") as LoadBenchReport;
        return [atMost("(RSS(100) − RSS(1)) / 99 (MB per busy channel)", Math.round(((hundred.memory.rssSteadyMB - one.memory.rssSteadyMB) / 99) * 100) / 100, 2)];
      },
    },
  ],
  [
    "curves",
    {
      args: [],
      runs: [
        ...curveRates.map((rate) => ({ name: `curve-rate-${rate}`, args: ["load", ...INPUT, "--rate", String(rate), "--duration", "40s", "--warmup", "10s"] })),
        { name: "curve-rate-max", args: ["load", ...INPUT, "--rate", "max", "--messages", "200000", "--warmup", "0"] },
        ...curveChannels.map((k) => ({ name: `curve-channels-${k}`, args: ["load", ...INPUT, "--rate", "recorded", "--channels", String(k), "--duration", "40s", "--warmup", "10s"] })),
        ...[1000, 10000].map((q) => ({ name: `curve-quiet-${q}`, args: ["load", ...INPUT, "--channels", "0", "--quiet-channels", String(q), "--quiet-every", "60s", "--duration", "120s", "--warmup", "60s", "--generator", "process", "--no-event-loop-delay"] })),
      ],
      bars: () => [],
    },
  ],
  [
    "soak-20",
    {
      args: ["load", ...INPUT, "--rate", "20", "--duration", "60m", "--warmup", "5m", "--sample-every", "10s", "--malformed-every", "997"],
      bars: (r: LoadBenchReport) => [atMost("end-to-end p95 (ms; the seed's 200 ms)", r.endToEndMs.p95, 200), ...soakBars(r)],
    },
  ],
  [
    "soak-1000",
    {
      args: ["load", ...INPUT, "--rate", "1000", "--quiet-channels", "1000", "--quiet-every", "60s", "--duration", "60m", "--warmup", "5m", "--sample-every", "10s", "--malformed-every", "997"],
      bars: (r: LoadBenchReport) => soakBars(r),
    },
  ],
  [
    "soak-20-virtual",
    {
      node: ["--expose-gc"],
      args: ["load", ...INPUT, "--rate", "20", "--duration", "60m", "--warmup", "5m", "--sample-every", "60s", "--malformed-every", "997", "--clock", "virtual", "--sink", "none"],
      bars: (r: LoadBenchReport) => soakBars(r),
    },
  ],
  [
    "soak-1000-virtual",
    {
      node: ["--expose-gc"],
      args: ["load", ...INPUT, "--rate", "1000", "--quiet-channels", "1000", "--quiet-every", "60s", "--duration", "60m", "--warmup", "5m", "--sample-every", "60s", "--malformed-every", "997", "--clock", "virtual", "--sink", "none"],
      bars: (r: LoadBenchReport) => soakBars(r),
    },
  ],
]);

const STANDARD = ["startup", "cli", "live", "quiet", "memory", "curves"];

/** `--duration X`: the soaks run X instead of 60 minutes (warm-up a quarter of X, at most 5 minutes). */
const durationAt = process.argv.indexOf("--duration");
const SOAK_DURATION = durationAt === -1 ? undefined : process.argv[durationAt + 1];
if (SOAK_DURATION !== undefined && !/^\d+(ms|s|m|h)$/.test(SOAK_DURATION)) throw new Error(`--duration wants e.g. 2m or 90s, got "${SOAK_DURATION}"`);

const isSoak = (name: string): boolean => name.startsWith("soak-");
const reportPath = (name: string): string => `${REPORTS}${isSoak(name) ? `${name}${SOAK_DURATION === undefined ? "" : `-${SOAK_DURATION}`}` : `bench-${name}`}.json`;

/** A soak's arguments with --duration and --warmup for SOAK_DURATION. */
function soakArgs(args: readonly string[]): string[] {
  if (SOAK_DURATION === undefined) return [...args];
  const unitMs = new Map([["ms", 1], ["s", 1_000], ["m", 60_000], ["h", 3_600_000]]).get(SOAK_DURATION.replace(/^\d+/, "")) ?? NaN;
  const ms = Number(/^\d+/.exec(SOAK_DURATION)?.[0]) * unitMs;
  const warmup = `${Math.min(300, Math.floor(ms / 4_000))}s`;
  return args.map((a, i) => (args[i - 1] === "--duration" ? SOAK_DURATION : args[i - 1] === "--warmup" ? warmup : a));
}

/** `--recheck`: the bars of the reports already written, without running anything. */
const RECHECK = process.argv.includes("--recheck");

function runBench(name: string, args: string[], node: readonly string[] = []): Promise<unknown> {
  const out = reportPath(name);
  if (RECHECK) return Promise.resolve(JSON.parse(readFileSync(out, "utf8")) as unknown);
  process.stderr.write(`\n== ${name}: node dist/cli.js bench ${args.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...node, CLI, "bench", ...args, "--out", out], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(readFileSync(out, "utf8")) as unknown) : reject(new Error(`${name}: exit ${code}`))));
  });
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a, i, all) => a !== "--recheck" && a !== "--duration" && all[i - 1] !== "--duration");
  const names = asked.length === 0 ? STANDARD : asked.flatMap((a) => (a === "soak" ? ["soak-20", "soak-1000"] : a === "soak-virtual" ? ["soak-20-virtual", "soak-1000-virtual"] : [a]));
  for (const n of names) if (!SCENARIOS.has(n)) throw new Error(`unknown scenario "${n}" (known: ${[...SCENARIOS.keys()].join(", ")}, soak)`);
  if (INPUT.length === 0) process.stderr.write(`note: ${SHARED} not found; the loads replay the bundled demo stream instead\n`);
  if (!RECHECK) execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, "-p", `${ROOT}tsconfig.build.json`], { stdio: "inherit" });
  const summaryPath = `${REPORTS}bench-summary.json`;
  for (const name of names) {
    const scenario = SCENARIOS.get(name) as Scenario;
    const reports = new Map<string, unknown>();
    let main: unknown;
    if (scenario.runs === undefined) main = await runBench(name, isSoak(name) ? soakArgs(scenario.args) : scenario.args, scenario.node);
    else for (const run of scenario.runs) reports.set(run.name, await runBench(run.name, run.args));
    const bars = scenario.bars(main as never, reports);
    for (const b of bars) process.stderr.write(`  ${b.met ? "meets" : "MISSES"} ${b.figure}: ${b.value} (${b.limit})\n`);
    // Read again just before writing: another suite (the other soak) may have written its scenario meanwhile.
    const summary = (existsSync(summaryPath) ? JSON.parse(readFileSync(summaryPath, "utf8")) : {}) as Record<string, unknown>;
    summary[isSoak(name) && SOAK_DURATION !== undefined ? `${name}-${SOAK_DURATION}` : name] = { date: new Date().toISOString(), bars };
    writeFileSync(summaryPath, JSON.stringify(summary, null, 2) + "\n");
  }
}

await main();
