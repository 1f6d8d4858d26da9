import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import type { TokenizedText } from "../../processing/tokenizer.js";
import { scoresFromEvidence, type SentimentModel, type SentimentScores } from "./sentiment-model.js";

// A small chat-aware lexicon: general sentiment words plus chat slang ("gg" applause, "sick" praise, "rip" lament,
// "lmao" laughter). Weights are in the same -1 … +1 range as emote polarities. Deliberately short: it is the
// baseline the trained model is measured against, and a fallback that needs no weights.
// A Map, not an object: "constructor" or "__proto__" in chat must find nothing here (issue 14, item 4).
export const CHAT_WORD_POLARITY: ReadonlyMap<string, number> = new Map(Object.entries({
  // positive
  love: 0.9, loved: 0.8, lovely: 0.8, like: 0.3, liked: 0.4, great: 0.8, good: 0.6, nice: 0.7, awesome: 0.9, amazing: 0.9,
  incredible: 0.8, insane: 0.6, beautiful: 0.8, best: 0.7, wow: 0.6, wp: 0.7, gg: 0.6, ggs: 0.6, ggwp: 0.7, pog: 0.9,
  hype: 0.8, lets: 0.3, go: 0.1, clutch: 0.8, sick: 0.5, cool: 0.6, fun: 0.7, funny: 0.7, lol: 0.7, lmao: 0.8, lmfao: 0.8,
  rofl: 0.8, haha: 0.7, hahaha: 0.8, xd: 0.7, hehe: 0.6, thanks: 0.6, thank: 0.6, ty: 0.5, thx: 0.5, congrats: 0.9,
  congratulations: 0.9, win: 0.5, won: 0.5, winning: 0.5, yes: 0.3, yay: 0.8, yess: 0.6, perfect: 0.8, legend: 0.8,
  goat: 0.8, king: 0.6, queen: 0.6, beast: 0.6, cute: 0.7, happy: 0.8, glad: 0.7, excited: 0.8, wholesome: 0.8, based: 0.5,
  W: 0.6, w: 0.5, fire: 0.6, lit: 0.6, dope: 0.6, epic: 0.7, brilliant: 0.8, genius: 0.7, respect: 0.6, support: 0.5,
  welcome: 0.4, enjoy: 0.6, enjoyed: 0.6, hyped: 0.8, clean: 0.5, smart: 0.5, pogg: 0.9, poggers: 0.9, omg: 0.3,
  // negative
  hate: -0.9, hated: -0.8, bad: -0.7, worst: -0.9, terrible: -0.9, awful: -0.9, horrible: -0.9, trash: -0.8, garbage: -0.8,
  boring: -0.8, bored: -0.7, sucks: -0.8, suck: -0.7, stupid: -0.8, dumb: -0.7, idiot: -0.9, idiots: -0.9, noob: -0.5,
  lose: -0.5, lost: -0.5, losing: -0.5, fail: -0.6, failed: -0.6, throw: -0.5, throwing: -0.5, threw: -0.5, sad: -0.8,
  rip: -0.5, unlucky: -0.4, cringe: -0.7, ugly: -0.7, annoying: -0.8, angry: -0.8, mad: -0.6, wtf: -0.5, ugh: -0.6,
  nooo: -0.6, noo: -0.5, liar: -0.9, lies: -0.8, lying: -0.8, fake: -0.6, scam: -0.8, disgusting: -0.9, shame: -0.7,
  cheating: -0.7, cheater: -0.8, cheat: -0.6, robbed: -0.7, rigged: -0.7, toxic: -0.7, kill: -0.4, dead: -0.4, die: -0.5,
  bs: -0.7, crap: -0.7, pathetic: -0.9, lame: -0.7, meh: -0.4, sorry: -0.2, cry: -0.4, crying: -0.3, scared: -0.6,
  afraid: -0.6, worried: -0.5, wrong: -0.4, L: -0.6, ff: -0.4, lag: -0.5, lagging: -0.5, sellout: -0.8, F: -0.5, f: -0.3,
  boo: -0.7, booo: -0.7, ez: 0.3,
}));
const NEGATORS = new Set(["not", "no", "never", "dont", "don't", "isnt", "isn't", "wasnt", "wasn't", "aint", "ain't", "cant", "can't", "doesnt", "doesn't", "didnt", "didn't", "nothing", "without"]);
const NEGATION_REACH = 3;
const DOUBLED = /(\p{L})\1/gu;
// Chosen so that a message with no evidence comes out about 53 % neutral, and one strong word about 70 % polar.
const NEUTRAL_BIAS = 0.8;
const EVIDENCE_GAIN = 2.2;

export class LexiconSentimentModel implements SentimentModel {
  readonly name = "lexicon";

  constructor(private readonly emotes: EmoteDictionary) {}

  score(_text: string, tokenized: TokenizedText): SentimentScores {
    let positive = 0;
    let negative = 0;
    let negateLeft = 0;
    for (const tok of tokenized.tokens) {
      let polarity = 0;
      switch (tok.kind) {
        case "emote":
          polarity = this.emotes.emote(tok.norm)?.polarity ?? this.emotes.emote(tok.text)?.polarity ?? 0;
          break;
        case "emoji":
          polarity = this.emotes.emojiMeaning(tok.norm)?.polarity ?? 0;
          break;
        case "word":
          if (NEGATORS.has(tok.norm)) {
            negateLeft = NEGATION_REACH;
            continue;
          }
          polarity = CHAT_WORD_POLARITY.get(tok.norm) ?? (tok.elongated ? CHAT_WORD_POLARITY.get(tok.norm.replace(DOUBLED, "$1")) : undefined) ?? CHAT_WORD_POLARITY.get(tok.text) ?? 0;
          break;
        default:
          break;
      }
      if (negateLeft > 0) {
        negateLeft--;
        polarity = -polarity * 0.9;
      }
      if (polarity === 0) continue;
      // Shouting, stretching and repeating all intensify what was said, with diminishing returns.
      const intensity = 1 + (tok.caps ? 0.25 : 0) + (tok.elongated ? 0.25 : 0) + Math.min(0.5, (tok.repeat - 1) * 0.15);
      if (polarity > 0) positive += polarity * intensity;
      else negative -= polarity * intensity;
    }
    return scoresFromEvidence(EVIDENCE_GAIN * Math.tanh(positive), EVIDENCE_GAIN * Math.tanh(negative), NEUTRAL_BIAS);
  }
}
