import type { EmoteDictionary } from "../../../processing/emote-dictionary.js";
import type { TokenizedText } from "../../../processing/tokenizer.js";
import { channelEmoteName, EMOTE_NAME_POLARITY, hashString, isLaughter } from "../chat-features.js";
import { gluedNegation, normaliseWord, reduplicatedShortForm } from "./multilingual-normalise.js";

/**
 * Features of the German and Indonesian sentiment model. A message in one of its languages becomes a short sparse
 * vector written into reused typed arrays: named ("dense") features first, then hashed identity features in a table
 * of 2^hashBits slots.
 *
 * What does not depend on the language is shared by both: emotes, emoji, laughter, emoticons, punctuation, shouting
 * and length (the annotation guidelines read emotes by their community meaning in any language). Words are the
 * language's own: word, bigram and character n-gram hashes are salted by language, so "gas" (Indonesian "go!") and
 * a German "gas" never share a weight, and lexicon and chat polarities come from that language's tables.
 */

/** The languages the model reads, in the order of their bias features. */
export const MULTILINGUAL_LANGUAGES = ["de", "id"] as const;
export type MultilingualLanguage = (typeof MULTILINGUAL_LANGUAGES)[number];
/** English rows can join training (cross-lingual transfer of the language-free and shared-word features). */
export type TrainingLanguage = MultilingualLanguage | "en";

export interface MultilingualFeatureConfig {
  hashBits: number;
  charMin: number;
  charMax: number;
  /** Scale of one character n-gram; divided by sqrt(n-grams in the message). 0 turns them off. */
  charScale: number;
  /** Scale of word bigrams; 0 turns them off. */
  bigramScale: number;
  /** Scale of a second, unsalted word unigram that all languages share (code-mixed "gg", "wtf", "nice"); 0 = off. */
  sharedWordScale?: number;
  /** Indonesian laughter spellings ("awokawok", "wkwkkwk", "xixixi") count as laughter. */
  wideLaughter?: boolean;
  /** Scale of the unigram of a stretched word squeezed to single letters ("KONTOOLLLL" → "kontol", "gilaa" → "gila"). */
  squeezedScale?: number;
  /**
   * Scale of a per-language copy of every named feature, hashed into the table ("frustratingly easy" domain
   * adaptation): the shared weight says what an emote or a `!` means in any language, the copy how one language
   * differs. 0 or absent = off.
   */
  languageDenseScale?: number;
  /**
   * Scale of the unigram of a chat spelling's one form (multilingual-normalise.ts: "bgt" → "banget", "scheiss" →
   * "scheiße"), whose lexicon and chat polarity it also reads when its own spelling has none; with it, Indonesian
   * glued negation ("gaseru" → not "seru"), "kurang" and "tanpa" as negators, and reduplication ("parah parah",
   * "siap2") as a feature of its own. 0 or absent = off.
   */
  normaliseScale?: number;
  /** The languages the normalisation applies to (absent: both). */
  normaliseLanguages?: readonly MultilingualLanguage[];
  /**
   * Reach of a German negator: "next" (the default) flips the NEGATION_REACH words after it; "clause" flips every
   * word of its clause, before it too ("das gefällt mir nicht"), up to punctuation.
   */
  germanNegation?: "next" | "clause";
}

export const DEFAULT_MULTILINGUAL_FEATURES: MultilingualFeatureConfig = {
  hashBits: 18,
  charMin: 2,
  charMax: 5,
  charScale: 1,
  bigramScale: 1,
  sharedWordScale: 1,
  wideLaughter: true,
  squeezedScale: 1,
  normaliseScale: 1,
};

/** Polarity of words known before training, per language: a general lexicon and one learnt from unlabelled chat. */
export interface LanguageWordPriors {
  /** word (token norm) → [lexicon polarity, chat polarity], each -1…1. */
  readonly words: ReadonlyMap<string, readonly [number, number]>;
}

export const MULTILINGUAL_DENSE_FEATURES = [
  "bias",
  "biasDe",
  "biasId",
  "biasEn",
  "emotePos", // Σ positive polarity of emotes, emoji and channel-emote names (× repeat weight)
  "emoteNeg",
  "emoteStrongPos", // emotes/emoji with polarity ≥ 0.5
  "emoteStrongNeg",
  "emoteNeutral", // a known emote/emoji with |polarity| < 0.15
  "emoteOnly",
  "laughter", // haha, xD, wkwk, lol … in any spelling
  "emoticonPos", // :) :D ;) ^^ <3 in the raw text
  "emoticonNeg", // :( :/ -_- T_T
  "lexPos", // Σ positive lexicon polarity of the language's words; inside a negation the sign flips (× 0.74)
  "lexNeg",
  "chatPos", // Σ positive chat-learnt polarity (distant supervision from emotes in the language's unlabelled chat)
  "chatNeg",
  "question",
  "questionOnly",
  "exclamation",
  "capsRatio",
  "shouting",
  "elongated",
  "repeat3",
  "len1",
  "len2to3",
  "len4to7",
  "len8plus",
  "mention",
  "url",
  "numberOnly",
  "noContent",
  "wordCount",
  "command",
] as const;

export const MULTILINGUAL_DENSE_COUNT = MULTILINGUAL_DENSE_FEATURES.length;
const F = Object.fromEntries(MULTILINGUAL_DENSE_FEATURES.map((name, i) => [name, i])) as { [K in (typeof MULTILINGUAL_DENSE_FEATURES)[number]]: number };

/** Words that negate what follows, per language (German from @nlpjs/lang-de's list, Indonesian chat spellings added). */
const NEGATORS: ReadonlyMap<MultilingualLanguage, ReadonlySet<string>> = new Map([
  ["de", new Set(["nicht", "garnicht", "kein", "keine", "keines", "keinem", "keinen", "keiner", "keinesfalls", "keineswegs", "nie", "niemals", "nix", "nichts", "ohne", "net", "nich"])],
  ["id", new Set(["tidak", "tak", "gak", "ga", "gk", "nggak", "ngga", "enggak", "engga", "kagak", "ndak", "tdk", "bukan", "bkn", "jangan", "jgn", "belum", "blm"])],
]);
/** Negators the normalisation adds: Indonesian "kurang" (not enough: "kurang seru") and "tanpa" (without). */
const EXTRA_NEGATORS: ReadonlyMap<MultilingualLanguage, ReadonlySet<string>> = new Map([
  ["de", new Set<string>()],
  ["id", new Set(["kurang", "tanpa"])],
]);
const ENGLISH_NEGATORS: ReadonlySet<string> = new Set(["not", "no", "never", "dont", "don't", "isnt", "isn't", "cant", "can't", "wont", "won't", "nothing", "without", "didnt", "didn't", "doesnt", "doesn't"]);
const NEGATION_REACH = 3;
// Indonesian chat laughs in many spellings of "wkwk" and "awokawok" ("wkwkkwk", "akwokwk", "wakowak"), and "xixixi".
const WIDE_LAUGHTER = /^(?:(?=[wkao]*w)(?=[wkao]*k)[wkao]{4,}|(?:xi){2,}x?|(?:hi){2,}h?|(?:he){2,}h?|(?:ha){2,}h?)$/;

const REPEATED_LETTERS = /(\p{L})\1+/gu;

export function isWideLaughter(norm: string): boolean {
  return WIDE_LAUGHTER.test(norm);
}
const NEGATION_SCALAR = -0.74;

const SALT_WORD = 0x3a5f1c2b;
const SALT_NEGATED = 0x51e7a3c9;
const SALT_BIGRAM = 0x6c8e9cf5;
const SALT_CHAR = 0x2f6b41d3;
const SALT_EMOTE = 0x7d2c4e11;
const SALT_EMOJI = 0x1b3d5f79;
const SALT_SUFFIX = 0x4cf5ad43;
const SALT_DENSE_COPY = 0x63a9e1f7;
const SALT_REDUPLICATED = 0x2d4b6f81;
const FNV_PRIME = 0x01000193;
const BOUNDARY_START = 0x02;
const BOUNDARY_END = 0x03;
const MAX_FEATURES = 4096;

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function repeatWeight(repeat: number): number {
  return repeat <= 1 ? 1 : 1 + 0.5 * Math.log(repeat);
}

/** Classic emoticons in the raw text (the tokenizer keeps none but "<3" and "D:"): +1 or -1 per face. */
function emoticons(text: string, d: Float64Array): void {
  const n = text.length;
  for (let i = 0; i + 1 < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */ || c === 59 /* ; */ || c === 61 /* = */) {
      let j = i + 1;
      const nose = text.charCodeAt(j);
      if (nose === 45 /* - */ || nose === 39 /* ' */) j++;
      const mouth = text.charCodeAt(j);
      const after = j + 1 < n ? text.charCodeAt(j + 1) : 32;
      if ((after >= 65 && after <= 90) || (after >= 97 && after <= 122) || after === 47) continue;
      if (mouth === 41 || mouth === 93 || mouth === 68 || mouth === 80 || mouth === 112 || mouth === 51) d[F.emoticonPos]! += 1; // ) ] D P p 3
      else if (mouth === 40 || mouth === 91 || mouth === 47 || mouth === 92) d[F.emoticonNeg]! += 1; // ( [ / \
    } else if (c === 94 /* ^ */ && (text.charCodeAt(i + 1) === 94 || (text.charCodeAt(i + 1) === 95 && text.charCodeAt(i + 2) === 94))) {
      d[F.emoticonPos]! += 1; // ^^ ^_^
      i += 1;
    } else if (c === 95 /* _ */ && i > 0) {
      const l = text.charCodeAt(i - 1);
      const r = text.charCodeAt(i + 1);
      if ((l === 45 && r === 45) || (l === 84 && r === 84) || (l === 59 && r === 59)) d[F.emoticonNeg]! += 1; // -_- T_T ;_;
    }
  }
}

export class MultilingualFeatureExtractor {
  /** Feature ids of the last message: hashed ones (offset by the dense count), then the non-zero dense ones. */
  readonly ids = new Int32Array(MAX_FEATURES);
  readonly values = new Float32Array(MAX_FEATURES);
  count = 0;
  readonly dimension: number;
  private readonly mask: number;
  private readonly dense = new Float64Array(MULTILINGUAL_DENSE_COUNT);
  /** Per token of the message being read: 1 when a clause-wide German negation covers it. */
  private clauseNegated = new Uint8Array(64);

  constructor(
    private readonly emotes: EmoteDictionary,
    private readonly priors: ReadonlyMap<TrainingLanguage, LanguageWordPriors>,
    readonly config: MultilingualFeatureConfig = DEFAULT_MULTILINGUAL_FEATURES,
  ) {
    this.mask = (1 << config.hashBits) - 1;
    this.dimension = MULTILINGUAL_DENSE_COUNT + (1 << config.hashBits);
  }

  private push(slotHash: number, value: number): void {
    if (this.count >= MAX_FEATURES) return;
    this.ids[this.count] = MULTILINGUAL_DENSE_COUNT + (slotHash & this.mask);
    this.values[this.count++] = value;
  }

  /** Writes the features of one message in `lang` into `ids`/`values`; returns how many there are. */
  extract(tokenized: TokenizedText, text: string, lang: TrainingLanguage): number {
    const d = this.dense;
    d.fill(0);
    this.count = 0;
    const { charMin, charMax, charScale, bigramScale } = this.config;
    const langSalt = lang === "de" ? 0x0d3e : lang === "id" ? 0x01d0 : 0x0e20;
    const words = this.priors.get(lang)?.words;
    const negators = lang === "en" ? ENGLISH_NEGATORS : NEGATORS.get(lang);
    const shared = this.config.sharedWordScale ?? 0;
    const wide = this.config.wideLaughter === true;
    const squeezed = this.config.squeezedScale ?? 0;
    const tokens = tokenized.tokens;
    let grams = 0;
    if (charScale > 0) {
      for (const tok of tokens) {
        if (tok.kind !== "word") continue;
        const span = tok.norm.length + 2;
        for (let n = charMin; n <= charMax && n <= span; n++) grams += span - n + 1;
      }
    }
    const gramValue = grams > 0 ? charScale / Math.sqrt(grams) : 0;
    const normalise = lang !== "en" && (this.config.normaliseLanguages?.includes(lang) ?? true) ? (this.config.normaliseScale ?? 0) : 0;
    const clauseScope = lang === "de" && this.config.germanNegation === "clause" && this.markClauseNegation(tokenized, negators);
    let index = -1;
    let negateLeft = 0;
    let prevHash = 0x9747b28c ^ langSalt;
    let prevWord = false;
    let wordCount = 0;
    let emoteCount = 0;
    let content = 0;
    for (const tok of tokens) {
      index++;
      let tokHash: number;
      let isWord = false;
      switch (tok.kind) {
        case "emote":
        case "emoji": {
          const meaning = tok.kind === "emote" ? (this.emotes.emote(tok.norm) ?? this.emotes.emote(tok.text)) : this.emotes.emojiMeaning(tok.norm);
          const polarity = meaning?.polarity ?? 0;
          const r = repeatWeight(tok.repeat);
          if (polarity > 0) d[F.emotePos]! += polarity * r;
          else d[F.emoteNeg]! -= polarity * r;
          if (polarity >= 0.5) d[F.emoteStrongPos]! += 1;
          else if (polarity <= -0.5) d[F.emoteStrongNeg]! += 1;
          else if (meaning !== undefined && Math.abs(polarity) < 0.15) d[F.emoteNeutral]! += 1;
          tokHash = hashString(tok.norm, tok.kind === "emote" ? SALT_EMOTE : SALT_EMOJI);
          this.push(tokHash, 1);
          emoteCount++;
          content++;
          break;
        }
        case "word": {
          let norm = tok.norm;
          wordCount++;
          content++;
          isWord = true;
          // Normalised form, glued negation and reduplication (off unless normaliseScale > 0).
          let canonical: string | undefined;
          let glued = false;
          if (normalise > 0 && lang !== "en") {
            const short = lang === "id" ? reduplicatedShortForm(norm) : undefined;
            if (short !== undefined || tok.repeat === 2) {
              if (short !== undefined) norm = short;
              this.push(mix(SALT_REDUPLICATED, langSalt), normalise);
            }
            canonical = normaliseWord(norm, lang, tok.elongated);
            if (lang === "id" && canonical === undefined && words?.has(norm) !== true && negators?.has(norm) !== true) {
              const rest = gluedNegation(norm, (w) => words?.has(w) === true || normaliseWord(w, lang, false) !== undefined);
              if (rest !== undefined) {
                norm = rest;
                canonical = normaliseWord(rest, lang, false);
                glued = true;
              }
            }
          }
          const lookup = canonical ?? norm;
          if (negators?.has(norm) === true || (canonical !== undefined && negators?.has(canonical) === true) || (normalise > 0 && lang !== "en" && EXTRA_NEGATORS.get(lang)!.has(lookup))) {
            negateLeft = NEGATION_REACH + 1;
          }
          if (isLaughter(norm) || (wide && isWideLaughter(norm))) d[F.laughter]! += repeatWeight(tok.repeat);
          if (tok.elongated) d[F.elongated] = 1;
          const negated = glued || (negateLeft > 0 && negateLeft <= NEGATION_REACH) || (clauseScope && this.clauseNegated[index] === 1);
          tokHash = hashString(norm, SALT_WORD ^ langSalt);
          this.push(negated ? hashString(norm, SALT_NEGATED ^ langSalt) : tokHash, 1);
          if (canonical !== undefined && canonical !== norm) this.push(hashString(canonical, (negated ? SALT_NEGATED : SALT_WORD) ^ langSalt), normalise);
          if (shared > 0) this.push(hashString(norm, negated ? SALT_NEGATED : SALT_WORD), shared);
          if (squeezed > 0) {
            const one = norm.replace(REPEATED_LETTERS, "$1");
            if (one !== norm) this.push(hashString(one, SALT_WORD ^ langSalt), squeezed);
          }
          const prior = words?.get(norm) ?? (canonical !== undefined ? words?.get(canonical) : undefined);
          if (prior !== undefined) {
            const lex = negated ? NEGATION_SCALAR * prior[0] : prior[0];
            if (lex > 0) d[F.lexPos]! += lex;
            else d[F.lexNeg]! -= lex;
            if (prior[1] > 0) d[F.chatPos]! += prior[1];
            else d[F.chatNeg]! -= prior[1];
          }
          if (gramValue > 0 && !negated) this.charGrams(norm, gramValue, langSalt);
          const suffix = channelEmoteName(tok.text);
          if (suffix !== undefined) {
            // A channel emote ("LaraHype", "nepuLove") says what it means by its name, in any language.
            this.push(hashString(suffix.toLowerCase(), SALT_SUFFIX), 1);
            const polarity = this.namePolarity(suffix);
            if (polarity > 0) d[F.emotePos]! += polarity * repeatWeight(tok.repeat);
            else d[F.emoteNeg]! -= polarity * repeatWeight(tok.repeat);
          }
          break;
        }
        case "punct":
          negateLeft = 0;
          if (tok.norm === "!") d[F.exclamation] = 1;
          tokHash = hashString(tok.norm, SALT_WORD);
          break;
        case "mention":
          d[F.mention] = 1;
          tokHash = hashString("<mention>", SALT_WORD);
          break;
        case "url":
          d[F.url] = 1;
          tokHash = hashString("<url>", SALT_WORD);
          break;
        default:
          content++;
          tokHash = hashString("<num>", SALT_WORD);
          break;
      }
      if (negateLeft > 0) negateLeft--;
      if (bigramScale > 0 && (isWord || prevWord)) this.push(mix(prevHash, tokHash) ^ SALT_BIGRAM, bigramScale);
      prevHash = tokHash;
      prevWord = isWord;
    }
    if (bigramScale > 0 && prevWord) this.push(mix(prevHash, 0x5f356495 ^ langSalt) ^ SALT_BIGRAM, bigramScale);

    emoticons(text, d);
    d[F.bias] = 1;
    d[lang === "de" ? F.biasDe : lang === "id" ? F.biasId : F.biasEn] = 1;
    d[F.question] = tokenized.isQuestion ? 1 : 0;
    d[F.questionOnly] = tokenized.questionOnly ? 1 : 0;
    d[F.command] = tokenized.isCommand ? 1 : 0;
    d[F.capsRatio] = tokenized.capsRatio;
    d[F.shouting] = tokenized.capsRatio >= 0.7 ? 1 : 0;
    d[F.repeat3] = tokenized.maxRepeat >= 3 ? 1 : 0;
    const n = tokens.length;
    d[n <= 1 ? F.len1 : n <= 3 ? F.len2to3 : n <= 7 ? F.len4to7 : F.len8plus] = 1;
    d[F.numberOnly] = content > 0 && wordCount === 0 && emoteCount === 0 ? 1 : 0;
    d[F.noContent] = wordCount === 0 && emoteCount === 0 ? 1 : 0;
    d[F.emoteOnly] = emoteCount > 0 && wordCount === 0 ? 1 : 0;
    d[F.wordCount] = Math.log1p(wordCount);
    const copy = this.config.languageDenseScale ?? 0;
    if (copy > 0) {
      for (let i = 0; i < MULTILINGUAL_DENSE_COUNT; i++) if (d[i] !== 0) this.push(mix(SALT_DENSE_COPY ^ langSalt, i), copy * d[i]!);
    }
    for (let i = 0; i < MULTILINGUAL_DENSE_COUNT && this.count < MAX_FEATURES; i++) {
      const v = d[i]!;
      if (v === 0) continue;
      this.ids[this.count] = i;
      this.values[this.count++] = v;
    }
    return this.count;
  }

  /**
   * Marks every token of a clause (between punctuation) that holds a German negator; true when any is marked. The
   * negator itself keeps its plain feature (it is the cue, not the negated content).
   */
  private markClauseNegation(tokenized: TokenizedText, negators: ReadonlySet<string> | undefined): boolean {
    const tokens = tokenized.tokens;
    if (this.clauseNegated.length < tokens.length) this.clauseNegated = new Uint8Array(tokens.length);
    const marks = this.clauseNegated;
    marks.fill(0, 0, tokens.length);
    let any = false;
    let start = 0;
    for (let i = 0; i <= tokens.length; i++) {
      if (i < tokens.length && tokens[i]!.kind !== "punct") continue;
      let negatorAt = -1;
      for (let j = start; j < i; j++) if (tokens[j]!.kind === "word" && negators?.has(tokens[j]!.norm) === true) negatorAt = j;
      if (negatorAt >= 0) {
        for (let j = start; j < i; j++) if (j !== negatorAt) marks[j] = 1;
        any = true;
      }
      start = i + 1;
    }
    return any;
  }

  private namePolarity(name: string): number {
    const meaning = this.emotes.emote(name) ?? this.emotes.emote(name.toLowerCase());
    if (meaning !== undefined) return meaning.polarity;
    return EMOTE_NAME_POLARITY.get(name.toLowerCase()) ?? 0;
  }

  private charGrams(norm: string, value: number, salt: number): void {
    const { charMin, charMax } = this.config;
    const last = norm.length + 1;
    for (let s = 0; s <= last; s++) {
      let h = (0x811c9dc5 ^ SALT_CHAR ^ salt) >>> 0;
      for (let e = s; e <= last && e - s < charMax; e++) {
        const c = e === 0 ? BOUNDARY_START : e === last ? BOUNDARY_END : norm.charCodeAt(e - 1);
        h = Math.imul(h ^ c, FNV_PRIME);
        if (e - s + 1 >= charMin) this.push(h >>> 0, value);
      }
    }
  }
}
