import type { ChatDigest, MessageGroup } from "../../../aggregation/chat-digest.js";
import type { EmoteDictionary } from "../../../processing/emote-dictionary.js";
import { STOPWORDS } from "../../../processing/stopwords.js";
import { tokenize, type Token } from "../../../processing/tokenizer.js";

/**
 * One line the window prompt quotes: a distinct line of the window (`ChatDigest.lines`, near-duplicates merged by
 * the digest), a question kept apart from the same words said flatly ("viktor?" and "viktor"), or a `!command`
 * (`ChatDigest.commands`). Quoting the window itself, compressed, rather than its top groups: their counts say what
 * chat spams, but the event mostly sits in lines said once (docs/llm.md).
 */
export interface PromptLine {
  text: string;
  count: number;
  /** Order of first appearance in the window: lines are quoted in this order. */
  first: number;
  /**
   * What the line tells beyond itself, for choosing among lines said once when they do not all fit: the content
   * words it shares with the rest of the window (log-weighted by how many other messages use them, the best five),
   * plus its names and numbers.
   */
  information: number;
}

const WORDS_SCORED = 5;
const NAME_WEIGHT = 1;
const NUMBER_WEIGHT = 1;
const MAX_NUMBERS = 3;

/** Content words a line is about (three letters or more, no function words, no emotes, no stretched shouts). */
function contentWords(tokens: readonly Token[]): string[] {
  const words: string[] = [];
  for (const tok of tokens) {
    if (tok.kind !== "word" || tok.elongated || tok.norm.length < 3 || STOPWORDS.has(tok.norm)) continue;
    if (!words.includes(tok.norm)) words.push(tok.norm);
  }
  return words;
}

const TITLE_CASE = /^\p{Lu}\p{Ll}/u;
const ACRONYM = /^\p{Lu}{2,5}$/u;

/** Capitalised words that are not function words ("Cass", "Zelensky", "EU"): most are names. */
function namesIn(tokens: readonly Token[]): number {
  let n = 0;
  for (const tok of tokens) if (tok.kind === "word" && !STOPWORDS.has(tok.norm) && (TITLE_CASE.test(tok.text) || ACRONYM.test(tok.text))) n++;
  return n;
}

function numbersIn(tokens: readonly Token[]): number {
  let n = 0;
  for (const tok of tokens) if (tok.kind === "number") n++;
  return Math.min(n, MAX_NUMBERS);
}

interface Scored {
  line: PromptLine;
  words: readonly string[];
  /** The digest line it comes from (one for both parts of a split question). */
  group: MessageGroup;
}

/**
 * The lines the window prompt quotes, in order of first appearance: the digest's distinct lines (its top groups
 * when it has none: a merged roll-up), a group that both asks and does not split in two, and its `!commands`. The
 * grouping is the digest's own (one notion of a window's lines); only the split, the commands and the information
 * score are the prompt's. Each line is tokenized once more here, on the prompt's path only.
 */
export function promptLines(d: ChatDigest, emotes: EmoteDictionary): PromptLine[] {
  const chat = d.lines ?? d.groups;
  const scored: Scored[] = [];
  const add = (g: MessageGroup, text: string, count: number, first: number, command: boolean): void => {
    const tokens = command ? [] : tokenize(text, emotes).tokens;
    scored.push({ line: { text, count, first, information: NUMBER_WEIGHT * numbersIn(tokens) + NAME_WEIGHT * namesIn(tokens) }, words: contentWords(tokens), group: g });
  };
  chat.forEach((g, i) => {
    // Top groups (no lines) are quoted largest first.
    const first = d.lines === undefined ? i : (g.first ?? i);
    if (g.asked === undefined) add(g, g.text, g.count, first, false);
    else {
      const flatFirst = g.isQuestion ? g.asked.otherFirst : first;
      add(g, g.asked.flatText, g.count - g.asked.count, flatFirst, false);
      add(g, g.asked.text, g.asked.count, g.isQuestion ? first : g.asked.otherFirst, false);
    }
  });
  // Commands come from the same builder, so their `first` interleaves with the lines'; without one, after them.
  (d.commands ?? []).forEach((g, i) => add(g, g.text, g.count, g.first ?? chat.length + i, true));
  // Messages using each content word; a split group's words are counted once, for all its messages.
  const wordMessages = new Map<string, number>();
  const counted = new Set<MessageGroup>();
  for (const s of scored) {
    if (counted.has(s.group)) continue;
    counted.add(s.group);
    for (const w of s.words) wordMessages.set(w, (wordMessages.get(w) ?? 0) + s.group.count);
  }
  for (const s of scored) {
    const shared = s.words.map((w) => Math.log2(1 + Math.max(0, (wordMessages.get(w) ?? 0) - s.line.count))).sort((a, b) => b - a);
    for (let k = 0; k < shared.length && k < WORDS_SCORED; k++) s.line.information += shared[k] as number;
    s.line.information = Math.round(s.line.information * 1000) / 1000;
  }
  return scored.map((s) => s.line).sort((a, b) => a.first - b.first);
}

/** Which lines a prompt over budget keeps first: every repeated line (most repeated first), then the most informative one-offs. */
export function byPriority(a: PromptLine, b: PromptLine): number {
  const repeatedA = a.count > 1 ? 1 : 0;
  const repeatedB = b.count > 1 ? 1 : 0;
  if (repeatedA !== repeatedB) return repeatedB - repeatedA;
  if (repeatedA === 1 && a.count !== b.count) return b.count - a.count;
  return b.information - a.information || a.text.length - b.text.length || a.first - b.first;
}
