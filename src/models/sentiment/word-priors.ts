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
export function generalLexicon(chatSlang = false): Map<string, number> {
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
  if (chatSlang) for (const [word, polarity] of CHAT_SLANG) lexicon.set(word, polarity);
  return lexicon;
}

/**
 * Live-chat slang the general lexicons lack or read in another sense (TrainerOptions.chatSlang), written from how
 * Twitch and YouTube chat uses the words, never from labelled lines: gaming scorn ("inting", "bottled", "boosted",
 * which VADER reads as a boost), boredom ("snooze", "unwatchable"), disgust ("eww"), contempt ("plebs", "mald"),
 * hostile political name-calling, and praise ("goated", "banger", "lfg"). Lower-case; -1 … 1 like the lexicons.
 */
export const CHAT_SLANG: ReadonlyMap<string, number> = new Map(Object.entries({
  // scorn for play and players
  garbo: -0.8, dogshit: -0.9, thrower: -0.6, throws: -0.5, throwin: -0.5, inting: -0.7, inted: -0.6,
  feeder: -0.6, feeding: -0.5, boosted: -0.6, bottled: -0.6, bottling: -0.6, blunder: -0.5,
  choked: -0.6, choker: -0.7, tilted: -0.5, tilt: -0.4, griefing: -0.6, trolling: -0.4, troll: -0.4, scuffed: -0.5,
  janky: -0.4, jank: -0.3, laggy: -0.5, nerf: -0.3, overpaid: -0.5, flopped: -0.5, ls: -0.5, fraud: -0.7,
  washed: -0.6, bronze: -0.4, hardstuck: -0.6, uninstall: -0.6, refund: -0.5, unwatchable: -0.8,
  // boredom, disgust, dismay
  snooze: -0.6, zzz: -0.5, zzzz: -0.5, yawn: -0.5, eww: -0.6, ew: -0.6, ick: -0.5, yikes: -0.6, oof: -0.4, bruh: -0.3,
  smh: -0.5, sigh: -0.4, nope: -0.3, cringy: -0.7, cringey: -0.7, ripp: -0.5,
  scripted: -0.5, ree: -0.5, reee: -0.5, wtff: -0.5,
  // contempt for people
  pleb: -0.6, plebs: -0.6, peasant: -0.5, peasants: -0.5, mald: -0.5, malding: -0.5, seethe: -0.5, seething: -0.6,
  cope: -0.4, coping: -0.3, ratio: -0.4, manlet: -0.6, soyboy: -0.6, cucked: -0.6, retards: -0.8, clowns: -0.6,
  clown: -0.6, bozo: -0.6, bozos: -0.6, npc: -0.5, npcs: -0.5, noobs: -0.5, scrubs: -0.5, bums: -0.6, simp: -0.4,
  groomer: -0.8, creep: -0.6, weirdo: -0.5, goofy: -0.3, lowlife: -0.8, degenerate: -0.6, loser: -0.7,
  // hostile political name-calling
  propaganda: -0.6, liars: -0.9, crooked: -0.6, corrupt: -0.7, traitor: -0.8,
  treason: -0.7, dictator: -0.6, regime: -0.4, fascist: -0.7, fascists: -0.7, nazi: -0.8, nazis: -0.8, commie: -0.6,
  magats: -0.8, demonrats: -0.8, senile: -0.7, puppet: -0.5, shill: -0.6, grifter: -0.6, impeach: -0.5, resign: -0.4,
  // praise and hype
  goated: 0.9, dub: 0.6, dubs: 0.5, cracked: 0.6, banger: 0.8, bangers: 0.8, peak: 0.5, slaps: 0.6, bussin: 0.7,
  sheesh: 0.6, gigachad: 0.7, chad: 0.5, baller: 0.6, godlike: 0.8, unreal: 0.6, cinema: 0.6, letsgo: 0.8, lesgo: 0.8,
  lessgo: 0.8, letsgoo: 0.8, lfg: 0.8, ily: 0.8, gz: 0.7, grats: 0.7, gratz: 0.7, noice: 0.7,
  legendary: 0.8,
}));

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
  return polarityFromCounts(pos, neg, posMessages, negMessages, options);
}

/**
 * Each word's polarity in [−1, 1] from how often it occurs in positive and negative messages: the smoothed log-odds
 * of the word's counts against the messages' own positive rate, halved through tanh. Words seen fewer than minCount
 * times are left out; words in sorted order, so the map (and a file written from it) is the same on every run.
 */
export function polarityFromCounts(pos: ReadonlyMap<string, number>, neg: ReadonlyMap<string, number>, posMessages: number, negMessages: number, options: ChatPolarityOptions): Map<string, number> {
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
