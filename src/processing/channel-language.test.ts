import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChannelLanguagePrior, PRIOR_HORIZON_MS, PRIOR_LINES, PRIOR_MIN_LINES } from "./channel-language.js";
import { builtinEmoteDictionary } from "./emote-dictionary.js";
import { detectLanguage, englishVotes, LANGUAGES, type LanguageCode } from "./language.js";
import { tokenize } from "./tokenizer.js";

const feed = (prior: ChannelLanguagePrior, channel: string, langs: readonly LanguageCode[], t = 0): void => {
  for (const lang of langs) prior.languageFor(channel, t, lang);
};
const many = (lang: LanguageCode, n: number): LanguageCode[] => Array.from({ length: n }, () => lang);

describe("ChannelLanguagePrior", () => {
  it("scores an \"und\" line in the language most of the channel's recent lines are in, and a read line in its own", () => {
    const prior = new ChannelLanguagePrior();
    feed(prior, "de-chan", [...many("de", 8), "en", "de", "de"]);
    expect(prior.languageFor("de-chan", 1, "und")).toBe("de");
    expect(prior.languageFor("de-chan", 1, "en")).toBe("en");
    // Another channel has no prior of its own yet; an "und" line never makes one.
    feed(prior, "other", many("und", 50));
    expect(prior.languageFor("other", 1, "und")).toBe("und");
    expect(prior.channelCount).toBe(1);
  });

  it("has no prior below PRIOR_MIN_LINES lines or when no language holds 60 % of them", () => {
    const prior = new ChannelLanguagePrior();
    feed(prior, "c", many("id", PRIOR_MIN_LINES - 1));
    expect(prior.languageFor("c", 0, "und")).toBe("und");
    prior.languageFor("c", 0, "id");
    expect(prior.languageFor("c", 0, "und")).toBe("id");
    feed(prior, "c", many("en", PRIOR_MIN_LINES));
    expect(prior.languageFor("c", 0, "und")).toBe("und"); // 10 id, 10 en
  });

  it("forgets lines older than the horizon and beyond the last PRIOR_LINES", () => {
    const prior = new ChannelLanguagePrior();
    feed(prior, "c", many("de", 20), 0);
    expect(prior.languageFor("c", PRIOR_HORIZON_MS - 1, "und")).toBe("de");
    expect(prior.languageFor("c", PRIOR_HORIZON_MS, "und")).toBe("und");
    feed(prior, "c", many("de", PRIOR_LINES), 2 * PRIOR_HORIZON_MS);
    feed(prior, "c", many("id", PRIOR_LINES), 2 * PRIOR_HORIZON_MS);
    expect(prior.languageFor("c", 2 * PRIOR_HORIZON_MS, "und")).toBe("id");
  });

  it("keeps a prior only for the languages asked for, and forgets a channel on request", () => {
    const prior = new ChannelLanguagePrior();
    feed(prior, "es", many("es", 20));
    feed(prior, "de", many("de", 20));
    const own = new Set<LanguageCode>(["de", "id"]);
    expect(prior.scoringLanguage("es", 0, "und", own)).toBe("und");
    expect(prior.scoringLanguage("de", 0, "und", own)).toBe("de");
    prior.forget("de");
    expect(prior.scoringLanguage("de", 0, "und", own)).toBe("und");
  });

  it("remembers at most maxChannels channels, forgetting the one seen first", () => {
    const prior = new ChannelLanguagePrior(2);
    feed(prior, "a", many("de", 20));
    feed(prior, "b", many("de", 20));
    feed(prior, "c", many("de", 20));
    expect(prior.channelCount).toBe(2);
    expect(prior.languageFor("a", 0, "und")).toBe("und");
    expect(prior.languageFor("c", 0, "und")).toBe("de");
  });

  it("#16.prop answers a read line's own language, and for an \"und\" line a language holding 60 % of the last lines or none", () => {
    const codes: LanguageCode[] = ["und", "en", "de", "id", LANGUAGES[5]];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...codes), { maxLength: 400 }), (langs) => {
        const prior = new ChannelLanguagePrior();
        const seen: LanguageCode[] = [];
        for (const lang of langs) {
          const answer = prior.languageFor("c", 0, lang);
          if (lang !== "und") {
            expect(answer).toBe(lang);
            seen.push(lang);
            continue;
          }
          const recent = seen.slice(-PRIOR_LINES);
          if (answer === "und") continue;
          const share = recent.filter((l) => l === answer).length;
          expect(share).toBeGreaterThanOrEqual(Math.max(PRIOR_MIN_LINES, 0.6 * recent.length));
        }
      }),
    );
  });

  describe("a thinly English line of a German or Indonesian channel", () => {
    const emotes = builtinEmoteDictionary();
    const own = new Set<LanguageCode>(["de", "id"]);
    const line = (text: string) => {
      const tokens = tokenize(text, emotes);
      return { tokens, lang: detectLanguage(tokens) };
    };

    it("is scored in the channel's language on at most weakEnglishVotes English votes, and in English past them", () => {
      const prior = new ChannelLanguagePrior(undefined, 1);
      feed(prior, "id-chan", many("id", 20));
      const weak = line("game 3 kah?");
      const strong = line("WHAT A GAME");
      expect([weak.lang, englishVotes(weak.tokens)]).toEqual(["en", 1]);
      expect([strong.lang, englishVotes(strong.tokens)]).toEqual(["en", 3]);
      expect(prior.scoringLanguage("id-chan", 0, weak.lang, own, weak.tokens)).toBe("id");
      expect(prior.scoringLanguage("id-chan", 0, strong.lang, own, strong.tokens)).toBe("en");
      // Without the tokens, or with the routing off, an English line stays English.
      expect(prior.scoringLanguage("id-chan", 0, weak.lang, own)).toBe("en");
      const off = new ChannelLanguagePrior(undefined, -1);
      feed(off, "id-chan", many("id", 20));
      expect(off.scoringLanguage("id-chan", 0, weak.lang, own, weak.tokens)).toBe("en");
    });

    it("stays English in a channel with no German or Indonesian prior, and still counts as English towards the prior", () => {
      const prior = new ChannelLanguagePrior(undefined, Number.POSITIVE_INFINITY);
      const weak = line("nice");
      feed(prior, "en-chan", many("en", 20));
      feed(prior, "es-chan", many("es", 20));
      expect(prior.scoringLanguage("en-chan", 0, weak.lang, own, weak.tokens)).toBe("en");
      expect(prior.scoringLanguage("es-chan", 0, weak.lang, own, weak.tokens)).toBe("en");
      // 12 id lines, then English ones: the first 8 keep the id prior (12 of 20 lines), the 9th counts it away.
      feed(prior, "mixed", many("id", 12));
      for (let i = 0; i < 10; i++) expect(prior.scoringLanguage("mixed", 0, weak.lang, own, weak.tokens)).toBe(i < 8 ? "id" : "en");
    });
  });
});

