// Evaluates every registered sentiment model on the shared dev set in one run, side by side:
// macro-F1, accuracy, per-class P/R/F1, confusion, per-stream macro-F1, ECE (15 bins), messages/s on one core;
// checks the macro-F1 against ../shared/eval/score.mjs; reports what the language gate does on the non-English
// recordings; adds the leave-one-stream-out figures of scripts/sentiment-loso.ts (docs/sentiment-eval-loso.json) and
// the learning curve of scripts/sentiment-learning-curve.ts (docs/sentiment-eval-curve.json) when those are present.
// Writes docs/sentiment-eval.json and docs/sentiment-eval.md.
//
//   npx tsx scripts/eval-sentiment.ts
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { tokenize } from "../src/processing/tokenizer.js";
import { hasEmotionMarker } from "../src/models/sentiment/chat-features.js";
import { EmbeddedSentimentModel, loadEmbeddedWeights } from "../src/models/sentiment/embedded-model.js";
import { confidentlyPolarShare, evaluateModel, measureThroughput, type ModelEvaluation } from "../src/models/sentiment/evaluation.js";
import { isLikelyEnglish } from "../src/processing/language.js";
import { LABELS } from "../src/models/sentiment/metrics.js";
import { labelOf } from "../src/models/sentiment/sentiment-model.js";
import { createSentimentModel, sentimentModelNames } from "../src/models/sentiment/registry.js";
import { hasSharedLabels, NON_ENGLISH_STREAMS, readChat, readLabelled, sharedDataDir } from "../src/models/sentiment/shared-data.js";

const dir = sharedDataDir();
const scorer = join(dir, "..", "eval", "score.mjs");
if (!hasSharedLabels(dir)) {
  console.log(`eval-sentiment: skipped — no labelled data under ${dir} (the shared data is not part of the project; set CHATSTREAM_SHARED_DATA).`);
  process.exit(0);
}

const emotes = builtinEmoteDictionary();
const dev = readLabelled("dev", dir);
const devTokens = dev.map((r) => tokenize(r.text, emotes));
const devTexts = dev.map((r) => r.text);
const work = mkdtempSync(join(tmpdir(), "chatstream-sentiment-eval-"));

interface Row extends Omit<ModelEvaluation, "predictions"> {
  messagesPerSecond: number;
  scoreMjsMacroF1: number | null;
}
const rows: Row[] = [];
for (const name of sentimentModelNames()) {
  const model = createSentimentModel(name, { emotes });
  const { predictions, ...evaluation } = evaluateModel(model, dev, devTokens);
  let scoreMjsMacroF1: number | null = null;
  if (existsSync(scorer)) {
    const hyp = join(work, `${name}.jsonl`);
    writeFileSync(hyp, predictions.map((p) => JSON.stringify(p)).join("\n") + "\n");
    const out = JSON.parse(execFileSync(process.execPath, [scorer, "f1", "--ref", join(dir, "labels", "sentiment-dev.jsonl"), "--hyp", hyp, "--json"], { encoding: "utf8" })) as { macroF1: number };
    scoreMjsMacroF1 = out.macroF1;
    if (Math.abs(out.macroF1 - evaluation.macroF1) > 1e-12) throw new Error(`${name}: macro-F1 ${evaluation.macroF1} but score.mjs says ${out.macroF1}`);
  }
  const messagesPerSecond = measureThroughput(model, devTexts, devTokens);
  rows.push({ ...evaluation, messagesPerSecond, scoreMjsMacroF1 });
  console.log(`${name.padEnd(9)} macro-F1 ${evaluation.macroF1.toFixed(4)}  acc ${evaluation.accuracy.toFixed(4)}  ECE ${evaluation.ece.toFixed(4)}  ${Math.round(messagesPerSecond).toLocaleString("en")} msg/s${scoreMjsMacroF1 === null ? "  (score.mjs not found)" : "  (= score.mjs)"}`);
}

// Non-English recordings: share of messages scored confidently polar (top class pos/neg at ≥ 0.7) with and
// without the language gate, and the share the detector calls non-English.
const weights = loadEmbeddedWeights();
const gated = new EmbeddedSentimentModel(emotes, weights);
const ungated = new EmbeddedSentimentModel(emotes, weights, { languageGate: false });
interface GateReport {
  messages: number;
  detectedNonEnglish: number;
  confidentlyPolarWithoutGate: number;
  confidentlyPolarWithGate: number;
  /** Messages with no emote, emoji, laughter or emoticon: only words could make them polar. */
  withoutMarker: number;
  withoutMarkerConfidentlyPolarWithoutGate: number;
  withoutMarkerConfidentlyPolarWithGate: number;
}
const nonEnglish: Record<string, GateReport> = {};
for (const stream of NON_ENGLISH_STREAMS) {
  if (!existsSync(join(dir, "chat", `${stream}.jsonl`))) continue;
  const texts = readChat(stream, dir).map((l) => l.text);
  const toks = texts.map((t) => tokenize(t, emotes));
  const plain = texts.map((_, i) => i).filter((i) => !hasEmotionMarker(toks[i]!, texts[i]!));
  const plainTexts = plain.map((i) => texts[i]!);
  const plainToks = plain.map((i) => toks[i]!);
  nonEnglish[stream] = {
    messages: texts.length,
    detectedNonEnglish: toks.filter((t) => !isLikelyEnglish(t)).length / texts.length,
    confidentlyPolarWithoutGate: confidentlyPolarShare(ungated, texts, toks),
    confidentlyPolarWithGate: confidentlyPolarShare(gated, texts, toks),
    withoutMarker: plain.length,
    withoutMarkerConfidentlyPolarWithoutGate: confidentlyPolarShare(ungated, plainTexts, plainToks),
    withoutMarkerConfidentlyPolarWithGate: confidentlyPolarShare(gated, plainTexts, plainToks),
  };
}
const ungatedDev = evaluateModel(ungated, dev, devTokens);

// Reliability of the embedded model on dev: 10 equal-width bins of the top probability (ECE itself uses 15).
const reliability: { from: number; to: number; items: number; confidence: number; accuracy: number }[] = [];
{
  const bins = Array.from({ length: 10 }, (_, b) => ({ from: b / 10, to: (b + 1) / 10, items: 0, confidence: 0, accuracy: 0 }));
  dev.forEach((r, i) => {
    const sc = gated.score(r.text, devTokens[i]!);
    const top = Math.max(sc.pos, sc.neu, sc.neg);
    const bin = bins[Math.min(9, Math.floor(top * 10))]!;
    bin.items++;
    bin.confidence += top;
    if (labelOf(sc) === r.label) bin.accuracy++;
  });
  for (const b of bins) if (b.items > 0) reliability.push({ ...b, confidence: b.confidence / b.items, accuracy: b.accuracy / b.items });
}

interface LosoFile {
  trainRows: number;
  recipe: LosoSummary;
  fast: LosoSummary;
  tokenizeCpuSeconds: number;
}
interface LosoSummary {
  macroF1: number;
  pooledMacroF1: number;
  ece: number;
  dev: { macroF1: number; meanStreamMacroF1: number; ece: number };
  streams: { stream: string; items: number; macroF1: number; devItems: number; devMacroF1: number }[];
  fits: number;
  seconds: number;
  cpuSeconds: number;
  loadAverage: number[];
}
interface CurveFile {
  points: { size: number; seed: number; devMacroF1: number; devECE: number; losoMacroF1: number; losoDevMacroF1: number }[];
  seconds?: number;
  cpuSeconds?: number;
}
const readJson = <T>(path: string): T | undefined => (existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : undefined);
const loso = readJson<LosoFile>("docs/sentiment-eval-loso.json");
const curve = readJson<CurveFile>("docs/sentiment-eval-curve.json");

const best = (names: string[]) => Math.max(...rows.filter((r) => names.includes(r.model)).map((r) => r.macroF1));
const embedded = rows.find((r) => r.model === "embedded");
const summary = {
  devItems: dev.length,
  embeddedMacroF1: embedded?.macroF1 ?? null,
  bestPeerMacroF1: best(["vader", "afinn", "lexicon"]),
  marginOverBestPeer: embedded ? embedded.macroF1 - best(["vader", "afinn", "lexicon"]) : null,
  embeddedWithoutLanguageGateMacroF1: ungatedDev.macroF1,
  checkedAgainstScoreMjs: rows.every((r) => r.scoreMjsMacroF1 !== null),
  embeddedECE: embedded?.ece ?? null,
  losoMacroF1: loso?.recipe.macroF1 ?? null,
  losoDevMacroF1: loso?.recipe.dev.macroF1 ?? null,
  losoDevECE: loso?.recipe.dev.ece ?? null,
  losoPerVoteECE: loso?.recipe.ece ?? null,
};
writeFileSync("docs/sentiment-eval.json", JSON.stringify({ generatedBy: "scripts/eval-sentiment.ts", summary, models: rows, reliability, nonEnglish }, null, 2) + "\n");

const pct = (v: number) => (100 * v).toFixed(1) + " %";
const f = (v: number) => v.toFixed(3);
const streams = [...new Set(dev.map((r) => r.stream))].sort();
const md = [
  "# Sentiment models on the dev set",
  "",
  `Generated by \`npx tsx scripts/eval-sentiment.ts\` on ${dev.length} dev messages (majority of three votes). Macro-F1 checked against \`../shared/eval/score.mjs f1\`: ${summary.checkedAgainstScoreMjs ? "equal for every model" : "scorer not found"}. ECE: 15 equal-width bins on the top probability. Throughput: \`score()\` on pre-tokenized messages, one core, per second of CPU time (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores when measured).`,
  "",
  "| model | macro-F1 | accuracy | F1 pos | F1 neu | F1 neg | ECE | messages per CPU s |",
  "|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.model} | ${f(r.macroF1)} | ${f(r.accuracy)} | ${LABELS.map((c) => f(r.perClass[c].f1)).join(" | ")} | ${f(r.ece)} | ${Math.round(r.messagesPerSecond).toLocaleString("en")} |`),
  "",
  `Embedded vs best peer (vader, afinn, lexicon): ${summary.marginOverBestPeer === null ? "n/a" : (summary.marginOverBestPeer >= 0 ? "+" : "") + f(summary.marginOverBestPeer)} macro-F1.`,
  "",
  "## Per-class precision / recall",
  "",
  "| model | P pos | R pos | P neu | R neu | P neg | R neg |",
  "|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.model} | ${LABELS.map((c) => `${f(r.perClass[c].precision)} | ${f(r.perClass[c].recall)}`).join(" | ")} |`),
  "",
  "## Confusion (rows gold, columns predicted: pos / neu / neg)",
  "",
  "| model | gold pos | gold neu | gold neg |",
  "|---|---|---|---|",
  ...rows.map((r) => `| ${r.model} | ${LABELS.map((g) => LABELS.map((p) => r.confusion[g][p]).join(" / ")).join(" | ")} |`),
  "",
  "## Macro-F1 per stream",
  "",
  `| stream | items | ${rows.map((r) => r.model).join(" | ")} |`,
  `|---|---|${rows.map(() => "---").join("|")}|`,
  ...streams.map((s) => `| ${s} | ${embedded?.perStream[s]?.items ?? rows[0]!.perStream[s]!.items} | ${rows.map((r) => f(r.perStream[s]!.macroF1)).join(" | ")} |`),
  "",
  ...losoSection(),
  ...calibrationSection(),
  ...curveSection(),
  "## Non-English recordings (language gate)",
  "",
  "Share of messages the embedded model scores confidently polar (top class pos or neg with probability ≥ 0.7), with the language gate off and on; all messages, and those without any emote, emoji, laughter or emoticon (where only words can make a message polar — the case the gate is for; with a marker, the guidelines call a message polar in any language).",
  "",
  "| recording | messages | detected non-English | confidently polar, gate off | gate on | without marker | …confidently polar, gate off | gate on |",
  "|---|---|---|---|---|---|---|---|",
  ...Object.entries(nonEnglish).map(
    ([s, v]) => `| ${s} | ${v.messages} | ${pct(v.detectedNonEnglish)} | ${pct(v.confidentlyPolarWithoutGate)} | ${pct(v.confidentlyPolarWithGate)} | ${v.withoutMarker} | ${pct(v.withoutMarkerConfidentlyPolarWithoutGate)} | ${pct(v.withoutMarkerConfidentlyPolarWithGate)} |`,
  ),
  "",
  `Dev macro-F1 of the embedded model with the gate off: ${f(ungatedDev.macroF1)} (on: ${embedded ? f(embedded.macroF1) : "n/a"}).`,
  "",
].join("\n");
writeFileSync("docs/sentiment-eval.md", md);

function losoSection(): string[] {
  if (!loso) return ["## Leave-one-stream-out", "", "Not measured yet: run `npx tsx scripts/sentiment-loso.ts`, then this script.", ""];
  const r = loso.recipe;
  return [
    "## Leave-one-stream-out (LOSO)",
    "",
    `Generated by \`npx tsx scripts/sentiment-loso.ts\` (docs/sentiment-eval-loso.json). For each of the 12 English streams the whole training recipe runs on the other 11 streams' ${loso.trainRows.toLocaleString("en")} − n labels (priors and vectors from their chat only, its own cross-fitting and calibration), and the model is scored on every labelled training row of the held-out stream (single votes) and on that stream's dev messages (majority of three). Dev shares all its streams with the training set; LOSO is the stand-in for a channel the model has never seen.`,
    "",
    "| | macro-F1 | ECE |",
    "|---|---|---|",
    `| dev (in-domain: the shipped model) | ${f(embedded?.macroF1 ?? NaN)} | ${f(embedded?.ece ?? NaN)} |`,
    `| LOSO, dev messages (each scored by the model without its stream) | ${f(r.dev.macroF1)} | ${f(r.dev.ece)} |`,
    `| LOSO, training rows: mean over the 12 held-out streams | ${f(r.macroF1)} | ${f(r.ece)} (per-vote probabilities against the single vote) |`,
    `| LOSO, training rows pooled | ${f(r.pooledMacroF1)} | |`,
    "",
    "| held-out stream | labelled rows | LOSO macro-F1 | dev rows | LOSO dev macro-F1 | dev macro-F1 (in-domain) |",
    "|---|---|---|---|---|---|",
    ...r.streams.map((s) => `| ${s.stream} | ${s.items} | ${f(s.macroF1)} | ${s.devItems} | ${f(s.devMacroF1)} | ${embedded?.perStream[s.stream] ? f(embedded.perStream[s.stream]!.macroF1) : "–"} |`),
    "",
    `Cost: the recipe under LOSO is ${r.fits} fits, ${Math.round(r.seconds)} s wall / ${Math.round(r.cpuSeconds)} s CPU (load average ${r.loadAverage.map((v) => v.toFixed(1)).join(" → ")} on 2 cores). The fast harness the experiments select with (one fit per fold, each fold's offsets and temperature chosen on the other folds' held-out predictions, features extracted once per fold and reused by every fit) takes ${Math.round(loso.fast.seconds)} s wall / ${Math.round(loso.fast.cpuSeconds)} s CPU including the per-fold word priors and vectors (load ${loso.fast.loadAverage.map((v) => v.toFixed(1)).join(" → ")}), plus ${loso.tokenizeCpuSeconds.toFixed(0)} s CPU to tokenize the chat once; it scores ${f(loso.fast.macroF1)} (dev messages ${f(loso.fast.dev.macroF1)}).`,
    "",
  ];
}

function calibrationSection(): string[] {
  return [
    "## Calibration",
    "",
    `ECE (15 equal-width bins of the top probability): dev ${f(embedded?.ece ?? NaN)}${loso ? `; LOSO dev messages ${f(loso.recipe.dev.ece)}; LOSO training rows, per-vote probabilities against the single vote, ${f(loso.recipe.ece)}` : ""}. The model outputs the probability that the majority of three annotators says each class (majority-vote.ts); dev labels are such majorities, the training rows single votes, so the training-row check compares the per-vote probabilities before that transform. Reliability on dev (10 bins):`,
    "",
    "| top probability | messages | mean confidence | accuracy |",
    "|---|---|---|---|",
    ...reliability.map((b) => `| ${b.from.toFixed(1)}–${b.to.toFixed(1)} | ${b.items} | ${f(b.confidence)} | ${f(b.accuracy)} |`),
    "",
  ];
}

function curveSection(): string[] {
  if (!curve) return ["## Learning curve", "", "Not measured yet: run `npx tsx scripts/sentiment-learning-curve.ts`, then this script.", ""];
  const sizes = [...new Set(curve.points.map((p) => p.size))].sort((a, b) => a - b);
  const stat = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return values.length > 1 ? `${f(mean)} (${f(Math.min(...values))}–${f(Math.max(...values))})` : f(mean);
  };
  return [
    "## Learning curve",
    "",
    `Generated by \`npx tsx scripts/sentiment-learning-curve.ts\` (docs/sentiment-eval-curve.json${curve.cpuSeconds ? `; ${Math.round(curve.cpuSeconds / 60)} CPU minutes` : ""}): nested random subsets of the 12,000 training labels (fixed seeds; mean and range over the seeds). Dev: the full recipe trained on the subset. LOSO: the fast harness with the subset's rows of the other 11 streams fitted, every labelled row of the held-out stream scored.`,
    "",
    "| labels | seeds | dev macro-F1 | dev ECE | LOSO macro-F1 | LOSO dev messages |",
    "|---|---|---|---|---|---|",
    ...sizes.map((size) => {
      const pts = curve.points.filter((p) => p.size === size);
      return `| ${size.toLocaleString("en")} | ${pts.length} | ${stat(pts.map((p) => p.devMacroF1))} | ${stat(pts.map((p) => p.devECE))} | ${stat(pts.map((p) => p.losoMacroF1))} | ${stat(pts.map((p) => p.losoDevMacroF1))} |`;
    }),
    "",
  ];
}
console.log("wrote docs/sentiment-eval.json and docs/sentiment-eval.md");
