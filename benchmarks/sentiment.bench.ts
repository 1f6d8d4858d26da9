// Sentiment scoring throughput on one core, the embedded model side by side with its peers in the same run:
//  - score only: pre-tokenized messages in, three probabilities out (the hot-path cost of the model alone);
//  - tokenize + score: what the per-message stage pays.
// Messages: every English recording in ../shared/data/chat (or a small built-in sample when that is absent).
//
//   npx tsx benchmarks/sentiment.bench.ts          → benchmarks/reports/sentiment.json
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
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

function rate(run: () => number, count: number): number {
  run(); // warm-up
  let done = 0;
  const start = process.hrtime.bigint();
  let ms = 0;
  while (ms < MIN_MS) {
    if (Number.isNaN(run())) throw new Error("NaN score");
    done += count;
    ms = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return done / (ms / 1000);
}

function scoreOnly(model: SentimentModel): number {
  return rate(() => {
    let s = 0;
    for (let i = 0; i < texts.length; i++) s += model.score(texts[i]!, tokens[i]!).pos;
    return s;
  }, texts.length);
}

function tokenizeAndScore(model: SentimentModel): number {
  return rate(() => {
    let s = 0;
    for (let i = 0; i < texts.length; i++) s += model.score(texts[i]!, tokenize(texts[i]!, emotes)).pos;
    return s;
  }, texts.length);
}

const tokenizeOnly = rate(() => {
  let s = 0;
  for (const t of texts) s += tokenize(t, emotes).tokens.length;
  return s;
}, texts.length);

const results: Record<string, { scoreOnlyPerSecond: number; tokenizeAndScorePerSecond: number }> = {};
for (const name of sentimentModelNames()) {
  const model = createSentimentModel(name, { emotes });
  results[name] = { scoreOnlyPerSecond: Math.round(scoreOnly(model)), tokenizeAndScorePerSecond: Math.round(tokenizeAndScore(model)) };
  console.log(`${name.padEnd(9)} score only ${results[name]!.scoreOnlyPerSecond.toLocaleString("en").padStart(12)} msg/s   tokenize+score ${results[name]!.tokenizeAndScorePerSecond.toLocaleString("en").padStart(10)} msg/s`);
}
console.log(`tokenize only ${Math.round(tokenizeOnly).toLocaleString("en")} msg/s`);
const embedded = results.embedded!.scoreOnlyPerSecond;
const vader = results.vader!.scoreOnlyPerSecond;
const report = {
  benchmark: "sentiment",
  node: process.version,
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? "unknown",
  cores: 1,
  messages: texts.length,
  source,
  tokenizeOnlyPerSecond: Math.round(tokenizeOnly),
  models: results,
  embeddedOverVader: embedded / vader,
  floors: { embeddedScoreOnlyPerSecond: 200_000, embeddedOverVader: 10 },
  pass: embedded >= 200_000 && embedded / vader >= 10,
};
mkdirSync(new URL("./reports/", import.meta.url), { recursive: true });
writeFileSync(new URL("./reports/sentiment.json", import.meta.url), JSON.stringify(report, null, 2) + "\n");
console.log(`embedded / vader = ${(embedded / vader).toFixed(1)}×; floors ${report.pass ? "met" : "NOT met"}; wrote benchmarks/reports/sentiment.json`);
