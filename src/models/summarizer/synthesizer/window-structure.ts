import type { ChatDigest, MessageGroup } from "../../../aggregation/chat-digest.js";
import type { EmoteDictionary } from "../../../processing/emote-dictionary.js";
import { STOPWORDS } from "../../../processing/stopwords.js";
import { tokenize, type Token } from "../../../processing/tokenizer.js";
import { detectLanguage, isForeignCue, isForeignStopword, type LanguageCode } from "../../../processing/language.js";
import { CHAT_WORD_POLARITY } from "../../sentiment/lexicon-model.js";
import { findLinks, promotes } from "../on-air-filter.js";
import { indirectQuestion } from "./indirect-question.js";
import { lineWordsOf, rankReportedLines, type LineRankWeights, type LineWords, type ReportedLine } from "./line-ranking.js";
import { safeForAir } from "./safe-for-air.js";
import { REACTIONS, reactionOfMeaning, reactionOfToken, type Reaction } from "./reactions.js";
import { builtinWordBackground, type WordBackground } from "./word-background.js";

export interface EmoteUse {
  /** As chat writes it (e.g. "LUL", ":face_with_tears_of_joy:", "😂"). */
  name: string;
  count: number;
  meaning: string | undefined;
  reaction: Reaction | undefined;
}

export interface TopicTerm {
  /** Lower-case key, as the window's threads list their topics. */
  key: string;
  /** As chat writes it most often in the window's top lines ("TSM", "Faker", "baron"), safe for air. */
  readonly label: string;
  /** Messages of the window that use it. */
  count: number;
  /**
   * Salience: messages plus distinct lines that use it. Rarity in chat at large only decides what may be a topic
   * (MIN_SURPRISAL): weighting the rank by it as well scored lower on the dev windows (ROUGE-L 0.2348 at weight
   * 0.3, 0.2339 at 1, 0.2371 without), better on 5 of 12 streams, worse on 4.
   */
  score: number;
}

/**
 * A topic whose label is masked for air the first time it is read: the profanity check is the costly step, and a
 * headline names only a few of the topics (words known clean from the background skip it altogether).
 */
class Topic implements TopicTerm {
  private safe: string | undefined;

  constructor(
    readonly key: string,
    private readonly written: string,
    readonly count: number,
    readonly score: number,
    clean: boolean,
  ) {
    if (clean) this.safe = written;
  }

  get label(): string {
    this.safe ??= safeForAir(this.written);
    return this.safe;
  }
}

export interface RetoldQuestion {
  clause: string;
  count: number;
  topics: string[];
}

export interface Thread {
  group: MessageGroup;
  reaction: Reaction | undefined;
  /** Mean P(pos) − P(neg) over the group's scored messages. */
  polarity: number;
  topics: string[];
}

/**
 * What the headline is written from: the window's reactions, its emote spam, its topics, its questions and
 * the split between the majority and a minority. Derived from the digest alone (top groups and terms).
 */
export interface WindowStructure {
  /** Messages that count for the headline (bots and !commands excluded). */
  total: number;
  reactionWeights: Map<Reaction, number>;
  dominant: Reaction | undefined;
  dominantShare: number;
  emotes: EmoteUse[];
  topics: TopicTerm[];
  threads: Thread[];
  questions: Thread[];
  /** The most asked question that can be retold ("where the translator is"), with how many asked it and its topics. */
  retold: RetoldQuestion | undefined;
  /** The lines that stand for most of the window and retell as reported speech, best first (line-ranking.ts). */
  reported: ReportedLine[];
  /** Every distinct line's text: a headline with chat's words in it is checked against them for quoted runs. */
  lineTexts: string[];
  /** Mean polarity over scored messages (−1 … 1). */
  polarity: number;
  /** Shares of the window whose group leans positive / negative. */
  positiveShare: number;
  negativeShare: number;
}

// Words that say how chat reacts rather than what about; never a topic.
const NON_TOPICS = new Set([
  "lol", "lmao", "lmfao", "rofl", "haha", "hahaha", "xd", "kek", "omg", "wtf", "gg", "ggs", "ggwp", "wp", "pog", "poggers", "hype", "yes", "yess", "noo", "nooo",
  "rip", "sad", "nice", "wow", "love", "hello", "hey", "hii", "bye", "thanks", "thank", "please", "pls", "plz", "good", "bad", "great", "best", "worst", "cool", "true",
  "right", "actually", "literally", "probably", "maybe", "always", "never", "every", "everyone", "someone", "anyone", "something", "nothing", "thing", "stuff", "time",
  "today", "guys", "chat", "lets", "let", "come", "back", "look", "looks", "looking", "gonna", "wanna", "gotta", "cant", "can't", "don't", "dont", "didn't", "doesn't",
  "isn't", "won't", "wasn't", "i'm", "it's", "that's", "what's", "he's", "she's", "you're", "they're", "we're", "there's", "here", "there", "where", "when", "why", "how",
  "who", "what", "which", "yeah", "yep", "nope", "okay", "sure", "much", "many", "more", "less", "even", "still", "already", "again", "first", "last", "next", "new",
  "old", "big", "little", "lot", "lots", "way", "ever", "hard", "easy", "real", "fake", "man", "men", "bro", "dude", "sir", "people", "person", "wait", "watch",
  "watching", "said", "says", "saying", "say", "tell", "told", "think", "thought", "know", "knew", "mean", "means", "feel", "feels", "got", "get", "gets", "going",
  "play", "playing", "played", "win", "lose", "won", "lost", "well", "same", "other", "another", "than", "then", "just", "only", "also", "too", "very", "really",
  "ok", "fine", "nah", "bruh", "y'all", "yall", "ffs", "tho", "smh", "tbh", "imo", "idk", "btw", "omfg", "ngl", "rn", "af", "lmk", "either", "neither", "whatever", "anyway", "anymore", "instead", "though", "although", "since", "soon", "ago", "later", "enough", "idea", "holy", "will", "might", "must", "shall", "kappa", "omegalul", "kekw", "lul", "pogchamp", "jaja", "kkkk", "wkwk", "wkwkwk", "www", "http", "https", "com",
]);

function meanPolarity(g: MessageGroup): number {
  return g.scored > 0 ? (g.sentiment.pos - g.sentiment.neg) / g.scored : 0;
}

/** The reaction most of a line's tokens express (first one wins ties). */
function reactionOfTokens(tokens: readonly Token[], text: string, emotes: EmoteDictionary): Reaction | undefined {
  const counts = new Map<Reaction, number>();
  let best: Reaction | undefined;
  let bestCount = 0;
  for (const tok of tokens) {
    const r = reactionOfToken(tok, emotes);
    if (r === undefined) continue;
    const c = (counts.get(r) ?? 0) + tok.repeat;
    counts.set(r, c);
    if (c > bestCount) {
      best = r;
      bestCount = c;
    }
  }
  if (best === undefined && /^[\s?¿]+$/.test(text)) return "confusion";
  return best;
}

/**
 * What a line says that ranking it as reported speech needs (line-ranking.ts): every line of the window is read for
 * it, and most of a busy window's 200 lines are new to each headline.
 */
interface LineBasics {
  reaction: Reaction | undefined;
  short: boolean;
  /** The line's words read as English (lines of emotes, names or numbers only count as English). */
  english: boolean;
  /** The line's language (processing/language.ts): its stopwords name no topic. */
  lang: LanguageCode;
  tokens: readonly Token[];
}

/**
 * What a line says, read once per distinct text: the same groups recur from snapshot to snapshot. The topic parts are
 * read only for the window's top groups (20), never for the rest of its lines: the on-air checks behind `unnamed`
 * (promotion, links) were half of reading a line (day-2 replay profile).
 */
interface LineReading extends LineBasics {
  /** Words that may name a topic, first occurrence each, as written. */
  words: Token[];
  /** Two capitalised topic words in a row ("Lee Sin"): [key, as written]. */
  names: [string, string][];
  /** A reaction word posted alone ("RIP"). */
  shout: string | undefined;
  /** Lower-case prefix of an unknown camel-case word (a channel emote: "nepuHeh" → "nepu"). */
  prefixes: string[];
  /** Words that name no topic whatever other lines say: parts of a link ("free-robux.club"), every word of a promotion. */
  unnamed: string[];
}

interface CachedLine {
  emotes: EmoteDictionary;
  basics: LineBasics;
  /** What the reported-line ranking counts of its words, read at its first ranking. */
  words?: LineWords;
  /** Read on the first `readLine` of the text. */
  reading?: LineReading;
}

function cachedLine(text: string, emotes: EmoteDictionary): CachedLine {
  const cached = lineCache.get(text);
  if (cached !== undefined && cached.emotes === emotes) return cached;
  const tokenized = tokenize(text, emotes);
  const tokens = tokenized.tokens;
  const lang = detectLanguage(tokenized);
  const entry: CachedLine = { emotes, basics: { reaction: reactionOfTokens(tokens, text, emotes), short: tokens.length <= SHORT_LINE, english: lang === "en" || lang === "und", lang, tokens } };
  if (lineCache.size >= LINE_CACHE_LIMIT) lineCache.clear();
  lineCache.set(text, entry);
  return entry;
}

function readLineBasics(text: string, emotes: EmoteDictionary): LineBasics {
  return cachedLine(text, emotes).basics;
}

function readLine(text: string, emotes: EmoteDictionary): LineReading {
  const entry = cachedLine(text, emotes);
  if (entry.reading !== undefined) return entry.reading;
  const { tokens, lang } = entry.basics;
  const words: Token[] = [];
  const names: [string, string][] = [];
  const prefixes: string[] = [];
  let shout: string | undefined;
  const unnamed = onAirUnnamed(text, emotes);
  for (const tok of tokens) {
    if (tok.kind !== "word") continue;
    const camel = CAMEL_PREFIX.exec(tok.text);
    if (camel !== null) prefixes.push((camel[1] as string).toLowerCase());
    if (tok.elongated || LOOKS_LIKE_HANDLE.test(tok.text) || !LATIN_WORD.test(tok.text) || unnamed.includes(tok.norm)) continue;
    if ((isTopicWord(tok.norm) && !isForeignStopword(tok.norm, lang)) || isAcronym(tok)) {
      if (!words.some((w) => w.norm === tok.norm)) words.push(tok);
    } else if (tokens.length === 1 && SHOUTS.has(tok.norm)) shout = tok.norm;
  }
  // Two capitalised topic words in a row are one name ("Lee Sin", "Iron Maiden", "Tim Walz").
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i] as Token;
    const b = tokens[i + 1] as Token;
    if (a.repeat !== 1 || a.norm === b.norm || !isCapitalised(a.text) || !isCapitalised(b.text)) continue;
    if (!words.some((w) => w.norm === a.norm) || !words.some((w) => w.norm === b.norm)) continue;
    const key = `${a.norm} ${b.norm}`;
    if (!names.some(([k]) => k === key)) names.push([key, `${a.text} ${b.text}`]);
  }
  entry.reading = { ...entry.basics, words, names, shout, prefixes, unnamed };
  return entry.reading;
}

/** What on-air-filter.ts rules out of a line's topics: every word of a promotional line, else the words of its links. */
function onAirUnnamed(text: string, emotes: EmoteDictionary): string[] {
  if (promotes(text)) return tokenize(text, emotes).tokens.map((t) => t.norm);
  const links = findLinks(text);
  return links.length === 0 ? [] : links.flatMap((s) => tokenize(text.slice(s.start, s.end), emotes).tokens.map((t) => t.norm));
}

/**
 * Readings of lines seen lately (a window's lines repeat from one headline to the next). Each reading holds the line's
 * tokens, about 1–2 KB, so the bound is a few windows' worth: at 20,000 a slow chat took an hour to fill it, and the
 * soak read the filling cache as heap growth (src/bench/soak-virtual.test.ts).
 */
const LINE_CACHE_LIMIT = 2_000;
const lineCache = new Map<string, CachedLine>();

interface Candidate {
  key: string;
  forms: Map<string, number>;
  /** Top groups (distinct lines) that use it. */
  lines: number;
  /** Messages that use it (from the digest's term counts, which cover every message). */
  messages: number;
  /** Used in a short line (a remark, not a pasted paragraph or an instruction to the reader). */
  short: boolean;
}

export function analyzeDigest(d: ChatDigest, emotes: EmoteDictionary, background: WordBackground = builtinWordBackground(), lineWeights?: LineRankWeights): WindowStructure {
  const total = d.count - d.ignored;
  const reactionWeights = new Map<Reaction, number>();
  const candidates = new Map<string, Candidate>();
  const threads: Thread[] = [];
  const mentioned = new Set(d.mentioned);
  let positive = 0;
  let negative = 0;
  const emoteUses: EmoteUse[] = [];
  const shouts = new Map<string, EmoteUse>();
  // "RIP", "GG", "F" posted alone are spammed like emotes, and headlines name them so.
  const shout = (word: string, count: number, reaction: Reaction | undefined): void => {
    const use = shouts.get(word);
    if (use === undefined) shouts.set(word, { name: word.toUpperCase(), count, meaning: undefined, reaction });
    else use.count += count;
  };
  const vote = (key: string, form: string, count: number, short: boolean): void => {
    let c = candidates.get(key);
    if (c === undefined) candidates.set(key, (c = { key, forms: new Map(), lines: 0, messages: 0, short }));
    c.short ||= short;
    c.forms.set(form, (c.forms.get(form) ?? 0) + 1);
    c.lines++;
    c.messages += count;
  };
  // Channel emotes the dictionary does not know share the channel's prefix ("nepuHeh", "nepuJam"): chat also types
  // them in lower case ("nepujam"), where they no longer look like emotes, so their prefix rules them out.
  const readings = d.groups.map((g) => readLine(g.text, emotes));
  // The window's other languages: their stopwords name no topic from the window-wide term counts either.
  const languages = new Set(readings.map((r) => r.lang).filter((l) => l !== "en" && l !== "und"));
  const channelPrefixes = new Set(readings.flatMap((r) => r.prefixes));
  // In a mostly English window the words of lines in another language name no topic for an English headline
  // ("não", "trabalho"); in a window that is mostly another language they are all there is to name.
  let englishMessages = 0;
  let allMessages = 0;
  d.groups.forEach((g, gi) => {
    allMessages += g.count;
    if ((readings[gi] as LineReading).english) englishMessages += g.count;
  });
  const skipForeignLines = englishMessages * 2 >= allMessages;
  // Words only skipped lines use: the window's term counts must not bring them back.
  const unnamed = new Set<string>();
  d.groups.forEach((g, gi) => {
    const line = readings[gi] as LineReading;
    const reaction = line.reaction;
    if (reaction !== undefined) reactionWeights.set(reaction, (reactionWeights.get(reaction) ?? 0) + g.count);
    const polarity = meanPolarity(g);
    if (polarity > 0.2) positive += g.count;
    else if (polarity < -0.2) negative += g.count;
    if (line.shout !== undefined) shout(line.shout, g.count, reaction);
    const topics: string[] = [];
    const named = !(skipForeignLines && !line.english);
    if (!named) for (const tok of line.words) unnamed.add(tok.norm);
    for (const w of line.unnamed) unnamed.add(w);
    for (const tok of named ? line.words : []) {
      if (mentioned.has(tok.norm)) continue;
      topics.push(tok.norm);
      vote(tok.norm, tok.text, g.count, line.short);
    }
    for (const [key, written] of named ? line.names : []) {
      if (key.split(" ").some((w) => mentioned.has(w))) continue;
      topics.push(key);
      vote(key, written, g.count, line.short);
    }
    threads.push({ group: g, reaction, polarity, topics });
  });
  // Words counted over every message of the window, not only the top groups', add what the long tail says.
  for (const term of d.terms) {
    const known = emotes.emote(term.term);
    if (known !== undefined) {
      emoteUses.push({ name: term.term, count: term.count, meaning: known.meaning, reaction: reactionOfMeaning(known.meaning) });
      continue;
    }
    let c = candidates.get(term.term);
    if (c === undefined && isTopicWord(term.term) && ![...languages].some((l) => isForeignStopword(term.term, l)) && !mentioned.has(term.term) && !unnamed.has(term.term) && LATIN_WORD.test(term.term)) {
      // A word spread over lines that are each too rare for the top groups: its written form is not known, so as counted.
      candidates.set(term.term, (c = { key: term.term, forms: new Map([[term.term, 1]]), lines: 0, messages: 0, short: false }));
    }
    if (c !== undefined && term.count > c.messages) c.messages = term.count;
  }
  if (shouts.size > 0) {
    emoteUses.push(...shouts.values());
    emoteUses.sort((a, b) => b.count - a.count);
  }
  const [dominant, dominantWeight] = heaviest(reactionWeights);
  mergePlurals(candidates);
  const topics: Topic[] = [];
  // A name said in two messages or more stands for its words; said once, its words compete on their own.
  const inNames = new Set<string>();
  for (const c of candidates.values()) {
    if (!c.key.includes(" ")) continue;
    if (c.messages < 2) candidates.delete(c.key);
    else for (const part of c.key.split(" ")) inNames.add(part);
  }
  for (const c of candidates.values()) {
    if (inNames.has(c.key) || hasPrefix(c.key, channelPrefixes)) continue;
    // A word said once is a topic only if it is a known word in a short remark: a rare one is as likely a typo or a
    // private joke, and one from a long line is part of a paragraph (a copypasta, an instruction to the reader).
    if (c.messages < 2 && (!background.has(c.key) || !c.short)) continue;
    const surprise = c.key.includes(" ") ? Math.max(...c.key.split(" ").map((w) => background.surprisal(w))) : background.surprisal(c.key);
    if (surprise < MIN_SURPRISAL) continue;
    let written = c.key;
    let best = 0;
    for (const [form, n] of c.forms) if (n > best) [written, best] = [form, n];
    // "made", "hot", "afterwards" name nothing; chanted in capitals ("REMAKE", "FREE") they are what chat shouts.
    if (!c.key.includes(" ") && background.isNotNoun(c.key) && written !== written.toUpperCase()) continue;
    const display = written.split(" ").map((w) => (background.isName(w) && w === w.toLowerCase() ? w.charAt(0).toUpperCase() + w.slice(1) : displayForm(w)));
    topics.push(new Topic(c.key, display.join(" "), c.messages, c.messages + c.lines, c.key.split(" ").every((w) => background.isClean(w))));
  }
  topics.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Only the first few can reach a headline, and none that promotes ("giveaway", "FREE Robux" from lines outside
  // the top groups, whose words no promotional line ruled out).
  let kept = 0;
  for (const t of topics) {
    if (kept === MAX_TOPICS) break;
    if (!promotes(t.label)) topics[kept++] = t;
  }
  topics.length = kept;
  const questions = threads.filter((t) => t.group.isQuestion);
  // Every distinct line when the digest has them (a window's), else its top groups (a merged roll-up's).
  const lines = (d.lines ?? d.groups).map((g) => {
    const entry = cachedLine(g.text, emotes);
    const r = entry.basics;
    return { group: g, tokens: r.tokens, reaction: r.reaction, english: r.english, words: (entry.words ??= lineWordsOf(r.tokens)) };
  });
  const reported = rankReportedLines(lines, { background, weights: lineWeights, excluded: mentioned, englishOnly: skipForeignLines });
  return {
    total,
    reactionWeights,
    dominant,
    dominantShare: total > 0 ? dominantWeight / total : 0,
    emotes: emoteUses,
    topics,
    threads,
    questions,
    retold: retell(questions, mentioned, emotes),
    reported,
    lineTexts: lines.map((l) => l.group.text),
    polarity: d.scored > 0 ? (d.sentiment.pos - d.sentiment.neg) / d.scored : 0,
    positiveShare: total > 0 ? positive / total : 0,
    negativeShare: total > 0 ? negative / total : 0,
  };
}

/** The reaction with the most messages behind it (REACTIONS order breaks ties), and their count. */
function heaviest(weights: ReadonlyMap<Reaction, number>): [Reaction | undefined, number] {
  let dominant: Reaction | undefined;
  let dominantWeight = 0;
  for (const r of REACTIONS) {
    const w = weights.get(r) ?? 0;
    if (w > dominantWeight) {
      dominant = r;
      dominantWeight = w;
    }
  }
  return [dominant, dominantWeight];
}

/**
 * `analyzeDigest(d, emotes).dominant` without the rest: the reaction of the top groups' lines weighted by their
 * counts. A period's arc needs only this of its first and last parts, whose up to 200 lines each the full analysis
 * would rank (two thirds of a 1 min headline's cost on the day-2 replay).
 */
export function dominantReaction(d: ChatDigest, emotes: EmoteDictionary): Reaction | undefined {
  const weights = new Map<Reaction, number>();
  for (const g of d.groups) {
    const reaction = readLineBasics(g.text, emotes).reaction;
    if (reaction !== undefined) weights.set(reaction, (weights.get(reaction) ?? 0) + g.count);
  }
  return heaviest(weights)[0];
}

/** The first question, largest group first, that retells as an indirect clause; names, handles and emotes rule one out. */
function retell(questions: readonly Thread[], mentioned: ReadonlySet<string>, emotes: EmoteDictionary): RetoldQuestion | undefined {
  const isEmote = (w: string): boolean => LOOKS_LIKE_HANDLE.test(w) || emotes.emote(w) !== undefined || emotes.emote(w.toLowerCase()) !== undefined;
  for (const q of questions) {
    const clause = indirectQuestion(q.group.text, { excluded: mentioned, isEmote });
    // A question the mask would change is not retold ("if he is a f*****", "where a link is"), nor one that promotes.
    if (clause !== undefined && safeForAir(clause) === clause && !promotes(clause)) return { clause, count: q.group.count, topics: q.topics };
  }
  return undefined;
}

/**
 * Words chat uses in nearly every window (−ln share of messages below 5: "will", "lol", "trump" in news chat) are
 * never a topic; "game" (5.1) still is. 4.5, 5.5 and 6 scored within 0.001 ROUGE-L of 5 on the dev windows.
 */
const MIN_SURPRISAL = 5;
const MAX_TOPICS = 12;
const SHORT_LINE = 8;
// Latin letters (with Latin-1 and Extended-A/B accents), digits and apostrophes: a word a producer can read on air.
const LATIN_WORD = /^[A-Za-z0-9'’\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]+$/;

// Laughter in any spelling (hahaha, jajaja, kkkk, wkwk, lolol, rsrs): a reaction, never a topic.
const LAUGHTER = /^(?:(?:ha|ah|he|ja|aj|je|ka|ke|wk|rs|lo|lu|xd)+[hjklou]?|k{3,}|l+o+l+[lo]*)$/;
const LOOKS_LIKE_HANDLE = /\p{Ll}\p{Lu}|\p{L}\p{N}|\p{N}\p{L}|_/u;

/**
 * A word that can name what chat is about: not a reaction, sentiment or filler word, not a number, and not an inflected
 * verb or adverb ("laughing", "missed", "literally"), which chat uses to react rather than to name things.
 */
const CAMEL_PREFIX = /^(\p{Ll}{4,6})\p{Lu}/u;

/**
 * "democrats" and "democrat", "eggs" and "egg" are one topic: the plural's votes go to the singular candidate, and the
 * written form chat uses most (over both) names it.
 */
function mergePlurals(candidates: Map<string, Candidate>): void {
  for (const plural of [...candidates.values()]) {
    if (plural.key.includes(" ") || !plural.key.endsWith("s")) continue;
    const singular = candidates.get(plural.key.slice(0, -1)) ?? (plural.key.endsWith("es") ? candidates.get(plural.key.slice(0, -2)) : undefined);
    if (singular === undefined || singular === plural) continue;
    singular.lines += plural.lines;
    singular.messages += plural.messages;
    singular.short ||= plural.short;
    for (const [form, n] of plural.forms) singular.forms.set(form, (singular.forms.get(form) ?? 0) + n);
    candidates.delete(plural.key);
  }
}

function hasPrefix(key: string, prefixes: ReadonlySet<string>): boolean {
  for (const p of prefixes) if (key.length > p.length + 1 && key.startsWith(p)) return true;
  return false;
}

function isCapitalised(text: string): boolean {
  return /^\p{Lu}/u.test(text);
}

// Contractions as chat types them, with or without the apostrophe: "didnt", "can’t", "wont", "shes", "youre".
const CONTRACTION = /^(?:(?:did|do|does|ca|wo|is|was|are|were|could|should|would|have|has|had|ai|must|need)n['’]?t|can['’]?t|(?:s?he|that|what|there)['’]?s|(?:you|they|we)['’]?(?:re|ve)|i['’]?ve|you['’]?ll)$/;
// Interjections in any spelling ("mhm", "aah", "woah", "ugh"): a sound, never a topic.
const INTERJECTION = /^(?:m+h+m+|h+m+|a+h+|o+h+|o+o+f+|w+h?o+a+h*|u+g+h+|m+e+h+|u+h+|u+m+|e+h+|y+a+y+)$/;

/** Reaction words chat spams on their own, named like emotes ("spamming RIP and F"). */
const SHOUTS = new Set(["rip", "gg", "ggs", "ggwp", "f", "w", "l", "ez", "pog", "noo", "yes", "omg", "wtf", "lol", "lmao", "xd"]);

/** A two-letter name chat writes in capitals ("EU", "NA", "KS"): short, but a topic. */
function isAcronym(tok: Token): boolean {
  return tok.caps && tok.norm.length === 2 && !STOPWORDS.has(tok.norm) && !NON_TOPICS.has(tok.norm) && !SHOUTS.has(tok.norm) && /^\p{L}+$/u.test(tok.norm);
}

function isTopicWord(term: string): boolean {
  if (term.length < 3 || NON_TOPICS.has(term) || STOPWORDS.has(term) || CHAT_WORD_POLARITY.has(term) || /^\d+$/.test(term)) return false;
  if (LAUGHTER.test(term) || (term.startsWith(":") && term.endsWith(":"))) return false;
  if (term.length >= 6 && term.endsWith("ing")) return false;
  // A function word of another language ("als", "bei", "obrigado", "yang") is no topic in any window.
  if (CONTRACTION.test(term) || INTERJECTION.test(term) || isForeignCue(term)) return false;
  if (term.length >= 5 && (term.endsWith("ed") || term.endsWith("ly"))) return false;
  return true;
}

/** Chat shouts; a headline should not. Acronyms (up to four capitals) stay as written. */
function displayForm(form: string): string {
  if (form.length > 4 && form === form.toUpperCase() && form !== form.toLowerCase()) return form.charAt(0) + form.slice(1).toLowerCase();
  return form;
}
