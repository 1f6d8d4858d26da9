// Builds data/word-background.json: how common each chat word is in general, so the headline synthesizer can tell
// a word that names this window's topic ("Bloodborne", "hotpot") from one every chat uses ("will", "idea").
//
//   npm run build:word-background     (reads ../shared/data/chat/*.jsonl; writes statistics only, never messages)
//
// A word's background rate is the share of messages containing it, averaged over the recordings leaving out the one
// where it is most common: so neither one large stream (LoL Worlds day 2 is a quarter of the corpus) nor one
// stream's copypasta (a bot warning pasted hundreds of times) decides what "common" means. Only words seen in at
// least three recordings are kept: a word of one or two streams is their topic, not background.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { brill } from "brill";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { tokenize } from "../src/processing/tokenizer.js";
import { safeForAir } from "../src/models/summarizer/synthesizer/safe-for-air.js";
import { WORD_BACKGROUND_FORMAT, type WordBackgroundDocument } from "../src/models/summarizer/synthesizer/word-background.js";

const CHAT = new URL("../../shared/data/chat/", import.meta.url).pathname;
const OUT = new URL("../data/word-background.json", import.meta.url).pathname;
const MIN_STREAMS = 3;
const MAX_WORDS = 12_000;

const LEXICON = brill as Record<string, string[] | undefined>;
// The lexicon's tag frequencies come from newswire, where these are mostly verbs; in game chat they are mostly the
// event being watched ("what a play", "that pick", "nice steal"), so they stay nouns.
const CHAT_NOUNS = new Set(["play", "pick", "call", "kill", "throw", "steal", "save", "hit", "push", "build", "lag", "catch"]);

// And the other way round: newswire nouns that chat uses as verbs ("use this", "who cares", "need help").
const CHAT_VERBS = new Set(["use", "care", "need", "hope"]);

function isNotNoun(word: string): boolean {
  if (CHAT_NOUNS.has(word)) return false;
  if (CHAT_VERBS.has(word)) return true;
  const first = LEXICON[word]?.[0];
  return first !== undefined && first !== "" && !first.startsWith("NN") && !/^\d/.test(word);
}

const CAPITALISED = /^\p{Lu}\p{Ll}+$/u;
const LOWER = /^\p{Ll}+$/u;
/** [lower-case, Capitalised] counts of each word after the first of a message. */
const casings = new Map<string, [number, number]>();
const MIN_CAPITALISED = 5;

function isName(word: string): boolean {
  if (!/^[a-z]+$/.test(word)) return false;
  // Chat itself capitalises it at least as often as not: "China", "Messi" (however the lexicon reads "china").
  const [lower, capitalised] = casings.get(word) ?? [0, 0];
  if (capitalised >= MIN_CAPITALISED && capitalised >= lower && !isNotNoun(word)) return true;
  return isLexiconName(word);
}

function isLexiconName(word: string): boolean {
  const capitalised = LEXICON[word.charAt(0).toUpperCase() + word.slice(1)];
  if (capitalised?.[0] !== "NNP") return false;
  // Only words the lexicon never saw in lower case: "Stream" and "Dog" are NNP in (newswire) headlines too.
  return LEXICON[word] === undefined;
}

function main(): void {
  if (!existsSync(CHAT)) {
    process.stderr.write(`build:word-background: ${CHAT} not found; nothing built\n`);
    process.exitCode = 1;
    return;
  }
  const emotes = builtinEmoteDictionary();
  const files = readdirSync(CHAT).filter((f) => f.endsWith(".jsonl")).sort();
  const rates = new Map<string, number[]>();
  casings.clear();
  let messages = 0;
  for (const file of files) {
    const df = new Map<string, number>();
    let n = 0;
    for (const line of readFileSync(CHAT + file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const text = (JSON.parse(line) as { text?: unknown }).text;
      if (typeof text !== "string") continue;
      n++;
      const seen = new Set<string>();
      tokenize(text, emotes).tokens.forEach((tok, i) => {
        if (tok.kind !== "word") return;
        seen.add(tok.norm);
        // How chat cases the word inside a message (the first word is capitalised by habit, not as a name).
        if (i === 0) return;
        const capitalised = CAPITALISED.test(tok.text);
        if (!capitalised && !LOWER.test(tok.text)) return;
        let c = casings.get(tok.norm);
        if (c === undefined) casings.set(tok.norm, (c = [0, 0]));
        c[capitalised ? 1 : 0]++;
      });
      for (const w of seen) df.set(w, (df.get(w) ?? 0) + 1);
    }
    messages += n;
    for (const [w, c] of df) {
      let r = rates.get(w);
      if (r === undefined) rates.set(w, (r = []));
      r.push(c / n);
    }
  }
  const kept = [...rates.entries()]
    .filter(([, r]) => r.length >= MIN_STREAMS)
    .map(([w, r]): [string, number] => [w, (r.reduce((a, b) => a + b, 0) - Math.max(...r)) / (files.length - 1)])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_WORDS);
  const floor = kept[kept.length - 1]?.[1] ?? 1e-6;
  const doc: WordBackgroundDocument = {
    format: WORD_BACKGROUND_FORMAT,
    about: `Share of chat messages containing each word (tokenizer norm), averaged over ${files.length} recordings (${messages} messages); words in at least ${MIN_STREAMS} recordings, the ${kept.length} most common. Built by scripts/build-word-background.ts; statistics only.`,
    floor,
    // The profanity mask is the costly step of a headline: words known to pass it unchanged skip it at run time.
    masked: kept.map(([w]) => w).filter((w) => safeForAir(w) !== w),
    // Words whose likeliest part of speech (Brill tagger lexicon, most frequent tag first) is not a noun: "made",
    // "hot", "afterwards", "give". Chat names what it talks about with nouns and names, so these are never a topic.
    notNouns: kept.map(([w]) => w).filter(isNotNoun),
    // Proper names chat writes in lower case ("nepal", "china"): words the lexicon knows only capitalised, as names,
    // and words chat itself capitalises mid-message at least as often as not. Headlines write them capitalised and
    // without "the".
    // Every word of the recordings is checked, not only the kept ones: a place or a person is often one stream's word.
    names: [...rates.keys()].filter(isName).sort(),
    // Rounded to 3 significant digits of the natural log: plenty for ranking, a third of the file size.
    logRate: Object.fromEntries(kept.map(([w, r]) => [w, Math.round(Math.log(r) * 100) / 100])),
  };
  writeFileSync(OUT, JSON.stringify(doc) + "\n");
  process.stdout.write(`build:word-background: ${kept.length} words from ${messages} messages in ${files.length} recordings → ${OUT}\n`);
}

main();
