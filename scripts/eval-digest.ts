// Evaluates headlines, mood and confidence on the dev windows, side by side for every summarizer and two
// baselines, the way ../shared/eval/score.mjs scores them (ROUGE is checked against score.mjs itself).
//
//   npm run eval:digest            → docs/digest-eval.json, docs/digest-eval.md
//   npm run eval:digest -- --answers [LABEL=]FILE …   → answers written elsewhere for the requests of
//       `chatstream digest --prompts-out`, through the validator and fallback of `digest --answers`, scored beside
//       the embedded headline (stdout, reports/tmp/digest-answers.json)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { digestWindow, readWindow, windowOutput } from "../src/commands/digest-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { expectedCalibrationError, macroF1 } from "../src/evaluation/classification.js";
import { scoreHeadline } from "../src/evaluation/rouge.js";
import { brokenHeadlineRules } from "../src/models/summarizer/headline-rules.js";
import { AnswerBook, headlineFromAnswer, VerdictTally } from "../src/models/summarizer/llm/answers.js";
import type { Mood } from "../src/schema/output-schema.js";

const SHARED = new URL("../../shared/", import.meta.url).pathname;
const WINDOWS = `${SHARED}data/windows/windows-dev.jsonl`;
const SCORER = `${SHARED}eval/score.mjs`;
const MOODS: readonly Mood[] = ["pos", "neu", "neg", "mixed"];

interface Window {
  id: string;
  stream: string;
  messages: { t: number; user: string; text: string }[];
  references: string[];
  mood: Mood;
}

interface Row {
  system: string;
  rouge1: number;
  rouge2: number;
  rougeL: number;
  scorerRougeL: number;
  meanWords: number;
  moodMacroF1: number | null;
  confidenceECE: number | null;
  ruleBreakShare: number;
  ruleBreaks: Record<string, number>;
  windowsPerSecond: number;
}

/** The simplest baseline: the most repeated message of the window, as written. */
function mostRepeated(w: Window): string {
  const counts = new Map<string, number>();
  for (const m of w.messages) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

function evaluate(system: string, windows: readonly Window[], run: (w: Window) => { headline: string; mood?: Mood; confidence?: number }): Row {
  // The first pass warms the JIT and loads the models' files; windows/s is the second, steady-state pass, which
  // is what a digest run over many windows sees. Both passes give the same outputs (asserted).
  const outputs = windows.map(run);
  const started = performance.now();
  const again = windows.map(run);
  const seconds = (performance.now() - started) / 1000;
  again.forEach((o, i) => {
    if (o.headline !== outputs[i]?.headline) throw new Error(`${system}: window ${i} gave a different headline on the second pass`);
  });
  let r1 = 0;
  let r2 = 0;
  let rl = 0;
  let words = 0;
  const ruleBreaks: Record<string, number> = {};
  let broken = 0;
  outputs.forEach((o, i) => {
    const w = windows[i] as Window;
    const s = scoreHeadline(o.headline, w.references);
    r1 += s.rouge1;
    r2 += s.rouge2;
    rl += s.rougeL;
    words += o.headline.split(/\s+/).filter(Boolean).length;
    const rules = brokenHeadlineRules(o.headline, w.messages);
    if (rules.length > 0) broken++;
    for (const rule of rules) ruleBreaks[rule] = (ruleBreaks[rule] ?? 0) + 1;
  });
  // Cross-check the ROUGE figure with the reference scorer itself.
  mkdirSync("reports/tmp", { recursive: true });
  const hyp = `reports/tmp/digest-${system}.jsonl`;
  writeFileSync(hyp, outputs.map((o, i) => JSON.stringify({ id: (windows[i] as Window).id, headline: o.headline })).join("\n") + "\n");
  const scorer = JSON.parse(execFileSync("node", [SCORER, "rouge", "--ref", WINDOWS, "--hyp", hyp, "--json"], { encoding: "utf8" })) as { rougeL: number };
  const withMood = outputs.every((o) => o.mood !== undefined);
  const gold = windows.map((w) => w.mood);
  const predicted = outputs.map((o) => o.mood ?? "neu");
  const n = windows.length;
  return {
    system,
    rouge1: r1 / n,
    rouge2: r2 / n,
    rougeL: rl / n,
    scorerRougeL: scorer.rougeL,
    meanWords: words / n,
    moodMacroF1: withMood ? macroF1(gold, predicted, MOODS).macroF1 : null,
    confidenceECE: withMood ? expectedCalibrationError(outputs.map((o) => o.confidence ?? 0), predicted.map((p, i) => p === gold[i])) : null,
    ruleBreakShare: broken / n,
    ruleBreaks,
    windowsPerSecond: Math.round(n / seconds),
  };
}

function fmt(x: number | null, digits = 3): string {
  return x === null ? "–" : x.toFixed(digits);
}

/** The out-of-sample calibration figure from `npm run fit:confidence` (this harness's ECE is in-sample: the weights were fitted on these windows). */
function crossFitted(): string {
  const path = new URL("../docs/confidence-calibration.json", import.meta.url);
  if (!existsSync(path)) return "Confidence calibration not fitted yet (`npm run fit:confidence`).";
  const c = JSON.parse(readFileSync(path, "utf8")) as { crossFittedECE: number; folds: number };
  return `Confidence is calibrated on these windows by \`npm run fit:confidence\`; its out-of-sample (${c.folds}-fold cross-fitted) ECE is **${c.crossFittedECE.toFixed(3)}** (docs/confidence-calibration.md); the ECE column below is in-sample.`;
}

function main(): void {
  if (!existsSync(WINDOWS)) {
    process.stderr.write(`eval:digest: ${WINDOWS} not found; nothing to evaluate\n`);
    return;
  }
  const windows = readFileSync(WINDOWS, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Window);
  const answerFiles = answerArgs(process.argv.slice(2));
  if (answerFiles.length > 0) return scoreAnswers(windows, answerFiles);
  const rows: Row[] = [];
  for (const summarizer of ["embedded", "extractive"]) {
    const models = setUpModels({ summarizer });
    rows.push(evaluate(summarizer, windows, (w) => digestWindow(models, w.messages).output));
  }
  rows.push(evaluate("most-repeated-message", windows, (w) => ({ headline: mostRepeated(w) })));
  const messages = windows.reduce((n, w) => n + w.messages.length, 0);
  const report = { dataset: "windows-dev", windows: windows.length, meanMessages: messages / windows.length, node: process.version, date: new Date().toISOString(), rows };
  mkdirSync("docs", { recursive: true });
  writeFileSync("docs/digest-eval.json", JSON.stringify(report, null, 2) + "\n");
  const md = [
    "# Headline evaluation (dev windows)",
    "",
    `${windows.length} windows, ${(messages / windows.length).toFixed(0)} messages each on average. \`npm run eval:digest\` regenerates this table; ROUGE is computed as \`../shared/eval/score.mjs rouge\` computes it (the last ROUGE-L column is score.mjs's own figure). Windows/s: \`chatstream digest\`'s whole path (tokenize, sentiment, digest, headline, mood, confidence, clusters) on one core, second pass over the windows after a warm-up pass.`,
    "",
    crossFitted(),
    "",
    "| system | ROUGE-1 | ROUGE-2 | ROUGE-L | ROUGE-L (score.mjs) | words | mood macro-F1 | confidence ECE (in-sample) | rule breaks | windows/s |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.system} | ${fmt(r.rouge1)} | ${fmt(r.rouge2)} | ${fmt(r.rougeL)} | ${fmt(r.scorerRougeL)} | ${r.meanWords.toFixed(1)} | ${fmt(r.moodMacroF1)} | ${fmt(r.confidenceECE)} | ${(100 * r.ruleBreakShare).toFixed(1)} % ${Object.keys(r.ruleBreaks).length > 0 ? `(${Object.entries(r.ruleBreaks).map(([k, v]) => `${k} ${v}`).join(", ")})` : ""} | ${r.windowsPerSecond} |`),
    "",
  ].join("\n");
  writeFileSync("docs/digest-eval.md", md);
  process.stdout.write(md);
}

/** `--answers [LABEL=]FILE`, repeatable. */
function answerArgs(argv: readonly string[]): { label: string; file: string }[] {
  const out: { label: string; file: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== "--answers") continue;
    const value = argv[++i];
    if (value === undefined) throw new Error("--answers needs [LABEL=]FILE");
    const eq = value.indexOf("=");
    const file = eq > 0 ? value.slice(eq + 1) : value;
    const label = (eq > 0 ? value.slice(0, eq) : (file.split("/").pop() ?? file).replace(/\.jsonl?$/, "")).replace(/[^A-Za-z0-9_-]+/g, "-");
    out.push({ label, file });
  }
  return out;
}

/**
 * Scores answers a model wrote for the requests of `digest --prompts-out` the way `digest --answers` uses them
 * (validated, the embedded headline where one is missing or refused), and as written (raw), beside the embedded
 * headline, with the same ROUGE as score.mjs.
 */
function scoreAnswers(windows: readonly Window[], files: readonly { label: string; file: string }[]): void {
  const models = setUpModels({});
  const rows: Row[] = [evaluate("embedded", windows, (w) => digestWindow(models, w.messages).output)];
  const tallies: Record<string, unknown>[] = [];
  for (const { label, file } of files) {
    const book = new AnswerBook();
    readFileSync(file, "utf8").split("\n").forEach((line, i) => book.add(line, i + 1));
    const tally = new VerdictTally();
    const validated = new Map<Window, ReturnType<typeof windowOutput>>();
    const raw = new Map<Window, string>();
    for (const w of windows) {
      const digest = readWindow(models, w.messages);
      const text = book.take(w.id);
      const verdict = headlineFromAnswer(digest, text, models.summarizer);
      tally.add(verdict);
      validated.set(w, windowOutput(digest, verdict.headline));
      raw.set(w, text ?? "");
    }
    rows.push(evaluate(`answers-${label}`, windows, (w) => validated.get(w) as ReturnType<typeof windowOutput>));
    rows.push(evaluate(`answers-${label}-raw`, windows, (w) => ({ headline: raw.get(w) ?? "" })));
    tallies.push({ label, file, answers: book.size, accepted: tally.accepted, repaired: tally.repaired, refused: Object.fromEntries(tally.refused), unused: book.unused, repeated: book.repeated, badLines: book.badLines });
  }
  mkdirSync("reports/tmp", { recursive: true });
  writeFileSync("reports/tmp/digest-answers.json", JSON.stringify({ dataset: "windows-dev", windows: windows.length, date: new Date().toISOString(), rows, answers: tallies }, null, 2) + "\n");
  const md = [
    `${windows.length} dev windows; \`answers-X\`: validated as \`digest --answers\` does (the embedded headline where an answer is missing or refused); \`-raw\`: the answers as written.`,
    "",
    "| system | ROUGE-1 | ROUGE-2 | ROUGE-L | ROUGE-L (score.mjs) | words | rule breaks |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.system} | ${fmt(r.rouge1)} | ${fmt(r.rouge2)} | ${fmt(r.rougeL)} | ${fmt(r.scorerRougeL)} | ${r.meanWords.toFixed(1)} | ${(100 * r.ruleBreakShare).toFixed(1)} % |`),
    "",
    ...tallies.map((t) => `- ${String(t.label)}: ${String(t.answers)} answers, ${String(t.accepted)} accepted (${String(t.repaired)} repaired), refused ${JSON.stringify(t.refused)}, ${String(t.unused)} matched no window`),
    "",
  ].join("\n");
  process.stdout.write(md);
}

main();
