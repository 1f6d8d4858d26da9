import type { ProcessedMessage } from "../processing/message-processor.js";
import type { Token } from "../processing/tokenizer.js";
import { IndexedHeap, type HeapSlot } from "./indexed-heap.js";
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
/**
 * A full digest evicts down to this share of its cap: small steps (200 groups at the default cap of 10,000), so the
 * window can evict as messages arrive without a pause any snapshot or message would notice.
 */
export const EVICT_DOWN_TO = 0.98;
const NO_TERMS = { terms: [] as readonly string[], emoteTerms: 0 };

interface GroupState extends HeapSlot {
  signature: string;
  text: string;
  count: number;
  /** Distinct chatters: the one chatter while there is only one (most groups), a map once there are more. */
  soloUser: string | undefined;
  soloCount: number;
  users: Map<string, number> | undefined;
  pos: number;
  neu: number;
  neg: number;
  scored: number;
  isQuestion: boolean;
  /** Time of the group's newest message: ties in count go to the fresher thread. */
  lastT: number;
  /** Time of the message that created it: an older message of the same line belonged to a group since evicted. */
  since: number;
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

interface TermState extends HeapSlot {
  term: string;
  count: number;
}

// Ranked by content only (count, freshness, then the key itself), so a running digest and one rebuilt from the
// same messages rank alike.
const groupBefore = (a: GroupState, b: GroupState): boolean => a.count > b.count || (a.count === b.count && (a.lastT > b.lastT || (a.lastT === b.lastT && a.signature < b.signature)));
const termBefore = (a: TermState, b: TermState): boolean => a.count > b.count || (a.count === b.count && a.term < b.term);

function distinctUsers(g: GroupState): number {
  return g.users !== undefined ? g.users.size : g.soloCount > 0 ? 1 : 0;
}

/**
 * The last digest built by an empty builder, and what it was built for (see DigestBuilder.build): one without lines
 * (an open bucket's audit asks for that) and one with (a closed bucket's).
 */
const emptyDigests: ({ start: number; end: number; topGroups: number; topTerms: number; maxLines: number; digest: ChatDigest } | undefined)[] = [undefined, undefined];

/**
 * Accumulates processed messages into a ChatDigest, and takes them out again: the sliding window adds each
 * message once when it arrives and removes it once when it leaves. Groups and terms sit in indexed heaps updated
 * by each add and remove, so a snapshot reads the top 20 in O(20 log 20) whatever the window holds; a digest
 * built twice with nothing added or removed in between is the same one. Bots and !commands are counted but form
 * no groups or terms.
 */
export class DigestBuilder {
  private count = 0;
  private scored = 0;
  private ignored = 0;
  private questions = 0;
  private readonly users = new Map<string, number>();
  private readonly sum: SentimentSum = { pos: 0, neu: 0, neg: 0 };
  private readonly groups = new Map<string, GroupState>();
  private readonly groupRank = new IndexedHeap<GroupState>(groupBefore);
  /** `!command` lines by signature: counted apart from chat, they form no groups or terms (and no ranking). */
  private readonly commands = new Map<string, GroupState>();
  private readonly terms = new Map<string, TermState>();
  private readonly termRank = new IndexedHeap<TermState>(termBefore);
  private readonly mentions = new Map<string, number>();
  /** Bumped by every add and remove: what the cached digest and the window's memos are keyed on. */
  private changes = 0;
  private mentionedList: string[] | undefined;
  private built: { changes: number; topGroups: number; topTerms: number; maxLines: number; digest: ChatDigest } | undefined;
  private evictedGroups = 0;
  private readonly cues = noMoodCues();
  private readonly languages = new LanguageCounts();
  private created = 0;

  get size(): number {
    return this.count;
  }

  /** Changes (adds and removes) so far: equal counts mean an equal digest. */
  get version(): number {
    return this.changes;
  }

  /** Distinct near-duplicate groups held. */
  get groupCount(): number {
    return this.groups.size;
  }

  /** Groups dropped by `evictGroupsBeyond` so far. */
  get evicted(): number {
    return this.evictedGroups;
  }

  add(m: ProcessedMessage): void {
    this.changes++;
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
    if (g.heapIndex < 0) this.groupRank.push(g);
    else this.groupRank.update(g);
    for (const term of m.terms) this.countTerm(term, 1);
    for (const tok of m.tokens.tokens) if (tok.kind === "mention") this.countMention(tok.text.slice(1).toLowerCase(), 1);
  }

  /** Takes out a message that was added earlier (the representative text of a group that stays is kept). */
  remove(m: ProcessedMessage): void {
    this.changes++;
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
    if (g !== undefined) {
      if (g.count === 0) {
        this.groupRank.remove(g);
      } else {
        if (s !== undefined) {
          g.scored--;
          g.pos -= s.pos;
          g.neu -= s.neu;
          g.neg -= s.neg;
        }
        this.groupRank.update(g);
      }
    }
    for (const term of m.terms) this.countTerm(term, -1);
    for (const tok of m.tokens.tokens) if (tok.kind === "mention") this.countMention(tok.text.slice(1).toLowerCase(), -1);
    if (this.scored === 0) this.sum.pos = this.sum.neu = this.sum.neg = this.cues.mockPos = 0; // no float residue once empty
  }

  /** Counts m in its line (created on its first message); the group's sentiment and ranking are the caller's. */
  private addLine(lines: Map<string, GroupState>, m: ProcessedMessage, terms: { terms: readonly string[]; emoteTerms: number } | undefined): GroupState {
    const key = m.tokens.signature;
    const asks = m.tokens.isQuestion;
    let g = lines.get(key);
    if (g === undefined) {
      const t = terms ?? wordsThenEmotes(m);
      g = { signature: key, text: m.text, count: 0, soloUser: undefined, soloCount: 0, users: undefined, pos: 0, neu: 0, neg: 0, scored: 0, isQuestion: asks, lastT: m.t, since: m.t, seq: this.created++, terms: t.terms, emoteTerms: t.emoteTerms, asked: 0, askedText: undefined, flatText: undefined, otherSeq: undefined, heapIndex: -1 };
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
    addUser(g, m.userId);
    return g;
  }

  /**
   * Takes m out of its line: the line, with count 0 when it went (the caller unranks it), or undefined when m
   * belonged to a line since evicted (a message older than the line's first).
   */
  private removeLine(lines: Map<string, GroupState>, m: ProcessedMessage): GroupState | undefined {
    const key = m.tokens.signature;
    const g = lines.get(key);
    if (g === undefined || m.t < g.since) return undefined;
    g.count--;
    if (g.count === 0) {
      lines.delete(key);
      return g;
    }
    if (m.tokens.isQuestion) g.asked--;
    removeUser(g, m.userId);
    return g;
  }

  /**
   * The same message as the window needs to keep it until it leaves: only what `add` and `remove` read, with the
   * group's signature and the terms' strings shared with the digest (a message's own tokens are most of its
   * weight, and a spam wave repeats the same strings thousands of times). Call after `add(m)`.
   */
  compact(m: ProcessedMessage): ProcessedMessage {
    if (m.ignored !== undefined) {
      // A !command keeps its signature: its line is counted apart (`commands`) and taken out when it leaves.
      const signature = m.ignored === "command" ? (this.commands.get(m.tokens.signature)?.signature ?? m.tokens.signature) : "";
      return { ...m, tokens: { ...m.tokens, tokens: NO_TOKENS, signature }, text: "" };
    }
    const g = this.groups.get(m.tokens.signature);
    let kept: Token[] | undefined;
    for (const tok of m.tokens.tokens) if (tok.kind === "mention" || tok.kind === "emote") (kept ??= []).push(tok);
    let terms = m.terms;
    if (terms.length > 0) {
      if (g !== undefined && sameTerms(terms, g.terms)) terms = g.terms;
      else terms = terms.map((term) => this.terms.get(term)?.term ?? term);
    }
    return { ...m, tokens: { ...m.tokens, tokens: kept ?? NO_TOKENS, signature: g?.signature ?? m.tokens.signature }, terms };
  }

  /**
   * Drops the lowest-ranked groups down to 98 % of `max` once there are more than `max`, and counts them: a flood of
   * distinct lines cannot grow a channel's state without bound. Their messages still count in every total and term;
   * the lines are no longer listed. The lines said once go first, oldest first (the groups map holds them in order of
   * creation, so this is a scan that stops when it has enough, not a sort of every group on each snapshot); only when
   * they are too few are the rest ranked.
   */
  evictGroupsBeyond(max: number): number {
    // The window's distinct !commands are held under the same cap: a bot flood of `!x1`, `!x2`, … is no cheaper to
    // keep than a flood of distinct chat lines.
    if (this.groups.size <= max && this.commands.size <= max) return 0; // every push asks: no closure made then
    const n = evictLinesBeyond(this.groups, max, this.groupRank) + evictLinesBeyond(this.commands, max, undefined);
    this.changes++;
    this.evictedGroups += n;
    return n;
  }

  build(start: number, end: number, topGroups = DEFAULT_TOP_GROUPS, topTerms = DEFAULT_TOP_TERMS, maxLines = DEFAULT_MAX_LINES): ChatDigest {
    // A builder nothing was ever added to gives the same digest in every channel: 10,000 quiet channels close their
    // empty 5 s buckets on the same grid, and share one digest for each rather than copying one each.
    const empty = this.changes === 0 ? emptyDigests[maxLines === 0 ? 0 : 1] : undefined;
    if (empty !== undefined && empty.start === start && empty.end === end && empty.topGroups === topGroups && empty.topTerms === topTerms && empty.maxLines === maxLines) return empty.digest;
    const built = this.built;
    if (built !== undefined && built.changes === this.changes && built.topGroups === topGroups && built.topTerms === topTerms && built.maxLines === maxLines) {
      return built.digest.start === start && built.digest.end === end ? built.digest : { ...built.digest, start, end };
    }
    // One read of the heap serves both lists: the top groups lead the lines kept. The heap gives the k best in
    // O(k log k), so the lines cost the same whatever the window holds (at most maxLines, 200 by default).
    const ranked = this.groupRank.top(Math.max(topGroups, maxLines));
    const all = ranked.map(groupOf);
    const groups = all.length > topGroups ? all.slice(0, topGroups) : all;
    const lines = maxLines > 0 ? inOrderOfAppearance(all, ranked, maxLines) : undefined;
    let commands: MessageGroup[] | undefined;
    if (maxLines > 0) {
      commands = [];
      for (const g of this.commands.values()) {
        if (commands.length === maxLines) break;
        commands.push(groupOf(g));
      }
    }
    this.mentionedList ??= [...this.mentions.keys()];
    const digest: ChatDigest = {
      start,
      end,
      count: this.count,
      scored: this.scored,
      ignored: this.ignored,
      chatters: this.users.size,
      sentiment: { ...this.sum },
      groups,
      terms: this.termRank.top(topTerms).map((t) => ({ term: t.term, count: t.count })),
      questions: this.questions,
      mentioned: this.mentionedList,
      cues: { ...this.cues },
      languages: this.languages.list(),
      ...(lines !== undefined ? { lines } : {}),
      ...(commands !== undefined ? { commands } : {}),
    };
    this.built = { changes: this.changes, topGroups, topTerms, maxLines, digest };
    if (this.changes === 0) emptyDigests[maxLines === 0 ? 0 : 1] = { start, end, topGroups, topTerms, maxLines, digest };
    return digest;
  }

  private countTerm(term: string, by: 1 | -1): void {
    let state = this.terms.get(term);
    if (state === undefined) {
      if (by < 0) return;
      state = { term, count: 0, heapIndex: -1 };
      this.terms.set(term, state);
      this.termRank.push(state);
    }
    state.count += by;
    if (state.count <= 0) {
      this.terms.delete(term);
      this.termRank.remove(state);
    } else {
      this.termRank.update(state);
    }
  }

  private countMention(name: string, by: 1 | -1): void {
    const before = this.mentions.size;
    increment(this.mentions, name, by);
    if (this.mentions.size !== before) this.mentionedList = undefined;
  }
}

const NO_TOKENS: Token[] = [];

const clip = (text: string): string => (text.length > MAX_REPRESENTATIVE_LENGTH ? text.slice(0, MAX_REPRESENTATIVE_LENGTH) : text);

function groupOf(g: GroupState): MessageGroup {
  const mixed = g.asked > 0 && g.asked < g.count && g.askedText !== undefined && g.flatText !== undefined && g.otherSeq !== undefined;
  return {
    signature: g.signature,
    text: clip(g.text),
    count: g.count,
    users: distinctUsers(g),
    sentiment: { pos: g.pos, neu: g.neu, neg: g.neg },
    scored: g.scored,
    isQuestion: g.isQuestion,
    terms: g.terms,
    emoteTerms: g.emoteTerms,
    first: g.seq,
    ...(mixed ? { asked: { count: g.asked, text: clip(g.askedText as string), flatText: clip(g.flatText as string), otherFirst: g.otherSeq as number } } : {}),
  };
}

function sameTerms(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (const term of a) if (!b.includes(term)) return false;
  return true;
}

function addUser(g: GroupState, user: string): void {
  if (g.users !== undefined) increment(g.users, user, 1);
  else if (g.soloCount === 0 || g.soloUser === user) {
    g.soloUser = user;
    g.soloCount++;
  } else {
    g.users = new Map([[g.soloUser as string, g.soloCount], [user, 1]]);
    g.soloUser = undefined;
    g.soloCount = 0;
  }
}

function removeUser(g: GroupState, user: string): void {
  if (g.users !== undefined) increment(g.users, user, -1);
  else if (g.soloUser === user && --g.soloCount === 0) g.soloUser = undefined;
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

/**
 * The n items to evict: those `cheap` accepts, in iteration order, and when they are fewer than n, the rest in
 * `worstFirst` order after them. Shared by the window's digest and its strict span.
 */
export function evictionOrder<T>(items: Iterable<T>, n: number, cheap: (item: T) => boolean, worstFirst: (a: T, b: T) => number): T[] {
  const victims: T[] = [];
  const rest: T[] = [];
  for (const item of items) {
    if (cheap(item)) {
      victims.push(item);
      if (victims.length === n) return victims;
    } else {
      rest.push(item);
    }
  }
  rest.sort(worstFirst);
  for (const item of rest) {
    if (victims.length === n) break;
    victims.push(item);
  }
  return victims;
}

/** Drops the lowest-ranked lines of `lines` down to 98 % of `max` once there are more than `max`; how many went. */
function evictLinesBeyond(lines: Map<string, GroupState>, max: number, rank: IndexedHeap<GroupState> | undefined): number {
  if (lines.size <= max) return 0;
  const n = lines.size - Math.floor(max * EVICT_DOWN_TO);
  const victims = evictionOrder(lines.values(), n, (g) => g.count === 1, (a, b) => (groupBefore(a, b) ? 1 : groupBefore(b, a) ? -1 : 0));
  for (const g of victims) {
    lines.delete(g.signature);
    rank?.remove(g);
  }
  return n;
}

/** The lines kept (`ranked`, best first, as `all` maps them), back in the order they first appeared. */
function inOrderOfAppearance(all: readonly MessageGroup[], ranked: readonly GroupState[], maxLines: number): MessageGroup[] {
  const n = Math.min(maxLines, all.length);
  const index: number[] = [];
  for (let i = 0; i < n; i++) index.push(i);
  index.sort((x, y) => (ranked[x] as GroupState).seq - (ranked[y] as GroupState).seq);
  return index.map((i) => all[i] as MessageGroup);
}

function rankTerms(terms: Map<string, number>, top: number): TermCount[] {
  return topK(terms.entries(), top, byCountThenTerm).map(([term, count]) => ({ term, count }));
}

/**
 * Merges consecutive digests into the digest of their union (5 s → 1 min → 10 min). Counts and sentiment
 * sums merge exactly; groups and terms merge by key over each part's top lists, so a line that never made
 * any part's top list is not counted at the higher level.
 */
export function mergeDigests(parts: readonly ChatDigest[], start: number, end: number, topGroups = DEFAULT_TOP_GROUPS, topTerms = DEFAULT_TOP_TERMS): ChatDigest {
  // A Map keeps first-seen order, and the sort below is stable: equal counts stay in the order they first appeared.
  const groups = new Map<string, MessageGroup>();
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
        // A part's line order and question split do not hold for the merge: the fields are copied by name (a
        // rest-destructuring copy cost eight times as much).
        const { pos, neu, neg } = g.sentiment;
        groups.set(g.signature, { signature: g.signature, text: g.text, count: g.count, users: g.users, sentiment: { pos, neu, neg }, scored: g.scored, isQuestion: g.isQuestion, terms: g.terms, emoteTerms: g.emoteTerms });
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
  merged.groups = [...groups.values()].sort((a, b) => b.count - a.count).slice(0, topGroups);
  merged.terms = rankTerms(terms, topTerms);
  return merged;
}
