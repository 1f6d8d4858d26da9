// Chooses the embedded synthesizer's tuned constants without fitting the windows it is judged on: where reported
// lines go and how lines are ranked (line-ranking.ts), or with --phrasing the template's phrasing (HeadlineStyle).
// Every combination is scored on the dev and train windows; the choice is checked by leave-one-stream-out folds
// (pick the best combination on the windows of the other recordings, dev and train alike, score it on the held-out
// recording's windows), so the reported figure is what a window of an unseen stream would get.
//
//   npm run tune:headline-style                   → docs/headline-style.json, docs/headline-style.md
//   npm run tune:headline-style -- --phrasing     → the same for the 972 phrasings (reported-speech constants fixed)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { ChatDigest } from "../src/aggregation/chat-digest.js";
import { digestWindow } from "../src/commands/digest-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { scoreHeadline } from "../src/evaluation/rouge.js";
import { brokenHeadlineRules } from "../src/models/summarizer/headline-rules.js";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { DEFAULT_HEADLINE_STYLE, HeadlineSynthesizer, type HeadlineStyle } from "../src/models/summarizer/synthesizer/headline-synthesizer.js";
import { DEFAULT_LINE_RANK_WEIGHTS, type LineRankWeights } from "../src/models/summarizer/synthesizer/line-ranking.js";
import { analyzeDigest } from "../src/models/summarizer/synthesizer/window-structure.js";
import { builtinWordBackground } from "../src/models/summarizer/synthesizer/word-background.js";

const WINDOWS = new URL("../../shared/data/windows/", import.meta.url).pathname;
const SETS = ["windows-dev", "windows-train"] as const;

interface Window {
  id: string;
  stream: string;
  messages: { t: number; user: string; text: string }[];
  references: string[];
  set: (typeof SETS)[number];
}

interface Config {
  style: HeadlineStyle;
  weights: LineRankWeights;
}

type Options<T> = { [K in keyof T]: readonly T[K][] };

const PHRASING: Options<Omit<HeadlineStyle, "report">> = {
  lead: ["s", "ing", "mixed"],
  emotes: ["spamming", "spam", "first"],
  meaning: ["always", "new", "never"],
  more: ["many", "lot", "few"],
  articles: [true, false],
  others: ["Others", "A few viewers", "mixed"],
  extraEmotes: [true, false],
};

const REPORTING: Options<Pick<HeadlineStyle, "report"> & LineRankWeights> = {
  report: ["none", "tail", "second", "both"],
  min: [0, 5, 10, 20],
  floor: [3, 4, 5],
  length: [0.25, 0.5, 1],
  own: [0.5, 1, 2],
};

function grid<T>(options: Options<T>): T[] {
  let out: Partial<T>[] = [{}];
  for (const [key, values] of Object.entries(options)) out = out.flatMap((s) => (values as readonly unknown[]).map((v) => ({ ...s, [key]: v })));
  return out as T[];
}

function configs(phrasing: boolean): Config[] {
  if (phrasing) return grid(PHRASING).map((p) => ({ style: { ...p, report: DEFAULT_HEADLINE_STYLE.report }, weights: DEFAULT_LINE_RANK_WEIGHTS }));
  const out: Config[] = [];
  for (const r of grid(REPORTING)) {
    const { report, ...weights } = r;
    // With nothing reported the ranking weights change nothing: one configuration stands for them all.
    if (report === "none" && out.some((c) => c.style.report === "none")) continue;
    out.push({ style: { ...DEFAULT_HEADLINE_STYLE, report }, weights });
  }
  return out;
}

const describe = (c: Config, phrasing: boolean): string =>
  phrasing
    ? Object.entries(c.style).filter(([k]) => k !== "report").map(([k, v]) => `${k}=${String(v)}`).join(" ")
    : c.style.report === "none"
      ? "report=none"
      : `report=${c.style.report} min=${c.weights.min} floor=${c.weights.floor} length=${c.weights.length} own=${c.weights.own}`;
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function load(): Window[] {
  return SETS.flatMap((set) => {
    const path = `${WINDOWS}${set}.jsonl`;
    if (!existsSync(path)) return [];
    return readFileSync(path, "utf8").trim().split("\n").map((l) => ({ ...(JSON.parse(l) as Omit<Window, "set">), set }));
  });
}

function main(): void {
  const phrasing = process.argv.includes("--phrasing");
  const windows = load();
  if (windows.length === 0) {
    process.stderr.write(`tune:headline-style: no windows under ${WINDOWS}; nothing to tune\n`);
    return;
  }
  const started = process.cpuUsage();
  const models = setUpModels({ summarizer: "embedded" });
  const digests: ChatDigest[] = windows.map((w) => digestWindow(models, w.messages).digest);
  const all = configs(phrasing);
  const emotes = builtinEmoteDictionary();
  const background = builtinWordBackground();
  // rougeL[config][window], and the headlines of each config that break a rule
  const breaks: number[] = [];
  const scores = all.map((c) => {
    const synth = new HeadlineSynthesizer(emotes, background, c.style, c.weights);
    let broken = 0;
    const row = digests.map((d, i) => {
      const w = windows[i] as Window;
      const h = synth.summarizeWindow(d);
      if (brokenHeadlineRules(h, w.messages).length > 0) broken++;
      return scoreHeadline(h, w.references).rougeL;
    });
    breaks.push(broken);
    return row;
  });
  const streams = [...new Set(windows.map((w) => w.stream))].sort();
  const best = (indices: readonly number[]): number => {
    let bi = 0;
    let bs = -1;
    scores.forEach((row, ci) => {
      const s = mean(indices.map((i) => row[i] as number));
      if (s > bs) [bi, bs] = [ci, s];
    });
    return bi;
  };
  const heldOut = new Array<number>(windows.length).fill(0);
  const folds = streams.map((stream) => {
    const test = windows.flatMap((w, i) => (w.stream === stream ? [i] : []));
    const train = windows.flatMap((w, i) => (w.stream === stream ? [] : [i]));
    const pick = best(train);
    for (const i of test) heldOut[i] = scores[pick]?.[i] as number;
    const of = (set: Window["set"]): number[] => test.filter((i) => windows[i]?.set === set);
    return { stream, dev: of("windows-dev").length, train: of("windows-train").length, config: describe(all[pick] as Config, phrasing), heldOutRougeL: mean(test.map((i) => heldOut[i] as number)) };
  });
  const indices = (set?: Window["set"]): number[] => windows.flatMap((w, i) => (set === undefined || w.set === set ? [i] : []));
  const shipped = all.findIndex((c) => describe(c, phrasing) === describe({ style: DEFAULT_HEADLINE_STYLE, weights: DEFAULT_LINE_RANK_WEIGHTS }, phrasing));
  const inSample = best(indices());
  const figure = (ci: number): { dev: number; train: number; all: number; ruleBreaks: number } => ({
    dev: mean(indices("windows-dev").map((i) => scores[ci]?.[i] as number)),
    train: mean(indices("windows-train").map((i) => scores[ci]?.[i] as number)),
    all: mean(indices().map((i) => scores[ci]?.[i] as number)),
    ruleBreaks: breaks[ci] as number,
  });
  // Ceilings no system reaches, to say how far this template can go: the best configuration for each window
  // chosen after seeing its reference, and the shipped headline's second sentence replaced by the window line
  // (its first 12 words, as chat wrote them) that scores best against the reference.
  const perWindowBest = mean(windows.map((_, i) => Math.max(...scores.map((r) => r[i] as number))));
  const shippedSynth = new HeadlineSynthesizer(emotes, background, DEFAULT_HEADLINE_STYLE, DEFAULT_LINE_RANK_WEIGHTS);
  const bestLine = mean(
    digests.map((d, i) => {
      const refs = (windows[i] as Window).references;
      const [first] = shippedSynth.summarizeWindow(d).split(/(?<=\.)\s+/);
      let best = 0;
      for (const g of d.lines ?? d.groups) {
        const words = g.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
        if (words.length > 0) best = Math.max(best, scoreHeadline(`${first ?? ""} Others say ${words.slice(0, 12).join(" ")}.`, refs).rougeL);
      }
      return best;
    }),
  );
  // How many of the retold lines' words (without their verb) and of chat's words at large are in the reference.
  const share = { retold: [0, 0], chat: [0, 0] };
  digests.forEach((d, i) => {
    const ref = new Set((windows[i] as Window).references.flatMap((r) => r.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));
    const count = (text: string, into: number[], weight = 1): void => {
      for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
        into[0] = (into[0] as number) + (ref.has(w) ? weight : 0);
        into[1] = (into[1] as number) + weight;
      }
    };
    for (const r of analyzeDigest(d, emotes, background, DEFAULT_LINE_RANK_WEIGHTS).reported.slice(0, 1)) count(r.speech.phrase.replace(/^(?:ask|urge \S+(?: \S+)? (?:not )?to|call|laugh at|joke that|say)\s/, ""), share.retold);
    for (const g of d.lines ?? d.groups) count(g.text, share.chat, g.count);
  });
  const cpu = process.cpuUsage(started);
  const report = {
    search: phrasing ? "phrasing" : "reported-speech",
    windows: { dev: indices("windows-dev").length, train: indices("windows-train").length },
    configurations: all.length,
    shipped: { config: describe(all[shipped] as Config, phrasing), ...figure(shipped) },
    inSampleBest: { config: describe(all[inSample] as Config, phrasing), ...figure(inSample) },
    worst: Math.min(...scores.map((r) => mean(r))),
    ceilings: { bestConfigurationPerWindow: perWindowBest, bestLineAsSecondSentence: bestLine },
    wordsInReference: { retoldLine: (share.retold[0] as number) / Math.max(1, share.retold[1] as number), chatMessages: (share.chat[0] as number) / Math.max(1, share.chat[1] as number) },
    leaveOneStreamOut: {
      dev: mean(indices("windows-dev").map((i) => heldOut[i] as number)),
      train: mean(indices("windows-train").map((i) => heldOut[i] as number)),
      all: mean(heldOut),
      folds,
    },
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
  };
  mkdirSync("docs", { recursive: true });
  const name = phrasing ? "headline-style-phrasing" : "headline-style";
  writeFileSync(`docs/${name}.json`, JSON.stringify(report, null, 2) + "\n");
  const f = (x: number): string => x.toFixed(4);
  const md = [
    phrasing ? "# Headline phrasing: leave-one-stream-out choice" : "# Reported speech in the headline: leave-one-stream-out choice",
    "",
    `\`npm run tune:headline-style${phrasing ? " -- --phrasing" : ""}\` scores ${all.length} ${phrasing ? "phrasings of the template (HeadlineStyle; the reported-speech constants at their shipped values)" : "combinations of where reported lines go and how lines are ranked (line-ranking.ts; the phrasing at its shipped values)"} on the ${report.windows.dev} dev and ${report.windows.train} train windows (ROUGE-L as score.mjs computes it). For each of the ${streams.length} recordings the best combination on the windows of the other ${streams.length - 1} is scored on that recording's windows alone (${report.cpuSeconds} s of CPU).`,
    "",
    "| | configuration | dev ROUGE-L | train ROUGE-L | all | headlines breaking a rule |",
    "|---|---|---:|---:|---:|---:|",
    `| shipped | ${report.shipped.config} | ${f(report.shipped.dev)} | ${f(report.shipped.train)} | ${f(report.shipped.all)} | ${report.shipped.ruleBreaks} |`,
    `| best in-sample | ${report.inSampleBest.config} | ${f(report.inSampleBest.dev)} | ${f(report.inSampleBest.train)} | ${f(report.inSampleBest.all)} | ${report.inSampleBest.ruleBreaks} |`,
    `| leave-one-stream-out | picked on the other streams | **${f(report.leaveOneStreamOut.dev)}** | ${f(report.leaveOneStreamOut.train)} | ${f(report.leaveOneStreamOut.all)} | |`,
    "",
    `Worst configuration: ${f(report.worst)}. Ceilings over all ${windows.length} windows, each chosen after seeing the reference (no system can): the best configuration for each window ${f(perWindowBest)}; the shipped first sentence followed by "Others say" and the window line that scores best, its first 12 words as written, ${f(bestLine)}. Words in the reference: ${(100 * report.wordsInReference.retoldLine).toFixed(0)} % of the best retold line's (without its verb), ${(100 * report.wordsInReference.chatMessages).toFixed(0)} % of chat's (every message).`,
    "",
    "| held-out stream | dev windows | train windows | picked on the other streams | held-out ROUGE-L |",
    "|---|---:|---:|---|---:|",
    ...folds.map((x) => `| ${x.stream} | ${x.dev} | ${x.train} | ${x.config} | ${x.heldOutRougeL.toFixed(3)} |`),
    "",
  ].join("\n");
  writeFileSync(`docs/${name}.md`, md);
  process.stdout.write(md);
}

main();
