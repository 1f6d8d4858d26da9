// What a config file costs at start-up: `chatstream run` on a 10-message file with its settings as flags, from a JSON
// config file (read with JSON.parse) and from a YAML one (loads the `yaml` package), in turns so that a busy machine
// slows each the same. Each process reports its own CPU time (process.cpuUsage at exit), steadier than wall time on a
// shared machine. Runs the built CLI: `npm run build` first.
//
//   npm run bench:config-startup [-- RUNS]   → benchmarks/reports/config-startup.json
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
if (!existsSync(CLI)) {
  console.error("config-startup benchmark: dist/cli.js is missing; run `npm run build` first");
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 15);
const dir = mkdtempSync(join(tmpdir(), "chatstream-config-startup-"));
const chat = join(dir, "tiny.jsonl");
writeFileSync(chat, Array.from({ length: 10 }, (_, i) => JSON.stringify({ t: i * 300, user: `u${i}`, text: "what a play" })).join("\n") + "\n");
writeFileSync(join(dir, "c.json"), JSON.stringify({ speed: "max", sink: ["jsonl:/dev/null"], queue: 1000 }));
writeFileSync(join(dir, "c.yaml"), "speed: max\nsink: [jsonl:/dev/null]\nqueue: 1000\n");
const hook = join(dir, "cpu-at-exit.mjs");
writeFileSync(hook, `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => { const c = process.cpuUsage(); writeFileSync(process.env.CPU_OUT, String((c.user + c.system) / 1000)); });\n`);

const VARIANTS: Record<string, string[]> = {
  flags: ["--speed", "max", "--sink", "jsonl:/dev/null", "--queue", "1000"],
  "json config": ["--config", join(dir, "c.json")],
  "yaml config": ["--config", join(dir, "c.yaml")],
};
const cpu = new Map<string, number[]>(Object.keys(VARIANTS).map((k) => [k, []]));
const loadBefore = loadavg()[0] ?? 0;
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(VARIANTS)) {
    const out = join(dir, "cpu.txt");
    const r = spawnSync(process.execPath, ["--import", hook, CLI, "run", "-i", chat, ...args], { env: { ...process.env, CPU_OUT: out, NO_COLOR: "1" } });
    if (r.status !== 0) throw new Error(`${name}: exit ${r.status}: ${r.stderr.toString()}`);
    cpu.get(name)?.push(Number(readFileSync(out, "utf8")));
  }
}
rmSync(dir, { recursive: true, force: true });

const round = (v: number): number => Math.round(v * 10) / 10;
const figures = [...cpu].map(([name, values]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { variant: name, runs: values.length, minCpuMs: round(sorted[0] ?? 0), medianCpuMs: round(sorted[Math.floor(sorted.length / 2)] ?? 0) };
});
const report = { benchmark: "config-startup", command: "chatstream run -i tiny.jsonl (10 messages) --speed max --sink jsonl:/dev/null", loadAverage: { before: round(loadBefore), after: round(loadavg()[0] ?? 0) }, node: process.version, figures };
const reports = fileURLToPath(new URL("./reports/", import.meta.url));
mkdirSync(reports, { recursive: true });
writeFileSync(join(reports, "config-startup.json"), JSON.stringify(report, null, 2) + "\n");
for (const f of figures) console.log(`${f.variant.padEnd(12)} CPU min ${f.minCpuMs} ms, median ${f.medianCpuMs} ms (${f.runs} runs)`);
console.log(`load average ${report.loadAverage.before} → ${report.loadAverage.after}; benchmarks/reports/config-startup.json`);
