// The broker benchmark of issue 18: CHANNELS simulated channels pushed over the WebSocket ingest, through
// `chatstream ingest` → a real `nats-server -js` (started here on a free loopback port, its own temp store) → N
// `chatstream worker` processes → snapshots on snap.<channel> and the KV bucket; beside it, in the same run, the same
// load through the single-process mode (`run --serve --ingest`, the load harness of src/bench with its generator in
// another process). Every process is its own: the load generator (`chatstream bench generate`), the ingest, each
// worker, nats-server.
//
//   npm run bench:broker [-- --quick] [--rates 5000,10000,20000] [--channels 1000] [--duration 30s] [--warmup 8s]
//                        [--cost-rate 5000] [--workers 3] [--broker-only] [--out FILE] [--cpu-prof DIR]
//
// Figures (benchmarks/reports/broker.json, a table on stdout; docs/scale-out.md#benchmark):
// - offered against achieved: messages per second the generator sends, and chat messages per second applied by the
//   workers (the pipeline, single-process) over the measured interval;
// - end-to-end latency p95, as the issue 17 bench defines it: a snapshot's publication minus the later of its due time
//   and its newest message's arrival. The load is stamped on arrival at the ingest, so that is its due time, the
//   ingest's stream-time origin plus `t` (the ingest prints the origin in ms after the epoch); publication is when this
//   process receives it on snap.> (as `chatstream serve` would). Both on this machine's one system clock;
// - CPU per message of each topology: the workers' own `process.cpuUsage()` (their stats lines), the ingest's and
//   nats-server's from /proc/PID/stat, against the single process's own `process.cpuUsage()`;
// - per-worker cost, CPU seconds per 1,000 messages, at 1, 2 and 3 workers (--cost-rate).
//
// A 2-core machine cannot show wall-clock scaling with the broker, the generator and N workers sharing it: the
// per-worker CPU is the figure that predicts bigger machines. Reports the load average beside each run.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { brokerConfigFrom } from "../src/broker/broker-config.js";
import { connectBroker, type Broker } from "../src/broker/nats-broker.js";
import { encodeToken } from "../src/broker/subject-token.js";
import { formatBrokerTable, overheadOf, perWorkerCostOf, procStatCpuSeconds, workerCost, workerStatsLines, type BrokerBenchReport, type TopologyRun, type WorkerStatsLine } from "../src/bench/broker-bench.js";
import { syntheticLines } from "../src/bench/chat-lines.js";
import type { GeneratorReport, GeneratorSpec } from "../src/bench/ingest-generator.js";
import { DurationHistogram, round3 } from "../src/bench/latency-stats.js";
import { runLoadBench, selfCommand } from "../src/bench/load-bench.js";
import { busyChannelName, type LoadPlan } from "../src/bench/load-plan.js";
import type { Snapshot } from "../src/schema/output-schema.js";
import { parseDuration } from "../src/sources/time-guard.js";
import { startNatsServer, type NatsServer } from "../test/broker/nats-fixture.js";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes("--quick");
const CHANNELS = Number(flag("--channels") ?? (quick ? 100 : 1000));
const RATES = (flag("--rates") ?? (quick ? "1000" : "5000,10000,20000")).split(",").map(Number);
const DURATION_MS = parseDuration(flag("--duration") ?? (quick ? "8s" : "30s"));
const WARMUP_MS = parseDuration(flag("--warmup") ?? (quick ? "2s" : "8s"));
const COST_RATE = Number(flag("--cost-rate") ?? (quick ? 1000 : 5000));
const MAX_WORKERS = Number(flag("--workers") ?? 3);
// --broker-only: skip the single-process runs and the 1- and 2-worker cost runs (profiling one topology).
const BROKER_ONLY = args.includes("--broker-only");
const OUT = flag("--out") ?? (quick ? "/tmp/chatstream-broker-bench-quick.json" : "benchmarks/reports/broker.json");
const LINES = { synthetic: 50_000, seed: 17 };
const lines = syntheticLines(LINES.synthetic, LINES.seed);
const CLI = selfCommand();

const log = (line: string): void => void process.stderr.write(`bench:broker: ${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const load = (): number => round3(loadavg()[0] ?? 0);
const planFor = (rate: number): LoadPlan => ({ channels: CHANNELS, rate: rate / CHANNELS, quietChannels: 0, quietEveryMs: 60_000, durationMs: DURATION_MS, malformedEvery: 0 });

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

interface Child {
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** --cpu-prof DIR: the ingest and the workers write V8 CPU profiles there (where their CPU goes). */
const CPU_PROF = flag("--cpu-prof");

function start(argv: readonly string[], name: string, onLine?: (line: string) => void): Child {
  const profiled = CPU_PROF !== undefined && (argv[0] === "worker" || argv[0] === "ingest");
  const [exe, ...rest] = [...(profiled ? [CLI[0] as string, "--cpu-prof", "--cpu-prof-dir", CPU_PROF, ...CLI.slice(1)] : CLI), ...argv] as [string, ...string[]];
  const child = spawn(exe, rest, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let err = "";
  let partial = "";
  child.stderr?.on("data", (c: Buffer) => {
    const text = c.toString("utf8");
    err += text;
    partial += text;
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) onLine?.(line);
  });
  child.stdout?.resume();
  child.on("exit", (code, signal) => {
    if (code !== 0 && code !== null) log(`${name} exited ${code}: ${err.trim().split("\n").slice(-3).join(" | ")}`);
    else if (signal === "SIGKILL") log(`${name} killed`);
  });
  return {
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

function cpuOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    return procStatCpuSeconds(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return 0;
  }
}

/** The nats-server's pid: the fixture does not expose it, so it is found by its port on the command line. */
function natsPid(url: string): number | undefined {
  const port = new URL(url).port;
  const found = spawnSync("pgrep", ["-f", `nats-server -js -a 127.0.0.1 -p ${port} `], { encoding: "utf8" });
  const pid = Number(found.stdout.trim().split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function singleProcess(rate: number): Promise<TopologyRun> {
  const load0 = load();
  const r = await runLoadBench({ plan: planFor(rate), lines, linesSpec: LINES, clock: "real", generator: "process", warmupMs: WARMUP_MS, sampleEveryMs: 1000, eventLoop: false, log: (l) => log(`single: ${l}`) });
  const us = r.cpu.usPerMessage;
  return {
    topology: "single-process",
    workers: 0,
    channels: CHANNELS,
    offeredPerSecond: rate,
    achievedPerSecond: r.throughput.messagesPerSecond,
    generated: r.counts.generated,
    accepted: r.counts.processed + r.counts.shed,
    refused: r.counts.refused,
    processed: r.counts.processed,
    complete: r.counts.lost === 0 && r.counts.shed === 0,
    endToEndMs: r.endToEndMs,
    snapshots: r.snapshots,
    cpuUsPerMessage: { total: us, byProcess: { chatstream: us } },
    workerCosts: [],
    loadAverage: [load0, load()],
  };
}

async function brokered(rate: number, workers: number): Promise<TopologyRun> {
  const load0 = load();
  const nats: NatsServer = await startNatsServer();
  const children: Child[] = [];
  let broker: Broker | undefined;
  try {
    const pid = natsPid(nats.url);
    const statsAt: { lines: Map<string, WorkerStatsLine>; at: Map<string, number> } = { lines: new Map(), at: new Map() };
    const history: { at: number; line: WorkerStatsLine }[] = [];
    for (let i = 1; i <= workers; i++) {
      children.push(
        start(["worker", "--broker", nats.url, "--worker-id", `bench-${i}`, "--stats-every", "1s"], `worker ${i}`, (line) => {
          for (const s of workerStatsLines(line)) {
            statsAt.lines.set(s.worker, s);
            statsAt.at.set(s.worker, performance.now());
            history.push({ at: performance.now(), line: s });
          }
        }),
      );
    }
    broker = await connectBroker(brokerConfigFrom({ broker: nats.url, env: {} }), { name: "bench" });
    const members = broker.bucket("members");
    await until(`${workers} workers`, async () => {
      let n = 0;
      for await (const _k of await members.keys()) n++;
      return n >= workers;
    }, 120_000);
    // The channels are registered before any chat flows, so the workers hold their leases (and consumers) first.
    const register = broker.bucket("channels");
    const names = Array.from({ length: CHANNELS }, (_, c) => busyChannelName({ channels: CHANNELS }, c));
    for (let i = 0; i < names.length; i += 100) await Promise.all(names.slice(i, i + 100).map((n) => register.create(encodeToken(n), new TextEncoder().encode(n)).catch(() => 0)));
    await until("every channel leased", () => [...statsAt.lines.values()].reduce((n, s) => n + s.ownedChannels, 0) === CHANNELS && statsAt.lines.size === workers, 180_000);
    log(`${workers} worker(s) hold ${CHANNELS} channels`);

    let origin: number | undefined;
    let ingestUrl: string | undefined;
    const ingest = start(["ingest", "--broker", nats.url, "--serve", "127.0.0.1:0", "--ingest"], "ingest", (line) => {
      const o = /stream time 0 is (\d+) ms after the epoch/.exec(line);
      if (o !== null) origin = Number(o[1]);
      const u = /serving on (http:\/\/\S+)/.exec(line);
      if (u !== null) ingestUrl = u[1];
    });
    children.push(ingest);
    await until("the ingest listening", () => origin !== undefined && ingestUrl !== undefined, 60_000);

    const e2e = new DurationHistogram();
    let measuring = false;
    let snapshots = 0;
    const sub = broker.nc.subscribe("snap.>", {
      callback: (_e, m) => {
        if (!measuring) return;
        const s = m.json<Snapshot>();
        snapshots++;
        e2e.recordMs(performance.timeOrigin + performance.now() - ((origin as number) + s.t));
      },
    });

    const spec: GeneratorSpec = { url: `${(ingestUrl as string).replace(/^http/, "ws")}/v1/ingest`, plan: planFor(rate), lines: LINES };
    let out = "";
    const generator = start(["bench", "generate", "--spec", JSON.stringify(spec)], "generator");
    generator.child.stdout?.removeAllListeners("data");
    generator.child.stdout?.on("data", (c: Buffer) => (out += c.toString("utf8")));
    const generated = new Promise<GeneratorReport>((resolve, reject) => generator.child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "") as GeneratorReport) : reject(new Error(`generator exit ${code}: ${generator.stderr()}`)))));
    const t0 = performance.now();
    await sleep(WARMUP_MS);
    const cpu0 = { ingest: cpuOf(ingest.child.pid), nats: cpuOf(pid) };
    const from = new Map(statsAt.lines);
    const fromAt = new Map(statsAt.at);
    measuring = true;
    await sleep(Math.max(0, DURATION_MS - (performance.now() - t0)));
    measuring = false;
    const cpu1 = { ingest: cpuOf(ingest.child.pid), nats: cpuOf(pid) };
    // The stats line after the end of the interval: the workers print one a second.
    const endAt = performance.now();
    await until("a stats line after the interval", () => [...statsAt.lines.keys()].every((w) => history.some((h) => h.line.worker === w && h.at >= endAt)), 5_000).catch(() => undefined);
    const to = new Map(statsAt.lines);
    const toAt = new Map(statsAt.at);
    const report = await generated;
    const loadEnd = performance.now();
    const total = (): number => [...statsAt.lines.values()].reduce((n, s) => n + s.messages, 0);
    let complete = true;
    await until("every accepted message applied", () => total() >= report.accepted, 60_000).catch(() => (complete = false));
    const drainSeconds = round3((performance.now() - loadEnd) / 1000);
    sub.unsubscribe();
    const costs = [...to.values()].map((t) => workerCost(from.get(t.worker) ?? t, t));
    const measuredMessages = costs.reduce((n, c) => n + c.messages, 0);
    // Each worker's rate between its two stats lines (about the measured interval, to the second), summed.
    const achieved = [...to.values()].reduce((sum, t) => {
      const span = ((toAt.get(t.worker) ?? 0) - (fromAt.get(t.worker) ?? 0)) / 1000;
      return sum + (span > 0 ? (t.messages - (from.get(t.worker)?.messages ?? t.messages)) / span : 0);
    }, 0);
    const us = (s: number): number => (measuredMessages > 0 ? round3((s * 1e6) / measuredMessages) : 0);
    const byProcess: Record<string, number> = { ingest: us(cpu1.ingest - cpu0.ingest), "nats-server": us(cpu1.nats - cpu0.nats) };
    for (const c of costs) byProcess[c.worker] = us(c.cpuSeconds);
    await ingest.stop();
    const watermarks = Number(/(\d[\d,]*) watermarks through silence/.exec(ingest.stderr())?.[1]?.replace(/,/g, "") ?? 0);
    return {
      topology: "broker",
      workers,
      channels: CHANNELS,
      offeredPerSecond: rate,
      achievedPerSecond: Math.round(achieved),
      generated: report.generated,
      accepted: report.accepted,
      refused: report.rejected,
      processed: total(),
      complete: complete && report.rejected === 0,
      endToEndMs: e2e.summary("ms"),
      snapshots,
      cpuUsPerMessage: { total: round3(Object.values(byProcess).reduce((a, b) => a + b, 0)), byProcess },
      workerCosts: costs,
      watermarks,
      drainSeconds,
      loadAverage: [load0, load()],
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await broker?.close().catch(() => undefined);
    await nats.stop();
  }
}

const runs: TopologyRun[] = [];
const record = (r: TopologyRun): void => {
  runs.push(r);
  log(`${r.topology}${r.workers > 0 ? ` ×${r.workers}` : ""} at ${r.offeredPerSecond}/s: achieved ${r.achievedPerSecond}/s, e2e p95 ${r.endToEndMs.p95} ms, ${r.cpuUsPerMessage.total} µs CPU/msg, complete ${r.complete}; load ${r.loadAverage.join(" → ")}`);
};
const started = Date.now();
for (const rate of RATES) {
  if (!BROKER_ONLY) record(await singleProcess(rate));
  record(await brokered(rate, MAX_WORKERS));
}
if (!BROKER_ONLY) {
  for (let w = 1; w < MAX_WORKERS; w++) record(await brokered(COST_RATE, w));
  if (!RATES.includes(COST_RATE)) record(await brokered(COST_RATE, MAX_WORKERS));
}

const natsVersion = spawnSync("nats-server", ["--version"], { encoding: "utf8" }).stdout.trim();
const report: BrokerBenchReport = {
  benchmark: "broker",
  date: new Date().toISOString(),
  node: process.version,
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown" },
  natsServer: natsVersion.replace(/^nats-server: /, ""),
  command: `npm run bench:broker -- ${args.join(" ")}`.trim(),
  load: { channels: CHANNELS, durationSeconds: DURATION_MS / 1000, warmupSeconds: WARMUP_MS / 1000, lines: "synthetic" },
  runs,
  overhead: overheadOf(runs),
  perWorkerCost: perWorkerCostOf(runs).sort((a, b) => a.workers - b.workers),
};
mkdirSync("benchmarks/reports", { recursive: true });
writeFileSync(OUT, JSON.stringify(report, null, 2) + "\n");
process.stdout.write(formatBrokerTable(report));
log(`${Math.round((Date.now() - started) / 1000)} s in all; report in ${OUT}`);
