import type { ChatMessage } from "../core/message.js";
import type { SentimentModel, SentimentScores } from "../models/sentiment/sentiment-model.js";
import type { BotFilter } from "./bot-filter.js";
import type { EmoteDictionary } from "./emote-dictionary.js";
import { MoodCueReader } from "./mood-cues.js";
import { detectLanguage, UNDETERMINED, type LanguageCode } from "./language.js";
import { STOPWORDS } from "./stopwords.js";
import { tokenize, type TokenizedText } from "./tokenizer.js";

/** Why a message is counted but kept out of sentiment and headlines. */
export type IgnoreReason = "bot" | "command";

/** A chat message after the per-message stage: tokens, sentiment, and whether it counts for the headline. */
export interface ProcessedMessage {
  readonly t: number;
  readonly ts: number | undefined;
  readonly userId: string;
  readonly text: string;
  readonly tokens: TokenizedText;
  /** Undefined for ignored messages, which never reach the sentiment model. */
  readonly sentiment: SentimentScores | undefined;
  /** The language of its words (ISO 639-1), "und" when it has none to tell (emotes, names, chat words) or is ignored. */
  readonly lang: LanguageCode;
  readonly ignored: IgnoreReason | undefined;
  /** Content words and emotes it mentions, each once: what topics are counted from. */
  readonly terms: readonly string[];
  /** Mood cues (`MoodCue` bits: laughter, laughter at a target, cheering, boredom, sarcasm); 0 for ignored messages. */
  readonly cues: number;
}

/**
 * The per-message stage: tokenize, drop bots and commands from scoring, read the language, score sentiment in it.
 * The sentiment model is read through a getter on every call so a hot-swap takes effect between two messages.
 */
export class MessageProcessor {
  private readonly cueReader: MoodCueReader;

  constructor(
    private readonly emotes: EmoteDictionary,
    private readonly bots: BotFilter,
    private readonly sentimentModel: () => SentimentModel,
  ) {
    this.cueReader = new MoodCueReader(emotes);
  }

  process(msg: ChatMessage): ProcessedMessage {
    const tokens = tokenize(msg.text, this.emotes, msg.emotes);
    const ignored: IgnoreReason | undefined = msg.flags?.bot || this.bots.isBot(msg.user, msg.userId) ? "bot" : tokens.isCommand ? "command" : undefined;
    const lang = ignored === undefined ? detectLanguage(tokens) : UNDETERMINED;
    return {
      t: msg.t,
      ts: msg.ts,
      userId: msg.userId || msg.user,
      text: msg.text,
      tokens,
      sentiment: ignored === undefined ? this.sentimentModel().score(msg.text, tokens, lang) : undefined,
      lang,
      ignored,
      terms: ignored === undefined ? termsOf(tokens) : NO_TERMS,
      cues: ignored === undefined ? this.cueReader.cuesOf(tokens) : 0,
    };
  }
}

const NO_TERMS: readonly string[] = [];

/** Each content word (three letters or more, not a function word, not stretched) and emote, once per message. */
export function termsOf(tokenized: TokenizedText): readonly string[] {
  let terms: string[] | undefined;
  for (const tok of tokenized.tokens) {
    let term: string | undefined;
    if (tok.kind === "emote") term = tok.norm;
    // Stretched words ("GOOOO", "NOOOO") are how chat shouts, not what it is about.
    else if (tok.kind === "word" && !tok.elongated && tok.norm.length >= 3 && !STOPWORDS.has(tok.norm)) term = tok.norm;
    if (term === undefined) continue;
    terms ??= [];
    if (!terms.includes(term)) terms.push(term);
  }
  return terms ?? NO_TERMS;
}
