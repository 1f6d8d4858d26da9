import type { EmoteDictionary } from "./emote-dictionary.js";
import { STOPWORDS } from "./stopwords.js";
import type { Token, TokenizedText } from "./tokenizer.js";

/**
 * What a message says about the window's mood beyond its own sentiment scores, as bits: the window mood model
 * (aggregation/mood.ts) reads the share of messages carrying each. Emotes and emoji count by their meaning in the
 * emote dictionary (so a channel's own emote file counts too), words by a short list.
 */
export const MoodCue = {
  /** Laughter: an emote or emoji meaning laughter, or "lol", "lmao", "haha", "xd"… */
  laugh: 1,
  /**
   * Laughter aimed at a target: laughter in a line that also names someone in capitals ("EU LUL", "CLOWN 9 LUL",
   * "TSM OMEGALUL") or speaks to someone ("you"). The annotation guidelines call mockery aimed at someone negative,
   * while the message model, like the message annotators, mostly reads the laughter.
   */
  mock: 2,
  /** Cheering: hype, applause, celebration, love, praise. */
  hype: 4,
  /** Boredom (ResidentSleeper). */
  bored: 8,
  /** Sarcasm and baiting (Kappa, Keepo, Jebaited): the window annotators read Kappa walls as neutral. */
  sarcasm: 16,
} as const;

const LAUGH_MEANING = /laugh/;
const HYPE_MEANING = /hype|applause|celebration|delight|joy|approval|praise|admiration|love|happiness|well played|gloating/;
const BORED_MEANING = /boredom/;
const SARCASM_MEANING = /sarcasm|baited|teasing/;
// Laughter typed as a word, letters squeezed to one ("LOOOOL" → "lol", "hahahaa" → "haha").
const LAUGH_WORD = /^(?:lol|lel|lul|lmao|lmfao|rofl|xd|kek|kekw|(?:a?ha){2,}h?|(?:he){3,}|(?:ja){2,}|(?:wk){2,})$/;
const SQUEEZE = /(\p{L})\1+/gu;
// Shouted words that are reactions, not the target of one ("OMG LUL", "GG LUL", "WTF LUL").
const INTERJECTIONS: ReadonlySet<string> = new Set(["omg", "wtf", "gg", "rip", "ez", "pog", "lets", "let's", "go", "ok", "nice", "wow", "bruh", "pls", "plz", "lmao", "lol", "xd", "ff", "wp", "gj", "no", "yes", "oh", "ah"]);
const SECOND_PERSON: ReadonlySet<string> = new Set(["you", "u", "ur", "your", "youre", "you're", "yall", "y'all"]);

function meaningCues(meaning: string): number {
  let bits = 0;
  if (LAUGH_MEANING.test(meaning)) bits |= MoodCue.laugh;
  if (HYPE_MEANING.test(meaning)) bits |= MoodCue.hype;
  if (BORED_MEANING.test(meaning)) bits |= MoodCue.bored;
  if (SARCASM_MEANING.test(meaning)) bits |= MoodCue.sarcasm;
  return bits;
}

/**
 * Reads each emote meaning once: meanings are the dictionary's own strings, a bounded set, so the cache cannot
 * grow with chat (emote names from a message's own emote tags never reach it unless the dictionary knows them).
 */
export class MoodCueReader {
  private readonly byMeaning = new Map<string, number>();

  constructor(private readonly emotes: EmoteDictionary) {}

  cuesOf(text: TokenizedText): number {
    let bits = 0;
    for (const tok of text.tokens) {
      if (tok.kind === "emote" || tok.kind === "emoji") {
        const meaning = tok.kind === "emoji" ? this.emotes.emojiMeaning(tok.text)?.meaning : (this.emotes.emote(tok.text) ?? this.emotes.emote(tok.norm))?.meaning;
        if (meaning !== undefined) bits |= this.meaningBits(meaning);
      } else if (tok.kind === "word" && isLaughWord(tok)) bits |= MoodCue.laugh;
    }
    // Most lines do not laugh; only those that do are read again for a target.
    if ((bits & MoodCue.laugh) !== 0 && text.tokens.some((tok) => tok.kind === "word" && !isLaughWord(tok) && isTarget(tok))) bits |= MoodCue.mock;
    return bits;
  }

  private meaningBits(meaning: string): number {
    let bits = this.byMeaning.get(meaning);
    if (bits === undefined) {
      bits = meaningCues(meaning);
      this.byMeaning.set(meaning, bits);
    }
    return bits;
  }
}

// First letters of the laugh words, so most words are rejected before a regular expression runs.
const LAUGH_FIRST = new Set(["l", "r", "x", "k", "a", "h", "j", "w"].map((c) => c.charCodeAt(0)));

function isLaughWord(tok: Token): boolean {
  return tok.norm.length <= 12 && LAUGH_FIRST.has(tok.norm.charCodeAt(0)) && LAUGH_WORD.test(tok.norm.replace(SQUEEZE, "$1"));
}

/** Someone laughter can be aimed at: a name or acronym shouted in capitals ("EU", "TSM", "CLOWN"), or "you". */
function isTarget(tok: Token): boolean {
  if (SECOND_PERSON.has(tok.norm)) return true;
  return tok.caps && !STOPWORDS.has(tok.norm) && !INTERJECTIONS.has(tok.norm);
}
