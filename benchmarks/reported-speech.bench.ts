// What reporting lines costs the embedded synthesizer: CPU time per dev window of the headline alone, with and
// without reported speech, and of `chatstream digest`'s whole path, in interleaved runs so that a busy neighbour
// slows both alike. CPU time (process.cpuUsage), not wall time: the machine is shared.
//
//   npm run bench:reported-speech      → benchmarks/reports/reported-speech.json
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { digestWindow } from "../src/commands/digest-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { DEFAULT_HEADLINE_STYLE, HeadlineSynthesizer } from "../src/models/summarizer/synthesizer/headline-synthesizer.js";

const WINDOWS = new URL("../../shared/data/windows/windows-dev.jsonl", import.meta.url).pathname;
const RUNS = 7;
// The floor for `chatstream digest` (windows per second on one core).
const FLOOR_PER_SECOND = 500;

if (!existsSync(WINDOWS)) {
  console.log(`reported-speech benchmark: ${WINDOWS} is absent; nothing to measure`);
  process.exit(0);
}
const windows = readFileSync(WINDOWS, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { messages: { t: number; user: string; text: string }[] });
const models = setUpModels({ summarizer: "embedded" });
const digests = windows.map((w) => digestWindow(models, w.messages).digest);
const without = new HeadlineSynthesizer(models.emotes, undefined, { ...DEFAULT_HEADLINE_STYLE, report: "none" });
const shipped = new HeadlineSynthesizer(models.emotes, undefined, DEFAULT_HEADLINE_STYLE);
const cases: Record<string, () => void> = {
  "headline, topic template only": () => digests.forEach((d) => without.summarizeWindow(d)),
  "headline, with reported speech (shipped)": () => digests.forEach((d) => shipped.summarizeWindow(d)),
  "digest path (tokenize … clusters), shipped": () => windows.forEach((w) => digestWindow(models, w.messages)),
};
const cpuMs = (f: () => void): number => {
  const s = process.cpuUsage();
  f();
  const u = process.cpuUsage(s);
  return (u.user + u.system) / 1000;
};
for (const f of Object.values(cases)) f(); // warm-up: JIT, caches, model files
const samples = new Map<string, number[]>(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < RUNS; r++) for (const [name, f] of Object.entries(cases)) samples.get(name)?.push(cpuMs(f));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rows = [...samples].map(([name, xs]) => ({ name, cpuMsPerWindow: median(xs) / windows.length, windowsPerCpuSecond: Math.round((1000 * windows.length) / median(xs)) }));
const digestRow = rows[rows.length - 1];
const report = { windows: windows.length, runs: RUNS, node: process.version, loadAverage: loadavg(), date: new Date().toISOString(), rows, floorPerSecond: FLOOR_PER_SECOND, meetsFloor: (digestRow?.windowsPerCpuSecond ?? 0) >= FLOOR_PER_SECOND };
mkdirSync("benchmarks/reports", { recursive: true });
writeFileSync("benchmarks/reports/reported-speech.json", JSON.stringify(report, null, 2) + "\n");
for (const r of rows) console.log(`${r.name.padEnd(46)} ${r.cpuMsPerWindow.toFixed(3)} ms CPU a window  ${r.windowsPerCpuSecond} windows/s`);
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(" / ")}; floor ${FLOOR_PER_SECOND} windows/s: ${report.meetsFloor ? "met" : "NOT met"}`);
