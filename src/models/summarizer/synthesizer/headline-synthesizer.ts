import type { ChatDigest } from "../../../aggregation/chat-digest.js";
import type { EmoteDictionary } from "../../../processing/emote-dictionary.js";
import { isQuiet } from "../headline-text.js";
import type { Summarizer } from "../summarizer.js";
import type { Reaction } from "./reactions.js";
import { analyzeDigest, type EmoteUse, type Thread, type WindowStructure } from "./window-structure.js";

/** Verb phrases for the dominant reaction; `{T}` is the object. Several each, so the headline does not read as one template. */
const LEADS: Record<Reaction | "talk", readonly string[]> = {
  laughter: ["Chat laughs at {T}", "Chat is laughing at {T}", "Chat cracks up over {T}"],
  hype: ["Chat hypes {T}", "Chat cheers for {T}", "Chat erupts in hype over {T}"],
  love: ["Chat sends love about {T}", "Chat is warm and thankful about {T}"],
  sadness: ["Chat is sad about {T}", "Chat mourns {T}", "Chat laments {T}"],
  anger: ["Chat complains about {T}", "Chat is angry about {T}", "Chat slams {T}"],
  boredom: ["Chat is bored with {T}", "Chat grumbles that {T} is boring"],
  fear: ["Chat is nervous about {T}", "Chat gets tense over {T}"],
  mockery: ["Chat mocks {T}", "Chat trolls {T}", "Chat jokes about {T}"],
  confusion: ["Chat is confused about {T}", "Chat asks what is going on with {T}"],
  greeting: ["Chat greets the streamer and each other, talking about {T}", "Chat trades greetings and talks about {T}"],
  shock: ["Chat reacts in shock to {T}", "Chat is stunned by {T}"],
  talk: ["Chat reacts to {T}", "Chat is talking about {T}", "Chat talks about {T}"],
};

const OTHER_VERBS: Record<Reaction | "talk", string> = {
  laughter: "laugh at",
  hype: "cheer for",
  love: "send love about",
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

/** Topic words of a set of threads, most repeated first, skipping those already named. */
function threadTopics(threads: readonly Thread[], s: WindowStructure, exclude: ReadonlySet<string>, n: number): string[] {
  const weights = new Map<string, number>();
  for (const t of threads) for (const key of t.topics) weights.set(key, (weights.get(key) ?? 0) + t.group.count);
  const out: string[] = [];
  for (const topic of s.topics) {
    if (out.length === n) break;
    const key = topic.label.toLowerCase();
    if (exclude.has(key) || !weights.has(key)) continue;
    out.push(topic.label);
  }
  return out;
}

/**
 * The embedded headline synthesizer: two sentences written from the window's structure — the dominant
 * reaction and what it is about (with the emote chat spams and its meaning), then the most notable other
 * thread (dissent, a recurring question, a second reaction or topic). Grounded: every name in it is a word,
 * emote or meaning found in the window; no usernames, links or copied runs of chat; profanity masked.
 */
export class HeadlineSynthesizer implements Summarizer {
  readonly name = "embedded";

  constructor(private readonly emotes: EmoteDictionary) {}

  summarizeWindow(d: ChatDigest): string {
    if (isQuiet(d)) return d.count > 0 ? "Chat is quiet apart from bots and commands. No viewer messages to summarize yet." : "Chat is quiet right now. No messages in this window yet.";
    const s = analyzeDigest(d, this.emotes);
    const seed = d.groups[0]?.signature ?? "";
    // What the recurring questions are about is kept for the second sentence, so the first does not use it up.
    const asked = s.questions.reduce((n, q) => n + q.group.count, 0) >= 2 ? threadTopics(s.questions, s, new Set(), 2) : [];
    return `${this.firstSentence(s, seed, asked)} ${this.secondSentence(s, seed, asked)}`;
  }

  summarizePeriod(d: ChatDigest, parts: readonly ChatDigest[]): string {
    const active = parts.filter((p) => !isQuiet(p));
    if (active.length < 2) return this.summarizeWindow(d);
    const first = analyzeDigest(active[0] as ChatDigest, this.emotes);
    const last = analyzeDigest(active[active.length - 1] as ChatDigest, this.emotes);
    const whole = analyzeDigest(d, this.emotes);
    const seed = d.groups[0]?.signature ?? "";
    const from = first.dominant ?? "talk";
    const to = last.dominant ?? "talk";
    const topics = list(whole.topics.slice(0, 3).map((t) => t.label)) || "the stream";
    const arc = from === to ? `Chat stays in ${describe(from)} throughout, mostly about ${topics}.` : `Chat went from ${describe(from)} to ${describe(to)}, mostly about ${topics}.`;
    return `${arc} ${this.secondSentence(whole, seed, [])}`;
  }

  private firstSentence(s: WindowStructure, seed: string, reserved: readonly string[]): string {
    const spam = s.emotes.filter((e) => e.count >= 2 && e.count / Math.max(1, s.total) >= 0.06).slice(0, 2);
    const topics = mainTopics(s, reserved);
    const object = topics.length > 0 ? list(topics) : "the stream";
    const reaction = s.dominant !== undefined && s.dominantShare >= 0.12 ? s.dominant : "talk";
    const first = spam[0];
    // An emote wall with no clearer reaction reads best as what it is.
    if (reaction === "talk" && first !== undefined && first.count / Math.max(1, s.total) >= 0.15) {
      const walls = list(spam.map(emoteName));
      return `Chat spams ${walls}${first.meaning !== undefined ? ` in ${first.meaning}` : ""} as viewers talk about ${object}.`;
    }
    let sentence = pick(LEADS[reaction], seed).replace("{T}", object);
    if (first !== undefined) {
      sentence += `, spamming ${list(spam.map(emoteName))}`;
      if (first.meaning !== undefined) sentence += ` in ${first.meaning}`;
    }
    // A third topic, when chat has one, says what else the main reaction is about.
    const more = s.topics.filter((t) => !reserved.includes(t.label) && !topics.includes(t.label)).slice(0, 2).map((t) => t.label);
    if (more.length > 0) sentence += `, with many joking about ${list(more)}`;
    return sentence + ".";
  }

  private secondSentence(s: WindowStructure, seed: string, asked: readonly string[]): string {
    const main = mainTopics(s, asked);
    const named = new Set(main.map((t) => t.toLowerCase()));
    for (const t of s.topics.filter((t) => !asked.includes(t.label) && !main.includes(t.label)).slice(0, 2)) named.add(t.label.toLowerCase());
    for (const a of asked) named.add(a.toLowerCase());
    const clauses: string[] = [];
    // Dissent: a sizeable minority leaning against the majority.
    const majorityPositive = s.dominant !== undefined ? POSITIVE.has(s.dominant) : s.polarity >= 0;
    const minorityShare = majorityPositive ? s.negativeShare : s.positiveShare;
    if (minorityShare >= 0.15) {
      const against = s.threads.filter((t) => (majorityPositive ? t.polarity < -0.2 : t.polarity > 0.2));
      const reaction = mostCommon(against.map((t) => t.reaction).filter((r): r is Reaction => r !== undefined && (majorityPositive ? NEGATIVE : POSITIVE).has(r)));
      const about = threadTopics(against, s, named, 2);
      about.forEach((a) => named.add(a.toLowerCase()));
      clauses.push(`${pick(["Others", "Some viewers", "A minority"], seed)} ${OTHER_VERBS[reaction ?? (majorityPositive ? "anger" : "hype")]} ${about.length > 0 ? list(about) : "it"}`);
    } else {
      const questionsAsked = s.questions.reduce((n, q) => n + q.group.count, 0) >= 2;
      const second = [...s.reactionWeights.entries()].filter(([r]) => r !== s.dominant && !(questionsAsked && r === "confusion")).sort((a, b) => b[1] - a[1])[0];
      const rest = s.topics.filter((t) => !named.has(t.label.toLowerCase())).slice(0, 2).map((t) => t.label);
      rest.forEach((a) => named.add(a.toLowerCase()));
      if (second !== undefined && second[1] >= 2) clauses.push(`Others ${OTHER_VERBS[second[0]]} ${rest.length > 0 ? list(rest) : "the stream"}`);
      else if (rest.length > 0) clauses.push(`Others talk about ${list(rest)}`);
    }
    if (s.questions.reduce((n, q) => n + q.group.count, 0) >= 2) {
      clauses.push(`a few ask ${asked.length > 0 ? `about ${list(asked)}` : "questions"}`);
    } else if (s.emotes.length > 2 && clauses.length > 0) {
      const extra = s.emotes.slice(2, 4).map(emoteName);
      clauses.push(`some spam ${list(extra)}`);
    }
    if (clauses.length === 0) return `${pick(["A few", "Some viewers"], seed)} post other lines, with little else going on.`;
    const text = clauses.length === 1 ? clauses[0] as string : `${clauses[0]}, while ${clauses[1]}`;
    return text.charAt(0).toUpperCase() + text.slice(1) + ".";
  }
}

/** The two topics the main reaction is about: the most mentioned, leaving those the questions are about to the second sentence. */
function mainTopics(s: WindowStructure, reserved: readonly string[]): string[] {
  const free = s.topics.filter((t) => !reserved.includes(t.label));
  return (free.length > 0 ? free : s.topics).slice(0, 2).map((t) => t.label);
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

function describe(r: Reaction | "talk"): string {
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
