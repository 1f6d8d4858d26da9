import type { ProcessedMessage } from "../processing/message-processor.js";
import { MoodCue } from "../processing/mood-cues.js";
import { LanguageCounts, mergeLanguageCounts, type LanguageCount } from "./language-mix.js";

/** Sums of per-message class probabilities; divided by `scored` they give the sentiment bar. */
export interface SentimentSum {
  pos: number;
  neu: number;
  neg: number;
}

/** A near-duplicate group: messages sharing one signature, counted once with their count. */
export interface MessageGroup {
  signature: string;
  /** Representative text: the shortest variant seen (the cleanest form of a spam line). */
  text: string;
  count: number;
  /** Distinct chatters who posted it (exact at 5 s level and in windows, summed when merged). */
  users: number;
  /** Sentiment sums over the group's scored messages. */
  sentiment: SentimentSum;
  scored: number;
  isQuestion: boolean;
  /** The group's content words, then its emotes (as `ProcessedMessage.terms` has them): what topic clusters join on. */
  terms: readonly string[];
  /** How many of `terms`, from the end, are emotes. */
  emoteTerms: number;
  /** Order of first appearance in the builder that made it (absent from merged and hand-built groups). */
  first?: number;
  /**
   * Set when some of the group's messages ask and some do not ("viktor?" and "viktor" share a signature): how many
   * ask, the shortest variant of each kind, and where the kind the group's first message was not first appeared
   * (on the scale of `first`), so a reader that quotes lines keeps the question apart and in place.
   */
  asked?: { count: number; text: string; flatText: string; otherFirst: number };
}

/**
 * Scored messages carrying each mood cue (processing/mood-cues.ts), and the summed P(pos) of those laughing at a
 * target: what the window mood model (mood.ts) reads beside the sentiment sums. Counts merge exactly.
 */
export interface MoodCueCounts {
  laugh: number;
  mock: number;
  hype: number;
  bored: number;
  sarcasm: number;
  mockPos: number;
}

export function noMoodCues(): MoodCueCounts {
  return { laugh: 0, mock: 0, hype: 0, bored: 0, sarcasm: 0, mockPos: 0 };
}

export interface TermCount {
  term: string;
  count: number;
}

/**
 * The structure every summarizer reads: what was said in a window or a period, with spam collapsed into
 * groups and content words counted. Mergeable, so roll-ups are built from their parts, never from raw chat.
 */
export interface ChatDigest {
  start: number;
  end: number;
  count: number;
  scored: number;
  ignored: number;
  /** Distinct chatters (exact for windows and 5 s buckets; a lower bound, the largest part's, once merged). */
  chatters: number;
  sentiment: SentimentSum;
  /** Largest first; at most the builder's `topK`. */
  groups: MessageGroup[];
  /** Most mentioned content words and emotes, largest first. */
  terms: TermCount[];
  questions: number;
  /** Names chat @mentions (lower-case): chatters' names, never to be printed as topics. */
  mentioned: string[];
  /** Mood cues of the scored messages (absent in a digest built by hand: no cues). */
  cues?: MoodCueCounts;
  /** Scored messages per known language, largest first (language-mix.ts); absent only in digests built by hand. */
  languages?: LanguageCount[];
  /**
   * Every distinct line of the window (the groups' objects, at most the builder's `maxLines`, the most repeated and
   * freshest kept), in the order they first appeared: what a headline can report in chat's own words, where the
   * event often sits in a line said once. Absent from merged digests (roll-ups keep only their parts' top groups).
   */
  lines?: MessageGroup[];
  /**
   * The window's `!commands` as counted lines in the same order (`first`), beside `lines`: no chat line, yet
   * "!dotabet" ×16 explains a window to a reader (the LLM prompt). Absent where `lines` is.
   */
  commands?: MessageGroup[];
}

export const DEFAULT_TOP_GROUPS = 20;
export const DEFAULT_TOP_TERMS = 20;
/** A 30 s window of a busy chat holds thousands of distinct lines; a headline reads the first few hundred. */
export const DEFAULT_MAX_LINES = 200;
const MAX_REPRESENTATIVE_LENGTH = 200;
const NO_TERMS = { terms: [] as readonly string[], emoteTerms: 0 };

interface GroupState {
  text: string;
  count: number;
  users: Map<string, number>;
  pos: number;
  neu: number;
  neg: number;
  scored: number;
  isQuestion: boolean;
  /** Time of the group's newest message: ties in count go to the fresher thread. */
  lastT: number;
  /** Order of creation: a group's place among the lines in order of first appearance. */
  seq: number;
  terms: readonly string[];
  emoteTerms: number;
  /** Messages that ask, and the shortest asking and non-asking variants (MessageGroup.asked). */
  asked: number;
  askedText: string | undefined;
  flatText: string | undefined;
  otherSeq: number | undefined;
}

/**
 * Accumulates processed messages into a ChatDigest, and takes them out again: the sliding window adds each
 * message once when it arrives and removes it once when it leaves, so a snapshot costs the ranking of what
 * is in the window, not a re-read of it. Bots and !commands are counted but form no groups or terms.
 */
export class DigestBuilder {
  private count = 0;
  private scored = 0;
  private ignored = 0;
  private questions = 0;
  private readonly users = new Map<string, number>();
  private readonly sum: SentimentSum = { pos: 0, neu: 0, neg: 0 };
  private readonly groups = new Map<string, GroupState>();
  /** `!command` lines by signature: counted apart from chat, they form no groups or terms. */
  private readonly commands = new Map<string, GroupState>();
  private readonly terms = new Map<string, number>();
  private readonly mentions = new Map<string, number>();
  private readonly cues = noMoodCues();
  private readonly languages = new LanguageCounts();
  private created = 0;

  get size(): number {
    return this.count;
  }

  add(m: ProcessedMessage): void {
    this.count++;
    if (m.ignored !== undefined) {
      this.ignored++;
      if (m.ignored === "command") this.addLine(this.commands, m, NO_TERMS);
      return;
    }
    increment(this.users, m.userId, 1);
    const s = m.sentiment;
    if (s !== undefined) {
      this.scored++;
      this.languages.add(m.lang, 1);
      this.sum.pos += s.pos;
      this.sum.neu += s.neu;
      this.sum.neg += s.neg;
      if (m.cues !== 0) countCues(this.cues, m.cues, s.pos, 1);
    }
    if (m.tokens.isQuestion) this.questions++;
    const g = this.addLine(this.groups, m, undefined);
    if (s !== undefined) {
      g.scored++;
      g.pos += s.pos;
      g.neu += s.neu;
      g.neg += s.neg;
    }
    for (const term of m.terms) increment(this.terms, term, 1);
    for (const tok of m.tokens.tokens) if (tok.kind === "mention") increment(this.mentions, tok.text.slice(1).toLowerCase(), 1);
  }

  /** Takes out a message that was added earlier (the representative text of a group that stays is kept). */
  remove(m: ProcessedMessage): void {
    this.count--;
    if (m.ignored !== undefined) {
      this.ignored--;
      if (m.ignored === "command") this.removeLine(this.commands, m);
      return;
    }
    increment(this.users, m.userId, -1);
    const s = m.sentiment;
    if (s !== undefined) {
      this.scored--;
      this.languages.add(m.lang, -1);
      this.sum.pos -= s.pos;
      this.sum.neu -= s.neu;
      this.sum.neg -= s.neg;
      if (m.cues !== 0) countCues(this.cues, m.cues, s.pos, -1);
    }
    if (m.tokens.isQuestion) this.questions--;
    const g = this.removeLine(this.groups, m);
    if (g !== undefined && s !== undefined) {
      g.scored--;
      g.pos -= s.pos;
      g.neu -= s.neu;
      g.neg -= s.neg;
    }
    for (const term of m.terms) increment(this.terms, term, -1);
    for (const tok of m.tokens.tokens) if (tok.kind === "mention") increment(this.mentions, tok.text.slice(1).toLowerCase(), -1);
    if (this.scored === 0) this.sum.pos = this.sum.neu = this.sum.neg = this.cues.mockPos = 0; // no float residue once empty
  }

  /** Counts m in its line (created on its first message); the group's sentiment is the caller's. */
  private addLine(lines: Map<string, GroupState>, m: ProcessedMessage, terms: { terms: readonly string[]; emoteTerms: number } | undefined): GroupState {
    const key = m.tokens.signature;
    const asks = m.tokens.isQuestion;
    let g = lines.get(key);
    if (g === undefined) {
      const t = terms ?? wordsThenEmotes(m);
      g = { text: m.text, count: 0, users: new Map(), pos: 0, neu: 0, neg: 0, scored: 0, isQuestion: asks, lastT: m.t, seq: this.created++, terms: t.terms, emoteTerms: t.emoteTerms, asked: 0, askedText: undefined, flatText: undefined, otherSeq: undefined };
      lines.set(key, g);
    } else if (m.text.length < g.text.length && m.text.trim().length > 0) {
      g.text = m.text;
    }
    const variant = asks ? g.askedText : g.flatText;
    if (variant === undefined || (m.text.length < variant.length && m.text.trim().length > 0)) {
      if (asks) g.askedText = m.text;
      else g.flatText = m.text;
    }
    if (asks) g.asked++;
    if (asks !== g.isQuestion && g.otherSeq === undefined) g.otherSeq = this.created++;
    g.count++;
    if (m.t > g.lastT) g.lastT = m.t;
    increment(g.users, m.userId, 1);
    return g;
  }

  /** Takes m out of its line; the line's state when it stays (its sentiment is the caller's). */
  private removeLine(lines: Map<string, GroupState>, m: ProcessedMessage): GroupState | undefined {
    const key = m.tokens.signature;
    const g = lines.get(key);
    if (g === undefined) return undefined;
    g.count--;
    if (g.count === 0) {
      lines.delete(key);
      return undefined;
    }
    if (m.tokens.isQuestion) g.asked--;
    increment(g.users, m.userId, -1);
    return g;
  }

  build(start: number, end: number, topGroups = DEFAULT_TOP_GROUPS, topTerms = DEFAULT_TOP_TERMS, maxLines = DEFAULT_MAX_LINES): ChatDigest {
    // Ranked by content only (count, freshness, then the signature itself), so a running digest and one rebuilt
    // from the same messages rank alike. One ranking serves both lists: the top groups lead the lines kept.
    const ranked = topK(this.groups.entries(), Math.max(topGroups, maxLines), (a, b) => b[1].count - a[1].count || b[1].lastT - a[1].lastT || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const all = ranked.map(([signature, g]) => groupOf(signature, g));
    const groups = all.length > topGroups ? all.slice(0, topGroups) : all;
    const byFirst = (a: MessageGroup, b: MessageGroup): number => (a.first as number) - (b.first as number);
    const lines = maxLines > 0 ? all.slice(0, maxLines).sort(byFirst) : undefined;
    const commands = maxLines > 0 ? [...this.commands].slice(0, maxLines).map(([signature, g]) => groupOf(signature, g)) : undefined;
    return {
      start,
      end,
      count: this.count,
      scored: this.scored,
      ignored: this.ignored,
      chatters: this.users.size,
      sentiment: { ...this.sum },
      groups,
      terms: rankTerms(this.terms, topTerms),
      questions: this.questions,
      mentioned: [...this.mentions.keys()],
      cues: { ...this.cues },
      languages: this.languages.list(),
      ...(lines !== undefined ? { lines } : {}),
      ...(commands !== undefined ? { commands } : {}),
    };
  }
}

const clip = (text: string): string => (text.length > MAX_REPRESENTATIVE_LENGTH ? text.slice(0, MAX_REPRESENTATIVE_LENGTH) : text);

function groupOf(signature: string, g: GroupState): MessageGroup {
  const mixed = g.asked > 0 && g.asked < g.count && g.askedText !== undefined && g.flatText !== undefined && g.otherSeq !== undefined;
  return {
    signature,
    text: clip(g.text),
    count: g.count,
    users: g.users.size,
    sentiment: { pos: g.pos, neu: g.neu, neg: g.neg },
    scored: g.scored,
    isQuestion: g.isQuestion,
    terms: g.terms,
    emoteTerms: g.emoteTerms,
    first: g.seq,
    ...(mixed ? { asked: { count: g.asked, text: clip(g.askedText as string), flatText: clip(g.flatText as string), otherFirst: g.otherSeq as number } } : {}),
  };
}

function countCues(c: MoodCueCounts, bits: number, pos: number, by: 1 | -1): void {
  if ((bits & MoodCue.laugh) !== 0) c.laugh += by;
  if ((bits & MoodCue.mock) !== 0) {
    c.mock += by;
    c.mockPos += by * pos;
  }
  if ((bits & MoodCue.hype) !== 0) c.hype += by;
  if ((bits & MoodCue.bored) !== 0) c.bored += by;
  if ((bits & MoodCue.sarcasm) !== 0) c.sarcasm += by;
}

/** A group's terms ordered words first, emotes last (computed once, when the group is created). */
function wordsThenEmotes(m: ProcessedMessage): { terms: readonly string[]; emoteTerms: number } {
  if (m.terms.length === 0) return { terms: m.terms, emoteTerms: 0 };
  const words: string[] = [];
  const emotes: string[] = [];
  for (const term of m.terms) (m.tokens.tokens.some((tok) => tok.kind === "emote" && tok.norm === term) ? emotes : words).push(term);
  return { terms: emotes.length === 0 ? m.terms : [...words, ...emotes], emoteTerms: emotes.length };
}

function increment(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}

/** The k smallest items under `compare`, sorted, in one pass: cheaper than sorting everything for a top list. */
export function topK<T>(items: Iterable<T>, k: number, compare: (a: T, b: T) => number): T[] {
  const top: T[] = [];
  if (k <= 0) return top;
  for (const item of items) {
    if (top.length === k && compare(item, top[k - 1] as T) >= 0) continue;
    let i = top.length === k ? k - 1 : top.length;
    if (top.length < k) top.push(item);
    while (i > 0 && compare(item, top[i - 1] as T) < 0) {
      top[i] = top[i - 1] as T;
      i--;
    }
    top[i] = item;
  }
  return top;
}

const byCountThenTerm = (a: [string, number], b: [string, number]): number => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function rankTerms(terms: Map<string, number>, top: number): TermCount[] {
  return topK(terms.entries(), top, byCountThenTerm).map(([term, count]) => ({ term, count }));
}

/**
 * Merges consecutive digests into the digest of their union (5 s → 1 min → 10 min). Counts and sentiment
 * sums merge exactly; groups and terms merge by key over each part's top lists, so a line that never made
 * any part's top list is not counted at the higher level.
 */
export function mergeDigests(parts: readonly ChatDigest[], start: number, end: number, topGroups = DEFAULT_TOP_GROUPS, topTerms = DEFAULT_TOP_TERMS): ChatDigest {
  const groups = new Map<string, MessageGroup & { order: number }>();
  const terms = new Map<string, number>();
  const cues = noMoodCues();
  const merged: ChatDigest = { start, end, count: 0, scored: 0, ignored: 0, chatters: 0, sentiment: { pos: 0, neu: 0, neg: 0 }, groups: [], terms: [], questions: 0, mentioned: [], cues };
  const mentioned = new Set<string>();
  for (const p of parts) {
    merged.count += p.count;
    merged.scored += p.scored;
    merged.ignored += p.ignored;
    merged.questions += p.questions;
    merged.chatters = Math.max(merged.chatters, p.chatters);
    merged.sentiment.pos += p.sentiment.pos;
    merged.sentiment.neu += p.sentiment.neu;
    merged.sentiment.neg += p.sentiment.neg;
    if (p.cues !== undefined) {
      cues.laugh += p.cues.laugh;
      cues.mock += p.cues.mock;
      cues.hype += p.cues.hype;
      cues.bored += p.cues.bored;
      cues.sarcasm += p.cues.sarcasm;
      cues.mockPos += p.cues.mockPos;
    }
    for (const g of p.groups) {
      const cur = groups.get(g.signature);
      if (cur === undefined) {
        groups.set(g.signature, { ...g, sentiment: { ...g.sentiment }, order: groups.size });
      } else {
        cur.count += g.count;
        cur.users += g.users;
        cur.scored += g.scored;
        cur.sentiment.pos += g.sentiment.pos;
        cur.sentiment.neu += g.sentiment.neu;
        cur.sentiment.neg += g.sentiment.neg;
        if (g.text.length < cur.text.length) cur.text = g.text;
      }
    }
    for (const term of p.terms) terms.set(term.term, (terms.get(term.term) ?? 0) + term.count);
    for (const name of p.mentioned) mentioned.add(name);
  }
  merged.mentioned = [...mentioned];
  merged.languages = mergeLanguageCounts(parts.map((p) => p.languages));
  merged.groups = [...groups.values()]
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, topGroups)
    .map(({ order: _order, first: _first, asked: _asked, ...g }) => g); // a part's line order and split do not hold for the merge
  merged.terms = rankTerms(terms, topTerms);
  return merged;
}
