// Sentiment scoring throughput on one core, the embedded model side by side with its peers in the same run:
//  - score only: pre-tokenized messages in, three probabilities out (the hot-path cost of the model alone);
//  - tokenize + score: what the per-message stage pays.
// Each rate is given per wall-clock second and per second of the process's CPU time, with the load average, because
// wall time on a machine other jobs share understates the speed.
// Messages: every English recording in ../shared/data/chat (or a small built-in sample when that is absent).
//
//   npx tsx benchmarks/sentiment.bench.ts          → benchmarks/reports/sentiment.json
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { tokenize, type TokenizedText } from "../src/processing/tokenizer.js";
import { createSentimentModel, sentimentModelNames } from "../src/models/sentiment/registry.js";
import { chatStreams, NON_ENGLISH_STREAMS, readChat } from "../src/models/sentiment/shared-data.js";
import type { SentimentModel } from "../src/models/sentiment/sentiment-model.js";

const SAMPLE = 50_000;
const MIN_MS = 1500;
const FALLBACK = [
  "LUL LUL LUL", "BibleThump", "what time is it?", "this is not good", "GG WP", "ResidentSleeper", "PogChamp PogChamp",
  "he missed the jump LUL", "!uptime", "is this a new patch?", "NOOOOO", "that was actually insane play", "KEKW",
  "boring game tbh", "@someone you are so wrong lol", "😂😂😂", "lets goooo", "rip", "EZ Clap", "monkaS",
];

const emotes = builtinEmoteDictionary();
let texts: string[] = [];
for (const stream of chatStreams()) {
  if (NON_ENGLISH_STREAMS.includes(stream)) continue;
  for (const line of readChat(stream)) texts.push(line.text);
}
const source = texts.length > 0 ? "../shared/data/chat (English recordings)" : "built-in sample";
if (texts.length === 0) texts = FALLBACK;
// An even spread over all recordings, fixed, so runs compare.
const step = Math.max(1, Math.floor(texts.length / SAMPLE));
texts = texts.filter((_, i) => i % step === 0).slice(0, SAMPLE);
const tokens: TokenizedText[] = texts.map((t) => tokenize(t, emotes));

interface Rate {
  /** Messages per wall-clock second. */
  wall: number;
  /** Messages per second of this process's CPU time (user + system): steadier than wall time on a shared machine. */
  cpu: number;
}

function rate(run: () => number, count: number): Rate {
  run(); // warm-up
  let done = 0;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let ms = 0;
  while (ms < MIN_MS) {
    if (Number.isNaN(run())) throw new Error("NaN score");
    done += count;
    ms = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const used = process.cpuUsage(cpu);
  return { wall: done / (ms / 1000), cpu: done / ((used.user + used.system) / 1e6) };
}

function scoreOnly(model: SentimentModel): Rate {
  return rate(() => {
    let s = 0;
    for (let i = 0; i < texts.length; i++) s += model.score(texts[i]!, tokens[i]!).pos;
    return s;
  }, texts.length);
}

function tokenizeAndScore(model: SentimentModel): Rate {
  return rate(() => {
    let s = 0;
    for (let i = 0; i < texts.length; i++) s += model.score(texts[i]!, tokenize(texts[i]!, emotes)).pos;
    return s;
  }, texts.length);
}

const loadBefore = loadavg();
const tokenizeOnly = rate(() => {
  let s = 0;
  for (const t of texts) s += tokenize(t, emotes).tokens.length;
  return s;
}, texts.length);

const fmt = (v: number) => Math.round(v).toLocaleString("en");
const results: Record<string, { scoreOnlyPerSecond: number; scoreOnlyPerCpuSecond: number; tokenizeAndScorePerSecond: number; tokenizeAndScorePerCpuSecond: number }> = {};
for (const name of sentimentModelNames()) {
  const model = createSentimentModel(name, { emotes });
  const only = scoreOnly(model);
  const both = tokenizeAndScore(model);
  results[name] = { scoreOnlyPerSecond: Math.round(only.wall), scoreOnlyPerCpuSecond: Math.round(only.cpu), tokenizeAndScorePerSecond: Math.round(both.wall), tokenizeAndScorePerCpuSecond: Math.round(both.cpu) };
  console.log(`${name.padEnd(9)} score only ${fmt(only.wall).padStart(10)} msg/s (${fmt(only.cpu).padStart(10)} per CPU s)   tokenize+score ${fmt(both.wall).padStart(9)} msg/s (${fmt(both.cpu).padStart(9)} per CPU s)`);
}
const loadAfter = loadavg();
console.log(`tokenize only ${fmt(tokenizeOnly.wall)} msg/s (${fmt(tokenizeOnly.cpu)} per CPU s); load average ${loadBefore[0]!.toFixed(2)} → ${loadAfter[0]!.toFixed(2)} on ${cpus().length} cores`);
const embedded = results.embedded!.scoreOnlyPerSecond;
const vader = results.vader!.scoreOnlyPerSecond;
const embeddedCpu = results.embedded!.scoreOnlyPerCpuSecond;
const vaderCpu = results.vader!.scoreOnlyPerCpuSecond;
const report = {
  benchmark: "sentiment",
  node: process.version,
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? "unknown",
  cores: 1,
  messages: texts.length,
  source,
  loadAverage: { before: loadBefore[0], after: loadAfter[0], cores: cpus().length },
  tokenizeOnlyPerSecond: Math.round(tokenizeOnly.wall),
  tokenizeOnlyPerCpuSecond: Math.round(tokenizeOnly.cpu),
  models: results,
  embeddedOverVader: embedded / vader,
  floors: { embeddedScoreOnlyPerSecond: 200_000, embeddedOverVader: 10 },
  pass: embedded >= 200_000 && embedded / vader >= 10,
  // The same floors per second of CPU time: what "one core" means on a machine other jobs share.
  passPerCpuSecond: embeddedCpu >= 200_000 && embeddedCpu / vaderCpu >= 10,
};
mkdirSync(new URL("./reports/", import.meta.url), { recursive: true });
writeFileSync(new URL("./reports/sentiment.json", import.meta.url), JSON.stringify(report, null, 2) + "\n");
console.log(`embedded / vader = ${(embedded / vader).toFixed(1)}×; floors ${report.pass ? "met" : "NOT met"} per wall second, ${report.passPerCpuSecond ? "met" : "NOT met"} per CPU second; wrote benchmarks/reports/sentiment.json`);
