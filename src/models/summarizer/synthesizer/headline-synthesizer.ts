import type { ChatDigest } from "../../../aggregation/chat-digest.js";
import type { EmoteDictionary } from "../../../processing/emote-dictionary.js";
import { isQuiet } from "../headline-text.js";
import type { Summarizer } from "../summarizer.js";
import type { Reaction } from "./reactions.js";
import { analyzeDigest, type EmoteUse, type Thread, type TopicTerm, type WindowStructure } from "./window-structure.js";
import { builtinWordBackground, type WordBackground } from "./word-background.js";

type Lead = Reaction | "talk";

/**
 * Verb phrases for the dominant reaction; `{T}` is the object. Several each, so the headline does not read as one
 * template; all keep the shape the reference headlines share ("Chat <verb>s <object>, spamming <emote> ...").
 */
const LEADS: Record<Lead, readonly string[]> = {
  laughter: ["Chat laughs at {T}", "Chat is laughing at {T}", "Chat cracks up at {T}"],
  hype: ["Chat hypes {T}", "Chat cheers for {T}", "Chat erupts in hype over {T}"],
  love: ["Chat sends love to {T}", "Chat is warm and thankful about {T}"],
  sadness: ["Chat is sad about {T}", "Chat mourns {T}", "Chat laments {T}"],
  anger: ["Chat complains about {T}", "Chat is angry about {T}", "Chat slams {T}"],
  boredom: ["Chat is bored with {T}", "Chat grumbles about {T}"],
  fear: ["Chat is nervous about {T}", "Chat gets tense over {T}"],
  mockery: ["Chat mocks {T}", "Chat trolls {T}", "Chat jokes about {T}"],
  confusion: ["Chat is confused about {T}", "Chat asks what is going on with {T}"],
  greeting: ["Chat greets the streamer and talks about {T}", "Chat trades greetings and talks about {T}"],
  shock: ["Chat reacts in shock to {T}", "Chat is stunned by {T}"],
  talk: ["Chat reacts to {T}", "Chat is talking about {T}", "Chat talks about {T}"],
};

/** How "many" (the rest of the majority) or "others" (a second thread) do a reaction: "with many joking about X". */
const DOING: Record<Lead, string> = {
  laughter: "joking about",
  hype: "cheering for",
  love: "sending love to",
  sadness: "lamenting",
  anger: "complaining about",
  boredom: "bored with",
  fear: "nervous about",
  mockery: "mocking",
  confusion: "asking about",
  greeting: "greeting and talking about",
  shock: "shocked by",
  talk: "talking about",
};

const OTHERS_DO: Record<Lead, string> = {
  laughter: "laugh at",
  hype: "cheer for",
  love: "send love to",
  sadness: "are sad about",
  anger: "complain about",
  boredom: "are bored with",
  fear: "are nervous about",
  mockery: "mock",
  confusion: "are confused about",
  greeting: "say hello and talk about",
  shock: "are shocked by",
  talk: "talk about",
};

const POSITIVE: ReadonlySet<Reaction> = new Set(["laughter", "hype", "love"]);
const NEGATIVE: ReadonlySet<Reaction> = new Set(["sadness", "anger", "boredom", "fear", "mockery"]);
/** A headline read at a glance; the references run 25–40 words, 35 on average. */
const MAX_WORDS = 38;
/** A word chat uses often enough to be a common noun ("microwave", "song"), not a name ("Bezos", "Zac"). */
const COMMON_NOUN_SURPRISAL = 10.5;

/** Stable, content-derived choice among variants: the same window always reads the same. */
function pick<T>(options: readonly T[], seed: string): T {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return options[(h >>> 0) % options.length] as T;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function emoteName(e: EmoteUse): string {
  return e.name.startsWith(":") && e.name.endsWith(":") ? e.name.slice(1, -1).replace(/[_-]+/g, " ") + " emoji" : e.name;
}

/** "in laughter", "in hype": only meanings that read as a feeling (not "a meme face" or "Gabe Newell"). */
function inMeaning(e: EmoteUse | undefined): string {
  const m = e?.meaning;
  return m !== undefined && /^[a-z]/.test(m) && !/^(?:a|an|the)\s/.test(m) ? ` in ${m}` : "";
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * The embedded headline synthesizer: two sentences written from the window's structure — the dominant
 * reaction and what it is about (with the emote chat spams and its meaning), then the most notable other
 * thread (dissent, a recurring question, a second reaction or topic). Grounded: every name in it is a word,
 * emote or meaning found in the window; no usernames, links or copied runs of chat; profanity masked.
 */
export class HeadlineSynthesizer implements Summarizer {
  readonly name = "embedded";

  constructor(
    private readonly emotes: EmoteDictionary,
    private readonly background: WordBackground = builtinWordBackground(),
  ) {}

  summarizeWindow(d: ChatDigest): string {
    if (isQuiet(d)) return d.count > 0 ? "Chat is quiet apart from bots and commands. No viewer messages to summarize yet." : "Chat is quiet right now. No messages in this window yet.";
    const s = analyzeDigest(d, this.emotes, this.background);
    return this.compose(s, d.groups[0]?.signature ?? "");
  }

  summarizePeriod(d: ChatDigest, parts: readonly ChatDigest[]): string {
    const active = parts.filter((p) => !isQuiet(p));
    if (active.length < 2) return this.summarizeWindow(d);
    const first = analyzeDigest(active[0] as ChatDigest, this.emotes, this.background);
    const last = analyzeDigest(active[active.length - 1] as ChatDigest, this.emotes, this.background);
    const whole = analyzeDigest(d, this.emotes, this.background);
    const from = first.dominant ?? "talk";
    const to = last.dominant ?? "talk";
    const topics = list(whole.topics.slice(0, 3).map((t) => this.nounPhrase(t))) || "the stream";
    const arc = from === to ? `Chat stays in ${describe(from)} throughout, mostly about ${topics}.` : `Chat went from ${describe(from)} to ${describe(to)}, mostly about ${topics}.`;
    const plan = new TopicPlan(whole, []);
    plan.take(3);
    return `${arc} ${this.secondSentence(whole, d.groups[0]?.signature ?? "", plan, [])}`;
  }

  /** Both sentences, dropping optional clauses while the whole runs over the word budget. */
  private compose(s: WindowStructure, seed: string): string {
    // What the recurring questions are about is kept for the second sentence, so the first does not use it up.
    const asked = askedCount(s) >= 2 ? threadTopics(s.questions, s, new Set(), 2) : [];
    for (let detail = 2; ; detail--) {
      const plan = new TopicPlan(s, asked);
      const text = `${this.firstSentence(s, seed, plan, detail)} ${this.secondSentence(s, seed, plan, asked.map((t) => this.nounPhrase(t)), detail)}`;
      if (detail === 0 || wordCount(text) <= MAX_WORDS) return text;
    }
  }

  /** "the microwave" for a common noun chat writes in lower case; names, acronyms and chants stay bare. */
  private nounPhrase(t: TopicTerm): string {
    return t.label === t.label.toLowerCase() && /^\p{L}/u.test(t.label) && this.background.surprisal(t.key) < COMMON_NOUN_SURPRISAL ? `the ${t.label}` : t.label;
  }

  private firstSentence(s: WindowStructure, seed: string, plan: TopicPlan, detail: number): string {
    const spam = s.emotes.filter((e) => e.count >= 2 && e.count / Math.max(1, s.total) >= 0.06).slice(0, 2);
    const main = plan.take(2).map((t) => this.nounPhrase(t));
    const object = main.length > 0 ? list(main) : "the stream";
    const reaction: Lead = s.dominant !== undefined && s.dominantShare >= 0.12 ? s.dominant : "talk";
    const first = spam[0];
    let sentence: string;
    // An emote wall with no clearer reaction reads best as what it is.
    if (reaction === "talk" && first !== undefined && first.count / Math.max(1, s.total) >= 0.15) {
      sentence = `Chat spams ${list(spam.map(emoteName))}${inMeaning(first)} as viewers talk about ${object}`;
    } else {
      sentence = pick(LEADS[reaction], seed).replace("{T}", object);
      if (first !== undefined) sentence += `, spamming ${list(spam.map(emoteName))}${inMeaning(first)}`;
    }
    // More of what the main reaction is about, when chat has it.
    const more = plan.take(detail >= 1 ? 2 : 1).map((t) => this.nounPhrase(t));
    if (more.length > 0) sentence += `, with many ${DOING[reaction === "talk" ? "laughter" : reaction]} ${list(more)}`;
    return sentence + ".";
  }

  private secondSentence(s: WindowStructure, seed: string, plan: TopicPlan, asked: readonly string[], detail = 2): string {
    const clauses: string[] = [];
    // Dissent: a sizeable minority leaning against the majority.
    const majorityPositive = s.dominant !== undefined ? POSITIVE.has(s.dominant) : s.polarity >= 0;
    const minorityShare = majorityPositive ? s.negativeShare : s.positiveShare;
    if (minorityShare >= 0.15) {
      const against = s.threads.filter((t) => (majorityPositive ? t.polarity < -0.2 : t.polarity > 0.2));
      const reaction = mostCommon(against.map((t) => t.reaction).filter((r): r is Reaction => r !== undefined && (majorityPositive ? NEGATIVE : POSITIVE).has(r)));
      const about = plan.takeFrom(against, 2).map((t) => this.nounPhrase(t));
      clauses.push(`${pick(["Others", "Some viewers", "A minority"], seed)} ${OTHERS_DO[reaction ?? (majorityPositive ? "anger" : "hype")]} ${about.length > 0 ? list(about) : "it"}`);
    } else {
      const questionsAsked = askedCount(s) >= 2;
      const second = [...s.reactionWeights.entries()].filter(([r]) => r !== s.dominant && !(questionsAsked && r === "confusion")).sort((a, b) => b[1] - a[1])[0];
      const rest = plan.take(2).map((t) => this.nounPhrase(t));
      if (second !== undefined && second[1] >= 2) clauses.push(`Others ${OTHERS_DO[second[0]]} ${rest.length > 0 ? list(rest) : "the stream"}`);
      else if (rest.length > 0) clauses.push(`Others talk about ${list(rest)}`);
    }
    if (askedCount(s) >= 2) {
      clauses.push(`a few ask ${asked.length > 0 ? `about ${list(asked)}` : "questions"}`);
    } else if (s.emotes.length > 2 && clauses.length > 0 && detail >= 2) {
      clauses.push(`some spam ${list(s.emotes.slice(2, 4).map(emoteName))}`);
    }
    if (clauses.length === 0) return `${pick(["A few", "Some viewers"], seed)} post other lines, with little else going on.`;
    const text = clauses.length === 1 ? (clauses[0] as string) : `${clauses[0]}, while ${clauses[1]}`;
    return text.charAt(0).toUpperCase() + text.slice(1) + ".";
  }
}

function askedCount(s: WindowStructure): number {
  return s.questions.reduce((n, q) => n + q.group.count, 0);
}

/** The window's topics in salience order, each named once across the headline; those reserved for the questions are skipped. */
class TopicPlan {
  private readonly used = new Set<string>();

  constructor(
    private readonly s: WindowStructure,
    reserved: readonly TopicTerm[],
  ) {
    for (const t of reserved) this.used.add(t.key);
  }

  take(n: number): TopicTerm[] {
    const out: TopicTerm[] = [];
    for (const t of this.s.topics) {
      if (out.length === n) break;
      if (this.used.has(t.key)) continue;
      this.used.add(t.key);
      out.push(t);
    }
    return out;
  }

  /** The next topics that some of these threads are about. */
  takeFrom(threads: readonly Thread[], n: number): TopicTerm[] {
    const keys = new Set(threads.flatMap((t) => t.topics));
    const out: TopicTerm[] = [];
    for (const t of this.s.topics) {
      if (out.length === n) break;
      if (this.used.has(t.key) || !keys.has(t.key)) continue;
      this.used.add(t.key);
      out.push(t);
    }
    return out;
  }
}

/** Topics of a set of threads, most salient first, skipping those already named. */
function threadTopics(threads: readonly Thread[], s: WindowStructure, exclude: ReadonlySet<string>, n: number): TopicTerm[] {
  const keys = new Set(threads.flatMap((t) => t.topics));
  return s.topics.filter((t) => keys.has(t.key) && !exclude.has(t.key)).slice(0, n);
}

function mostCommon<T>(items: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestN = 0;
  for (const x of items) {
    const n = (counts.get(x) ?? 0) + 1;
    counts.set(x, n);
    if (n > bestN) [best, bestN] = [x, n];
  }
  return best;
}

function describe(r: Lead): string {
  switch (r) {
    case "talk":
      return "casual talk";
    case "hype":
      return "hype";
    case "greeting":
      return "greetings";
    default:
      return r;
  }
}
