import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import type { TokenizedText } from "../../processing/tokenizer.js";
import { confidenceFromEvidence, languageEvidence, type LanguageEvidence } from "../../processing/language.js";
import type { WordVectors } from "./word-vectors.js";

/**
 * Chat-aware features for the embedded sentiment model: one function feeds both training and the hot path, so
 * the two can never drift apart. A message becomes a short sparse vector written into reused typed arrays:
 * a few dozen named ("dense") features first, then hashed identity features (token unigrams, bigrams, character
 * n-grams of words) in a table of 2^hashBits slots.
 *
 * Word features are multiplied by the language confidence: in a message that is probably not English, a stray
 * word ("die", "gift", "fast") must not decide the class, while emotes, emoji and laughter keep their weight
 * (the annotation guidelines call those "a clear emotional marker" in any language).
 */

export interface FeatureConfig {
  /** log2 of the hashed table size. */
  hashBits: number;
  /** Character n-gram lengths of word tokens, with ^ and $ marking the word boundaries. */
  charMin: number;
  charMax: number;
  /** Scale of one character n-gram; divided by sqrt(n-grams in the message) so long messages do not dominate. */
  charScale: number;
  /** Scale of token bigrams. */
  bigramScale: number;
  /**
   * Chinese, Japanese and Korean text is read like English rather than pulled to neutral: the annotators of the
   * training and dev sets read it (the Hong Kong stream's Chinese chat is labelled by meaning, about half of it
   * polar), so the guideline's "a language you cannot read" does not apply to it. Absent means false.
   */
  readCjk?: boolean;
  /**
   * The name part of channel-shaped emotes ("nepuLove" → "love") as a hashed feature shared by every channel and as
   * emote polarity (EMOTE_NAME_POLARITY, the dictionary, the lexicon). Absent means true.
   */
  channelEmoteNames?: boolean;
  /**
   * Emotes, emoji and channel emotes whose name part the dictionary knows also emit their dictionary meaning
   * ("laughter", "hype") as a hashed feature: LUL, KEKW, OMEGALUL and nepuLul then share what the labels teach about
   * laughter, so an emote the training streams rarely use borrows from those with the same meaning. Absent means false.
   */
  emoteMeaning?: boolean;
  /**
   * Character n-grams of emote names too (lower-cased, in the same slots as word n-grams), so a spelling the
   * dictionary lacks ("KEKWWW", "LULW", "pogggg") shares most of its n-grams with the emote it varies. Not gated by
   * language: emotes mean the same in any language. Absent means false.
   */
  emoteGrams?: boolean;
  /**
   * Laughter written in Chinese, Korean or Japanese chat (哈哈, 嘻嘻, ㅋㅋ, ㅎㅎ, 笑死, ｗｗ) counts as laughter like "lol"
   * and "wkwk". The tokenizer keeps a run of CJK characters as one word ("rip哈哈"), so these are found inside a
   * token, not as a whole one. Absent means false.
   */
  cjkLaughter?: boolean;
  /**
   * Laughter aimed at someone as its own cue (dense `laughterAtPerson`, `laughterAtName`): the guidelines call
   * "LUL" laughter (pos) but "mockery aimed at someone" negative, and a linear model cannot tell the two from
   * laughter and the words added up. At a person: laughter with "you/he/she/they/bro", a @mention or an insult; at a
   * name: laughter with a shouted short name ("EU LUL", "TSM 4Head") or a score ("0-2 LUL"). Absent means false.
   */
  mockery?: boolean;
  /**
   * A stretched word the priors lack is looked up with its doubled letters single ("niceee" → "nicee" → "nice",
   * "baaad" → "bad"); the tokenizer already squeezes runs to two letters. Absent means false.
   */
  squeezeElongation?: boolean;
  /**
   * Emote names built from parts ("MingLUL", "PepegaShake", "PandaPls", "RareW") read through the part the dictionary
   * or the emote-name vocabulary knows, like channel emotes: chat coins variants of known emotes by prefixing or
   * suffixing them, and the variant means what its known part does. Absent means false.
   */
  compoundEmotes?: boolean;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = { hashBits: 18, charMin: 2, charMax: 5, charScale: 1, bigramScale: 1, readCjk: true, cjkLaughter: true };

/** Prior polarity of words, known before training: a general lexicon and one learnt from unlabelled chat. */
export interface WordPriors {
  /** word (token norm) → row. */
  readonly index: ReadonlyMap<string, number>;
  /** -1…1 from general sentiment lexicons (VADER, AFINN) and chat slang; 0 when unknown. */
  readonly lexicon: Float32Array;
  /** -1…1 from co-occurrence with emotes of known polarity in unlabelled chat; 0 when unknown. */
  readonly chat: Float32Array;
  /** Word/emote vectors learnt from unlabelled chat (word-vectors.ts); the mean vector of a message is a feature block. */
  readonly vectors?: WordVectors;
  /**
   * Training only: per hashed slot, the weight of the distant-supervision model (distant-supervision.ts); the message's
   * score under it is the dense feature `distant`. The trainer folds that feature's weights back into the hashed
   * table, so a shipped model has no such table and never computes the feature.
   */
  readonly distant?: Float32Array;
}

/** Names of the dense features, in index order (documented in docs/sentiment.md). */
export const DENSE_FEATURES = [
  "bias",
  "emotePos", // Σ positive dictionary polarity of emotes and emoji (× repeat weight)
  "emoteNeg",
  "emoteStrongPos", // emotes/emoji with polarity ≥ 0.5
  "emoteStrongNeg", // ≤ -0.5
  "emoteNeutral", // known emote/emoji with |polarity| < 0.15
  "lexPos", // Σ positive lexicon polarity (× language confidence); inside a negation the sign flips (× 0.74)
  "lexNeg",
  "chatPos", // Σ positive chat-learnt polarity
  "chatNeg",
  "laughter", // lol, lmao, haha, xD, kekw … (any language)
  "question",
  "questionOnly",
  "command",
  "capsRatio",
  "shouting", // capsRatio ≥ 0.7
  "repeat3", // a token repeated ≥ 3 times back to back
  "logMaxRepeat",
  "len1",
  "len2to3",
  "len4to7",
  "len8plus",
  "mention",
  "url",
  "exclamation",
  "elongated",
  "numberOnly",
  "noContent", // nothing but punctuation, numbers, mentions or links
  "emoteOnly", // only emotes/emoji
  "wordCount",
  "channelEmote", // a word shaped like a channel emote (lower-case prefix + Capitalised name: "nepuLove", "chjbHUG")
  "emoticonPos", // :) :D ;) :P =) ^^ in the raw text (the tokenizer has no token for them)
  "emoticonNeg", // :( :'( :/ -_- T_T
  "maskedSwear", // "***", "f**k": profanity the platform or the author masked
  "insult", // contempt words chat aims at people (INSULTS): "clown", "shill", "npc", "bozo" …
  "emoteMildPos", // emotes/emoji with 0.15 ≤ polarity < 0.5 (TriHard, KappaPride, MingLee): annotators mostly call them pos
  "emoteMildNeg", // -0.5 < polarity ≤ -0.15 (Pepega, Copium)
  "distant", // training only: score of the emote-supervised model on the hashed features (folded into them on encode)
  "laughterAtPerson", // laughter with you/he/she/they/bro, a mention or an insult (FeatureConfig.mockery)
  "laughterAtName", // laughter with a shouted short name (EU, TSM) or a score "0-2" (FeatureConfig.mockery)
] as const;

export const DENSE_COUNT = 40;

const F = Object.fromEntries(DENSE_FEATURES.map((name, i) => [name, i])) as { [K in (typeof DENSE_FEATURES)[number]]: number };

const NEGATORS = new Set([
  "not", "no", "never", "dont", "don't", "isnt", "isn't", "wasnt", "wasn't", "aint", "ain't", "cant", "can't", "cannot",
  "doesnt", "doesn't", "didnt", "didn't", "wont", "won't", "nothing", "without", "nobody", "neither", "nor", "hardly",
  "shouldnt", "shouldn't", "wouldnt", "wouldn't", "couldnt", "couldn't", "arent", "aren't", "werent", "weren't", "havent", "haven't",
]);
const NEGATION_REACH = 3;
/**
 * Words of contempt aimed at people, from chat and comment sections, that the general lexicons (VADER, AFINN) lack or
 * score mildly. The guidelines label insults and mockery aimed at someone negative; the training set is too small to
 * learn each of these from its own examples, so one shared feature lets every insult borrow the strength of the others.
 */
export const INSULTS: ReadonlySet<string> = new Set([
  "clown", "clowns", "clownery", "shill", "shills", "npc", "npcs", "sheep", "sheeple", "bozo", "bozos", "muppet", "donkey",
  "scrub", "scrubs", "noob", "noobs", "nub", "bronze", "bronzie", "bronzy", "hardstuck", "washed", "overrated", "fraud",
  "frauds", "choker", "chokers", "bum", "bums", "dogwater", "trash", "garbage", "loser", "losers", "moron", "morons",
  "moronic", "idiot", "idiots", "idiotic", "imbecile", "dumbass", "dumb", "stupid", "retard", "retarded", "tard", "pepega",
  "braindead", "brainless", "clueless", "incompetent", "useless", "pathetic", "cringe", "creep", "creepy", "pedo",
  "cuck", "simp", "simps", "snowflake", "snowflakes", "libtard", "libtards", "commie", "commies", "fascist", "fascists",
  "nazi", "nazis", "traitor", "traitors", "hypocrite", "hypocrites", "puppet", "liar", "liars", "crook", "crooks",
  "thief", "thieves", "rat", "rats", "snake", "snakes", "coward", "cowards", "wimp", "wimps", "weakling", "mouthbreather",
  "mouthbreathers", "boomer", "karen", "grifter", "grifters", "scammer", "scammers", "kys", "stfu", "gtfo", "trashcan",
  "jackass", "asshole", "assholes", "bitch", "bitches", "dickhead", "prick", "scumbag", "scum", "parasite", "parasites",
  "degenerate", "degenerates", "lowlife", "ugly", "fatass", "drunk", "crackhead", "junkie", "neckbeard", "virgin", "incel",
]);
/** Who mockery is aimed at: second and third person, and chat's ways of addressing someone. */
export const MOCKERY_TARGETS: ReadonlySet<string> = new Set([
  "you", "your", "youre", "you're", "ur", "u", "ya", "he", "hes", "he's", "him", "his", "she", "shes", "she's", "her",
  "they", "theyre", "they're", "them", "their", "bro", "bruv", "dude", "buddy", "pal", "guy", "guys", "streamer",
]);
// Shock and disbelief in capitals ("WTF LUL", "OMG LUL"): not a name.
const NOT_NAMES = new Set(["wtf", "wtff", "omg", "omfg", "ok", "okay", "lol", "lmao", "xd", "gg", "ggs", "ez", "rip", "yes", "no", "oh", "wow", "the", "and", "is", "a", "i", "my", "me", "so", "too", "im"]);
const SCORE = /\d\s?[-–]\s?\d/;
// Names of channel emotes that laugh (nepuLul, archKEKW).
const LAUGHING_NAMES = new Set(["lul", "lol", "lulw", "kek", "kekw", "omegalul", "lmao", "xd", "heh", "hehe", "giggle", "laugh"]);
const NEGATION_SCALAR = -0.74;
/** Neutral-logit offset of a message with no English in it (language confidence 0). */
export const NEUTRAL_PULL = 3;
// Laughter in chat spellings, matched on the token norm (lower-case, elongation squeezed to two letters).
const LAUGHTER = /^(?:l+o+l+(?:o+l+)*|lm+f?a+o+|rofl|x+d+|kek[ws]?|lu+l[we]?|omegalu+l|(?:a?h+[aei]+){2,}h?|(?:j+[aei]+){2,}|(?:wk)+w?|lel|bwa+h+a*)$/;

// Only tested on tokens that begin or end in a character at or above U+1100 (Hangul, CJK, full-width forms).
const CJK_LAUGHTER = /哈哈|嘻嘻|嘿嘿|ㅋㅋ|ㅎㅎ|笑死|ｗｗ/;

/** Whether a word token (its norm) holds Chinese, Korean or Japanese laughter (see FeatureConfig.cjkLaughter). */
export function hasCjkLaughter(norm: string): boolean {
  const n = norm.length;
  return n >= 2 && (norm.charCodeAt(0) >= 0x1100 || norm.charCodeAt(n - 1) >= 0x1100) && CJK_LAUGHTER.test(norm);
}

export function isLaughter(norm: string): boolean {
  return LAUGHTER.test(norm);
}

export function isNegator(norm: string): boolean {
  return NEGATORS.has(norm);
}

// FNV-1a over UTF-16 code units, salted per feature family so "lol" the word and "lol" the bigram part differ.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SALT_WORD = 0x1b873593;
const SALT_NEGATED = 0x68e31da4;
const SALT_EMOTE = 0x2c1b3c6d;
const SALT_EMOJI = 0x297a2d39;
const SALT_CHAR = 0x5bd1e995;
const SALT_BIGRAM = 0x3c6ef372;
const SALT_OTHER = 0x7f4a7c15;
const SALT_SUFFIX = 0x4cf5ad43;
const SALT_MEANING = 0x1d8e4e27;
const BOUNDARY_START = 0x02;
const BOUNDARY_END = 0x03;

export function hashString(s: string, salt: number): number {
  let h = (FNV_OFFSET ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The name part of a word shaped like a Twitch channel emote: 2–10 lower-case letters or digits, then a capital
 * and at least two more characters ("nepuLove" → "Love", "ch4iGIGGLE" → "GIGGLE"); undefined otherwise.
 */
export function channelEmoteName(text: string): string | undefined {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) i++;
    else break;
  }
  if (i < 2 || i > 10 || n - i < 3) return undefined;
  const first = text.charCodeAt(i);
  if (first < 65 || first > 90) return undefined;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return undefined;
  }
  return text.slice(i);
}

/**
 * What the name part of a channel emote means when it is not a known emote ("nepuHeh", "tyler1Sleeper", "nepuNAILS"):
 * streamers name emotes after a small shared vocabulary (reactions, gestures, well-known emotes), and several of those
 * names mean something else, or nothing, as plain words ("Heh" is a laugh, "Jam" is vibing to music, "NAILS" is
 * biting one's nails). Looked up lower-case, before the word lexicon; a Map, so that "nepuConstructor" finds nothing.
 */
export const EMOTE_NAME_POLARITY: ReadonlyMap<string, number> = new Map(Object.entries({
  heh: 0.6, hehe: 0.6, giggle: 0.6, laugh: 0.8, lol: 0.8, lul: 0.8, kek: 0.7, xd: 0.7, lmao: 0.8,
  pog: 0.9, poggers: 0.9, hype: 0.8, hyper: 0.7, yay: 0.8, cheer: 0.6, clap: 0.7, love: 0.9, heart: 0.8, hug: 0.7,
  kiss: 0.6, pat: 0.5, pats: 0.5, jam: 0.6, dance: 0.6, boogie: 0.6, vibe: 0.5, drums: 0.4, gasm: 0.6, wave: 0.3,
  hey: 0.3, hi: 0.3, salute: 0.4, cool: 0.6, smug: 0.2, wink: 0.3, cute: 0.7, comfy: 0.6, happy: 0.8, smile: 0.6,
  win: 0.6, gg: 0.6, ez: 0.3, corn: 0.3, popcorn: 0.3, thumbsup: 0.5, ok: 0.2, nodders: 0.4, yes: 0.3, w: 0.6,
  sob: -0.7, cry: -0.7, crying: -0.7, sad: -0.8, hands: -0.7, feelsbad: -0.8, thump: -0.8, nails: -0.5, scared: -0.6,
  fear: -0.6, shake: -0.3, sweat: -0.5, rage: -0.6, mad: -0.6, angry: -0.7, tilt: -0.6, sleeper: -0.7, sleep: -0.5,
  bored: -0.7, puke: -0.7, gross: -0.6, ew: -0.6, clown: -0.5, weird: -0.4, wut: -0.2, what: -0.1, bruh: -0.3,
  notlikethis: -0.7, fail: -0.6, facepalm: -0.6, dead: -0.3, rip: -0.5, f: -0.5, l: -0.6, copium: -0.3, sorry: -0.2,
  weebsout: -0.3, out: -0.2,
}));

const DOUBLED = /(\p{L})\1/gu;

/** Emote-name parts only compound emotes read (FeatureConfig.compoundEmotes): dancing "…Pls", waving "…Hi". */
const COMPOUND_NAME_POLARITY: ReadonlyMap<string, number> = new Map(Object.entries({
  pls: 0.6, hifive: 0.6, hypers: 0.8, wow: 0.6, gasm: 0.6, rave: 0.6, party: 0.6, sip: 0.1, blush: 0.5, pray: 0.3,
  shake: 0.1, wide: 0.2, ree: -0.5, sleep: -0.5, rage: -0.6, cry: -0.7, weird: -0.4,
}));

/**
 * The parts of a word written as joined capitalised parts ("MingLUL" → ["Ming", "LUL"], "OMGScoots" → ["OMG",
 * "Scoots"], "RareW" → ["Rare", "W"]), or undefined when it is one part or holds other characters. Bounded by the
 * word's length.
 */
export function compoundParts(text: string): string[] | undefined {
  const n = text.length;
  if (n < 4 || n > 40) return undefined;
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i < n; i++) {
    const p = text.charCodeAt(i - 1);
    const c = text.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const prevLower = p >= 97 && p <= 122;
    const prevUpper = p >= 65 && p <= 90;
    const nextLower = i + 1 < n && text.charCodeAt(i + 1) >= 97 && text.charCodeAt(i + 1) <= 122;
    // a capital after a lower-case letter starts a part ("MingLUL"), as does the last capital of a run before lower case ("OMGScoots")
    if (upper && (prevLower || (prevUpper && nextLower && i - start >= 2))) {
      parts.push(text.slice(start, i));
      start = i;
    }
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return undefined;
  }
  const first = text.charCodeAt(0);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122) || (first >= 48 && first <= 57))) return undefined;
  parts.push(text.slice(start));
  return parts.length >= 2 ? parts : undefined;
}

/** One pass over the raw text for classic emoticons and masked swearing. */
function scanText(text: string, d: Float64Array): void {
  const n = text.length;
  let stars = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 42 /* * */) {
      if (++stars === 2) d[F.maskedSwear] = 1;
      continue;
    }
    stars = 0;
    if (c === 58 /* : */ || c === 59 /* ; */ || c === 61 /* = */) {
      let j = i + 1;
      const nose = text.charCodeAt(j);
      if (nose === 45 /* - */ || nose === 39 /* ' */) j++;
      const mouth = text.charCodeAt(j);
      const after = j + 1 < n ? text.charCodeAt(j + 1) : 32;
      // A mouth must end the emoticon: "http://x" and ":Dog" are not faces.
      if ((after >= 65 && after <= 90) || (after >= 97 && after <= 122) || after === 47) continue;
      if (mouth === 41 /* ) */ || mouth === 93 /* ] */ || mouth === 68 /* D */ || mouth === 80 /* P */ || mouth === 112 /* p */ || mouth === 51 /* 3 */) d[F.emoticonPos]! += 1;
      else if (mouth === 40 /* ( */ || mouth === 91 /* [ */ || mouth === 47 /* / */ || mouth === 92 /* \ */) d[F.emoticonNeg]! += 1;
    } else if (c === 94 /* ^ */ && (text.charCodeAt(i + 1) === 94 || (text.charCodeAt(i + 1) === 95 && text.charCodeAt(i + 2) === 94))) {
      d[F.emoticonPos]! += 1; // ^^ ^_^
      i += 1;
    } else if (c === 95 /* _ */ && i > 0 && i + 1 < n) {
      const l = text.charCodeAt(i - 1);
      const r = text.charCodeAt(i + 1);
      if ((l === 45 && r === 45) || (l === 84 && r === 84) || (l === 59 && r === 59)) d[F.emoticonNeg]! += 1; // -_- T_T ;_;
    }
  }
}

const markerScratch = new Float64Array(DENSE_COUNT);

/**
 * Whether a message carries an emotional marker readable in any language: an emote or emoji, a laughter spelling, a
 * channel-shaped emote, or a classic emoticon in the raw text.
 */
export function hasEmotionMarker(tokenized: TokenizedText, text: string): boolean {
  for (const tok of tokenized.tokens) {
    if (tok.kind === "emote" || tok.kind === "emoji") return true;
    if (tok.kind === "word" && (LAUGHTER.test(tok.norm) || channelEmoteName(tok.text) !== undefined)) return true;
  }
  markerScratch.fill(0);
  scanText(text, markerScratch);
  return markerScratch[F.emoticonPos]! > 0 || markerScratch[F.emoticonNeg]! > 0;
}

function repeatWeight(repeat: number): number {
  return repeat <= 1 ? 1 : 1 + 0.5 * Math.log(repeat);
}

const MAX_FEATURES = 4096;

export class ChatFeatureExtractor {
  /** Feature ids of the last message: hashed ones (offset by DENSE_COUNT), then the non-zero dense ones. */
  readonly ids = new Int32Array(MAX_FEATURES);
  readonly values = new Float32Array(MAX_FEATURES);
  /** Number of features written by the last `extract`. */
  count = 0;
  /** Language confidence of the last message. */
  languageConfidence = 1;
  /**
   * Fixed (not learned) amount to add to the neutral logit of the last message: NEUTRAL_PULL × (1 − language
   * confidence). The guidelines label text one cannot read neutral unless it carries a clear emotional marker, so a
   * message in another language starts from neutral and only emotes, emoji or laughter can move it.
   */
  neutralOffset = 0;
  readonly dimension: number;
  /** First feature id of the word-vector block (after the hashed table). */
  readonly vectorBase: number;
  private readonly mask: number;
  private readonly vectorDim: number;
  private readonly vectorData: Float32Array;
  // The vector table split by token kind, so the hot path looks tokens up without building "E:name" keys.
  private readonly wordRows = new Map<string, number>();
  private readonly symbolRows = new Map<string, number>();
  private readonly vectorSum: Float64Array;
  private readonly dense = new Float64Array(DENSE_COUNT);
  private readonly evidence: LanguageEvidence = { english: 0, foreign: 0, cjk: 0 };

  constructor(
    private readonly emotes: EmoteDictionary,
    private readonly priors: WordPriors,
    readonly config: FeatureConfig = DEFAULT_FEATURE_CONFIG,
    /** False scores every message as if it were English (to measure what the language gate does). */
    private readonly languageGate = true,
  ) {
    this.mask = (1 << config.hashBits) - 1;
    this.vectorBase = DENSE_COUNT + (1 << config.hashBits);
    this.vectorDim = priors.vectors?.dim ?? 0;
    this.vectorData = priors.vectors?.data ?? new Float32Array(0);
    this.vectorSum = new Float64Array(this.vectorDim);
    this.dimension = this.vectorBase + this.vectorDim;
    for (const [key, row] of priors.vectors?.index ?? []) {
      if (key.startsWith("E:") || key.startsWith("J:")) this.symbolRows.set(key.slice(2), row);
      else this.wordRows.set(key, row);
    }
  }

  /** Adds the vector of a table row, weighted, to the message sum; returns 1 when the token has a vector. */
  private addVector(row: number | undefined, weight: number): number {
    if (row === undefined) return 0;
    const dim = this.vectorDim;
    const base = row * dim;
    for (let c = 0; c < dim; c++) this.vectorSum[c]! += weight * this.vectorData[base + c]!;
    return 1;
  }

  private push(slotHash: number, value: number): void {
    if (this.count >= MAX_FEATURES) return;
    this.ids[this.count] = DENSE_COUNT + (slotHash & this.mask);
    this.values[this.count++] = value;
  }

  /**
   * Writes the features of one message into `ids`/`values`; returns how many there are. `text` is the raw message,
   * read only for emoticons and masked swearing, which the tokenizer does not keep.
   */
  extract(tokenized: TokenizedText, text = ""): number {
    const d = this.dense;
    d.fill(0);
    this.count = 0;
    const { charMin, charMax, charScale, bigramScale } = this.config;
    const ev = languageEvidence(tokenized, this.evidence);
    if (this.config.readCjk === true) ev.foreign -= ev.cjk;
    const gate = this.languageGate ? confidenceFromEvidence(ev) : 1;
    this.languageConfidence = gate;
    this.neutralOffset = NEUTRAL_PULL * (1 - gate);

    const tokens = tokenized.tokens;
    // Character n-gram budget of the message, to scale each n-gram by 1/sqrt(total).
    const emoteGrams = this.config.emoteGrams === true;
    let grams = 0;
    for (const tok of tokens) {
      if (tok.kind !== "word" && !(emoteGrams && tok.kind === "emote")) continue;
      const span = tok.norm.length + 2;
      for (let n = charMin; n <= charMax && n <= span; n++) grams += span - n + 1;
    }
    const gramValue = grams > 0 ? (gate * charScale) / Math.sqrt(grams) : 0;
    const emoteGramValue = grams > 0 ? charScale / Math.sqrt(grams) : 0;
    const meanings = this.config.emoteMeaning === true;
    const channelNames = this.config.channelEmoteNames !== false;
    const cjkLaughter = this.config.cjkLaughter === true;
    const mockery = this.config.mockery === true;
    const squeeze = this.config.squeezeElongation === true;
    const compound = this.config.compoundEmotes === true;
    let laughing = false;
    let atPerson = false;
    let atName = false;

    const useVectors = this.vectorDim > 0;
    if (useVectors) this.vectorSum.fill(0);
    let vectorCount = 0;
    let negateLeft = 0;
    let prevHash = 0x9747b28c; // start-of-message marker for the first bigram
    let prevWord = false;
    let words = 0;
    let emotes = 0;
    let content = 0;
    for (const tok of tokens) {
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
          if (mockery && meaning !== undefined && this.laughs(meaning.meaning)) laughing = true;
          if (polarity >= 0.5) d[F.emoteStrongPos]! += 1;
          else if (polarity <= -0.5) d[F.emoteStrongNeg]! += 1;
          else if (polarity >= 0.15) d[F.emoteMildPos]! += 1;
          else if (polarity <= -0.15) d[F.emoteMildNeg]! += 1;
          else if (meaning !== undefined) d[F.emoteNeutral]! += 1;
          tokHash = hashString(tok.norm, tok.kind === "emote" ? SALT_EMOTE : SALT_EMOJI);
          this.push(tokHash, 1);
          if (meanings && meaning !== undefined) this.push(this.meaningHash(meaning.meaning), 1);
          if (emoteGrams && tok.kind === "emote" && emoteGramValue > 0) this.charGrams(tok.norm.toLowerCase(), emoteGramValue);
          if (useVectors) vectorCount += this.addVector(this.symbolRows.get(tok.norm), 1);
          emotes++;
          content++;
          break;
        }
        case "word": {
          const norm = tok.norm;
          words++;
          content++;
          isWord = true;
          if (NEGATORS.has(norm)) {
            negateLeft = NEGATION_REACH + 1;
          }
          if (LAUGHTER.test(norm) || (cjkLaughter && hasCjkLaughter(norm))) {
            d[F.laughter]! += repeatWeight(tok.repeat);
            laughing = true;
          } else if (mockery) {
            if (MOCKERY_TARGETS.has(norm) || INSULTS.has(norm)) atPerson = true;
            else if (tok.caps && norm.length <= 4 && !NOT_NAMES.has(norm)) atName = true;
          }
          if (tok.elongated) d[F.elongated] = 1;
          const negated = negateLeft > 0 && negateLeft <= NEGATION_REACH;
          tokHash = hashString(norm, SALT_WORD);
          this.push(negated ? hashString(norm, SALT_NEGATED) : tokHash, gate);
          if (INSULTS.has(norm)) d[F.insult]! += gate;
          if (useVectors) vectorCount += this.addVector(this.wordRows.get(norm), gate);
          let row = this.priors.index.get(norm);
          if (row === undefined && squeeze && tok.elongated) row = this.priors.index.get(norm.replace(DOUBLED, "$1"));
          if (row !== undefined) {
            // VADER's rule for negation (N_SCALAR = -0.74): "not good" counts as mildly bad, "not bad" as mildly
            // good. Learning separate negated weights needs data the training set does not have (it holds no
            // "not good" at all).
            const lex = negated ? NEGATION_SCALAR * this.priors.lexicon[row]! : this.priors.lexicon[row]!;
            if (lex > 0) d[F.lexPos]! += lex * gate;
            else if (lex < 0) d[F.lexNeg]! -= lex * gate;
            const chat = this.priors.chat[row]!;
            if (chat > 0) d[F.chatPos]! += chat * gate;
            else d[F.chatNeg]! -= chat * gate;
          }
          // Inside a negation the spelling of the word must not vote for its usual polarity: "not good" is carried by
          // the negated unigram, the bigram and the negated-lexicon features alone.
          if (gramValue > 0 && !negated) this.charGrams(norm, gramValue);
          const suffix = channelNames ? channelEmoteName(tok.text) : undefined;
          if (suffix !== undefined) {
            // Twitch channel emotes are "<channel prefix><Name>", and the name usually says what it means
            // (nepuLul, archLUL, deceKappa, naroYay, chjbHUG): read it as an emote, in any language.
            d[F.channelEmote]! += 1;
            const name = suffix.toLowerCase();
            this.push(hashString(name, SALT_SUFFIX), 1);
            if (mockery && LAUGHING_NAMES.has(name)) laughing = true;
            if (meanings) {
              const known = this.emotes.emote(suffix) ?? this.emotes.emote(suffix.toLowerCase());
              if (known !== undefined) this.push(this.meaningHash(known.meaning), 1);
            }
            const polarity = this.namePolarity(suffix);
            if (polarity > 0) d[F.emotePos]! += polarity * repeatWeight(tok.repeat);
            else d[F.emoteNeg]! -= polarity * repeatWeight(tok.repeat);
          } else if (compound) {
            const parts = compoundParts(tok.text);
            if (parts !== undefined) this.compoundEmote(parts, tok.repeat, d);
          } else if (norm.length > 2 && norm.charCodeAt(0) === 58 /* : */) {
            // An unknown YouTube shortcode (":face-blue-crying:"): its parts are plain English words.
            const polarity = this.shortcodePolarity(norm);
            if (polarity > 0) d[F.emotePos]! += polarity;
            else d[F.emoteNeg]! -= polarity;
          }
          break;
        }
        case "punct":
          negateLeft = 0;
          if (tok.norm === "!") d[F.exclamation] = 1;
          tokHash = hashString(tok.norm, SALT_OTHER);
          break;
        case "mention":
          d[F.mention] = 1;
          atPerson = true;
          tokHash = hashString("<mention>", SALT_OTHER);
          break;
        case "url":
          d[F.url] = 1;
          tokHash = hashString("<url>", SALT_OTHER);
          break;
        default:
          content++;
          tokHash = hashString("<num>", SALT_OTHER);
          break;
      }
      if (negateLeft > 0) negateLeft--;
      if (bigramScale > 0 && (isWord || prevWord)) this.push(mix(prevHash, tokHash) ^ SALT_BIGRAM, bigramScale * gate);
      prevHash = tokHash;
      prevWord = isWord;
    }
    if (bigramScale > 0 && prevWord) this.push(mix(prevHash, 0x5f356495) ^ SALT_BIGRAM, bigramScale * gate);
    const distant = this.priors.distant;
    if (distant !== undefined) {
      // Only hashed features are in the table so far: the vector block and the dense features come next.
      let score = 0;
      for (let i = 0; i < this.count; i++) score += this.values[i]! * distant[this.ids[i]! - DENSE_COUNT]!;
      d[F.distant] = score;
    }
    // The mean vector of the message's words and emotes; words count × language confidence, like every word feature.
    if (vectorCount > 0) {
      for (let c = 0; c < this.vectorDim && this.count < MAX_FEATURES; c++) {
        this.ids[this.count] = this.vectorBase + c;
        this.values[this.count++] = this.vectorSum[c]! / vectorCount;
      }
    }

    scanText(text, d);
    if (mockery && laughing) {
      // Both cues count × language confidence, like the words they are read from.
      if (atPerson) d[F.laughterAtPerson] = gate;
      if (atName || SCORE.test(text)) d[F.laughterAtName] = gate;
    }
    d[F.bias] = 1;
    d[F.question] = tokenized.isQuestion ? 1 : 0;
    d[F.questionOnly] = tokenized.questionOnly ? 1 : 0;
    d[F.command] = tokenized.isCommand ? 1 : 0;
    d[F.capsRatio] = tokenized.capsRatio;
    d[F.shouting] = tokenized.capsRatio >= 0.7 ? 1 : 0;
    d[F.repeat3] = tokenized.maxRepeat >= 3 ? 1 : 0;
    d[F.logMaxRepeat] = tokenized.maxRepeat > 1 ? Math.log(tokenized.maxRepeat) : 0;
    const n = tokens.length;
    d[n <= 1 ? F.len1 : n <= 3 ? F.len2to3 : n <= 7 ? F.len4to7 : F.len8plus] = 1;
    d[F.numberOnly] = content > 0 && words === 0 && emotes === 0 ? 1 : 0;
    d[F.noContent] = words === 0 && emotes === 0 ? 1 : 0;
    d[F.emoteOnly] = emotes > 0 && words === 0 ? 1 : 0;
    d[F.wordCount] = Math.log1p(words);
    // Dense features follow the hashed ones; only non-zero ones are written.
    for (let i = 0; i < DENSE_COUNT && this.count < MAX_FEATURES; i++) {
      const v = d[i]!;
      if (v === 0) continue;
      this.ids[this.count] = i;
      this.values[this.count++] = v;
    }
    return this.count;
  }

  // Hash of a dictionary meaning, computed once per distinct meaning (a few dozen strings).
  private readonly meaningHashes = new Map<string, number>();

  /**
   * A compound emote: the last part, then the first, that the dictionary or the name vocabularies know gives its
   * polarity, and the known part is a hashed feature shared by every emote built on it.
   */
  private compoundEmote(parts: readonly string[], repeat: number, d: Float64Array): void {
    for (const part of [parts[parts.length - 1]!, parts[0]!]) {
      const lower = part.toLowerCase();
      const known = this.emotes.emote(part)?.polarity ?? EMOTE_NAME_POLARITY.get(lower) ?? COMPOUND_NAME_POLARITY.get(lower) ?? (LAUGHTER.test(lower) ? 0.8 : undefined);
      if (known === undefined) continue;
      d[F.channelEmote]! += 1;
      this.push(hashString(lower, SALT_SUFFIX), 1);
      if (known > 0) d[F.emotePos]! += known * repeatWeight(repeat);
      else d[F.emoteNeg]! -= known * repeatWeight(repeat);
      return;
    }
  }

  // Whether a dictionary meaning is laughter ("laughter", "hard laughter", "helpless laughter"), cached per meaning.
  private readonly laughingMeanings = new Map<string, boolean>();

  private laughs(meaning: string): boolean {
    let yes = this.laughingMeanings.get(meaning);
    if (yes === undefined) this.laughingMeanings.set(meaning, (yes = meaning.includes("laugh")));
    return yes;
  }

  private meaningHash(meaning: string): number {
    let h = this.meaningHashes.get(meaning);
    if (h === undefined) this.meaningHashes.set(meaning, (h = hashString(meaning, SALT_MEANING)));
    return h;
  }

  /**
   * Polarity of an emote name: the dictionary first (as written, then lower-case), then the vocabulary of emote
   * names, then the word lexicon.
   */
  private namePolarity(name: string): number {
    const meaning = this.emotes.emote(name) ?? this.emotes.emote(name.toLowerCase());
    if (meaning !== undefined) return meaning.polarity;
    const lower = name.toLowerCase();
    const named = EMOTE_NAME_POLARITY.get(lower);
    if (named !== undefined) return named;
    const row = this.priors.index.get(lower);
    return row === undefined ? 0 : this.priors.lexicon[row]!;
  }

  private shortcodePolarity(shortcode: string): number {
    let sum = 0;
    let start = 1;
    for (let i = 1; i < shortcode.length; i++) {
      const c = shortcode.charCodeAt(i);
      if (c === 45 /* - */ || c === 95 /* _ */ || c === 58 /* : */) {
        if (i > start) {
          const row = this.priors.index.get(shortcode.slice(start, i));
          if (row !== undefined) sum += this.priors.lexicon[row]!;
        }
        start = i + 1;
      }
    }
    return Math.max(-1, Math.min(1, sum));
  }

  private charGrams(norm: string, value: number): void {
    const { charMin, charMax } = this.config;
    const last = norm.length + 1; // positions 0 (^) … last ($)
    for (let s = 0; s <= last; s++) {
      let h = (FNV_OFFSET ^ SALT_CHAR) >>> 0;
      for (let e = s; e <= last && e - s < charMax; e++) {
        const c = e === 0 ? BOUNDARY_START : e === last ? BOUNDARY_END : norm.charCodeAt(e - 1);
        h = Math.imul(h ^ c, FNV_PRIME);
        if (e - s + 1 >= charMin) this.push(h >>> 0, value);
      }
    }
  }
}
