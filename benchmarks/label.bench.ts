// `chatstream label` end to end on one core: read JSON lines, parse, tokenize, score, serialize, write. The input is
// every English recording's messages as {"id","text"} lines, written to a temporary file for the run and deleted
// after (the shared data is never kept in the project); the output goes to a sink that discards it.
//
//   npm run bench:label          → benchmarks/reports/label.json
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
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
try {
  for (let run = 0; run <= RUNS; run++) {
    outputBytes = 0;
    const start = process.hrtime.bigint();
    const result = await labelCommand(models, createReadStream(input, { highWaterMark: 1 << 20 }), discard());
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.lines !== lines.length || result.errors !== 0) throw new Error(`label answered ${result.lines} lines with ${result.errors} errors for ${lines.length}`);
    if (run > 0) rates.push(result.lines / seconds); // run 0 warms the JIT up
    console.log(`${run === 0 ? "warm-up" : `run ${run}`}: ${Math.round(result.lines / seconds).toLocaleString("en")} msg/s (${seconds.toFixed(2)} s)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)] as number;
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
  floorPerSecond: FLOOR_PER_SECOND,
  pass: median >= FLOOR_PER_SECOND,
};
mkdirSync(new URL("./reports/", import.meta.url), { recursive: true });
writeFileSync(new URL("./reports/label.json", import.meta.url), JSON.stringify(report, null, 1) + "\n");
console.log(`label end to end: median ${report.medianPerSecond.toLocaleString("en")} msg/s over ${lines.length.toLocaleString("en")} messages (floor ${FLOOR_PER_SECOND.toLocaleString("en")})`);
