import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import type { TokenizedText } from "../../processing/tokenizer.js";
import type { WordPriors } from "./chat-features.js";
import { isLaughter } from "./chat-features.js";
import { CHAT_WORD_POLARITY } from "./lexicon-model.js";

/**
 * Word polarities known before any labelled chat is seen. Built at training time and frozen into the model file,
 * so the embedded model needs neither the lexicon packages nor the chat recordings at run time.
 */

const require = createRequire(import.meta.url);

/**
 * General-purpose lexicons mapped to -1…1: VADER (valence -4…4) and AFINN-165 (-5…5) averaged where both have a
 * word, then the chat slang of the baseline lexicon model on top (it knows "gg", "rip", "pog", "ez" in chat's sense).
 */
export function generalLexicon(): Map<string, number> {
  const sums = new Map<string, [number, number]>();
  const add = (word: string, polarity: number): void => {
    const entry = sums.get(word);
    if (entry) {
      entry[0] += polarity;
      entry[1]++;
    } else sums.set(word, [polarity, 1]);
  };
  const vaderPath = require.resolve("vader-sentiment/vader_lexicon.txt");
  for (const line of readFileSync(vaderPath, "utf8").split("\n")) {
    const [word, mean] = line.split("\t");
    if (!word || mean === undefined || !/^[\p{L}'’]+$/u.test(word)) continue;
    add(word.toLowerCase(), Math.max(-1, Math.min(1, Number(mean) / 4)));
  }
  const afinn = require("sentiment/languages/en/labels.json") as Record<string, number>;
  for (const [word, score] of Object.entries(afinn)) {
    if (/^[\p{L}'’]+$/u.test(word)) add(word.toLowerCase(), score / 5);
  }
  const lexicon = new Map<string, number>();
  for (const [word, [sum, n]] of sums) lexicon.set(word, sum / n);
  for (const [word, polarity] of CHAT_WORD_POLARITY) lexicon.set(word.toLowerCase(), polarity);
  return lexicon;
}

export interface ChatPolarityOptions {
  /** A message counts as positive (negative) when the summed polarity of its emotes/emoji/laughter is ≥ (≤ ±) this. */
  threshold: number;
  /** Words seen with fewer polar messages than this get no chat polarity. */
  minCount: number;
  /** Pseudo-count of the prior (shrinks rare words toward 0). */
  prior: number;
}

export const DEFAULT_CHAT_POLARITY_OPTIONS: ChatPolarityOptions = { threshold: 0.5, minCount: 5, prior: 4 };

/**
 * Distant supervision from emotes: in unlabelled chat, a word that keeps company with LUL and PogChamp leans
 * positive, one that keeps company with BibleThump and DansGame leans negative. Returns, per word, the smoothed
 * log-odds of appearing in an emote-positive rather than an emote-negative message, relative to the base rate,
 * squashed to -1…1. Emotes and laughter themselves are the labels, so they get no entry.
 */
export function learnChatPolarity(
  messages: Iterable<TokenizedText>,
  emotes: EmoteDictionary,
  options: ChatPolarityOptions = DEFAULT_CHAT_POLARITY_OPTIONS,
): Map<string, number> {
  const pos = new Map<string, number>();
  const neg = new Map<string, number>();
  let posMessages = 0;
  let negMessages = 0;
  const seen = new Set<string>();
  for (const msg of messages) {
    let signal = 0;
    for (const tok of msg.tokens) {
      if (tok.kind === "emote") signal += (emotes.emote(tok.norm) ?? emotes.emote(tok.text))?.polarity ?? 0;
      else if (tok.kind === "emoji") signal += emotes.emojiMeaning(tok.norm)?.polarity ?? 0;
      else if (tok.kind === "word" && isLaughter(tok.norm)) signal += 0.8;
    }
    const target = signal >= options.threshold ? pos : signal <= -options.threshold ? neg : undefined;
    if (!target) continue;
    if (target === pos) posMessages++;
    else negMessages++;
    seen.clear();
    for (const tok of msg.tokens) {
      if (tok.kind !== "word" || isLaughter(tok.norm) || seen.has(tok.norm)) continue;
      seen.add(tok.norm);
      target.set(tok.norm, (target.get(tok.norm) ?? 0) + 1);
    }
  }
  const out = new Map<string, number>();
  if (posMessages === 0 || negMessages === 0) return out;
  const posRate = posMessages / (posMessages + negMessages);
  const words = [...new Set([...pos.keys(), ...neg.keys()])].sort();
  for (const word of words) {
    const p = pos.get(word) ?? 0;
    const n = neg.get(word) ?? 0;
    if (p + n < options.minCount) continue;
    const logOdds = Math.log((p + options.prior * posRate) / (n + options.prior * (1 - posRate))) - Math.log(posRate / (1 - posRate));
    out.set(word, Math.tanh(logOdds / 2));
  }
  return out;
}

/** Joins the two sources into the row layout the feature extractor reads. Rows are sorted by word for stable files. */
export function buildWordPriors(lexicon: ReadonlyMap<string, number>, chat: ReadonlyMap<string, number>): WordPriors {
  const words = [...new Set([...lexicon.keys(), ...chat.keys()])].sort();
  const index = new Map<string, number>();
  const lex = new Float32Array(words.length);
  const chatPolarity = new Float32Array(words.length);
  // Rounded to the three decimals the model file keeps, so training sees exactly what the shipped model reads.
  const round3 = (v: number): number => Math.round(v * 1000) / 1000;
  words.forEach((word, row) => {
    index.set(word, row);
    lex[row] = round3(lexicon.get(word) ?? 0);
    chatPolarity[row] = round3(chat.get(word) ?? 0);
  });
  return { index, lexicon: lex, chat: chatPolarity };
}
