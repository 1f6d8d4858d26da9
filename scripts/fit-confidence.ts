// Fits the confidence calibration, P(the mood reading is right), one logistic model per kind of record, and measures
// it leave-one-stream-out (LOSO: calibrated on 11 streams, measured on the 12th). Mood readings come from the mood
// model fitted without the row's stream too, so the calibration learns how often the mood is right on a stream it
// has not seen. Rows:
//   window — the 338 labelled windows (dev + train) and samples of 1–12 of their scored messages (small windows);
//   5s, 1m, 10m — the roll-up periods of the labelled windows' own recordings (../shared/data/chat), replayed through
//   the roll-up chain: each 5 s bucket inside a labelled window, and the 1 min and 10 min periods holding its middle,
//   is right when its mood is the mood the annotator gave that window.
// Run after fit:mood.
//
//   npm run fit:confidence   → data/models/confidence.json, docs/confidence-calibration.{json,md,svg}
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { ChatDigest } from "../src/aggregation/chat-digest.js";
import { CONFIDENCE_FEATURES, CONFIDENCE_LEVELS, confidenceFeatures, fitLogistic, predictConfidence, type ConfidenceLevel, type ConfidenceWeights } from "../src/aggregation/confidence-model.js";
import { committedMoodModel, moodFeatures, moodOf, readMood, type MoodModel, type WindowMood } from "../src/aggregation/mood.js";
import { RollupChain, TEN_MINUTES_MS } from "../src/aggregation/rollup-chain.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { cleanText } from "../src/core/text-cleaning.js";
import { expectedCalibrationError } from "../src/evaluation/classification.js";
import { chooseMoodConfig, fitMoodModel } from "../src/evaluation/mood-training.js";
import { predictSoftmax } from "../src/aggregation/logistic-regression.js";
import { SHARED, digestOf, loadLabelledWindows, sampleScored, seededRandom, sharedWindowsPresent, type LabelledWindow } from "./labelled-windows.js";

const BINS = 10;
const EVIDENCE = CONFIDENCE_FEATURES.indexOf("enoughEvidence");
const L2 = 0.1;
const SAMPLE_SIZES = [1, 2, 3, 4, 6, 8, 10, 12];

interface Row {
  level: ConfidenceLevel;
  stream: string;
  /** Window rows: "full" for a labelled window, "sample" for a sample of its messages. */
  kind: "full" | "sample" | "period";
  /** Scored messages in the row's digest. */
  scored: number;
  x: number[];
  correct: boolean;
  /** The calibration shipped before this one (chatstream-confidence/1) on the same row, and whether the mood it spoke for was right. */
  before: number;
  beforeCorrect: boolean;
}

// The previous calibration (one model for every record, read with the lean rule's mood), kept to show what changed.
const BEFORE_WEIGHTS = [0.176785, 1.298348, 2.381294, 0.124961, 0.663998, -0.857788, -0.715667, 0.102953];
const LEAN_MOOD = new Map<string, WindowMood>([
  ["positive", "pos"],
  ["neutral", "neu"],
  ["negative", "neg"],
  ["split", "mixed"],
]);
function beforeConfidence(d: ChatDigest): number {
  const n = Math.max(1, d.scored);
  const pos = d.sentiment.pos / n;
  const neg = d.sentiment.neg / n;
  const neu = d.sentiment.neu / n;
  const lean = moodOf(d.sentiment, d.scored);
  const x = [1, Math.max(pos, neu, neg), Math.abs(pos - neg), Math.min(pos, neg) / Math.max(1e-6, Math.max(pos, neg)), Math.log1p(d.chatters), Math.log1p(d.scored), lean === "neutral" ? 1 : 0, lean === "split" ? 1 : 0];
  return Math.round(predictConfidence(BEFORE_WEIGHTS, x) * 1e3) / 1e3;
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

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/** The roll-up periods of one recording overlapping its labelled windows, by level. */
function replayRollups(models: ReturnType<typeof setUpModels>, stream: string, windows: readonly LabelledWindow[]): Map<"5s" | "1m" | "10m", ChatDigest[]> {
  const out = new Map<"5s" | "1m" | "10m", ChatDigest[]>([
    ["5s", []],
    ["1m", []],
    ["10m", []],
  ]);
  const path = `${SHARED}data/chat/${stream}.jsonl`;
  if (!existsSync(path)) return out;
  const lines = readFileSync(path, "utf8").split("\n");
  const overlaps = (d: ChatDigest): boolean => windows.some((w) => d.start <= w.last && d.end > w.first);
  let chain: RollupChain | undefined;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const r = JSON.parse(line) as { t: number; user: string; text: string; platform?: string };
    if (typeof r.t !== "number" || typeof r.text !== "string") continue;
    chain ??= new RollupChain(Math.floor(r.t / TEN_MINUTES_MS) * TEN_MINUTES_MS, (p) => {
      if (overlaps(p.digest)) out.get(p.level)?.push(p.digest);
    });
    chain.closeUpTo(r.t);
    chain.add(models.processor.process({ t: r.t, platform: "unknown", channel: stream, userId: cleanText(r.user), user: cleanText(r.user), text: cleanText(r.text) }));
  }
  chain?.flush();
  return out;
}

function main(): void {
  if (!sharedWindowsPresent()) {
    process.stderr.write("fit:confidence: ../shared/data/windows not found\n");
    return;
  }
  const committed = committedMoodModel();
  if (committed === undefined) throw new Error("fit:confidence: data/models/mood.json is missing; run npm run fit:mood first");
  const started = process.cpuUsage();
  const models = setUpModels({});
  const windows = loadLabelledWindows(models);
  const digests = windows.map((w) => digestOf(w.messages));
  const features = digests.map(moodFeatures);
  const gold = windows.map((w) => w.mood);
  const streams = windows.map((w) => w.stream);
  const streamList = [...new Set(streams)].sort();

  // The mood model each stream is read with: fitted without it, with the setting chosen without it.
  const predictWith = (model: MoodModel, x: readonly number[]): WindowMood => {
    const p = predictSoftmax(model.weights, [1, ...x]);
    return model.classes[p.indexOf(Math.max(...p))] as WindowMood;
  };
  const foldMood = new Map<string, MoodModel>();
  for (const s of streamList) {
    const train = windows.map((_, i) => i).filter((i) => streams[i] !== s);
    const config = chooseMoodConfig(train, features, gold, streams, predictWith);
    foldMood.set(s, fitMoodModel(train.map((i) => features[i] as number[]), train.map((i) => gold[i] as WindowMood), config));
  }

  const rows: Row[] = [];
  const addRow = (level: ConfidenceLevel, stream: string, kind: Row["kind"], d: ChatDigest, label: WindowMood): void => {
    if (d.scored === 0) return; // an empty record's confidence is 0 by rule
    const reading = readMood(d, foldMood.get(stream));
    const beforeMood = LEAN_MOOD.get(moodOf(d.sentiment, d.scored));
    rows.push({ level, stream, kind, scored: d.scored, x: confidenceFeatures(d, reading), correct: reading.reading === label, before: beforeConfidence(d), beforeCorrect: beforeMood === label });
  };
  const random = seededRandom(7);
  windows.forEach((w, i) => {
    addRow("window", w.stream, "full", digests[i] as ChatDigest, w.mood);
    for (const k of SAMPLE_SIZES) addRow("window", w.stream, "sample", digestOf(sampleScored(w.messages, k, random)), w.mood);
  });
  for (const stream of streamList) {
    const inStream = windows.filter((w) => w.stream === stream);
    const periods = replayRollups(models, stream, inStream);
    for (const w of inStream) {
      const middle = (w.first + w.last) / 2;
      for (const d of periods.get("5s") ?? []) if ((d.start + d.end) / 2 >= w.first && (d.start + d.end) / 2 <= w.last) addRow("5s", stream, "period", d, w.mood);
      for (const level of ["1m", "10m"] as const) {
        const d = (periods.get(level) ?? []).find((p) => p.start <= middle && middle < p.end);
        if (d !== undefined) addRow(level, stream, "period", d, w.mood);
      }
    }
  }

  // Out of fold: each stream's rows get the confidence of a calibration fitted on the other streams' rows.
  const outOfFold = new Array<number>(rows.length).fill(0);
  const weights: Partial<Record<ConfidenceLevel, number[]>> = {};
  for (const level of CONFIDENCE_LEVELS) {
    const idx = rows.map((_, i) => i).filter((i) => rows[i]?.level === level);
    for (const s of streamList) {
      const train = idx.filter((i) => rows[i]?.stream !== s);
      const w = fitLogistic(train.map((i) => (rows[i] as Row).x), train.map((i) => ((rows[i] as Row).correct ? 1 : 0)), L2);
      for (const i of idx) if (rows[i]?.stream === s) outOfFold[i] = predictConfidence(w, (rows[i] as Row).x);
    }
    weights[level] = fitLogistic(idx.map((i) => (rows[i] as Row).x), idx.map((i) => ((rows[i] as Row).correct ? 1 : 0)), L2).map((v) => Math.round(v * 1e6) / 1e6);
  }
  const file: ConfidenceWeights = {
    format: "chatstream-confidence/2",
    features: [...CONFIDENCE_FEATURES],
    levels: { window: weights.window as number[], "5s": weights["5s"] as number[], "1m": weights["1m"] as number[], "10m": weights["10m"] as number[] },
  };
  mkdirSync(new URL("../data/models/", import.meta.url), { recursive: true });
  writeFileSync(new URL("../data/models/confidence.json", import.meta.url), JSON.stringify(file, null, 2) + "\n");

  const groups: { name: string; level: ConfidenceLevel; pick: (r: Row) => boolean }[] = [
    { name: "snapshot / digest: labelled windows", level: "window", pick: (r) => r.level === "window" && r.kind === "full" },
    { name: "snapshot / digest: samples of 1–12 messages", level: "window", pick: (r) => r.level === "window" && r.kind === "sample" },
    { name: "snapshot / digest: samples of 1–4 messages (mood null)", level: "window", pick: (r) => r.level === "window" && r.kind === "sample" && r.x[EVIDENCE] === 0 },
    { name: "snapshot / digest: samples of one message", level: "window", pick: (r) => r.level === "window" && r.kind === "sample" && r.scored === 1 },
    { name: "5 s roll-up", level: "5s", pick: (r) => r.level === "5s" },
    { name: "1 min roll-up", level: "1m", pick: (r) => r.level === "1m" },
    { name: "10 min roll-up", level: "10m", pick: (r) => r.level === "10m" },
  ];
  const summary = groups.map((g) => {
    const idx = rows.map((_, i) => i).filter((i) => g.pick(rows[i] as Row));
    const conf = idx.map((i) => outOfFold[i] as number);
    const correct = idx.map((i) => (rows[i] as Row).correct);
    const before = idx.map((i) => (rows[i] as Row).before);
    const beforeCorrect = idx.map((i) => (rows[i] as Row).beforeCorrect);
    return {
      name: g.name,
      level: g.level,
      rows: idx.length,
      accuracy: correct.filter(Boolean).length / Math.max(1, idx.length),
      meanConfidence: conf.reduce((a, b) => a + b, 0) / Math.max(1, idx.length),
      medianConfidence: median(conf),
      ece: expectedCalibrationError(conf, correct, BINS),
      beforeMedianConfidence: median(before),
      beforeAccuracy: beforeCorrect.filter(Boolean).length / Math.max(1, idx.length),
      beforeEce: expectedCalibrationError(before, beforeCorrect, BINS),
      reliability: reliability(conf, correct),
    };
  });
  const cpu = process.cpuUsage(started);
  const report = { bins: BINS, l2: L2, sampleSizes: SAMPLE_SIZES, streams: streamList.length, cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100, groups: summary };
  writeFileSync(new URL("../docs/confidence-calibration.json", import.meta.url), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(new URL("../docs/confidence-calibration.svg", import.meta.url), svg(summary.filter((_, i) => i === 0 || i >= 3)));
  const f = (x: number): string => x.toFixed(3);
  const md = [
    "# Confidence calibration",
    "",
    `\`npm run fit:confidence\` (after \`npm run fit:mood\`) regenerates this page, \`docs/confidence-calibration.{json,svg}\` and \`data/models/confidence.json\` (${report.cpuSeconds} s of CPU). Every figure is leave-one-stream-out: a stream's rows are calibrated on the other ${streamList.length - 1} streams, and their moods read by the mood model fitted without the stream. ECE over ${BINS} equal-width bins.`,
    "",
    "`confidence` is the probability that the record's mood reading is right. Each kind of record is calibrated on its own:",
    "",
    "- **snapshots and `digest`**: right means the mood the annotator gave the labelled window. The rows are the 338 labelled windows (dev + train) and samples of 1, 2, 3, 4, 6, 8, 10 and 12 of their scored messages, so that a window of one message is calibrated on how rarely one message tells chat's mood. Below the minimum evidence (5 scored messages, 3 chatters) `mood` is null and `confidence` is that of the reading held back, which is low.",
    "- **roll-ups** (5 s, 1 min, 10 min): right means the mood the annotator gave a labelled window inside the period. The labelled windows' recordings are replayed through the roll-up chain; each 5 s bucket inside a window, and the 1 min and 10 min periods holding its middle, is a row. A 10 min confidence of 0.4 says: read a 30-second stretch of this period, and 4 times in 10 it has this mood. The 10 min figure was 0.048 at the median before, because one calibration served every record and a 10 min period's message count lies far outside what it was fitted on.",
    "",
    "Why roll-ups are calibrated on their own rather than given the confidence of a headline they carry: a roll-up carries no snapshot's headline (it writes its own from its merged digest), its mood is read from a period 2 to 20 times the window's length, and a snapshot's confidence would claim for the period an accuracy measured on 30 seconds. Calibrated on their own, the numbers can be checked against what an annotator said about the stretches inside them, per level, as below.",
    "",
    "![reliability diagrams](confidence-calibration.svg)",
    "",
    "| records | rows | mood right | mean confidence | median confidence | ECE | before: mood right | before: median confidence | before: ECE |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...summary.map((s) => `| ${s.name} | ${s.rows} | ${f(s.accuracy)} | ${f(s.meanConfidence)} | ${f(s.medianConfidence)} | **${f(s.ece)}** | ${f(s.beforeAccuracy)} | ${f(s.beforeMedianConfidence)} | ${f(s.beforeEce)} |`),
    "",
    "\"Before\" is the previous release on the same rows: the lean rule's mood, and the one calibration it had for every record (fitted on the dev windows, so its window figure is in sample).",
    "",
    ...summary.flatMap((s) => [
      `## ${s.name}`,
      "",
      "| confidence bin | rows | mean confidence | share right |",
      "|---|---:|---:|---:|",
      ...s.reliability.filter((b) => b.count > 0).map((b) => `| ${b.from.toFixed(1)}–${b.to.toFixed(1)} | ${b.count} | ${f(b.meanConfidence)} | ${f(b.accuracy)} |`),
      "",
    ]),
  ].join("\n");
  writeFileSync(new URL("../docs/confidence-calibration.md", import.meta.url), md);
  process.stdout.write(md);
}

function svg(panels: { name: string; ece: number; reliability: ReturnType<typeof reliability> }[]): string {
  const size = 240;
  const pad = 34;
  const body = panels
    .map((p, k) => {
      const ox = k * size;
      const x = (v: number): number => ox + pad + v * (size - 2 * pad);
      const y = (v: number): number => size - pad - v * (size - 2 * pad);
      const bars = p.reliability
        .filter((b) => b.count > 0)
        .map((b) => `<rect x="${x(b.from).toFixed(1)}" y="${y(b.accuracy).toFixed(1)}" width="${(x(b.to) - x(b.from) - 1).toFixed(1)}" height="${(y(0) - y(b.accuracy)).toFixed(1)}" fill="#4c8bf5" opacity="0.8"><title>${b.count} rows, confidence ${b.meanConfidence.toFixed(2)}, right ${b.accuracy.toFixed(2)}</title></rect>`)
        .join("");
      return `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>${bars}<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}" stroke="#333"/><line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#333"/><text x="${ox + size / 2}" y="16" text-anchor="middle">${p.name.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text><text x="${ox + size / 2}" y="30" text-anchor="middle">LOSO ECE ${p.ece.toFixed(3)}</text>`;
    })
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size * panels.length}" height="${size + 14}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
${body}
<text x="${(size * panels.length) / 2}" y="${size + 8}" text-anchor="middle">x: stated confidence (out of fold) · y: share of rows whose mood reading is right</text>
</svg>
`;
}

main();
