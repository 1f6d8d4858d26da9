// Learning curve of the shipped training recipe: 750 → 12,000 training labels (train + train2), nested fixed-seed
// subsets (loso.ts nestedSample), each point measured
//  - on dev: the full recipe (cross-fitting, calibration, final fit) trained on the subset, scored on the 1,000 dev
//    messages;
//  - under leave-one-stream-out: the subset's rows of 11 streams fitted, every labelled row of the 12th predicted,
//    macro-F1 averaged over the 12 held-out streams (the fast harness: offsets and temperature from the other folds).
//
//   npx tsx scripts/sentiment-learning-curve.ts [--sizes 750,1500,…] [--seeds 1,2,3]
//       → docs/sentiment-eval-curve.json (read by scripts/eval-sentiment.ts)
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { calibratedProbabilities, EmbeddedTrainer, labelsOf, tokenizeChat, tokenizeCorpus, type LearntPriors } from "../src/models/sentiment/embedded-trainer.js";
import { unlabelledChat } from "../src/models/sentiment/embedded-training-data.js";
import { nestedSample, priorKeyFor, runLeaveOneStreamOut, subCorpus } from "../src/models/sentiment/loso.js";
import { classificationReport, expectedCalibrationError } from "../src/models/sentiment/metrics.js";
import { hasSharedLabels, readLabelled, readTrainingSet } from "../src/models/sentiment/shared-data.js";

const arg = (name: string, fallback: number[]): number[] => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]!.split(",").map(Number) : fallback;
};
const SIZES = arg("--sizes", [750, 1500, 3000, 6000, 9000, 12000]);
const SEEDS = arg("--seeds", [1, 2, 3]);

if (!hasSharedLabels()) {
  console.log("sentiment-learning-curve: ../shared/data is absent; skipped.");
  process.exit(0);
}
const emotes = builtinEmoteDictionary();
const corpus = tokenizeCorpus(readTrainingSet(), emotes);
const dev = tokenizeCorpus(readLabelled("dev"), emotes);
const chat = tokenizeChat(unlabelledChat(), emotes);
const priorCache = new Map<string, LearntPriors>();
const started = process.hrtime.bigint();
const cpu = process.cpuUsage();
const load = [loadavg()[0]!];

interface Point {
  size: number;
  seed: number;
  devMacroF1: number;
  devECE: number;
  losoMacroF1: number;
  losoDevMacroF1: number;
}
const points: Point[] = [];
for (const size of SIZES) {
  // The full set is one subset whatever the seed.
  for (const seed of size >= corpus.texts.length ? [SEEDS[0]!] : SEEDS) {
    const rows = nestedSample(corpus.texts.length, size, seed);
    // Dev: the recipe on the subset; the priors (unlabelled chat only) are the same for every subset.
    const trainer = new EmbeddedTrainer({ corpus: subCorpus(corpus, rows), chat, emotes, priors: priorCache.get(priorKeyFor("")) });
    if (!priorCache.has(priorKeyFor(""))) priorCache.set(priorKeyFor(""), trainer.learnt);
    const calibration = trainer.calibrate(trainer.crossFit());
    const fit = trainer.fit(trainer.texts.map((_, i) => i));
    const p = calibratedProbabilities(trainer.logitsOfMessages(dev.tokens, dev.texts, fit.weights), calibration);
    const loso = runLeaveOneStreamOut({ corpus, chat, emotes, dev, priorCache, trainRows: rows });
    const point: Point = {
      size: rows.length,
      seed,
      devMacroF1: classificationReport(dev.labels, labelsOf(p)).macroF1,
      devECE: expectedCalibrationError(p, dev.labels),
      losoMacroF1: loso.macroF1,
      losoDevMacroF1: loso.dev!.macroF1,
    };
    points.push(point);
    load.push(loadavg()[0]!);
    console.log(`${size} labels, seed ${seed}: dev ${point.devMacroF1.toFixed(4)} (ECE ${point.devECE.toFixed(3)}), LOSO ${point.losoMacroF1.toFixed(4)}, LOSO dev rows ${point.losoDevMacroF1.toFixed(4)}`);
    writeFileSync("docs/sentiment-eval-curve.json", JSON.stringify({ generatedBy: "scripts/sentiment-learning-curve.ts", sizes: SIZES, seeds: SEEDS, points }, null, 2) + "\n");
  }
}
const usage = process.cpuUsage(cpu);
const report = { generatedBy: "scripts/sentiment-learning-curve.ts", sizes: SIZES, seeds: SEEDS, points, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (usage.user + usage.system) / 1e6, loadAverage: load };
writeFileSync("docs/sentiment-eval-curve.json", JSON.stringify(report, null, 2) + "\n");
console.log(`wrote docs/sentiment-eval-curve.json in ${report.seconds.toFixed(0)} s (${report.cpuSeconds.toFixed(0)} s CPU)`);
