import type { MessageGroup } from "../../../aggregation/chat-digest.js";
import { STOPWORDS } from "../../../processing/stopwords.js";
import type { Token } from "../../../processing/tokenizer.js";
import { promotes } from "../on-air-filter.js";
import type { Reaction } from "./reactions.js";
import { reportLine, type ReportedSpeech } from "./reported-speech.js";
import { safeForAir } from "./safe-for-air.js";
import type { WordBackground } from "./word-background.js";

/** What the ranking needs of a line, read once per distinct text (window-structure.ts caches it). */
export interface RankableLine {
  group: MessageGroup;
  tokens: readonly Token[];
  reaction: Reaction | undefined;
  english: boolean;
  /** `lineWordsOf(tokens)`, when the caller keeps it: a line is ranked again in every headline whose window holds it. */
  words?: LineWords;
}

export interface ReportedLine {
  group: MessageGroup;
  speech: ReportedSpeech;
  /** How much of the window the line stands for (see LineRankWeights). */
  score: number;
  /** The line's content words (lower-case). */
  content: readonly string[];
}

/**
 * How a line's share of the window is weighed: the content words it shares with the other lines (each word weighted
 * by its surprisal in chat at large above `floor`, so "game" counts little and "Clockwerk" much), its own repeats
 * (`own`), and a length penalty (`length`: the score is divided by words^length, so a remark beats a paragraph that
 * happens to touch every topic). Chosen by `npm run tune:headline-style` on leave-one-stream-out folds.
 */
export interface LineRankWeights {
  floor: number;
  own: number;
  length: number;
  /** A line scoring less stands for too little of the window to be reported. */
  min: number;
}

export const DEFAULT_LINE_RANK_WEIGHTS: LineRankWeights = { floor: 3, own: 2, length: 1, min: 0 };

// Chat talks to the streamer when a few of its messages say "you": then a request is the streamer's to answer.
const YOU = new Set(["you", "u", "your", "ur", "you're", "youre"]);
const ADDRESSED_MESSAGES = 2;

/**
 * How the window's chat writes its words when it does not shout them ("Jensen" for "JENSEN"), and whom its requests
 * are addressed to: the streamer when chat says "you" to someone, else "them" (the players of a broadcast).
 */
function windowVoice(lines: readonly RankableLine[]): { writtenAs: (lower: string) => string | undefined; addressee: string } {
  const forms = new Map<string, Map<string, number>>();
  let addressing = 0;
  for (const l of lines) {
    let says = false;
    for (const t of l.tokens) {
      if (t.kind !== "word") continue;
      if (YOU.has(t.norm)) says = true;
      if (t.caps || t.elongated) continue;
      const lower = t.text.toLowerCase();
      let f = forms.get(lower);
      if (f === undefined) forms.set(lower, (f = new Map()));
      f.set(t.text, (f.get(t.text) ?? 0) + l.group.count);
    }
    if (says) addressing += l.group.count;
  }
  const writtenAs = (lower: string): string | undefined => {
    const f = forms.get(lower);
    if (f === undefined) return undefined;
    let best: string | undefined;
    let n = 0;
    for (const [form, c] of f) if (c > n) [best, n] = [form, c];
    return best;
  };
  return { writtenAs, addressee: addressing >= ADDRESSED_MESSAGES ? "the streamer" : "them" };
}

/** At most this many reported lines are kept for the headline to choose from. */
const KEEP = 4;
const LAUGH = /^(?:lol+|lmf?ao+|rofl|xd+|kek|kekw|lul|omegalul|(?:ha){2,}h?)$/;

/** What the ranking counts of a line's words: a pure function of its tokens (window-structure.ts keeps it with them). */
export interface LineWords {
  /** Content words, lower-case, each once. */
  content: readonly string[];
  /** Words and numbers, repeats included: the length penalty's count. */
  words: number;
}

export function lineWordsOf(tokens: readonly Token[]): LineWords {
  const content: string[] = [];
  let words = 0;
  for (const t of tokens) {
    if (t.kind !== "word" && t.kind !== "number") continue;
    words++;
    const w = t.norm;
    if ((w.length < 3 && !t.caps) || STOPWORDS.has(w) || LAUGH.test(w) || content.includes(w)) continue;
    content.push(w);
  }
  return { content, words };
}

export interface RankOptions {
  background: WordBackground;
  weights?: LineRankWeights;
  /** Chatters' names (lower-case): a line naming one is not retold. */
  excluded: ReadonlySet<string>;
  /** In a mostly English window, lines in another language are not retold in an English headline. */
  englishOnly: boolean;
}

/**
 * The window's distinct lines that can be retold as reported speech, the ones that stand for most of the window
 * first. Spam with no words, bare emotes, greetings, promotion, links and lines the profanity mask would change are
 * never retold.
 */
export function rankReportedLines(lines: readonly RankableLine[], options: RankOptions): ReportedLine[] {
  const { background, excluded, englishOnly } = options;
  const weights = options.weights ?? DEFAULT_LINE_RANK_WEIGHTS;
  const read = lines.map((l) => l.words ?? lineWordsOf(l.tokens));
  const contents = read.map((r) => r.content);
  // Messages of the window using each word (a line repeated 23 times counts 23).
  const used = new Map<string, number>();
  lines.forEach((l, i) => {
    for (const w of contents[i] as readonly string[]) used.set(w, (used.get(w) ?? 0) + l.group.count);
  });
  const weight = (w: string): number => Math.max(0, background.surprisal(w) - weights.floor);
  const candidates: { index: number; score: number }[] = [];
  lines.forEach((l, i) => {
    const content = contents[i] as readonly string[];
    if (content.length === 0 || l.reaction === "greeting" || (englishOnly && !l.english)) return;
    let shared = 0;
    let own = 0;
    for (const w of content) {
      const wt = weight(w);
      shared += wt * Math.log1p((used.get(w) ?? 0) - l.group.count);
      own += wt;
    }
    const words = (read[i] as LineWords).words;
    const score = (shared + weights.own * Math.log1p(l.group.count - 1) * own) / Math.pow(Math.max(1, words), weights.length);
    if (score > 0 && score >= weights.min) candidates.push({ index: i, score });
  });
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  // Rendering is the costly step: only the best lines are tried, until enough retell.
  const kept: ReportedLine[] = [];
  if (candidates.length === 0) return kept;
  const isName = (w: string): boolean => background.isName(w);
  const isKnownWord = (w: string): boolean => background.has(w);
  const { writtenAs, addressee } = windowVoice(lines);
  for (const { index, score } of candidates) {
    if (kept.length === KEEP) break;
    const line = lines[index] as RankableLine;
    const speech = reportLine(line.group.text, line.tokens, { reaction: line.reaction, isName, excluded, isKnownWord, writtenAs, addressee });
    // A line with a link, a handle, a code or a masked word is not retold at all, nor one that promotes.
    if (speech === undefined || safeForAir(line.group.text) !== line.group.text || promotes(line.group.text) || promotes(speech.phrase) || safeForAir(speech.phrase) !== speech.phrase) continue;
    kept.push({ group: line.group, speech, score, content: contents[index] as readonly string[] });
  }
  return kept;
}
