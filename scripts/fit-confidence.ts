// Fits the confidence calibration: P(window mood is right) from chatters, agreement, lean and split, on the dev
// windows with 5-fold cross-fitting (fit on four folds, measure on the fifth), so the ECE it reports is out of
// sample; then fits on all windows and writes data/models/confidence.json. Refit whenever the sentiment model or
// the mood rule changes.
//
//   npm run fit:confidence   → data/models/confidence.json, docs/confidence-calibration.{json,md,svg}
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { CONFIDENCE_FEATURES, confidenceFeatures, fitLogistic, predictConfidence, type ConfidenceWeights } from "../src/aggregation/confidence-model.js";
import { windowMood } from "../src/aggregation/mood.js";
import { digestWindow } from "../src/commands/digest-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { expectedCalibrationError } from "../src/evaluation/classification.js";

const WINDOWS = new URL("../../shared/data/windows/windows-dev.jsonl", import.meta.url).pathname;
const FOLDS = 5;
const BINS = 15;

interface Window {
  id: string;
  messages: { t: number; user: string; text: string }[];
  mood: string;
}

function reliability(confidence: readonly number[], correct: readonly boolean[]): { from: number; to: number; count: number; meanConfidence: number; accuracy: number }[] {
  const bins = Array.from({ length: BINS }, (_, b) => ({ from: b / BINS, to: (b + 1) / BINS, count: 0, sumConf: 0, sumCorrect: 0 }));
  confidence.forEach((c, i) => {
    const bin = bins[Math.min(BINS - 1, Math.floor(c * BINS))] as (typeof bins)[number];
    bin.count++;
    bin.sumConf += c;
    if (correct[i]) bin.sumCorrect++;
  });
  return bins.map((b) => ({ from: b.from, to: b.to, count: b.count, meanConfidence: b.count ? b.sumConf / b.count : 0, accuracy: b.count ? b.sumCorrect / b.count : 0 }));
}

function svg(bins: ReturnType<typeof reliability>, ece: number): string {
  const size = 320;
  const pad = 40;
  const x = (v: number): number => pad + v * (size - 2 * pad);
  const y = (v: number): number => size - pad - v * (size - 2 * pad);
  const bars = bins
    .filter((b) => b.count > 0)
    .map((b) => `<rect x="${x(b.from).toFixed(1)}" y="${y(b.accuracy).toFixed(1)}" width="${(x(b.to) - x(b.from) - 1).toFixed(1)}" height="${(y(0) - y(b.accuracy)).toFixed(1)}" fill="#4c8bf5" opacity="0.8"><title>${b.count} windows, confidence ${b.meanConfidence.toFixed(2)}, accuracy ${b.accuracy.toFixed(2)}</title></rect>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>
${bars}
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}" stroke="#333"/><line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#333"/>
<text x="${size / 2}" y="${size - 8}" text-anchor="middle">stated confidence (out-of-fold)</text>
<text x="12" y="${size / 2}" text-anchor="middle" transform="rotate(-90 12 ${size / 2})">share of windows whose mood is right</text>
<text x="${size / 2}" y="18" text-anchor="middle">Reliability, dev windows, 5-fold cross-fitted — ECE ${ece.toFixed(3)}</text>
</svg>
`;
}

function main(): void {
  if (!existsSync(WINDOWS)) {
    process.stderr.write(`fit:confidence: ${WINDOWS} not found\n`);
    return;
  }
  const windows = readFileSync(WINDOWS, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Window);
  const models = setUpModels({});
  const rows = windows.map((w) => {
    const { digest } = digestWindow(models, w.messages);
    const mood = windowMood(digest.sentiment, digest.scored);
    return { x: confidenceFeatures(digest, mood), y: mood === w.mood ? 1 : 0 };
  });
  // Folds by position (the file is in random order already), so the split is fixed and reproducible.
  const outOfFold = new Array<number>(rows.length).fill(0);
  for (let f = 0; f < FOLDS; f++) {
    const train = rows.filter((_, i) => i % FOLDS !== f);
    const w = fitLogistic(train.map((r) => r.x), train.map((r) => r.y));
    rows.forEach((r, i) => {
      if (i % FOLDS === f) outOfFold[i] = predictConfidence(w, r.x);
    });
  }
  const correct = rows.map((r) => r.y === 1);
  const ece = expectedCalibrationError(outOfFold, correct, BINS);
  const bins = reliability(outOfFold, correct);
  const weights: ConfidenceWeights = { format: "chatstream-confidence/1", features: [...CONFIDENCE_FEATURES], weights: fitLogistic(rows.map((r) => r.x), rows.map((r) => r.y)).map((v) => Math.round(v * 1e6) / 1e6) };
  mkdirSync(new URL("../data/models/", import.meta.url), { recursive: true });
  writeFileSync(new URL("../data/models/confidence.json", import.meta.url), JSON.stringify(weights, null, 2) + "\n");
  const moodAccuracy = correct.filter(Boolean).length / correct.length;
  const report = { windows: rows.length, folds: FOLDS, bins: BINS, moodAccuracy, crossFittedECE: ece, meanConfidence: outOfFold.reduce((a, b) => a + b, 0) / outOfFold.length, reliability: bins };
  writeFileSync(new URL("../docs/confidence-calibration.json", import.meta.url), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(new URL("../docs/confidence-calibration.svg", import.meta.url), svg(bins, ece));
  const md = [
    "# Confidence calibration",
    "",
    `The snapshot and digest \`confidence\` is the probability that the window's mood is right. Fitted by \`npm run fit:confidence\` on the ${rows.length} dev windows with ${FOLDS}-fold cross-fitting: every figure below is out of fold. Mood accuracy ${(100 * moodAccuracy).toFixed(1)} %; cross-fitted ECE (${BINS} equal-width bins) **${ece.toFixed(3)}**.`,
    "",
    "![reliability diagram](confidence-calibration.svg)",
    "",
    "| confidence bin | windows | mean confidence | accuracy |",
    "|---|---:|---:|---:|",
    ...bins.filter((b) => b.count > 0).map((b) => `| ${b.from.toFixed(2)}–${b.to.toFixed(2)} | ${b.count} | ${b.meanConfidence.toFixed(3)} | ${b.accuracy.toFixed(3)} |`),
    "",
  ].join("\n");
  writeFileSync(new URL("../docs/confidence-calibration.md", import.meta.url), md);
  process.stdout.write(md);
}

main();
