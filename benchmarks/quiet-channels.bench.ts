// Many quiet channels against the real server, measured from outside it. Starts
// `chatstream run --serve 127.0.0.1:0 --ingest --sink jsonl:/dev/null` as its own process (the built dist/cli.js
// when there is one, else src/cli.ts through tsx), pushes CHANNELS channels over /v1/ingest, then keeps every
// channel at one message a minute (a load generator in this process, round robin every 100 ms) and measures, over
// SECONDS of steady state: the server's own CPU time (utime + stime from /proc, what process.cpuUsage() reads
// inside it), snapshots published per channel (from /metrics, scraped before and after), and what a viewer of one
// quiet channel sees on /v1/stream: the gaps between its snapshots and their lag (arrival minus the snapshot's
// wall-clock time `ts`, which the pushed messages carry).
//
//   npx tsx benchmarks/quiet-channels.bench.ts [CHANNELS [SECONDS [CLI]]]     (default 10000 channels, 60 s)
//   SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=DIR" …                       (flags for the server process only)
//
// Writes benchmarks/reports/quiet-channels-CHANNELS.json.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";

const CHANNELS = Number(process.argv[2] ?? 10_000);
const SECONDS = Number(process.argv[3] ?? 60);
const built = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const CLI = process.argv[4] ?? (existsSync(built) ? built : fileURLToPath(new URL("../src/cli.ts", import.meta.url)));
const WARM_UP_MS = 20_000;
const PUSH_EVERY_MS = 100;
const PER_MINUTE = 60_000 / PUSH_EVERY_MS;
const PROBE = "ch0";

const loader = CLI.endsWith(".ts") ? ["--import", "tsx"] : [];
// Extra node flags for the server only, e.g. SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
const serverFlags = (process.env.SERVER_NODE_FLAGS ?? "").split(" ").filter((f) => f !== "");
const server = spawn(process.execPath, [...serverFlags, ...loader, CLI, "run", "--serve", "127.0.0.1:0", "--ingest", "--sink", "jsonl:/dev/null", "--max-channels", String(Math.max(10_000, CHANNELS))], { stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
const base = await new Promise<string>((resolve, reject) => {
  server.stderr.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
    const m = /serving on (http:\/\/\S+)/.exec(stderr);
    if (m?.[1]) resolve(m[1]);
  });
  server.once("exit", (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
});

const TICKS = 100; // USER_HZ: /proc/PID/stat times are in clock ticks
const cpuMs = (): number => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
};
const rssMB = (): number => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1] ?? 0) / 1024);
const pct = (xs: number[], p: number): number => (xs.length === 0 ? NaN : Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number));

const ingest = new WebSocket(`${base.replace("http", "ws")}/v1/ingest`);
await new Promise((r) => ingest.once("open", r));
const push = (items: unknown[]): Promise<{ ok: boolean; accepted: number }> =>
  new Promise((resolve) => {
    ingest.once("message", (d: Buffer) => resolve(JSON.parse(d.toString()) as { ok: boolean; accepted: number }));
    ingest.send(JSON.stringify(items));
  });
const message = (i: number): unknown => ({ user: `v${i}`, text: i % 3 === 0 ? "anyone here?" : i % 3 === 1 ? "hello chat" : "LUL", channel: `ch${i}`, ts: Date.now() });

// Every channel speaks once, then once a minute each, spread evenly.
const pushStart = performance.now();
for (let sent = 0; sent < CHANNELS; ) {
  const answer = await push(Array.from({ length: Math.min(1000, CHANNELS - sent) }, (_, k) => message(sent + k)));
  sent += answer.accepted;
  if (!answer.ok) await new Promise((r) => setTimeout(r, 20));
}
const pushMs = Math.round(performance.now() - pushStart);
let cursor = 0;
let pushed = 0;
const perTick = CHANNELS / PER_MINUTE;
let owed = 0;
const generator = setInterval(() => {
  owed += perTick;
  const n = Math.floor(owed);
  owed -= n;
  if (n === 0) return;
  const items = Array.from({ length: n }, () => message(cursor++ % CHANNELS));
  pushed += n;
  void push(items);
}, PUSH_EVERY_MS);

// A viewer of one quiet channel.
const lags: number[] = [];
const arrivals: number[] = [];
const stream = new WebSocket(`${base.replace("http", "ws")}/v1/stream?channel=${PROBE}&levels=snapshot`);
let measuring = false;
stream.on("message", (d: Buffer) => {
  const r = JSON.parse(d.toString()) as { type?: string; ts?: number };
  if (r.type !== "snapshot" || !measuring) return;
  arrivals.push(performance.now());
  if (typeof r.ts === "number") lags.push(Date.now() - r.ts);
});
await new Promise((r) => stream.once("open", r));

const snapshotCounts = async (): Promise<Map<string, number>> => {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^chatstream_snapshots_published_total\{channel="([^"]+)"\} (\d+)/gm)) counts.set(m[1] as string, Number(m[2]));
  return counts;
};

await new Promise((r) => setTimeout(r, WARM_UP_MS));
const before = await snapshotCounts();
const cpu0 = cpuMs();
const wall0 = performance.now();
measuring = true;
await new Promise((r) => setTimeout(r, SECONDS * 1000));
measuring = false;
const cpu1 = cpuMs();
const wall1 = performance.now();
const after = await snapshotCounts();
clearInterval(generator);
const seconds = (wall1 - wall0) / 1000;
const perChannel = [...after].filter(([c]) => before.has(c)).map(([c, n]) => (n - (before.get(c) as number)) / seconds);
const gaps = arrivals.map((t, i) => (i === 0 ? NaN : t - (arrivals[i - 1] as number))).filter((g) => !Number.isNaN(g));
const result = {
  benchmark: "quiet-channels",
  node: process.version,
  date: new Date().toISOString(),
  loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  cli: CLI.replace(fileURLToPath(new URL("..", import.meta.url)), ""),
  channels: CHANNELS,
  steadySeconds: Math.round(seconds * 10) / 10,
  pushAllMs: pushMs,
  messagesPerSecond: Math.round((pushed / ((performance.now() - pushStart) / 1000)) * 10) / 10,
  serverCpuPercentOfOneCore: Math.round(((cpu1 - cpu0) / (wall1 - wall0)) * 1000) / 10,
  serverCpuMicrosPerChannelSecond: Math.round(((cpu1 - cpu0) * 1000) / (CHANNELS * seconds) * 10) / 10,
  snapshotsPerChannelPerSecond: { channels: perChannel.length, min: Math.round(Math.min(...perChannel) * 100) / 100, max: Math.round(Math.max(...perChannel) * 100) / 100 },
  probe: { snapshots: arrivals.length, gapMs: { p50: pct(gaps, 50), p99: pct(gaps, 99), max: Math.round(Math.max(...gaps)) }, lagMs: { p50: pct(lags, 50), p95: pct(lags, 95), max: Math.round(Math.max(...lags)) } },
  serverRssMB: rssMB(),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
stream.close();
ingest.close();
server.kill("SIGTERM");
const dir = new URL("./reports/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL(`quiet-channels-${CHANNELS}.json`, dir), JSON.stringify(result, null, 2) + "\n");
