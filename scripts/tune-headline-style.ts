// Chooses the embedded synthesizer's phrasing (HeadlineStyle) on the dev windows without fitting them: every
// combination of the style's options is scored, and the choice is checked by leave-one-stream-out folds (pick the
// best style on eleven recordings, score it on the twelfth), so the reported figure is what a new window of a
// known stream would get, not what the dev set rewards.
//
//   npm run tune:headline-style      → docs/headline-style.json, docs/headline-style.md
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { ChatDigest } from "../src/aggregation/chat-digest.js";
import { digestWindow } from "../src/commands/digest-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { scoreHeadline } from "../src/evaluation/rouge.js";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { DEFAULT_HEADLINE_STYLE, HeadlineSynthesizer, type HeadlineStyle } from "../src/models/summarizer/synthesizer/headline-synthesizer.js";
import { builtinWordBackground } from "../src/models/summarizer/synthesizer/word-background.js";

const WINDOWS = new URL("../../shared/data/windows/windows-dev.jsonl", import.meta.url).pathname;

interface Window {
  id: string;
  stream: string;
  messages: { t: number; user: string; text: string }[];
  references: string[];
}

const OPTIONS: { [K in keyof HeadlineStyle]: readonly HeadlineStyle[K][] } = {
  lead: ["s", "ing", "mixed"],
  emotes: ["spamming", "spam", "first"],
  meaning: ["always", "new", "never"],
  more: ["many", "lot", "few"],
  articles: [true, false],
  others: ["Others", "A few viewers", "mixed"],
  extraEmotes: [true, false],
};

function styles(): HeadlineStyle[] {
  let out: Partial<HeadlineStyle>[] = [{}];
  for (const [key, values] of Object.entries(OPTIONS)) out = out.flatMap((s) => (values as readonly unknown[]).map((v) => ({ ...s, [key]: v })));
  return out as HeadlineStyle[];
}

const describe = (s: HeadlineStyle): string => Object.entries(s).map(([k, v]) => `${k}=${String(v)}`).join(" ");
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function main(): void {
  if (!existsSync(WINDOWS)) {
    process.stderr.write(`tune:headline-style: ${WINDOWS} not found; nothing to tune\n`);
    return;
  }
  const windows = readFileSync(WINDOWS, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Window);
  const models = setUpModels({ summarizer: "embedded" });
  const digests: ChatDigest[] = windows.map((w) => digestWindow(models, w.messages).digest);
  const all = styles();
  const emotes = builtinEmoteDictionary();
  const background = builtinWordBackground();
  // rougeL[style][window]
  const scores = all.map((style) => {
    const synth = new HeadlineSynthesizer(emotes, background, style);
    return digests.map((d, i) => scoreHeadline(synth.summarizeWindow(d), (windows[i] as Window).references).rougeL);
  });
  const streams = [...new Set(windows.map((w) => w.stream))].sort();
  const best = (indices: readonly number[]): number => {
    let bi = 0;
    let bs = -1;
    scores.forEach((row, si) => {
      const s = mean(indices.map((i) => row[i] as number));
      if (s > bs) [bi, bs] = [si, s];
    });
    return bi;
  };
  const folds = streams.map((stream) => {
    const test = windows.flatMap((w, i) => (w.stream === stream ? [i] : []));
    const train = windows.flatMap((w, i) => (w.stream === stream ? [] : [i]));
    const pick = best(train);
    return { stream, windows: test.length, style: describe(all[pick] as HeadlineStyle), heldOutRougeL: mean(test.map((i) => scores[pick]?.[i] as number)) };
  });
  const everything = windows.map((_, i) => i);
  const inSample = best(everything);
  const defaultIndex = all.findIndex((s) => describe(s) === describe(DEFAULT_HEADLINE_STYLE));
  const report = {
    dataset: "windows-dev",
    styles: all.length,
    default: { style: describe(DEFAULT_HEADLINE_STYLE), rougeL: mean(scores[defaultIndex] ?? []) },
    inSampleBest: { style: describe(all[inSample] as HeadlineStyle), rougeL: mean(scores[inSample] ?? []) },
    worst: Math.min(...scores.map((r) => mean(r))),
    leaveOneStreamOut: { rougeL: folds.reduce((a, f) => a + f.heldOutRougeL * f.windows, 0) / windows.length, folds },
  };
  mkdirSync("docs", { recursive: true });
  writeFileSync("docs/headline-style.json", JSON.stringify(report, null, 2) + "\n");
  const md = [
    "# Headline style: leave-one-stream-out choice",
    "",
    `\`npm run tune:headline-style\` scores all ${all.length} combinations of the embedded synthesizer's phrasing options on the ${windows.length} dev windows (ROUGE-L as score.mjs computes it). For each of the ${streams.length} recordings the best style on the other eleven is scored on that recording's windows alone.`,
    "",
    `- default style (shipped): ${report.default.style} → ROUGE-L **${report.default.rougeL.toFixed(4)}**`,
    `- best style in-sample: ${report.inSampleBest.style} → ${report.inSampleBest.rougeL.toFixed(4)} (worst style ${report.worst.toFixed(4)})`,
    `- leave-one-stream-out (held-out stream, style picked without it): **${report.leaveOneStreamOut.rougeL.toFixed(4)}**`,
    "",
    "| held-out stream | windows | style picked on the other streams | held-out ROUGE-L |",
    "|---|---:|---|---:|",
    ...folds.map((f) => `| ${f.stream} | ${f.windows} | ${f.style} | ${f.heldOutRougeL.toFixed(3)} |`),
    "",
  ].join("\n");
  writeFileSync("docs/headline-style.md", md);
  process.stdout.write(md);
}

main();
