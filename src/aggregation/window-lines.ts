import type { ProcessedMessage } from "../processing/message-processor.js";
import { STOPWORDS } from "../processing/stopwords.js";
import type { Token } from "../processing/tokenizer.js";

/**
 * One distinct line of a window: its near-duplicates merged, with how many said it. What an LLM prompt quotes
 * (docs/llm.md): the window itself, compressed, rather than its top groups, whose counts say what chat spams but
 * whose lines rarely say what happened.
 */
export interface WindowLine {
  /** The shortest variant posted (the cleanest form of a spam line), as written. */
  text: string;
  count: number;
  /** Distinct chatters who posted it. */
  users: number;
  /** Index of the line's first message in the window: lines are listed in this order. */
  first: number;
  /** Asks something ("viktor?" is one line, "viktor" another). */
  question: boolean;
  /** A `!command` (counted, kept: "!dotabet" ×16 explains a window). */
  command: boolean;
  /**
   * What the line tells beyond itself, for choosing among lines said once when they do not all fit: the content
   * words it shares with the rest of the window (log-weighted by how many other messages use them, the best five),
   * plus its names and numbers.
   */
  information: number;
}

/**
 * No prompt of the default budget (1,200 tokens) can hold more lines: a quoted line costs at least two tokens.
 * Beyond it the lines kept are every repeated line, then the one-offs that carry most information.
 */
export const DEFAULT_MAX_WINDOW_LINES = 600;
const MAX_LINE_CHARS = 200;
const WORDS_SCORED = 5;
const NAME_WEIGHT = 1;
const NUMBER_WEIGHT = 1;
const MAX_NUMBERS = 3;

interface LineState {
  text: string;
  count: number;
  users: Set<string>;
  first: number;
  question: boolean;
  command: boolean;
  words: readonly string[];
  names: number;
  numbers: number;
}

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

/**
 * The distinct lines of messages[from, to), in order of first appearance. Bots are left out; `!commands` are kept
 * as lines of their own. Lines are keyed by the tokenizer's near-duplicate signature, whether they ask something
 * and whether they are commands. At most `maxLines` are returned; the pass itself is one read of the messages.
 */
export function windowLines(messages: readonly ProcessedMessage[], from = 0, to = messages.length, maxLines = DEFAULT_MAX_WINDOW_LINES): WindowLine[] {
  const lines = new Map<string, LineState>();
  // Messages using each content word, for the information score.
  const wordMessages = new Map<string, number>();
  let index = 0;
  for (let i = from; i < to; i++) {
    const m = messages[i] as ProcessedMessage;
    if (m.ignored === "bot") continue;
    const command = m.ignored === "command";
    const question = m.tokens.isQuestion;
    const key = `${command ? "!" : ""}${question ? "?" : ""}\u0001${m.tokens.signature}`;
    let line = lines.get(key);
    if (line === undefined) {
      const words = command ? [] : contentWords(m.tokens.tokens);
      line = { text: m.text, count: 0, users: new Set(), first: index, question, command, words, names: command ? 0 : namesIn(m.tokens.tokens), numbers: command ? 0 : numbersIn(m.tokens.tokens) };
      lines.set(key, line);
    } else if (m.text.trim().length > 0 && m.text.length < line.text.length) {
      line.text = m.text;
    }
    line.count++;
    line.users.add(m.userId);
    if (!command) for (const w of contentWords(m.tokens.tokens)) wordMessages.set(w, (wordMessages.get(w) ?? 0) + 1);
    index++;
  }
  const out: WindowLine[] = [];
  for (const line of lines.values()) {
    const shared = line.words.map((w) => Math.log2(1 + Math.max(0, (wordMessages.get(w) ?? 0) - line.count))).sort((a, b) => b - a);
    let information = NAME_WEIGHT * line.names + NUMBER_WEIGHT * line.numbers;
    for (let k = 0; k < shared.length && k < WORDS_SCORED; k++) information += shared[k] as number;
    out.push({
      text: line.text.length > MAX_LINE_CHARS ? line.text.slice(0, MAX_LINE_CHARS) : line.text,
      count: line.count,
      users: line.users.size,
      first: line.first,
      question: line.question,
      command: line.command,
      information: Math.round(information * 1000) / 1000,
    });
  }
  if (out.length <= maxLines) return out;
  return [...out].sort(byPriority).slice(0, maxLines).sort((a, b) => a.first - b.first);
}

/** Which lines a bounded list keeps first: every repeated line (most repeated first), then the most informative one-offs. */
export function byPriority(a: WindowLine, b: WindowLine): number {
  const repeatedA = a.count > 1 ? 1 : 0;
  const repeatedB = b.count > 1 ? 1 : 0;
  if (repeatedA !== repeatedB) return repeatedB - repeatedA;
  if (repeatedA === 1 && a.count !== b.count) return b.count - a.count;
  return b.information - a.information || a.text.length - b.text.length || a.first - b.first;
}
