import type { ChatMessage } from "../core/message.js";
import type { SentimentModel, SentimentScores } from "../models/sentiment/sentiment-model.js";
import type { BotFilter } from "./bot-filter.js";
import type { EmoteDictionary } from "./emote-dictionary.js";
import { ChannelLanguagePrior } from "./channel-language.js";
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

export interface MessageProcessorOptions {
  /**
   * Languages a line the detector leaves "und" is scored in when its channel mostly speaks one of them
   * (channel-language.ts): the languages a model of their own reads (German and Indonesian). Empty or absent: every
   * "und" line is scored as "und". The line's `lang` stays "und" either way (the language mix counts what was read).
   */
  readonly channelPriorLanguages?: ReadonlySet<LanguageCode>;
}

/**
 * The per-message stage: tokenize, drop bots and commands from scoring, read the language, score sentiment in it.
 * The sentiment model is read through a getter on every call so a hot-swap takes effect between two messages.
 */
export class MessageProcessor {
  private readonly cueReader: MoodCueReader;
  private readonly priorLanguages: ReadonlySet<LanguageCode>;
  private readonly channelLanguages = new ChannelLanguagePrior();

  constructor(
    private readonly emotes: EmoteDictionary,
    private readonly bots: BotFilter,
    private readonly sentimentModel: () => SentimentModel,
    options: MessageProcessorOptions = {},
  ) {
    this.cueReader = new MoodCueReader(emotes);
    this.priorLanguages = options.channelPriorLanguages ?? new Set();
  }

  /** Forgets what a channel's recent lines said about its language (a worker taking the channel over replays them). */
  forgetChannel(channel: string): void {
    this.channelLanguages.forget(channel);
  }

  /** The language a scored line of `channel` is scored in: its own, or for an "und" line the channel's, when a model reads it. */
  private scoringLanguage(msg: ChatMessage, lang: LanguageCode, tokens: TokenizedText): LanguageCode {
    return this.priorLanguages.size === 0 ? lang : this.channelLanguages.scoringLanguage(msg.channel, msg.t, lang, this.priorLanguages, tokens);
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
      sentiment: ignored === undefined ? this.sentimentModel().score(msg.text, tokens, this.scoringLanguage(msg, lang, tokens)) : undefined,
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
