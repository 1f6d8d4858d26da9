import { englishVotes, LANGUAGES, UNDETERMINED, type Language, type LanguageCode } from "./language.js";
import type { TokenizedText } from "./tokenizer.js";

/**
 * The language a channel mostly speaks, from its recent lines: what a line the detector cannot place ("parah
 * parah", "wkwk", "BLAUKE BLAUKE", "Respekt") is most likely written in. In a German stream more than half the lines
 * carry no function word the detector knows; read as "und" they went to the English model, which reads German words
 * as unknown. With the prior they are scored in the channel's language.
 *
 * The prior is the detected languages of the channel's last lines, at most PRIOR_LINES of them and none older than
 * PRIOR_HORIZON_MS of stream time: it depends on the recent messages alone, so a channel rebuilt by replaying its last
 * ten minutes (broker/channel-state.ts) gets the prior it had. A language is the prior when it holds at least
 * PRIOR_SHARE of those lines and PRIOR_MIN_LINES of them; otherwise there is none and the line stays "und". Both
 * constants were fixed before measuring (docs/sentiment-experiments.md, German and Indonesian).
 */
export const PRIOR_LINES = 128;
export const PRIOR_HORIZON_MS = 10 * 60_000;
export const PRIOR_SHARE = 0.6;
export const PRIOR_MIN_LINES = 10;
/**
 * A line read as English on at most this many English votes (language.ts `englishVotes`) in a channel whose recent
 * lines are mostly German or Indonesian is scored in the channel's language; -1 turns it off. Measured on the
 * multilingual dev set at 1, 2 and every line (docs/sentiment-multilingual-experiments.md, 3 and 8 fold
 * assignments): 1 and 2 vote(s) move nothing, every line +0.009 Indonesian and +0.004 German. The lines it moves are
 * what those channels type in English ("GAME TWO !", "TY NIM", "[GAME 2] BOOM 1-0 RNG || BO3", a bot's "The command
 * … has been edited"): the English model, trained on English streams, reads many of them as polar where these
 * channels' annotators saw neutral lines. No line of the eleven English recordings ever has a German or Indonesian
 * prior, so English channels are untouched.
 */
export const WEAK_ENGLISH_VOTES = Number.POSITIVE_INFINITY;
/** Channels remembered at most; past it the one seen first is forgotten (a prior is cheap to rebuild). */
export const PRIOR_MAX_CHANNELS = 100_000;

const LANGUAGE_COUNT = LANGUAGES.length;

/** The recent detected languages of one channel: a ring of (stream time, language index) and the counts. */
class ChannelLines {
  private readonly times = new Float64Array(PRIOR_LINES);
  private readonly langs = new Uint8Array(PRIOR_LINES);
  private readonly counts = new Uint16Array(LANGUAGE_COUNT);
  private head = 0;
  private size = 0;

  add(t: number, lang: number): void {
    this.expire(t);
    if (this.size === PRIOR_LINES) this.dropOldest();
    const at = (this.head + this.size) % PRIOR_LINES;
    this.times[at] = t;
    this.langs[at] = lang;
    this.size++;
    this.counts[lang]!++;
  }

  prior(t: number): LanguageCode {
    this.expire(t);
    if (this.size < PRIOR_MIN_LINES) return UNDETERMINED;
    let best = 0;
    for (let i = 1; i < LANGUAGE_COUNT; i++) if (this.counts[i]! > this.counts[best]!) best = i;
    const top = this.counts[best]!;
    return top >= PRIOR_MIN_LINES && top >= PRIOR_SHARE * this.size ? (LANGUAGES[best] as Language) : UNDETERMINED;
  }

  private expire(t: number): void {
    while (this.size > 0 && this.times[this.head]! <= t - PRIOR_HORIZON_MS) this.dropOldest();
  }

  private dropOldest(): void {
    this.counts[this.langs[this.head]!]!--;
    this.head = (this.head + 1) % PRIOR_LINES;
    this.size--;
  }
}

const LANGUAGE_INDEX: ReadonlyMap<LanguageCode, number> = new Map(LANGUAGES.map((l, i) => [l, i]));

/** Per channel, the language its recent lines are in. Keys are channel names, kept in a Map (never an object). */
export class ChannelLanguagePrior {
  private readonly channels = new Map<string, ChannelLines>();

  constructor(
    private readonly maxChannels = PRIOR_MAX_CHANNELS,
    private readonly weakEnglishVotes = WEAK_ENGLISH_VOTES,
  ) {}

  /**
   * Records a scored line's detected language and answers the language to score it in: the detected one, or for an
   * "und" line the channel's prior (still "und" when there is none). An "und" line never counts towards the prior.
   */
  languageFor(channel: string, t: number, detected: LanguageCode): LanguageCode {
    let lines = this.channels.get(channel);
    if (detected !== UNDETERMINED) {
      if (lines === undefined) {
        if (this.channels.size >= this.maxChannels) this.channels.delete(this.channels.keys().next().value as string);
        this.channels.set(channel, (lines = new ChannelLines()));
      }
      lines.add(t, LANGUAGE_INDEX.get(detected)!);
      return detected;
    }
    return lines === undefined ? UNDETERMINED : lines.prior(t);
  }

  /**
   * `languageFor`, keeping the prior only when it is one of `languages` (the languages a model of their own reads):
   * otherwise the line is scored in the language detected, "und" included. Given the line's tokens, a line read as
   * English on at most `weakEnglishVotes` English votes is scored in such a prior too (it still counts as English
   * towards the prior: the prior stays what the detector read).
   */
  scoringLanguage(channel: string, t: number, detected: LanguageCode, languages: ReadonlySet<LanguageCode>, tokens?: TokenizedText): LanguageCode {
    const lang = this.languageFor(channel, t, detected);
    if (lang === "en" && tokens !== undefined && this.weakEnglishVotes >= 0 && englishVotes(tokens) <= this.weakEnglishVotes) {
      const prior = this.channels.get(channel)?.prior(t) ?? UNDETERMINED;
      if (languages.has(prior)) return prior;
    }
    return languages.has(lang) ? lang : detected;
  }

  /** Forgets a channel (a worker taking it over rebuilds the prior from the records it replays). */
  forget(channel: string): void {
    this.channels.delete(channel);
  }

  get channelCount(): number {
    return this.channels.size;
  }
}
