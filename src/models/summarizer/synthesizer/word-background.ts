import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const WORD_BACKGROUND_FORMAT = "chatstream-word-background/1";

export interface WordBackgroundDocument {
  format: typeof WORD_BACKGROUND_FORMAT;
  about: string;
  /** Rate of the rarest word kept: anything rarer (or unseen) is at most this common. */
  floor: number;
  /** Natural log of the share of messages containing the word. */
  logRate: Record<string, number>;
  /** Words of `logRate` that safeForAir changes (profanity, slurs): every other kept word is safe on air as it is. */
  masked: string[];
  /** Words of `logRate` whose likeliest part of speech is not a noun ("made", "hot", "afterwards"); absent in older files. */
  notNouns?: string[];
  /** Words of the recordings (kept or not) that are proper names chat often writes in lower case ("nepal"); absent in older files. */
  names?: string[];
}

/**
 * How common a word is in chat in general (data/word-background.json, built by `npm run build:word-background`).
 * Its surprisal says how much a word tells about this window: "will" or "idea" are said everywhere, "Bloodborne"
 * or "hotpot" name what this window is about.
 */
export class WordBackground {
  private readonly logRate: Map<string, number>;
  private readonly floorLog: number;
  private readonly masked: ReadonlySet<string>;
  private readonly notNouns: ReadonlySet<string>;
  private readonly names: ReadonlySet<string>;

  constructor(doc: WordBackgroundDocument) {
    this.logRate = new Map(Object.entries(doc.logRate));
    this.floorLog = Math.log(doc.floor);
    this.masked = new Set(doc.masked);
    this.notNouns = new Set(doc.notNouns ?? []);
    this.names = new Set(doc.names ?? []);
  }

  /** A proper name ("china", "nepal"), however chat cases it. */
  isName(word: string): boolean {
    return this.names.has(word);
  }

  /** A common word that is most often a verb, adjective or adverb, so it names no topic ("made", "hot"). */
  isNotNoun(word: string): boolean {
    return this.notNouns.has(word);
  }

  /** −ln(rate): about 2 for the commonest chat words, 12 or more for words chat rarely uses. */
  surprisal(word: string): number {
    return -(this.logRate.get(word) ?? this.floorLog);
  }

  /** Known as a common word of chat (among the kept vocabulary). */
  has(word: string): boolean {
    return this.logRate.has(word);
  }

  /** A kept word (lower case) known to pass the profanity mask unchanged, so it need not be checked again. */
  isClean(word: string): boolean {
    return this.logRate.has(word) && !this.masked.has(word);
  }
}

const BUILTIN_PATH = fileURLToPath(new URL("../../../../data/word-background.json", import.meta.url));
let builtin: WordBackground | undefined;

/** The background shipped with chatstream, loaded once; an empty one (every word equally rare) if the file is missing. */
export function builtinWordBackground(): WordBackground {
  if (builtin === undefined) {
    let doc: WordBackgroundDocument = { format: WORD_BACKGROUND_FORMAT, about: "missing", floor: 1e-6, logRate: {}, masked: [] };
    try {
      const parsed = JSON.parse(readFileSync(BUILTIN_PATH, "utf8")) as WordBackgroundDocument;
      if (parsed.format === WORD_BACKGROUND_FORMAT) doc = parsed;
    } catch {
      // A build without the data file still writes headlines, ranking topics by count alone.
    }
    builtin = new WordBackground(doc);
  }
  return builtin;
}
