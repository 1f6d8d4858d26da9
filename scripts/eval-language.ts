// Language identification on short chat lines: the project's detector (src/processing/language.ts) against the
// libraries made for the job, on the labelled dev lines (400 German, 400 Indonesian with `lang`; the 1,000 English
// dev lines) and on the unlabelled recordings (each stream's language from chat/SOURCES.md). Writes
// docs/language-eval.{json,md}.
//
//   npx tsx scripts/eval-language.ts
//
// The libraries are not dependencies of the project; the rows of those installed are measured, the others skipped:
//   npm install --no-save tinyld eld franc-min
import { writeFileSync } from "node:fs";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { detectLanguage, setLanguageFallback, type LanguageCode } from "../src/processing/language.js";
import { tokenize, type TokenizedText } from "../src/processing/tokenizer.js";
import { readMultilingualLabelled, hasMultilingualLabels } from "../src/models/sentiment/multilingual/multilingual-data.js";
import { chatStreams, hasSharedLabels, NON_ENGLISH_STREAMS, readChat, readLabelled, sharedDataDir } from "../src/models/sentiment/shared-data.js";

if (!hasSharedLabels() || !hasMultilingualLabels()) {
  console.log(`eval-language: no labelled data under ${sharedDataDir()}; nothing measured.`);
  process.exit(0);
}
const emotes = builtinEmoteDictionary();

interface Line {
  lang: string;
  text: string;
  tokens: TokenizedText;
}
const labelled: Line[] = [
  ...readMultilingualLabelled().map((r) => ({ lang: r.lang, text: r.text, tokens: tokenize(r.text, emotes) })),
  ...readLabelled("dev").map((r) => ({ lang: "en", text: r.text, tokens: tokenize(r.text, emotes) })),
];
// Unlabelled recordings: every message of the two non-English streams, an even sample of the English ones.
const STREAM_LANGUAGE = new Map([
  ["yt-rocketbeanstv-de-20161125-evening", "de"],
  ["yt-anonim-id-dota2-boom-vs-rng-costream-2022", "id"],
]);
const PER_LANGUAGE = 9_000;
const recorded: Line[] = [];
for (const lang of ["en", "de", "id"]) {
  const streams = chatStreams().filter((s) => (STREAM_LANGUAGE.get(s) ?? (NON_ENGLISH_STREAMS.includes(s) ? "?" : "en")) === lang);
  const texts = streams.flatMap((s) => readChat(s).map((m) => m.text));
  const step = Math.max(1, Math.floor(texts.length / PER_LANGUAGE));
  for (let i = 0; i < texts.length && recorded.filter((l) => l.lang === lang).length < PER_LANGUAGE; i += step) {
    const text = texts[i]!;
    if (text.trimStart().startsWith("!")) continue; // commands are no language
    recorded.push({ lang, text, tokens: tokenize(text, emotes) });
  }
}

type Detector = (line: Line) => string;
const ISO3 = new Map([["eng", "en"], ["deu", "de"], ["ind", "id"], ["zlm", "id"], ["zsm", "id"], ["spa", "es"], ["por", "pt"], ["fra", "fr"], ["ita", "it"], ["nld", "nl"], ["tur", "tr"], ["tgl", "tl"], ["pol", "pl"], ["swe", "sv"]]);
const detectors = new Map<string, Detector>();
detectors.set("chatstream (chat cues + stopwords-iso)", (l) => detectLanguage(l.tokens));
/** Imports a peer library by name when it is installed (they are not dependencies of the project). */
async function peer<T>(name: string): Promise<T | undefined> {
  const specifier: string = name; // not a literal: the type checker must not require the package
  try {
    return (await import(specifier)) as T;
  } catch {
    console.log(`${name}: not installed, its rows are skipped (npm install --no-save ${name.split("/")[0]})`);
    return undefined;
  }
}
// Malay ("ms") is read as Indonesian throughout: the two are one language for this purpose.
const fold = (code: string): string => (code === "ms" ? "id" : code === "" ? "und" : code);
type Eld = { eld: { detect(text: string): { language: string } } };
const tinyld = await peer<{ detect(text: string): string }>("tinyld");
if (tinyld) detectors.set("tinyld", (l) => fold(tinyld.detect(l.text)));
const eldLarge = await peer<Eld>("eld/large");
if (eldLarge) detectors.set("eld (large)", (l) => fold(eldLarge.eld.detect(l.text).language));
const eldSmall = await peer<Eld>("eld/small");
if (eldSmall) detectors.set("eld (small)", (l) => fold(eldSmall.eld.detect(l.text).language));
const franc = await peer<{ franc(text: string): string }>("franc-min");
if (franc) {
  detectors.set("franc-min", (l) => {
    const c = franc.franc(l.text);
    return c === "und" ? "und" : (ISO3.get(c) ?? c);
  });
}
// The combination tried and dropped: the chat cues first, eld on the lines they leave undecided (or decide on one
// weak cue), its answer kept when it is English, German or Indonesian.
for (const [name, lib] of [["eld (small)", eldSmall], ["eld (large)", eldLarge]] as const) {
  if (lib === undefined) continue;
  const allowed = new Set(["en", "de", "id", "ms"]);
  const ask = (text: string): LanguageCode | undefined => {
    const code = lib.eld.detect(text).language;
    return allowed.has(code) ? (fold(code) as LanguageCode) : undefined;
  };
  detectors.set(`chatstream + ${name} on undecided lines`, (l) => {
    setLanguageFallback(ask);
    const out = detectLanguage(l.tokens);
    setLanguageFallback(undefined);
    return out;
  });
}

interface Confusion {
  lines: number;
  /** Share called the line's own language, undetermined, English, and any other language. */
  own: number;
  und: number;
  otherLanguage: number;
  /** Share called another language that is not Chinese, Japanese or Korean (the English dev set holds Chinese lines). */
  otherLatin: number;
  /** Share detected as each code (top 6). */
  top: Record<string, number>;
}
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function confusion(lines: readonly Line[], out: readonly string[], lang: string): Confusion {
  const counts = new Map<string, number>();
  let n = 0;
  lines.forEach((l, i) => {
    if (l.lang !== lang) return;
    n++;
    counts.set(out[i]!, (counts.get(out[i]!) ?? 0) + 1);
  });
  const own = counts.get(lang) ?? 0;
  const und = counts.get("und") ?? 0;
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6);
  const cjk = (counts.get("zh") ?? 0) + (counts.get("ja") ?? 0) + (counts.get("ko") ?? 0);
  return { lines: n, own: round3(own / n), und: round3(und / n), otherLanguage: round3((n - own - und) / n), otherLatin: round3((n - own - und - cjk) / n), top: Object.fromEntries(top.map(([k, v]) => [k, round3(v / n)])) };
}

const report: Record<string, unknown> = {};
const rowsMd: string[] = [];
const decidedMd: string[] = [];
for (const [name, detect] of detectors) {
  const labelledOut = labelled.map(detect); // also the JIT's warm-up
  const cpu0 = process.cpuUsage();
  const recordedOut = recorded.map(detect);
  const cpu = process.cpuUsage(cpu0);
  const microsPerLine = (cpu.user + cpu.system) / recorded.length;
  const entry = {
    cpuMicrosPerLine: Math.round(microsPerLine * 100) / 100,
    labelled: Object.fromEntries(["de", "id", "en"].map((lang) => [lang, confusion(labelled, labelledOut, lang)])),
    recordings: Object.fromEntries(["de", "id", "en"].map((lang) => [lang, confusion(recorded, recordedOut, lang)])),
  };
  report[name] = entry;
  const cell = (c: Confusion): string => `${(100 * c.own).toFixed(1)} / ${(100 * c.und).toFixed(1)} / ${(100 * c.otherLanguage).toFixed(1)}`;
  const en = (c: Confusion): string => `${cell(c)} (${(100 * c.otherLatin).toFixed(1)})`;
  const decided = (c: Confusion): string => (c.own + c.otherLanguage > 0 ? ((100 * c.own) / (c.own + c.otherLanguage)).toFixed(1) : "–");
  decidedMd.push(`| ${name} | ${decided(entry.labelled.de!)} | ${decided(entry.labelled.id!)} | ${decided(entry.labelled.en!)} | ${decided(entry.recordings.de!)} | ${decided(entry.recordings.id!)} | ${decided(entry.recordings.en!)} |`);
  rowsMd.push(`| ${name} | ${cell(entry.labelled.de!)} | ${cell(entry.labelled.id!)} | ${en(entry.labelled.en!)} | ${cell(entry.recordings.de!)} | ${cell(entry.recordings.id!)} | ${en(entry.recordings.en!)} | ${entry.cpuMicrosPerLine.toFixed(1)} |`);
  console.log(name, JSON.stringify(entry.labelled), `${entry.cpuMicrosPerLine} µs`);
}

const md = `# Language identification on chat lines

Generated by \`npx tsx scripts/eval-language.ts\` (libraries measured when installed: \`npm install --no-save tinyld eld franc-min\`).
Each cell: % of the lines called their own language / undetermined (\`und\`) / another language. The labelled lines'
language is their stream's (\`lang\` of the multilingual dev set; English for the English dev set), so a German
stream's "LUL", "❤️" or "gg" counts as German there: \`und\` is the right answer for such lines, and "own" cannot reach
100 %. What must stay near zero is the third figure, above all for English (an English line read as German or
Indonesian would be scored by the wrong model); in brackets for English, that share without Chinese, Japanese
and Korean (the Hong Kong stream's Chinese lines are rightly not English, and the English model reads them). Recordings: up to ${PER_LANGUAGE.toLocaleString("en")} messages per
language, evenly spaced, \`!commands\` left out. CPU time per line over the recordings' lines after a pass over the labelled
ones (pre-tokenized for the detector, raw text for the libraries), one core.

| detector | German dev | Indonesian dev | English dev | German recording | Indonesian recording | English recordings | µs / line |
|---|---|---|---|---|---|---|---|
${rowsMd.join("\n")}

Accuracy on the lines given a language (own / (own + another)), the same runs:

| detector | German dev | Indonesian dev | English dev | German recording | Indonesian recording | English recordings |
|---|---|---|---|---|---|---|
${decidedMd.join("\n")}
`;
writeFileSync(new URL("../docs/language-eval.json", import.meta.url), JSON.stringify(report, null, 1) + "\n");
writeFileSync(new URL("../docs/language-eval.md", import.meta.url), md);
console.log(md);
