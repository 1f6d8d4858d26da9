import type { EmoteDictionary } from "../../../processing/emote-dictionary.js";
import type { Token } from "../../../processing/tokenizer.js";

/** What a chat line does, as a producer would name it at a glance. */
export type Reaction = "laughter" | "hype" | "love" | "sadness" | "anger" | "boredom" | "fear" | "mockery" | "confusion" | "greeting" | "shock";

export const REACTIONS: readonly Reaction[] = ["laughter", "hype", "love", "sadness", "anger", "boredom", "fear", "mockery", "confusion", "greeting", "shock"];

// Emote meanings in data/emotes.json are plain words; these stems map them to a reaction.
const MEANING_STEMS: readonly [string, Reaction][] = [
  ["laugh", "laughter"],
  ["cringe", "laughter"],
  ["hype", "hype"],
  ["excite", "hype"],
  ["applause", "hype"],
  ["celebrat", "hype"],
  ["win", "hype"],
  ["delight", "hype"],
  ["joy", "hype"],
  ["admiration", "hype"],
  ["praise", "hype"],
  ["strength", "hype"],
  ["approval", "hype"],
  ["love", "love"],
  ["hug", "love"],
  ["smile", "love"],
  ["thanks", "love"],
  ["happiness", "love"],
  ["sad", "sadness"],
  ["crying", "sadness"],
  ["heartbreak", "sadness"],
  ["dismay", "sadness"],
  ["disappoint", "sadness"],
  ["condolence", "sadness"],
  ["bored", "boredom"],
  ["anger", "anger"],
  ["rage", "anger"],
  ["disgust", "anger"],
  ["disapproval", "anger"],
  ["salt", "anger"],
  ["whining", "anger"],
  ["dismissal", "anger"],
  ["fear", "fear"],
  ["nervous", "fear"],
  ["alarm", "fear"],
  ["sarcasm", "mockery"],
  ["bait", "mockery"],
  ["mock", "mockery"],
  ["teasing", "mockery"],
  ["eye-rolling", "mockery"],
  ["greeting", "greeting"],
  ["shock", "shock"],
  ["surprise", "shock"],
  ["wondering", "confusion"],
];

// A Map, not an object: chat words such as "constructor" must find nothing here (issue 14, item 4).
const WORD_REACTIONS: ReadonlyMap<string, Reaction> = new Map(Object.entries<Reaction>({
  lol: "laughter", lmao: "laughter", lmfao: "laughter", rofl: "laughter", haha: "laughter", hahaha: "laughter", xd: "laughter", kek: "laughter", hehe: "laughter", jaja: "laughter", kkkk: "laughter", wkwk: "laughter", wkwkwk: "laughter",
  pog: "hype", poggers: "hype", hype: "hype", gg: "hype", ggs: "hype", ggwp: "hype", wp: "hype", clutch: "hype", insane: "hype", lets: "hype", yess: "hype", yes: "hype", goat: "hype", w: "hype", sick: "hype", clean: "hype", wow: "hype", nice: "hype", epic: "hype", omg: "shock",
  love: "love", cute: "love", thanks: "love", thank: "love", ty: "love", congrats: "love", wholesome: "love", beautiful: "love",
  rip: "sadness", f: "sadness", sad: "sadness", noo: "sadness", unlucky: "sadness", sadge: "sadness",
  trash: "anger", garbage: "anger", worst: "anger", terrible: "anger", awful: "anger", wtf: "anger", stupid: "anger", hate: "anger", scam: "anger", cheating: "anger", liar: "anger", lies: "anger", toxic: "anger", cringe: "mockery", l: "mockery", ratio: "mockery", clown: "mockery", noob: "mockery", ez: "mockery",
  boring: "boredom", bored: "boredom", zzz: "boredom", sleep: "boredom",
  scared: "fear", scary: "fear", monkas: "fear",
  hi: "greeting", hello: "greeting", hey: "greeting", hii: "greeting", yo: "greeting", welcome: "greeting", morning: "greeting", bye: "greeting",
  huh: "confusion", wut: "confusion", confused: "confusion",
}));

export function reactionOfMeaning(meaning: string): Reaction | undefined {
  for (const [stem, reaction] of MEANING_STEMS) if (meaning.includes(stem)) return reaction;
  return undefined;
}

/** The reaction a token expresses, if any: emotes and emoji by their dictionary meaning, words by a short list. */
export function reactionOfToken(tok: Token, emotes: EmoteDictionary): Reaction | undefined {
  switch (tok.kind) {
    case "emote": {
      const meaning = emotes.emote(tok.norm)?.meaning ?? emotes.emote(tok.text)?.meaning;
      return meaning === undefined ? undefined : reactionOfMeaning(meaning);
    }
    case "emoji": {
      const meaning = emotes.emojiMeaning(tok.norm)?.meaning;
      return meaning === undefined ? undefined : reactionOfMeaning(meaning);
    }
    case "word":
      return WORD_REACTIONS.get(tok.norm) ?? WORD_REACTIONS.get(tok.norm.replace(/(\p{L})\1+/gu, "$1"));
    case "punct":
      return tok.norm === "?" && tok.repeat >= 1 ? undefined : undefined;
    default:
      return undefined;
  }
}
