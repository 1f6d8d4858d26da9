// `chatstream label` end to end on one core: read JSON lines, parse, tokenize, score, serialize, write. The input is
// every English recording's messages as {"id","text"} lines, written to a temporary file for the run and deleted
// after (the shared data is never kept in the project); the output goes to a sink that discards it.
//
//   npm run bench:label          → benchmarks/reports/label.json
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { labelCommand } from "../src/commands/label-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { chatStreams, NON_ENGLISH_STREAMS, readChat } from "../src/models/sentiment/shared-data.js";

const FLOOR_PER_SECOND = 100_000;
const RUNS = 3;

const lines: string[] = [];
for (const stream of chatStreams()) {
  if (NON_ENGLISH_STREAMS.includes(stream)) continue;
  for (const m of readChat(stream)) lines.push(JSON.stringify({ id: lines.length, text: m.text }));
}
if (lines.length === 0) {
  console.log("label benchmark: ../shared/data/chat is absent; nothing to measure");
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), "chatstream-label-bench-"));
const input = join(dir, "messages.jsonl");
writeFileSync(input, lines.join("\n") + "\n");
const inputBytes = Buffer.byteLength(lines.join("\n")) + 1;

let outputBytes = 0;
const discard = (): Writable =>
  new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, done) {
      outputBytes += chunk.length;
      done();
    },
  });

const models = setUpModels({});
const rates: number[] = [];
// Messages per second of this process's CPU time (user + system): on a machine other jobs share, wall time counts
// the time the scheduler gave to them too, CPU time does not.
const cpuRates: number[] = [];
const loadBefore = loadavg();
try {
  for (let run = 0; run <= RUNS; run++) {
    outputBytes = 0;
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const result = await labelCommand(models, createReadStream(input, { highWaterMark: 1 << 20 }), discard());
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    if (result.lines !== lines.length || result.errors !== 0) throw new Error(`label answered ${result.lines} lines with ${result.errors} errors for ${lines.length}`);
    if (run > 0) {
      // run 0 warms the JIT up
      rates.push(result.lines / seconds);
      cpuRates.push(result.lines / cpuSeconds);
    }
    console.log(`${run === 0 ? "warm-up" : `run ${run}`}: ${Math.round(result.lines / seconds).toLocaleString("en")} msg/s (${seconds.toFixed(2)} s; ${Math.round(result.lines / cpuSeconds).toLocaleString("en")} per CPU s)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const loadAfter = loadavg();
const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const median = medianOf(rates);
const report = {
  benchmark: "label",
  node: process.version,
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? "unknown",
  messages: lines.length,
  inputMB: Math.round((inputBytes / 1e6) * 10) / 10,
  outputMB: Math.round((outputBytes / 1e6) * 10) / 10,
  runsPerSecond: rates.map((r) => Math.round(r)),
  medianPerSecond: Math.round(median),
  cpuRunsPerSecond: cpuRates.map((r) => Math.round(r)),
  medianPerCpuSecond: Math.round(medianOf(cpuRates)),
  loadAverage: { before: loadBefore[0], after: loadAfter[0], cores: cpus().length },
  floorPerSecond: FLOOR_PER_SECOND,
  pass: median >= FLOOR_PER_SECOND,
  // The floor per second of CPU time: what "one core" means on a machine other jobs share.
  passPerCpuSecond: medianOf(cpuRates) >= FLOOR_PER_SECOND,
};
mkdirSync(new URL("./reports/", import.meta.url), { recursive: true });
writeFileSync(new URL("./reports/label.json", import.meta.url), JSON.stringify(report, null, 1) + "\n");
console.log(`label end to end: median ${report.medianPerSecond.toLocaleString("en")} msg/s (${report.medianPerCpuSecond.toLocaleString("en")} per CPU s) over ${lines.length.toLocaleString("en")} messages (floor ${FLOOR_PER_SECOND.toLocaleString("en")}); load average ${loadBefore[0]!.toFixed(2)} → ${loadAfter[0]!.toFixed(2)} on ${cpus().length} cores`);
