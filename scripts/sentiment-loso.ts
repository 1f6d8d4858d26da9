// Leave-one-stream-out evaluation of the shipped training recipe (the options scripts/train-sentiment.ts uses):
// for each of the 12 English streams, the whole recipe — priors and vectors from the other streams' chat, 5-fold
// cross-fitting, offsets and temperature, final fit — runs on the other 11 streams' labels, and the model is scored
// on every labelled row of the held-out stream (single votes) and on that stream's dev messages (majority of three).
// Also times the fast harness the experiments select with (one fit per fold, calibration from the other folds).
//
//   npx tsx scripts/sentiment-loso.ts            → docs/sentiment-eval-loso.json (read by scripts/eval-sentiment.ts)
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { tokenizeChat, tokenizeCorpus, type LearntPriors } from "../src/models/sentiment/embedded-trainer.js";
import { unlabelledChat } from "../src/models/sentiment/embedded-training-data.js";
import { runLeaveOneStreamOut, type LosoResult } from "../src/models/sentiment/loso.js";
import { hasSharedLabels, readLabelled, readTrainingSet } from "../src/models/sentiment/shared-data.js";

if (!hasSharedLabels()) {
  console.log("sentiment-loso: ../shared/data is absent; skipped.");
  process.exit(0);
}
const emotes = builtinEmoteDictionary();
const setupStart = process.cpuUsage();
const corpus = tokenizeCorpus(readTrainingSet(), emotes);
const dev = tokenizeCorpus(readLabelled("dev"), emotes);
const chat = tokenizeChat(unlabelledChat(), emotes);
const tokenizeCpu = process.cpuUsage(setupStart);
const priorCache = new Map<string, LearntPriors>();
const log = (line: string) => console.log(`  ${line}`);

function summary(r: LosoResult, load: number[]) {
  return {
    macroF1: r.macroF1,
    pooledMacroF1: r.pooledMacroF1,
    ece: r.ece,
    dev: r.dev,
    streams: r.streams,
    calibrations: Object.fromEntries([...r.calibrations].map(([s, c]) => [s, { neutralOffset: c.neutralOffset, negativeOffset: c.negativeOffset, temperature: c.temperature }])),
    fits: r.fits,
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
    loadAverage: load,
  };
}

// The priors of each fold are learnt once, by the first (fast) run, whose time therefore includes them; the recipe
// run reuses them.
const load1 = loadavg();
const fast = runLeaveOneStreamOut({ corpus, chat, emotes, dev, priorCache, log });
const load2 = loadavg();
console.log(`fast LOSO: ${fast.macroF1.toFixed(4)} (dev rows ${fast.dev!.macroF1.toFixed(4)}) in ${fast.seconds.toFixed(0)} s, ${fast.cpuSeconds.toFixed(0)} s CPU`);
const recipe = runLeaveOneStreamOut({ corpus, chat, emotes, dev, priorCache, calibration: "recipe", log });
const load3 = loadavg();
console.log(`recipe LOSO: ${recipe.macroF1.toFixed(4)} (pooled ${recipe.pooledMacroF1.toFixed(4)}, ECE ${recipe.ece.toFixed(3)}; dev rows ${recipe.dev!.macroF1.toFixed(4)}, ECE ${recipe.dev!.ece.toFixed(3)}) in ${recipe.seconds.toFixed(0)} s, ${recipe.cpuSeconds.toFixed(0)} s CPU`);
const report = {
  generatedBy: "scripts/sentiment-loso.ts",
  node: process.version,
  cpu: cpus()[0]?.model ?? "unknown",
  trainRows: corpus.texts.length,
  devRows: dev.texts.length,
  unlabelledMessages: chat.texts.length,
  tokenizeCpuSeconds: (tokenizeCpu.user + tokenizeCpu.system) / 1e6,
  fast: summary(fast, [load1[0]!, load2[0]!]),
  recipe: summary(recipe, [load2[0]!, load3[0]!]),
};
writeFileSync("docs/sentiment-eval-loso.json", JSON.stringify(report, null, 2) + "\n");
console.log("wrote docs/sentiment-eval-loso.json");
