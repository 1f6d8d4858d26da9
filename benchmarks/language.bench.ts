// What reading each message's language costs, on one core, in CPU time (process.cpuUsage, so that other work on the
// machine inflates it less than wall-clock time): the detector alone on pre-tokenized messages, the German and
// Indonesian model alone (on the lines read as German or Indonesian, and on every line of the two streams), and
// `chatstream label` end to end on the English recordings and on the German and Indonesian ones, without and with
// each line's "stream" (which reads the channel's language for lines in none). The input is written to a temporary file for the run and deleted after.
//
//   npm run bench:language       → benchmarks/reports/language.json
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { labelCommand } from "../src/commands/label-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { detectLanguage } from "../src/processing/language.js";
import { tokenize, type TokenizedText } from "../src/processing/tokenizer.js";
import { isMultilingualLanguage, loadMultilingualWeights, MultilingualSentimentScorer } from "../src/models/sentiment/multilingual/multilingual-model.js";
import { chatStreams, NON_ENGLISH_STREAMS, readChat } from "../src/models/sentiment/shared-data.js";

const RUNS = 5;
const emotes = builtinEmoteDictionary();
const texts = { en: [] as string[], other: [] as string[] };
/** The stream of each German and Indonesian line (the `label` run with a "stream" field reads its channel's language). */
const otherStreams: string[] = [];
for (const stream of chatStreams()) {
  for (const m of readChat(stream)) {
    (NON_ENGLISH_STREAMS.includes(stream) ? texts.other : texts.en).push(m.text);
    if (NON_ENGLISH_STREAMS.includes(stream)) otherStreams.push(stream);
  }
}
if (texts.en.length === 0) {
  console.log("language benchmark: ../shared/data/chat is absent; nothing to measure");
  process.exit(0);
}

/** Median over RUNS of the CPU microseconds per item of `pass` (after one warm-up pass). */
function cpuMicros(items: number, pass: () => void): number {
  pass();
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    pass();
    const c = process.cpuUsage(c0);
    runs.push((c.user + c.system) / items);
  }
  return runs.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

let sink = 0;
const report: Record<string, unknown> = {
  benchmark: "language",
  node: process.version,
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? "unknown",
  loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  messages: { english: texts.en.length, germanAndIndonesian: texts.other.length },
};
for (const [name, list] of [["english", texts.en], ["germanAndIndonesian", texts.other]] as const) {
  const tokens: TokenizedText[] = list.map((t) => tokenize(t, emotes));
  report[`detectMicrosPerMessage_${name}`] = Math.round(cpuMicros(tokens.length, () => tokens.forEach((t) => (sink += detectLanguage(t).length))) * 1000) / 1000;
}
const weights = loadMultilingualWeights();
if (weights !== undefined) {
  const scorer = new MultilingualSentimentScorer(emotes, weights);
  const lines = texts.other.map((text) => ({ text, tokens: tokenize(text, emotes) })).map((l) => ({ ...l, lang: detectLanguage(l.tokens) })).filter((l) => isMultilingualLanguage(l.lang));
  // Every line of the two streams, each in its stream's language: what the model does when the channel's language
  // sends it the lines the detector leaves "und" too.
  const every = texts.other.map((text, i) => ({ text, tokens: tokenize(text, emotes), lang: otherStreams[i]!.includes("-de-") ? ("de" as const) : ("id" as const) }));
  report.multilingualModelMessagesPerSecond_everyLine = Math.round(1e6 / cpuMicros(every.length, () => every.forEach((l) => (sink += scorer.score(l.text, l.tokens, l.lang).pos))));
  report.multilingualModelMessagesPerSecond = Math.round(1e6 / cpuMicros(lines.length, () => lines.forEach((l) => (sink += isMultilingualLanguage(l.lang) ? scorer.score(l.text, l.tokens, l.lang).pos : 0))));
}

const dir = mkdtempSync(join(tmpdir(), "chatstream-language-bench-"));
try {
  const models = setUpModels({});
  for (const [name, list] of [["english", texts.en], ["germanAndIndonesian", texts.other], ["germanAndIndonesianWithStream", texts.other]] as const) {
    const input = join(dir, `${name}.jsonl`);
    const withStream = name === "germanAndIndonesianWithStream";
    writeFileSync(input, list.map((text, id) => JSON.stringify(withStream ? { id, text, stream: otherStreams[id] } : { id, text })).join("\n") + "\n");
    const discard = (): Writable => new Writable({ highWaterMark: 1 << 20, write: (_chunk, _encoding, done) => done() });
    const runs: number[] = [];
    for (let r = 0; r <= RUNS; r++) {
      const c0 = process.cpuUsage();
      await labelCommand(models, createReadStream(input, { highWaterMark: 1 << 20 }), discard());
      const c = process.cpuUsage(c0);
      if (r > 0) runs.push((list.length * 1e6) / (c.user + c.system));
    }
    report[`labelMessagesPerCpuSecond_${name}`] = Math.round(runs.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (Number.isNaN(sink)) throw new Error("NaN");
mkdirSync(new URL("./reports/", import.meta.url), { recursive: true });
writeFileSync(new URL("./reports/language.json", import.meta.url), JSON.stringify(report, null, 1) + "\n");
console.log(JSON.stringify(report, null, 1));
