// Evaluates headlines, mood and confidence on the dev windows (and the train windows, when present), side by side
// for every summarizer and two baselines, the way ../shared/eval/score.mjs scores them (ROUGE is checked against
// score.mjs itself); then each change to the embedded synthesizer, with the leave-one-stream-out figure of its tuned
// constants (npm run tune:headline-style).
//
//   npm run eval:digest            → docs/digest-eval.json, docs/digest-eval.md
//   npm run eval:digest -- --answers [LABEL=]FILE … [--prompts LABEL=DIR …]   → answers written elsewhere for the
//       requests of `chatstream digest --prompts-out`, through the validator and fallback of `digest --answers`,
//       scored beside the embedded headline, with the mean prompt tokens of the request folder the answers were
//       written from (stdout, reports/tmp/digest-answers.json)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { digestWindow, readWindow, windowOutput } from "../src/commands/digest-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { expectedCalibrationError, macroF1 } from "../src/evaluation/classification.js";
import { scoreHeadline } from "../src/evaluation/rouge.js";
import { brokenHeadlineRules } from "../src/models/summarizer/headline-rules.js";
import { AnswerBook, headlineFromAnswer, VerdictTally } from "../src/models/summarizer/llm/answers.js";
import { promptTokens, type PromptMessage } from "../src/models/summarizer/llm/tokens.js";
import { DEFAULT_HEADLINE_STYLE, HeadlineSynthesizer, type HeadlineStyle } from "../src/models/summarizer/synthesizer/headline-synthesizer.js";
import type { Mood } from "../src/schema/output-schema.js";

const SHARED = new URL("../../shared/", import.meta.url).pathname;
const WINDOWS = `${SHARED}data/windows/windows-dev.jsonl`;
const TRAIN_WINDOWS = `${SHARED}data/windows/windows-train.jsonl`;
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
  brokenHeadlines: number;
  ruleBreaks: Record<string, number>;
  windowsPerSecond: number;
}

/** The simplest baseline: the most repeated message of the window, as written. */
function mostRepeated(w: Window): string {
  const counts = new Map<string, number>();
  for (const m of w.messages) counts.set(m.text, (counts.get(m.text) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

function evaluate(system: string, windows: readonly Window[], run: (w: Window) => { headline: string; mood?: Mood | null; confidence?: number }, reference = WINDOWS): Row {
  // The first pass warms the JIT and loads the models' files; windows/s is the second, steady-state pass, which
  // is what a digest run over many windows sees. Both passes give the same outputs (asserted).
  const outputs = windows.map(run);
  // CPU time, not wall time: the machine is shared, and a busy neighbour slows the clock, not the work.
  const started = process.cpuUsage();
  const again = windows.map(run);
  const used = process.cpuUsage(started);
  const seconds = (used.user + used.system) / 1e6;
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
  const hyp = `reports/tmp/digest-${system.replace(/[^a-z0-9-]+/gi, "-")}.jsonl`;
  writeFileSync(hyp, outputs.map((o, i) => JSON.stringify({ id: (windows[i] as Window).id, headline: o.headline })).join("\n") + "\n");
  const scorer = JSON.parse(execFileSync("node", [SCORER, "rouge", "--ref", reference, "--hyp", hyp, "--json"], { encoding: "utf8" })) as { rougeL: number };
  const withMood = outputs.every((o) => o.mood !== undefined);
  const gold = windows.map((w) => w.mood);
  // A null mood (too little chat) is a miss, never counted as neutral.
  const predicted = outputs.map((o) => o.mood ?? "none");
  const n = windows.length;
  return {
    system,
    rouge1: r1 / n,
    rouge2: r2 / n,
    rougeL: rl / n,
    scorerRougeL: scorer.rougeL,
    meanWords: words / n,
    moodMacroF1: withMood ? macroF1<string>(gold, predicted, MOODS).macroF1 : null,
    confidenceECE: withMood ? expectedCalibrationError(outputs.map((o) => o.confidence ?? 0), predicted.map((p, i) => p === gold[i])) : null,
    ruleBreakShare: broken / n,
    brokenHeadlines: broken,
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
  const c = JSON.parse(readFileSync(path, "utf8")) as { groups?: { level: string; ece: number }[] };
  const windows = c.groups?.find((g) => g.level === "window");
  if (windows === undefined) return "";
  return `Confidence is calibrated on these windows (and train's) by \`npm run fit:confidence\`; its leave-one-stream-out ECE on the labelled windows is **${windows.ece.toFixed(3)}** (docs/confidence-calibration.md); the ECE column below is in-sample.`;
}

/** The honest mood figure from `npm run fit:mood` (this harness's mood macro-F1 is in-sample: the mood model was fitted on dev + train). */
function moodLoso(): string {
  const path = new URL("../docs/mood-eval.json", import.meta.url);
  if (!existsSync(path)) return "Mood model not fitted yet (`npm run fit:mood`).";
  const m = JSON.parse(readFileSync(path, "utf8")) as { windows: number; variants: { name: string; loso: { macroF1: number }; losoDev: { macroF1: number } }[] };
  const shipped = m.variants.find((v) => v.name.includes("(shipped)"));
  if (shipped === undefined) return "";
  return `The mood model is fitted on dev + train by \`npm run fit:mood\`; leave-one-stream-out over its ${m.windows} windows its macro-F1 is **${shipped.loso.macroF1.toFixed(3)}** (${shipped.losoDev.macroF1.toFixed(3)} on the dev part; docs/mood-eval.md); the mood column below is in-sample.`;
}

/** The embedded synthesizer's changes for issue 15, each as the phrasing it ships with or without the change. */
const CHANGES: readonly { change: string; style: Partial<HeadlineStyle> }[] = [
  { change: "topic template only (before: no line reported)", style: { report: "none" } },
  { change: "the line that stands for the window reported in the first sentence's tail (shipped)", style: {} },
  { change: "… reported in the second sentence instead", style: { report: "second" } },
  { change: "… in both sentences", style: { report: "both" } },
];

interface ChangeRow {
  change: string;
  report: HeadlineStyle["report"];
  dev: Row;
  train: Row | undefined;
}

/** The tuner's leave-one-stream-out figure, when it was run for the constants that ship (docs/headline-style.json). */
function leaveOneStreamOut(): { dev: number; train: number; all: number; config: string } | undefined {
  const path = new URL("../docs/headline-style.json", import.meta.url);
  if (!existsSync(path)) return undefined;
  const doc = JSON.parse(readFileSync(path, "utf8")) as { search?: unknown; shipped?: { config?: unknown }; leaveOneStreamOut?: { dev?: unknown; train?: unknown; all?: unknown } };
  const l = doc.leaveOneStreamOut;
  if (doc.search !== "reported-speech" || typeof doc.shipped?.config !== "string" || typeof l?.dev !== "number" || typeof l.train !== "number" || typeof l.all !== "number") return undefined;
  return { dev: l.dev, train: l.train, all: l.all, config: doc.shipped.config };
}

function rows(windows: readonly Window[], reference: string, suffix: string): Row[] {
  const out: Row[] = [];
  for (const summarizer of ["embedded", "extractive"]) {
    const models = setUpModels({ summarizer });
    out.push(evaluate(`${summarizer}${suffix}`, windows, (w) => digestWindow(models, w.messages).output, reference));
  }
  out.push(evaluate(`most-repeated-message${suffix}`, windows, (w) => ({ headline: mostRepeated(w) }), reference));
  return out;
}

function table(rs: readonly Row[], suffix: string): string[] {
  return [
    "| system | ROUGE-1 | ROUGE-2 | ROUGE-L | ROUGE-L (score.mjs) | words | mood macro-F1 | confidence ECE (in-sample) | rule breaks | windows/s |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rs.map((r) => `| ${r.system.slice(0, r.system.length - suffix.length)} | ${fmt(r.rouge1)} | ${fmt(r.rouge2)} | ${fmt(r.rougeL)} | ${fmt(r.scorerRougeL)} | ${r.meanWords.toFixed(1)} | ${fmt(r.moodMacroF1)} | ${fmt(r.confidenceECE)} | ${breaks(r)} | ${r.windowsPerSecond} |`),
  ];
}

function breaks(r: Row): string {
  return `${(100 * r.ruleBreakShare).toFixed(1)} % ${Object.keys(r.ruleBreaks).length > 0 ? `(${Object.entries(r.ruleBreaks).map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}`;
}

function readWindows(path: string): Window[] {
  return readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Window);
}

function main(): void {
  if (!existsSync(WINDOWS)) {
    process.stderr.write(`eval:digest: ${WINDOWS} not found; nothing to evaluate\n`);
    return;
  }
  const windows = readWindows(WINDOWS);
  const answerFiles = labelledArgs(process.argv.slice(2), "--answers");
  if (answerFiles.length > 0) return scoreAnswers(windows, answerFiles, new Map(labelledArgs(process.argv.slice(2), "--prompts").map(({ label, file }) => [label, file])));
  const train = existsSync(TRAIN_WINDOWS) ? readWindows(TRAIN_WINDOWS) : [];
  const dev = rows(windows, WINDOWS, "");
  const trainRows = train.length > 0 ? rows(train, TRAIN_WINDOWS, " (train)") : [];
  const models = setUpModels({ summarizer: "embedded" });
  const changes: ChangeRow[] = CHANGES.map(({ change, style }) => {
    const full = { ...DEFAULT_HEADLINE_STYLE, ...style };
    const variant = { ...models, summarizer: new HeadlineSynthesizer(models.emotes, undefined, full) };
    const run = (w: Window): { headline: string } => digestWindow(variant, w.messages).output;
    return { change, report: full.report, dev: evaluate(`change-${full.report}`, windows, run), train: train.length > 0 ? evaluate(`change-${full.report} (train)`, train, run, TRAIN_WINDOWS) : undefined };
  });
  const loso = leaveOneStreamOut();
  const messages = windows.reduce((n, w) => n + w.messages.length, 0);
  const report = { dataset: "windows-dev", windows: windows.length, trainWindows: train.length, meanMessages: messages / windows.length, node: process.version, date: new Date().toISOString(), rows: dev, trainRows, changes, leaveOneStreamOut: loso ?? null };
  mkdirSync("docs", { recursive: true });
  writeFileSync("docs/digest-eval.json", JSON.stringify(report, null, 2) + "\n");
  const losoText =
    loso === undefined
      ? "The leave-one-stream-out figure is not available yet (`npm run tune:headline-style`)."
      : `Leave-one-stream-out (\`npm run tune:headline-style\`: the tuned constants chosen on the windows of the other recordings, dev and train alike, and scored on the held-out recording's windows): ROUGE-L **${fmt(loso.dev, 4)}** on the dev windows, ${fmt(loso.train, 4)} on the train windows (${loso.config}, the shipped constants).`;
  const md = [
    "# Headline evaluation (dev and train windows)",
    "",
    `${windows.length} dev windows, ${(messages / windows.length).toFixed(0)} messages each on average${train.length > 0 ? `, and ${train.length} train windows` : ""}. \`npm run eval:digest\` regenerates this page; ROUGE is computed as \`../shared/eval/score.mjs rouge\` computes it (the ROUGE-L (score.mjs) column is score.mjs's own figure). Windows/s: \`chatstream digest\`'s whole path (tokenize, sentiment, digest, headline, mood, confidence, clusters) per second of CPU time on one core, second pass over the windows after a warm-up pass; the machine's load average was ${loadavg().map((x) => x.toFixed(1)).join(" / ")} (1 / 5 / 15 min) when this ran.`,
    "",
    crossFitted(),
    "",
    moodLoso(),
    "",
    "## Dev windows",
    "",
    ...table(dev, ""),
    "",
    ...(trainRows.length > 0 ? ["## Train windows", "", ...table(trainRows, " (train)"), ""] : []),
    "## Each change to the embedded synthesizer",
    "",
    "| change | dev ROUGE-L | train ROUGE-L | dev ROUGE-1 / ROUGE-2 | words | rule breaks (dev + train) | windows/s (dev) |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...changes.map((c) => `| ${c.change} | ${fmt(c.dev.rougeL, 4)} | ${c.train === undefined ? "–" : fmt(c.train.rougeL, 4)} | ${fmt(c.dev.rouge1)} / ${fmt(c.dev.rouge2)} | ${c.dev.meanWords.toFixed(1)} | ${c.dev.brokenHeadlines + (c.train?.brokenHeadlines ?? 0)} | ${c.dev.windowsPerSecond} |`),
    "",
    losoText,
    "",
  ].join("\n");
  writeFileSync("docs/digest-eval.md", md);
  process.stdout.write(md);
}

/** `--answers [LABEL=]FILE` or `--prompts LABEL=DIR`, repeatable. */
function labelledArgs(argv: readonly string[], flag: string): { label: string; file: string }[] {
  const out: { label: string; file: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== flag) continue;
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs [LABEL=]PATH`);
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
function scoreAnswers(windows: readonly Window[], files: readonly { label: string; file: string }[], promptDirs: ReadonlyMap<string, string>): void {
  const models = setUpModels({});
  const scored: Row[] = [evaluate("embedded", windows, (w) => digestWindow(models, w.messages).output)];
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
    scored.push(evaluate(`answers-${label}`, windows, (w) => validated.get(w) as ReturnType<typeof windowOutput>));
    scored.push(evaluate(`answers-${label}-raw`, windows, (w) => ({ headline: raw.get(w) ?? "" })));
    const dir = promptDirs.get(label);
    const prompts = dir === undefined ? undefined : meanPromptTokens(dir);
    tallies.push({ label, file, answers: book.size, accepted: tally.accepted, repaired: tally.repaired, fallbacks: windows.length - tally.accepted, refused: Object.fromEntries(tally.refused), unused: book.unused, repeated: book.repeated, badLines: book.badLines, prompts: prompts === undefined ? null : { dir, ...prompts } });
  }
  mkdirSync("reports/tmp", { recursive: true });
  writeFileSync("reports/tmp/digest-answers.json", JSON.stringify({ dataset: "windows-dev", windows: windows.length, date: new Date().toISOString(), rows: scored, answers: tallies }, null, 2) + "\n");
  const md = [
    `${windows.length} dev windows; \`answers-X\`: validated as \`digest --answers\` does (the embedded headline where an answer is missing or refused); \`-raw\`: the answers as written.`,
    "",
    "| system | ROUGE-1 | ROUGE-2 | ROUGE-L | ROUGE-L (score.mjs) | words | rule breaks | fallbacks | prompt tokens (mean) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...scored.map((r) => {
      const t = tallies.find((x) => r.system === `answers-${String(x.label)}`);
      const p = tallies.find((x) => r.system.startsWith(`answers-${String(x.label)}`))?.prompts as { mean: number } | null | undefined;
      return `| ${r.system} | ${fmt(r.rouge1)} | ${fmt(r.rouge2)} | ${fmt(r.rougeL)} | ${fmt(r.scorerRougeL)} | ${r.meanWords.toFixed(1)} | ${(100 * r.ruleBreakShare).toFixed(1)} % | ${t === undefined ? "—" : String(t.fallbacks)} | ${p === undefined || p === null ? "—" : Math.round(p.mean).toLocaleString("en-US")} |`;
    }),
    "",
    ...tallies.map((t) => `- ${String(t.label)}: ${String(t.answers)} answers, ${String(t.accepted)} accepted (${String(t.repaired)} repaired), refused ${JSON.stringify(t.refused)}, ${String(t.unused)} matched no window${t.prompts === null ? "" : `; requests ${JSON.stringify(t.prompts)}`}`),
    "",
  ].join("\n");
  process.stdout.write(md);
}

/** Mean and largest prompt tokens of a `digest --prompts-out` folder, counted as the summarizer counts them. */
function meanPromptTokens(dir: string): { files: number; mean: number; max: number } {
  const counts: number[] = [];
  for (const name of readdirSync(dir).filter((n) => /^\d+\.json$/.test(n))) {
    const value: unknown = JSON.parse(readFileSync(`${dir}/${name}`, "utf8"));
    const messages = (value as { request?: { messages?: unknown } } | null)?.request?.messages;
    const ok = Array.isArray(messages) && messages.every((m: unknown) => typeof (m as { content?: unknown } | null)?.content === "string" && typeof (m as { role?: unknown }).role === "string");
    if (!ok) throw new Error(`${dir}/${name}: not a request file of digest --prompts-out`);
    counts.push(promptTokens(messages as PromptMessage[]));
  }
  return { files: counts.length, mean: counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length), max: Math.max(0, ...counts) };
}

main();
