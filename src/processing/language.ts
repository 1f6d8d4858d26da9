import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { TokenizedText } from "./tokenizer.js";

/**
 * The language of one chat message, read once in the per-message stage and shared by every later user: the
 * sentiment models (which model scores the message), the headline synthesizer (which words are function words),
 * and the language mix of windows and roll-ups.
 *
 * Chat lines are short, and the libraries made for the job (tinyld, eld, franc-min) read them poorly and slowly:
 * on the labelled dev lines eld, the best of them, calls 45 % of German and 14 % of English lines something else,
 * at 13–110 µs a line (docs/sentiment.md, `npx tsx scripts/eval-language.ts`). Chat itself says more: emotes,
 * emoji, numbers, mentions, links and chat words ("gg", "lol", "pog") are in no language, laughter is ("wkwk" is
 * Indonesian, "jaja" Spanish, "kkkk" Portuguese), and the function words of a language give it away in two or three
 * words. So a message is read by word lists — the project's own chat cues first, then the stopwords of
 * `stopwords-iso` — and by script; a line with no cue is "und" (undetermined), never a guess.
 */

/** Languages the detector can name (ISO 639-1), and "und" for a line in no language or one it cannot tell. */
export const LANGUAGES = [
  "en", "de", "id", "es", "pt", "fr", "it", "nl", "tr", "tl", "pl", "sv",
  "vi", "zh", "ja", "ko", "ru", "ar", "he", "el", "th", "hi",
] as const;
export type Language = (typeof LANGUAGES)[number];
export type LanguageCode = Language | "und";
export const UNDETERMINED = "und" as const;

/** Latin-script languages read by their words (the first LATIN_COUNT of LANGUAGES). */
const LATIN_COUNT = 12;
const EN = 0;

// ---------------------------------------------------------------------------------------------------------------
// Cue words. The English gate of the embedded sentiment model (languageEvidence below) was trained with exactly these
// lists, so they are frozen with its weights; the detector reads them too, with more words on top.

const ENGLISH_GATE_WORDS =
  "the a an and or but if of to in on at for with from by about as into than then so too very just only also not no yes " +
  "is are was were be been being am do does did done have has had will would can could should shall may might must " +
  "i me my mine you your yours he him his she her hers it its we us our they them their this that these those there here " +
  "what who whom whose which when where why how all any some every each more most much many few other another such " +
  "up down out off over again once now still even ever never always already yet really actually maybe probably " +
  "im i'm dont don't cant can't wont won't isnt isn't didnt didn't doesnt doesn't thats that's its it's youre you're " +
  "lol lmao lmfao rofl omg wtf gg wp ez pls plz thx ty ok okay yeah yea yep nope nah bro dude guys chat stream game " +
  "like get got go going gonna wanna know think see look make take want need good bad great nice best worst love hate " +
  "play played win lost one two first last time right left well back because though";

/** Function words of the languages most often seen in international chat, by language (the gate's FOREIGN list). */
const GATE_CUES: ReadonlyArray<readonly [Language, string]> = [
  [
    "de",
    "ich du der das und ist nicht ein eine einen mit auf sie es wir ihr sind bist haben auch noch mal ja nein aber wenn " +
      "dann schon doch nur mir mich dich dir uns euch wie warum weil oder sehr gut geil jetzt hier immer wieder nichts " +
      "kein keine viel mehr heute morgen bitte schön schon ganz gerade wird wurde werden kann können muss müssen " +
      "oder ob zum zur vom beim dem den des im ins sich sein seine habe hast gibt geht machen macht genau einfach echt",
  ],
  [
    "id",
    "yang dan di ini itu aja gak ga nggak enggak ada tidak kalah menang sama dulu lagi udah sudah mau kok sih deh nya " +
      "apa kenapa siapa banget kita kami aku kamu saya dia juga tapi karena bisa jadi belum kalau kalo gimana anjir " +
      "wkwk wkwkwk bgt emang memang terus gue gua lu lo cuma masih baru orang semua mantap keren parah nih tuh",
  ],
  [
    "es",
    "el los las del que por para como pero muy más mas esta está estoy eso porque tambien también nada bueno vamos " +
      "jaja jajaja jajajaja eres tiene hay hace ser estar ahora todo todos nosotros ellos usted",
  ],
  [
    "pt",
    "não nao sim você voce muito isso então entao está tá com uma ele ela eles elas aqui agora " +
      "kkk kkkk kkkkk pra foi tem vai mais meu minha seu sua nós bom boa",
  ],
  ["fr", "le les des est une pas je tu il elle nous vous ils sont avec pour dans sur mais tres très c'est oui bien"],
  ["it", "non che il della sono questo quella molto perché anche"],
  ["nl", "het een niet ik jij zijn maar ook"],
  ["tr", "ve bir bu de çok cok ne için icin ama gibi var yok evet hayır hayir abi kanka"],
  ["tl", "ang mga ng sa ako ikaw siya hindi oo naman talaga"],
  ["pl", "nie jest się sie tak czy jak"],
  ["sv", "och att det är inte jag"],
];

const ENGLISH = new Set(ENGLISH_GATE_WORDS.split(" "));
const FOREIGN = new Set(
  GATE_CUES.flatMap(([, words]) => words.split(" ")).filter((w) => w.length > 0 && !ENGLISH.has(w)),
);
// Frequent English chat words that happen to be foreign function words too ("die", "was", "man", "me") were
// never put in FOREIGN; the filter above guards against future edits that add one.

/**
 * Words in no language: chat's own vocabulary, shared by every chat that types in Latin letters ("gg" in a German
 * stream is what it is in an English one), and interjections. They say nothing about a line's language.
 */
const CHAT_WORDS =
  "lol lool lmao lmfao rofl xd xdd gg ggs ggwp wp ez ezz pog poggers pogg kek kekw lul omegalul omg wtf ok okay k " +
  "f w l rip hype ah ahh oh ohh eh uh uhh hm hmm hmmm mhm ha hah hehe hihi huh wow woah yo oi ey ay ayy " +
  "gl hf glhf afk brb noob nub op nerf buff xp hp mvp ff gj wtff lmaoo bruh bro sus ggez hai oo ooo super";

/**
 * More words of each language that chat types often and the stopword lists lack (slang, chat spellings,
 * greetings), written from how these chats are typed. A few were settled after reading the detector's mistakes on
 * the recordings and dev lines, and say so: "god", "dat", "wat" are English in chat (Swedish and Dutch stopwords
 * otherwise), "tu" Indonesian too ("itu"), and "ayo", "gas", "bang", "min" shared below.
 */
const EXTRA_CUES: ReadonlyArray<readonly [Language, string]> = [
  [
    "en",
    "lit cool yes yeah yup nice sick god dat wat " +
      "dumb stupid trash insane crazy amazing awesome funny boring sad happy wait what please thanks thank " +
      "everyone anyone someone nobody people guy guys dude lets let's gonna wanna gotta literally definitely " +
      "today tomorrow tonight night morning day week year him her his hers their team player players fight fighting " +
      "hello hi hey bye welcome watching watch stream streamer chat game games",
  ],
  [
    "de",
    "digga diggah alter krass moin servus tschüss tschüs hallo danke dankeschön leute jungs mädels junge jo joa naja achso " +
      "ach boah nee nö nix nichts halt eben mega richtig wirklich eigentlich leider endlich schade lustig witzig toll " +
      "geile geiler scheiße scheisse kacke mist hammer ehre ehrenmann läuft stimmt sicher natürlich gerne freu " +
      "liebe lieb schöne hübsch langweilig dumm blöd doof peinlich traurig abend nacht guten grüße gruß spiel spielen " +
      "gleich vielleicht wieso weshalb wer wo kommt komm gehts geht's gibts gibt's ist's hab habt seid bissl bisschen " +
      "bisl gibt nen ne net nich sowas sone sowieso trotzdem übrigens irgendwie irgendwas",
  ],
  [
    "id",
    "anjay anjing njir njer bangg gan mantul gila bocil gaskeun gass cok jancok goblok bego bodoh tolol " +
      "kocak lucu sedih sabar semangat ayok yuk dong doang gk gw elu udh sdh blm aj cmn yg dgn krn klo " +
      "gmn knp emg bener beneran asli serius kayak kyk kaya pake pakai seru ampun astaga waduh wadu mampus makan " +
      "bikin nonton lg trs gak ngga ngak engga tdk jgn jangan mana sini situ gitu gini begitu begini lah kan pun " +
      "sekarang nanti besok kemarin tadi bagus jelek banyak sedikit kok mah kak bos ntap mantab tu",
  ],
  ["es", "jajaja jeje jejeje hola gracias adios amigo amigos puta puto mierda vamo dale"],
  ["pt", "obrigado obrigada oi olá valeu mano caralho porra tchau"],
  ["fr", "mdr ptdr merci salut bonjour putain wesh"],
  ["it", "ciao grazie cazzo"],
  ["tr", "merhaba teşekkürler tesekkurler kardeşim"],
  ["tl", "salamat po opo"],
  ["pl", "kurwa dzięki dzieki cześć czesc"],
  ["sv", "tack hej"],
];

/**
 * Words two languages share that are frequent in both chats: each gets half a vote for each ("die" is the German
 * article and an English verb, "gas" the Indonesian "go!" and an English noun), so the other words decide.
 */
const SHARED_CUES: ReadonlyArray<readonly [readonly Language[], string]> = [
  [["en", "de"], "die dies war hat bin was man also will so hell kind gift fast bald rat art gross da"],
  [["en", "id"], "ya gas bang min ayo"],
];

// Laughter written the way one language writes it; every other laughter spelling ("haha", "xD") is in none.
// Indonesian chat laughs in many spellings of "wkwk" and "awokawok" ("wkwkkwk", "akwokwk", "wakowak").
const LAUGHTER_BY_LANGUAGE: ReadonlyArray<readonly [RegExp, Language]> = [
  [/^(?:wk){2,}w?$|^wkwk|^(?=[wkao]*w)(?=[wkao]*k)(?=[wkao]*[ao])[wkao]{5,}$|^(?:xi){2,}x?$/, "id"],
  [/^(?:j+[aei]+){2,}j?$/, "es"],
  [/^(?:k{3,}|(?:rs){2,})$/, "pt"],
];
const LAUGHTER_FIRST = new Set(["w", "j", "k", "r", "a", "x"]);

/** The learnt cues: `data/language-cues.json` (scripts/build-language-cues.ts). */
export const LANGUAGE_CUES_PATH = fileURLToPath(new URL("../../data/language-cues.json", import.meta.url));
export const LANGUAGE_CUES_FORMAT = "chatstream-language-cues/1";
export interface LanguageCuesDocument {
  format: string;
  about: string;
  thresholds: Record<string, number>;
  /** Language → its words, sorted. */
  cues: Record<string, string[]>;
}

/** Reads the learnt cues, checking the shape; a missing or malformed file gives none (the lists above still work). */
function readLearntCues(path = LANGUAGE_CUES_PATH): ReadonlyArray<readonly [Language, readonly string[]]> {
  if (!existsSync(path)) return [];
  const doc: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof doc !== "object" || doc === null || (doc as { format?: unknown }).format !== LANGUAGE_CUES_FORMAT) return [];
  const cues = (doc as { cues?: unknown }).cues;
  if (typeof cues !== "object" || cues === null) return [];
  const out: [Language, string[]][] = [];
  for (const [lang, words] of Object.entries(cues)) {
    const known = LANGUAGES.find((l) => l === lang);
    if (known === undefined || !Array.isArray(words)) continue;
    out.push([known, words.filter((w): w is string => typeof w === "string")]);
  }
  return out;
}

/** A vote split over more than 3 languages is no vote. */
const MAX_SHARED = 3;
/** Flag of a weak cue (half a vote): a stopword of a language other than English, German or Indonesian, known from
 * the stopword lists only. Those lists hold words that are names or English elsewhere ("nim", "sto", "local"). */
const WEAK = 1 << 30;
/** Flag of a learnt cue (data/language-cues.json): a word of that chat, often a name ("ngx", "fpi"), not a function word. */
const LEARNT = 1 << 29;
const LANGUAGE_BITS = (1 << LANGUAGES.length) - 1;

interface CueTable {
  /** word → bitmask of the languages it is a cue of (bit i = LANGUAGES[i]); 0 = a chat word, in no language. */
  readonly masks: Map<string, number>;
  /** Per language: its stopwords (stopwords-iso, and for English the project's list too), for topic filters. */
  readonly stopwords: ReadonlyMap<Language, ReadonlySet<string>>;
}

function readStopwordsIso(): ReadonlyMap<string, readonly string[]> {
  const raw: unknown = createRequire(import.meta.url)("stopwords-iso");
  const out = new Map<string, readonly string[]>();
  if (typeof raw !== "object" || raw === null) return out;
  for (const [lang, words] of Object.entries(raw)) {
    if (Array.isArray(words)) out.set(lang, words.filter((w): w is string => typeof w === "string"));
  }
  return out;
}

const WORD_SHAPE = /^[\p{L}][\p{L}'’]*$/u;

function buildCueTable(): CueTable {
  const masks = new Map<string, number>();
  const bit = (lang: Language): number => 1 << LANGUAGES.indexOf(lang);
  const chatWords = new Set(CHAT_WORDS.split(" ").filter((w) => w.length > 0));
  for (const w of chatWords) masks.set(w, 0);
  // Curated words first: they decide a word that the stopword lists also give to another language.
  const curated = new Map<string, number>();
  const addCurated = (lang: Language, words: string): void => {
    for (const w of words.split(" ")) {
      if (w.length === 0 || chatWords.has(w)) continue;
      if (lang !== "en" && ENGLISH.has(w)) continue;
      curated.set(w, (curated.get(w) ?? 0) | bit(lang));
    }
  };
  addCurated("en", ENGLISH_GATE_WORDS);
  for (const [lang, words] of GATE_CUES) addCurated(lang, words);
  for (const [lang, words] of EXTRA_CUES) addCurated(lang, words);
  // An English curated word is English only, unless two languages share it on purpose.
  for (const [w, m] of curated) masks.set(w, m & bit("en") ? bit("en") : m);
  for (const [langs, words] of SHARED_CUES) for (const w of words.split(" ")) masks.set(w, langs.reduce((m, l) => m | bit(l), 0));

  const iso = readStopwordsIso();
  const stopwords = new Map<Language, ReadonlySet<string>>();
  const isoMasks = new Map<string, number>();
  for (let i = 0; i < LATIN_COUNT; i++) {
    const lang = LANGUAGES[i] as Language;
    const list = (iso.get(lang) ?? []).map((w) => w.toLowerCase());
    stopwords.set(lang, new Set(list));
    for (const w of list) {
      if (w.length < 2 || !WORD_SHAPE.test(w) || masks.has(w)) continue;
      isoMasks.set(w, (isoMasks.get(w) ?? 0) | (1 << i));
    }
  }
  // A stopword of English and a minor language is English, English being the language most chat is in; one English
  // shares with German or Indonesian ("er", "es", "per") splits its vote. The curated lists above already decided
  // the frequent ones ("also", "man", "will").
  const core = bit("en") | bit("de") | bit("id");
  for (const [w, m] of isoMasks) masks.set(w, m & core ? (m & core & ~bit("en") ? m & core : bit("en")) : m | WEAK);
  // Learnt chat words last: only words no list above knows.
  for (const [lang, words] of readLearntCues()) {
    for (const w of words) if (!masks.has(w) && !chatWords.has(w)) masks.set(w, bit(lang) | LEARNT);
  }
  for (let i = LATIN_COUNT; i < LANGUAGES.length; i++) {
    const lang = LANGUAGES[i] as Language;
    stopwords.set(lang, new Set((iso.get(lang) ?? []).map((w) => w.toLowerCase())));
  }
  return { masks, stopwords };
}

const CUES = buildCueTable();

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** Script of a letter outside Latin: the language it implies, or -1 for Latin (and marks, digits, symbols). */
function scriptLanguage(c: number): number {
  if (c < 0x0370) return -1; // ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers, combining marks
  if (c < 0x0400) return LANGUAGES.indexOf("el");
  if (c < 0x0530) return LANGUAGES.indexOf("ru"); // Cyrillic
  if (c >= 0x0590 && c < 0x0600) return LANGUAGES.indexOf("he");
  if (c >= 0x0600 && c < 0x0700) return LANGUAGES.indexOf("ar");
  if (c >= 0x0900 && c < 0x0980) return LANGUAGES.indexOf("hi"); // Devanagari
  if (c >= 0x0e00 && c < 0x0e80) return LANGUAGES.indexOf("th");
  if (c >= 0x1e00 && c <= 0x1eff) return LANGUAGES.indexOf("vi"); // Latin Extended Additional: Vietnamese tone marks
  if (c >= 0x3040 && c <= 0x30ff) return LANGUAGES.indexOf("ja"); // kana
  if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) return LANGUAGES.indexOf("zh"); // Han
  if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff)) return LANGUAGES.indexOf("ko"); // Hangul
  return -1;
}

const DOUBLE_LETTERS = /(\p{L})\1+/gu;
const ZH = LANGUAGES.indexOf("zh");
const JA = LANGUAGES.indexOf("ja");
const scores = new Float64Array(LANGUAGES.length);

/**
 * The language of a message's words, or "und" when there is none to tell: a line of emotes, emoji, numbers,
 * names or chat words ("gg", "LUL", "?", "Faker 1v5"), or one whose cues are split. Deterministic and cheap (one map
 * lookup per word); never throws.
 */
export function detectLanguage(tokenized: TokenizedText): LanguageCode {
  const own = detectByCues(tokenized);
  if (fallback === undefined || (own !== UNDETERMINED && !weakDecision) || unknownLetters < FALLBACK_MIN_LETTERS) return own;
  let text = "";
  for (const tok of tokenized.tokens) if (tok.kind === "word") text += (text.length > 0 ? " " : "") + tok.norm;
  return fallback(text) ?? own;
}

let fallback: ((text: string) => LanguageCode | undefined) | undefined;

/**
 * For measurement only (scripts/eval-language.ts): a library asked about the lines the cues leave undecided or decide
 * on little, with the words of the line. Measured with eld and dropped: it read a few more German and Indonesian lines
 * and sent more English ones elsewhere, at 13–22 µs a call (docs/language-eval.md).
 */
export function setLanguageFallback(f: ((text: string) => LanguageCode | undefined) | undefined): void {
  fallback = f;
}
const FALLBACK_MIN_LETTERS = 6;
// What the last detectByCues saw, read by the fallback check right after it.
let unknownLetters = 0;
let weakDecision = false;

function detectByCues(tokenized: TokenizedText): LanguageCode {
  scores.fill(0);
  let any = false;
  unknownLetters = 0;
  weakDecision = false;
  for (const tok of tokenized.tokens) {
    if (tok.kind !== "word") continue;
    const w = tok.norm;
    let mask = CUES.masks.get(w);
    // Stretched spellings ("gilaaa", "Gilleeee", "enaaak") are read as "gila", "gile", "enak"; short ones are not,
    // "woooo" is no "wo".
    if (mask === undefined && tok.elongated) {
      const squeezed = w.replace(DOUBLE_LETTERS, "$1");
      if (squeezed.length >= 4) mask = CUES.masks.get(squeezed);
    }
    if (mask !== undefined) {
      if (mask === 0) continue;
      const langs = mask & LANGUAGE_BITS;
      const shared = popcount(langs);
      if (shared > MAX_SHARED) continue;
      const vote = (mask & WEAK ? 0.5 : 1) / shared;
      for (let i = 0; i < LATIN_COUNT; i++) if (langs & (1 << i)) scores[i]! += vote;
      any = true;
      continue;
    }
    const first = w.charCodeAt(0);
    if (first >= 0x0370 || hasScriptLetter(w)) {
      const script = scriptOf(w);
      if (script >= 0) {
        scores[script]! += 1;
        any = true;
      }
      continue;
    }
    let laughed = false;
    if (LAUGHTER_FIRST.has(w.charAt(0))) {
      // "kkkkk" is squeezed to "kk" in the norm: laughter is read as typed.
      const form = tok.elongated ? tok.text.toLowerCase() : w;
      for (const [pattern, lang] of LAUGHTER_BY_LANGUAGE) {
        if (pattern.test(form)) {
          scores[LANGUAGES.indexOf(lang)]! += 1;
          any = true;
          laughed = true;
          break;
        }
      }
    }
    if (!laughed) unknownLetters += w.length;
  }
  if (!any) return UNDETERMINED;
  // Han characters with kana are Japanese.
  if (scores[JA]! > 0 && scores[ZH]! > 0) {
    scores[JA]! += scores[ZH]!;
    scores[ZH] = 0;
  }
  let best = -1;
  let bestScore = 0;
  let second = 0;
  for (let i = 0; i < LANGUAGES.length; i++) {
    const s = scores[i]!;
    if (s > bestScore) {
      second = bestScore;
      bestScore = s;
      best = i;
    } else if (s > second) second = s;
  }
  // Cues split evenly between two languages ("nice digga") say neither.
  // One weak cue ("local" in Portuguese's stopwords, "nami" in Polish's) decides nothing.
  if (best < 0 || bestScore < 1 || bestScore - second < 0.5) return UNDETERMINED;
  weakDecision = bestScore < 1.5 && unknownLetters > 0;
  return LANGUAGES[best] as Language;
}

/**
 * The English votes the detector counts for a line (one per English cue word of the project's lists or stopwords-iso's
 * English list, half for a word English shares with German or Indonesian): how much an "en" reading rests on.
 * "WHAT A GAME" has 3, "game 3 kah?" 1, "ya ya" 1. Read by the channel prior
 * (channel-language.ts), which scores a thinly English line of a German or Indonesian channel in the channel's language.
 */
export function englishVotes(tokenized: TokenizedText): number {
  let votes = 0;
  for (const tok of tokenized.tokens) {
    if (tok.kind !== "word") continue;
    let mask = CUES.masks.get(tok.norm);
    if (mask === undefined && tok.elongated) {
      const squeezed = tok.norm.replace(DOUBLE_LETTERS, "$1");
      if (squeezed.length >= 4) mask = CUES.masks.get(squeezed);
    }
    if (mask === undefined || (mask & (1 << EN)) === 0) continue;
    const shared = popcount(mask & LANGUAGE_BITS);
    if (shared <= MAX_SHARED) votes += (mask & WEAK ? 0.5 : 1) / shared;
  }
  return votes;
}

function hasScriptLetter(w: string): boolean {
  for (let i = 1; i < w.length; i++) if (w.charCodeAt(i) >= 0x0370 || (w.charCodeAt(i) >= 0x1e00 && w.charCodeAt(i) <= 0x1eff)) return true;
  return false;
}

/** The script language of a word: the first letter outside Latin decides (Vietnamese letters count too). */
function scriptOf(w: string): number {
  for (let i = 0; i < w.length; i++) {
    const s = scriptLanguage(w.charCodeAt(i));
    if (s >= 0) return s;
  }
  return -1;
}

/**
 * Whether the stopword list (stopwords-iso) of a language other than English holds the word: "als" and "bei" in
 * German, "yang" in Indonesian. English lines keep the project's own stopword list (processing/stopwords.ts), which
 * is made for chat; stopwords-iso's English list holds content words ("able", "world") a headline needs.
 */
export function isForeignStopword(word: string, lang: LanguageCode): boolean {
  if (lang === UNDETERMINED || lang === "en") return false;
  return CUES.stopwords.get(lang)?.has(word) ?? false;
}

/**
 * Whether the word is a function or chat word of a language other than English, from the project's lists or the
 * stopwords of German and Indonesian ("obrigado", "als", "bei", "yang", "digga"): what never names a topic. Not the
 * learnt chat words (names among them) nor the stopwords of the other languages alone ("local", "nim").
 */
export function isForeignCue(word: string): boolean {
  const mask = CUES.masks.get(word);
  return mask !== undefined && (mask & (WEAK | LEARNT)) === 0 && (mask & LANGUAGE_BITS) !== 0 && (mask & (1 << EN)) === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// The English gate of the embedded sentiment model: a soft "how English is this" from the same cues, frozen with the
// model's weights (chat-features.ts multiplies every word feature by it).

/** A function word of one of the other languages chat is often written in ("não", "vai", "und", "yang"). */
export function isForeignFunctionWord(word: string): boolean {
  return FOREIGN.has(word);
}

/** True when the word contains a letter outside the Latin script blocks (CJK, Cyrillic, Arabic, Thai, …). */
function hasNonLatinLetter(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 0x0250) continue; // ASCII, Latin-1, Latin Extended-A/B
    if (c >= 0x1e00 && c <= 0x1eff) return true; // Latin Extended Additional: Vietnamese
    if (c >= 0x0300 && c <= 0x036f) continue; // combining marks
    return true;
  }
  return false;
}

/** True when the word contains a Han, kana or Hangul character (Chinese, Japanese, Korean). */
function hasCjkLetter(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) return true;
  }
  return false;
}

/** Letters such as ä, ö, ü, ß, ñ, ç, ã: Latin script, but rare in English words. */
function hasForeignLatinLetter(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0xc0 && c < 0x0250 && c !== 0xd7 && c !== 0xf7) return true;
  }
  return false;
}

export interface LanguageEvidence {
  english: number;
  foreign: number;
  /** The part of `foreign` that is Chinese, Japanese or Korean script. */
  cjk: number;
}

/** Counts English and non-English cues over the word tokens of one message (emotes, emoji, numbers are ignored). */
export function languageEvidence(tokenized: TokenizedText, out: LanguageEvidence = { english: 0, foreign: 0, cjk: 0 }): LanguageEvidence {
  let english = 0;
  let foreign = 0;
  let cjk = 0;
  for (const tok of tokenized.tokens) {
    if (tok.kind !== "word") continue;
    const w = tok.norm;
    if (ENGLISH.has(w)) english++;
    else if (FOREIGN.has(w)) foreign++;
    else if (hasNonLatinLetter(w)) {
      foreign++;
      if (hasCjkLetter(w)) cjk++;
    } else if (hasForeignLatinLetter(w)) foreign += 0.5;
  }
  out.english = english;
  out.foreign = foreign;
  out.cjk = cjk;
  return out;
}

const scratch: LanguageEvidence = { english: 0, foreign: 0, cjk: 0 };

/** Each foreign cue weighs twice an English one; no foreign cue at all means nothing to distrust (1). */
export function confidenceFromEvidence(ev: LanguageEvidence): number {
  return ev.foreign === 0 ? 1 : (ev.english + 0.5) / (ev.english + 0.5 + 2 * ev.foreign);
}

/**
 * Confidence, 0…1, that the words of a message are English. A message without any language cue (only emotes,
 * names, numbers, unknown words) gets 1: there is nothing to distrust. "das ist so geil" (two German function
 * words, one English) comes out near 0.27, "das ist doch nicht dein ernst" near 0.06.
 */
export function languageConfidence(tokenized: TokenizedText): number {
  return confidenceFromEvidence(languageEvidence(tokenized, scratch));
}

/** Whether the pipeline should trust the words of this message as English (emotes and emoji are trusted anyway). */
export function isLikelyEnglish(tokenized: TokenizedText): boolean {
  return languageConfidence(tokenized) >= 0.5;
}
