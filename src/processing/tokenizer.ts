import type { EmoteSpan } from "../core/message.js";
import type { EmoteDictionary } from "./emote-dictionary.js";

export type TokenKind = "word" | "emote" | "emoji" | "mention" | "url" | "number" | "punct";

export interface Token {
  /** As written (first occurrence when repeats were collapsed). */
  readonly text: string;
  /** Lower-cased with elongations squeezed to two letters ("NOOOOO" → "noo"); emotes keep their case. */
  readonly norm: string;
  readonly kind: TokenKind;
  /** Written in capitals (two or more letters, none lower-case). */
  readonly caps: boolean;
  /** A letter repeated three or more times ("NOOOO", "yesss"). */
  readonly elongated: boolean;
  /** How many times the token occurs back to back ("LUL LUL LUL" → one token with repeat 3). */
  repeat: number;
}

export interface TokenizedText {
  readonly tokens: Token[];
  /** `!command` message. */
  readonly isCommand: boolean;
  /** Nothing but question marks (the "???" reaction). */
  readonly questionOnly: boolean;
  /** Asks something: ends with "?" or opens with a question word. */
  readonly isQuestion: boolean;
  /** Share of letters written in capitals, 0…1 (0 when there are fewer than 4 letters). */
  readonly capsRatio: number;
  /** Largest back-to-back repeat of one token ("LUL LUL LUL" → 3). */
  readonly maxRepeat: number;
  /**
   * Near-duplicate key: distinct normalized content tokens in first-seen order, elongations squeezed to one
   * letter, punctuation, mentions and links dropped. "LUL LUL LUL", "lul" and "LUL  LUL" share one key, so
   * spam and emote walls collapse to one entry with a count.
   */
  readonly signature: string;
}

// One pass over the text with a single precompiled pattern; the alternatives are ordered so that a URL or a
// mention wins over the word inside it. Groups: 1 url, 2 mention, 3 shortcode emote, 4 emoji, 5 word, 6 ?/! run, 7 "<3" / "D:".
const TOKEN_PATTERN =
  /(https?:\/\/\S+|www\.[^\s.]+\.\S+)|(@[\p{L}\p{N}_]+)|(:[A-Za-z0-9_-]+:)|(\p{RI}\p{RI}|\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{EMod})*)|([\p{L}\p{N}_]+(?:['’][\p{L}]+)*)|([?!]+)|(<3|\bD:)/gu;
const ELONGATION = /(\p{L})\1{2,}/gu;
const ELONGATION_TO_ONE = /(\p{L})\1+/gu;
const DIGITS = /^\p{N}+$/u;
const QUESTION_WORDS = new Set(["who", "what", "whats", "what's", "when", "where", "why", "how", "which", "is", "are", "does", "do", "did", "can", "could", "will", "would", "should", "anyone"]);
const SIGNATURE_MAX_TOKENS = 12;

function isUpperLetters(s: string): boolean {
  return s.length >= 2 && s === s.toUpperCase() && s !== s.toLowerCase();
}

function emoteAt(spans: readonly EmoteSpan[] | undefined, index: number): EmoteSpan | undefined {
  if (!spans) return undefined;
  // A span that covers nothing or names nothing (a broken source) is no emote.
  for (const span of spans) if (span.start === index && span.end > span.start && span.name.trim() !== "") return span;
  return undefined;
}

/**
 * Splits a chat message into tokens the later stages can count and score.
 * Emotes are recognised from the source's own emote positions first, then by name in the dictionary.
 */
export function tokenize(text: string, emotes: EmoteDictionary, spans?: readonly EmoteSpan[]): TokenizedText {
  const tokens: Token[] = [];
  let letters = 0;
  let upper = 0;
  let maxRepeat = text.length > 0 ? 1 : 0;
  let prev: Token | undefined;
  TOKEN_PATTERN.lastIndex = 0;
  for (let m = TOKEN_PATTERN.exec(text); m !== null; m = TOKEN_PATTERN.exec(text)) {
    const raw = m[0];
    let kind: TokenKind;
    let norm: string;
    let elongated = false;
    const span = emoteAt(spans, m.index);
    if (span !== undefined || (m[5] !== undefined && emotes.emote(raw) !== undefined) || m[7] !== undefined) {
      kind = "emote";
      norm = span?.name ?? raw;
    } else if (m[3] !== undefined) {
      kind = emotes.emote(raw) !== undefined ? "emote" : "word";
      norm = raw.toLowerCase();
    } else if (m[5] !== undefined) {
      const lower = raw.toLowerCase();
      if (DIGITS.test(raw)) {
        kind = "number";
        norm = lower;
      } else {
        kind = "word";
        norm = lower.replace(ELONGATION, "$1$1");
        elongated = norm.length !== lower.length;
        if (!elongated && emotes.emote(norm) !== undefined) kind = "emote";
      }
    } else if (m[1] !== undefined) {
      kind = "url";
      norm = "<url>";
    } else if (m[2] !== undefined) {
      kind = "mention";
      norm = "<mention>";
    } else if (m[4] !== undefined) {
      kind = "emoji";
      norm = raw;
    } else {
      kind = "punct";
      norm = raw.includes("?") ? "?" : "!";
    }
    if (kind === "word") {
      for (let i = 0; i < raw.length; i++) {
        const c = raw.charCodeAt(i);
        if (c >= 65 && c <= 90) {
          letters++;
          upper++;
        } else if (c >= 97 && c <= 122) letters++;
      }
    }
    if (prev !== undefined && prev.norm === norm && prev.kind === kind) {
      prev.repeat++;
      if (prev.repeat > maxRepeat) maxRepeat = prev.repeat;
      continue;
    }
    prev = { text: raw, norm, kind, caps: kind === "word" && isUpperLetters(raw), elongated, repeat: 1 };
    tokens.push(prev);
  }
  const trimmed = text.trimStart();
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  const questionOnly = tokens.length > 0 && tokens.every((tok) => tok.kind === "punct" && tok.norm === "?") && /^[\s?]+$/.test(text);
  const isQuestion =
    (last !== undefined && last.kind === "punct" && last.norm === "?") || (first !== undefined && first.kind === "word" && QUESTION_WORDS.has(first.norm) && tokens.length >= 3 && text.includes("?"));
  return {
    tokens,
    isCommand: trimmed.length > 1 && trimmed.charCodeAt(0) === 33 /* ! */ && /^![\p{L}\p{N}_]/u.test(trimmed),
    questionOnly,
    isQuestion,
    capsRatio: letters >= 4 ? upper / letters : 0,
    maxRepeat,
    signature: signatureOf(tokens, questionOnly),
  };
}

function signatureOf(tokens: readonly Token[], questionOnly: boolean): string {
  if (questionOnly) return "?";
  const seen: string[] = [];
  for (const tok of tokens) {
    if (tok.kind === "punct" || tok.kind === "mention" || tok.kind === "url") continue;
    const key = tok.elongated ? tok.norm.replace(ELONGATION_TO_ONE, "$1") : tok.kind === "emote" ? tok.norm.toLowerCase() : tok.norm;
    if (!seen.includes(key)) {
      seen.push(key);
      if (seen.length === SIGNATURE_MAX_TOKENS) break;
    }
  }
  return seen.join(" ");
}
