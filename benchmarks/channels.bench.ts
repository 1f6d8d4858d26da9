// Many distinct channels against the real server, measured from outside it. Starts
// `chatstream run --serve 127.0.0.1:0 --ingest --sink jsonl:/dev/null [--max-channels N]` as its own process,
// pushes CHANNELS distinct channels over /v1/ingest (one message each) while a probe channel keeps talking, and
// measures what a viewer and a scraper see: the gaps between the probe's snapshots on /v1/stream (2 Hz: 500 ms),
// /healthz latency, /metrics latency and size, and the server's RSS.
//
//   npx tsx benchmarks/channels.bench.ts [CHANNELS [MAX_CHANNELS|none [CLI]]]   (default 100000, the default cap)
//
// `none` runs without --max-channels (a build from before the cap: pass its src/cli.ts as CLI). Writes
// benchmarks/reports/channels.json (the last run's figures).
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";

const CHANNELS = Number(process.argv[2] ?? 100_000);
const CAP = process.argv[3] ?? "default";
const CLI = process.argv[4] ?? fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const FRAME = 500;
const STEADY_MS = 15_000;
const PROBE = "probe";

const args = ["--import", "tsx", CLI, "run", "--serve", "127.0.0.1:0", "--ingest", "--sink", "jsonl:/dev/null", ...(CAP === "none" || CAP === "default" ? [] : ["--max-channels", CAP])];
const server = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
const base = await new Promise<string>((resolve, reject) => {
  server.stderr.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
    const m = /serving on (http:\/\/\S+)/.exec(stderr);
    if (m?.[1]) resolve(m[1]);
  });
  server.once("exit", (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
});

const rssMB = (): number => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1] ?? 0) / 1024);
const now = (): number => performance.now();
const pct = (xs: number[], p: number): number => (xs.length === 0 ? NaN : Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number));

// The probe's snapshots, as a viewer receives them.
const arrivals: number[] = [];
const stream = new WebSocket(`${base.replace("http", "ws")}/v1/stream?channel=${PROBE}&levels=snapshot`);
stream.on("message", (d: Buffer) => {
  if ((JSON.parse(d.toString()) as { type?: string }).type === "snapshot") arrivals.push(now());
});
await new Promise((r) => stream.once("open", r));

interface Probe {
  at: number;
  ms: number;
  bytes?: number;
}
const health: Probe[] = [];
const metrics: Probe[] = [];
let measuring = true;
async function poll(path: string, every: number, timeoutMs: number, into: Probe[]): Promise<void> {
  while (measuring) {
    const t0 = now();
    try {
      const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      into.push({ at: t0, ms: now() - t0, bytes: body.length });
    } catch {
      into.push({ at: t0, ms: timeoutMs });
    }
    await new Promise((r) => setTimeout(r, Math.max(0, every - (now() - t0))));
  }
}
const polls = [poll("/healthz", 200, 10_000, health), poll("/metrics", 2_000, 20_000, metrics)];

const ingest = new WebSocket(`${base.replace("http", "ws")}/v1/ingest`);
await new Promise((r) => ingest.once("open", r));
const push = (items: unknown[]): Promise<{ ok: boolean; accepted: number }> =>
  new Promise((resolve) => {
    ingest.once("message", (d: Buffer) => resolve(JSON.parse(d.toString()) as { ok: boolean; accepted: number }));
    ingest.send(JSON.stringify(items));
  });

const start = now();
let sent = 0;
while (sent < CHANNELS) {
  const items = [{ user: "p", text: "still here", channel: PROBE }, ...Array.from({ length: Math.min(FRAME, CHANNELS - sent) }, (_, i) => ({ user: `v${sent + i}`, text: "hello from my channel", channel: `ch${sent + i}` }))];
  const answer = await push(items);
  sent += Math.max(0, answer.accepted - 1);
  if (!answer.ok) await new Promise((r) => setTimeout(r, 20));
  if (sent % 10_000 < FRAME) process.stderr.write(`pushed ${sent} in ${Math.round(now() - start)} ms (server RSS ${rssMB()} MB)\n`);
}
const pushedAt = now();
const pushMs = Math.round(pushedAt - start);
// Steady state: every channel exists (or was evicted); the probe keeps talking once a second.
const talk = setInterval(() => void push([{ user: "p", text: "still here", channel: PROBE }]), 1_000);
await new Promise((r) => setTimeout(r, STEADY_MS));
clearInterval(talk);
measuring = false;
await Promise.all(polls);
const rss = rssMB();
const steady = (xs: Probe[]): number[] => xs.filter((p) => p.at >= pushedAt).map((p) => p.ms);
const gaps = arrivals.filter((t) => t >= pushedAt).map((t, i, a) => (i === 0 ? NaN : t - (a[i - 1] as number))).filter((g) => !Number.isNaN(g));
const all = (xs: Probe[]): number[] => xs.map((p) => p.ms);
const result = {
  benchmark: "channels",
  node: process.version,
  date: new Date().toISOString(),
  cli: relative(process.cwd(), CLI),
  channels: CHANNELS,
  maxChannels: CAP,
  pushMs,
  steadySeconds: STEADY_MS / 1000,
  probeSnapshotGapMs: { p50: pct(gaps, 50), p99: pct(gaps, 99), max: Math.round(Math.max(...gaps)), count: gaps.length },
  healthzMs: { whilePushing: { p50: pct(all(health).slice(0, health.length - steady(health).length), 50), max: Math.round(Math.max(...all(health).slice(0, health.length - steady(health).length))) }, steady: { p50: pct(steady(health), 50), p99: pct(steady(health), 99), max: Math.round(Math.max(...steady(health))) } },
  metricsMs: { steady: { p50: pct(steady(metrics), 50), max: Math.round(Math.max(...steady(metrics))) }, bytes: metrics.at(-1)?.bytes ?? 0, timedOut: metrics.filter((m) => m.bytes === undefined).length },
  serverRssMB: rss,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
stream.close();
ingest.close();
server.kill("SIGTERM");
const dir = new URL("./reports/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL("channels.json", dir), JSON.stringify(result, null, 2) + "\n");
