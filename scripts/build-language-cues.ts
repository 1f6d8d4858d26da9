// Builds data/language-cues.json: the words German and Indonesian chat types that the stopword lists lack
// ("iya", "jago", "cuy", "digga", "bissl"), learnt from the unlabelled recordings of the two streams against the
// twelve English ones. Statistics only, never messages; deterministic (same data, same file).
//
//   npm run build:language-cues
//
// A word is a cue of language L when, in L's recording (the multilingual dev messages left out, so the dev figures
// stay fair): it is in at least MIN_MESSAGES messages from MIN_USERS chatters (one chatter's spam is no language);
// it is at least MIN_RATIO times as frequent as in the English recordings (smoothed), so code-mixed English ("nice",
// "gg", "wtf") is not; it is written in lower case at least half the time (names are capitalised: "Budi", "Lara",
// "Kamisama" name people, not a language); it is no English word (brill's lexicon: "boom", "cast" and "carry" are
// English wherever they are typed); and `!commands` are left out (their words are the channel's, "!beards").
import { writeFileSync } from "node:fs";
import { brill } from "brill";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { LANGUAGE_CUES_FORMAT, LANGUAGE_CUES_PATH, type LanguageCuesDocument } from "../src/processing/language.js";
import { tokenize } from "../src/processing/tokenizer.js";
import { hasMultilingualLabels, readMultilingualLabelled } from "../src/models/sentiment/multilingual/multilingual-data.js";
import { chatStreams, NON_ENGLISH_STREAMS, readChat, sharedDataDir } from "../src/models/sentiment/shared-data.js";

const STREAMS = { de: "yt-rocketbeanstv-de-20161125-evening", id: "yt-anonim-id-dota2-boom-vs-rng-costream-2022" } as const;
const MIN_MESSAGES = 8;
const MIN_USERS = 4;
const MIN_RATIO = 20;
const MAX_WORDS = 1500;
const WORD = /^\p{Ll}[\p{Ll}'’]*$/u;
const ENGLISH_WORDS = brill as Record<string, string[] | undefined>;

if (!chatStreams().includes(STREAMS.de) || !chatStreams().includes(STREAMS.id) || !hasMultilingualLabels()) {
  console.error(`build-language-cues: the recordings or the multilingual dev set are missing under ${sharedDataDir()}; nothing built.`);
  process.exit(1);
}
const emotes = builtinEmoteDictionary();
const devTexts = new Set(readMultilingualLabelled().map((r) => r.text));

interface WordStats {
  messages: number;
  lower: number;
  all: number;
  users: Set<string>;
}

function count(messages: Iterable<{ text: string; user: string }>): { stats: Map<string, WordStats>; total: number } {
  const stats = new Map<string, WordStats>();
  let total = 0;
  for (const m of messages) {
    if (m.text.trimStart().startsWith("!")) continue;
    total++;
    const seen = new Set<string>();
    for (const tok of tokenize(m.text, emotes).tokens) {
      if (tok.kind !== "word") continue;
      let s = stats.get(tok.norm);
      if (s === undefined) stats.set(tok.norm, (s = { messages: 0, lower: 0, all: 0, users: new Set() }));
      s.all++;
      if (tok.text === tok.text.toLowerCase()) s.lower++;
      if (seen.has(tok.norm)) continue;
      seen.add(tok.norm);
      s.messages++;
      s.users.add(m.user);
    }
  }
  return { stats, total };
}

const english = count(
  (function* () {
    for (const s of chatStreams()) if (!NON_ENGLISH_STREAMS.includes(s)) yield* readChat(s);
  })(),
);
const cues: Record<string, string[]> = {};
for (const [lang, stream] of Object.entries(STREAMS)) {
  const own = count(readChat(stream).filter((m) => !devTexts.has(m.text)));
  const words: [string, number][] = [];
  for (const [word, s] of own.stats) {
    if (!WORD.test(word) || Object.hasOwn(ENGLISH_WORDS, word) || s.messages < MIN_MESSAGES || s.users.size < MIN_USERS || s.lower * 2 < s.all) continue;
    const rate = s.messages / own.total;
    const englishRate = ((english.stats.get(word)?.messages ?? 0) + 1) / english.total;
    if (rate / englishRate < MIN_RATIO) continue;
    words.push([word, s.messages]);
  }
  words.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  cues[lang] = words.slice(0, MAX_WORDS).map(([w]) => w).sort();
  console.log(`${lang}: ${cues[lang]!.length} words (of ${own.stats.size} distinct in ${own.total.toLocaleString("en")} messages), e.g. ${words.slice(0, 25).map(([w]) => w).join(" ")}`);
}
const doc: LanguageCuesDocument = {
  format: LANGUAGE_CUES_FORMAT,
  about:
    "Words of German and Indonesian chat, learnt from the unlabelled recordings of one stream each against the English recordings (scripts/build-language-cues.ts). Read by src/processing/language.ts as language cues.",
  thresholds: { minMessages: MIN_MESSAGES, minUsers: MIN_USERS, minRatio: MIN_RATIO, maxWords: MAX_WORDS },
  cues,
};
writeFileSync(LANGUAGE_CUES_PATH, JSON.stringify(doc, null, 1) + "\n");
console.log(`wrote ${LANGUAGE_CUES_PATH}`);
