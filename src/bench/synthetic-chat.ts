import { seededRandom } from "../core/seeded-random.js";
/**
 * Synthetic chat for load tests, deterministic from a seed: emote spam, short reactions, questions and longer
 * lines over a bounded vocabulary, from a pool of chatters, with the repetition real chat has (near-duplicate
 * groups of the same reaction). Its distinct content is bounded, so a long run's windows hold what a busy real
 * channel's do rather than ever new text.
 */

const EMOTES = ["LUL", "PogChamp", "KEKW", "Kappa", "OMEGALUL", "monkaS", "BibleThump", "ResidentSleeper", "EZ", "5Head", "Pog", "Sadge", "PepeHands", "catJAM", "NotLikeThis"];
const REACTIONS = ["gg", "what a play", "no way", "lets go", "rip", "clean", "he is cracked", "so bad", "nice", "wtf", "lol", "haha", "insane", "throw", "close one", "unlucky", "that was sick", "easy", "report him", "first"];
const SUBJECTS = ["the ref", "the caster", "mid lane", "the jungler", "this team", "the stream", "the music", "chat", "the baron call", "the draft", "the support", "his build", "the overlay", "the audio"];
const VERBS = ["is", "looks", "was", "feels", "seems"];
const JUDGEMENTS = ["amazing", "terrible", "so slow", "actually good", "broken", "underrated", "lagging", "washed", "on fire", "confused", "clutch", "sleeping"];
const QUESTIONS = ["who is winning", "what happened", "is this live", "why is the audio off", "when is the next game", "what rank is he", "who is casting", "what song is this", "is he playing ranked", "how long is the break"];


function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function syntheticText(random: () => number): string {
  const r = random();
  if (r < 0.3) {
    const emote = pick(random, EMOTES);
    return Array.from({ length: 1 + Math.floor(random() * 4) }, () => emote).join(" ");
  }
  if (r < 0.6) {
    const reaction = pick(random, REACTIONS);
    return random() < 0.3 ? `${reaction} ${pick(random, EMOTES)}` : reaction;
  }
  if (r < 0.72) return `${pick(random, QUESTIONS)}${random() < 0.5 ? "?" : " ??"}`;
  return `${pick(random, SUBJECTS)} ${pick(random, VERBS)} ${pick(random, JUDGEMENTS)}${random() < 0.2 ? ` ${pick(random, EMOTES)}` : ""}`;
}

/** `count` chat lines as ingest items (our JSON lines without `t` and `channel`), from `chatters` users. */
export function syntheticChatLines(count: number, seed = 17, chatters = 5_000): string[] {
  const random = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(JSON.stringify({ user: `viewer${Math.floor(random() * chatters)}`, text: syntheticText(random), platform: "twitch" }));
  return out;
}
