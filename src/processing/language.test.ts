import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chatText } from "../../test/helpers/chat-arbitraries.js";
import { builtinEmoteDictionary } from "./emote-dictionary.js";
import { tokenize } from "./tokenizer.js";
import {
  confidenceFromEvidence,
  detectLanguage,
  englishVotes,
  isForeignCue,
  isForeignStopword,
  isLikelyEnglish,
  LANGUAGES,
  languageConfidence,
  languageEvidence,
  setLanguageFallback,
  UNDETERMINED,
} from "./language.js";

const emotes = builtinEmoteDictionary();
const conf = (text: string) => languageConfidence(tokenize(text, emotes));

describe("language confidence (the English model's gate)", () => {
  it("trusts English chat and messages without any language cue", () => {
    expect(conf("what time is it?")).toBe(1);
    expect(conf("he missed the jump LUL")).toBe(1);
    expect(conf("LUL LUL LUL")).toBe(1);
    expect(conf("xqcL 1234 !!!")).toBe(1);
    expect(isLikelyEnglish(tokenize("this is not good", emotes))).toBe(true);
  });

  it("distrusts German and Indonesian function words", () => {
    expect(conf("das ist doch nicht dein ernst")).toBeLessThan(0.1);
    expect(conf("gak ada yang bisa menang")).toBeLessThan(0.1);
    expect(isLikelyEnglish(tokenize("ich bin so müde heute", emotes))).toBe(false);
  });

  it("treats non-Latin scripts and Vietnamese as foreign, accented Latin as half a cue", () => {
    expect(conf("翻译是在吃屎吗")).toBeLessThan(0.5);
    expect(conf("đẹp quá")).toBeLessThan(0.5);
    const accented = languageEvidence(tokenize("müde", emotes));
    expect(accented).toEqual({ english: 0, foreign: 0.5, cjk: 0 });
  });

  it("never counts words English shares with other languages against English", () => {
    // "die", "was", "so", "me" are German/Spanish function words too, but common English.
    expect(conf("die was so me")).toBe(1);
  });

  it("weighs mixed messages by their cues", () => {
    const mixed = conf("LUL das ist good");
    expect(mixed).toBeGreaterThan(conf("das ist doch gut"));
    expect(mixed).toBeLessThan(1);
    expect(confidenceFromEvidence({ english: 2, foreign: 1, cjk: 0 })).toBeCloseTo(2.5 / 4.5, 12);
  });

  it("counts Chinese, Japanese and Korean words as foreign and says which they are", () => {
    expect(languageEvidence(tokenize("跟寄生虫一样 ありがとう 안녕 привет", emotes))).toEqual({ english: 0, foreign: 4, cjk: 3 });
  });
});

describe("detectLanguage", () => {
  const lang = (text: string) => detectLanguage(tokenize(text, emotes));

  it("reads German, Indonesian and English chat lines by their words", () => {
    const table: [string, string][] = [
      ["das ist doch nicht dein ernst", "de"],
      ["ich bin so müde heute", "de"],
      ["hat er die axt nicht verschenkt??", "de"],
      ["digga was geht ab", "de"],
      ["gak ada yang bisa menang", "id"],
      ["udah kalah aja nih", "id"],
      ["wkwkwk", "id"], // Indonesian laughter
      ["awokawokawok", "id"],
      ["what time is it?", "en"],
      ["he missed the jump LUL", "en"],
      ["this is not good", "en"],
      ["he will die", "en"], // "die" is German too: the other words decide
      ["jajaja que bueno", "es"],
      ["você não sabe", "pt"],
      ["翻译是在吃屎吗", "zh"],
      ["ありがとう", "ja"],
      ["안녕하세요", "ko"],
      ["привет всем", "ru"],
    ];
    for (const [text, expected] of table) expect(lang(text), text).toBe(expected);
  });

  it("says \"und\" for lines in no language rather than guessing", () => {
    for (const text of ["gg", "LUL", "?", "LUL LUL LUL", "😂😂", "xqcL 1234 !!!", "Faker", "lol xD", "@viewer https://x.y", "", "!uptime", "nice digga"]) {
      expect(lang(text), text).toBe("und");
    }
  });

  it("does not let one stopword of a minor language decide (\"local\" is Portuguese in stopwords-iso)", () => {
    expect(lang("local")).toBe("und");
    expect(lang("RAP GOD")).not.toBe("sv");
  });

  it("reads stretched spellings and laughter as typed", () => {
    expect(lang("gilaaaa parah")).toBe("id");
    expect(lang("kkkkkk")).toBe("pt");
  });

  it("has stopwords per language for topic filters, and knows foreign function words", () => {
    expect(isForeignStopword("als", "de")).toBe(true);
    expect(isForeignStopword("bei", "de")).toBe(true);
    expect(isForeignStopword("yang", "id")).toBe(true);
    expect(isForeignStopword("world", "en")).toBe(false); // English keeps the project's own list
    expect(isForeignStopword("als", "und")).toBe(false);
    for (const w of ["obrigado", "als", "bei", "yang", "digga"]) expect(isForeignCue(w), w).toBe(true);
    for (const w of ["microwave", "local", "the", "die", "gg", "constructor"]) expect(isForeignCue(w), w).toBe(false);
  });

  it("names only codes it lists", () => {
    expect(LANGUAGES).toContain("de");
    expect(LANGUAGES).toContain("id");
    expect(LANGUAGES as readonly string[]).not.toContain(UNDETERMINED);
  });
});

describe("detectLanguage on any text", () => {
  const codes = new Set<string>([...LANGUAGES, UNDETERMINED]);

  it("[#16.prop] never throws, is deterministic and answers a known code", () => {
    fc.assert(
      fc.property(chatText, (text) => {
        const first = detectLanguage(tokenize(text, emotes));
        detectLanguage(tokenize("das ist doch nicht dein ernst", emotes)); // state from another line must not leak
        expect(detectLanguage(tokenize(text, emotes))).toBe(first);
        expect(codes.has(first)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("[#16.prop] a line read as English rests on at least one English vote, and no line has fewer than none", () => {
    const words = fc.constantFrom("the", "game", "nice", "ya", "bang", "die", "was", "kah", "gak", "wkwk", "LUL", "ist", "yang", "so", "face", "niceee");
    fc.assert(
      fc.property(fc.oneof(chatText, fc.array(words, { maxLength: 10 }).map((w) => w.join(" "))), (text) => {
        const tokens = tokenize(text, emotes);
        const votes = englishVotes(tokens);
        expect(votes).toBeGreaterThanOrEqual(0);
        if (detectLanguage(tokens) === "en") expect(votes).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it("englishVotes counts a full vote per English cue and half for a word English shares with Indonesian or German", () => {
    const votes = (text: string) => englishVotes(tokenize(text, emotes));
    expect(votes("WHAT A GAME")).toBe(3);
    expect(votes("game 3 kah?")).toBe(1);
    expect(votes("ya bang")).toBe(1); // two words shared with Indonesian
    expect(votes("wkwk gak jelas LUL")).toBe(0);
  });

  it("[#16.prop] a line of emotes, emoji, numbers and punctuation only is \"und\"", () => {
    const emoteNames = fc.constantFrom("LUL", "Kappa", "PogChamp", "BibleThump", "KEKW", "😂", "❤️", "🔥", "123", "?", "!!!", "<3", "@someone");
    fc.assert(
      fc.property(fc.array(emoteNames, { minLength: 1, maxLength: 12 }), (parts) => {
        expect(detectLanguage(tokenize(parts.join(" "), emotes))).toBe("und");
      }),
      { numRuns: 200 },
    );
  });
});

describe("the measurement hook (a library asked about undecided lines)", () => {
  it("is asked only about lines the cues leave undecided, with their words, and only while set", () => {
    const asked: string[] = [];
    setLanguageFallback((text) => {
      asked.push(text);
      return "de";
    });
    try {
      expect(detectLanguage(tokenize("Feuerprobe bestanden", emotes))).toBe("de");
      expect(detectLanguage(tokenize("what time is it", emotes))).toBe("en"); // decided: not asked
      expect(detectLanguage(tokenize("LUL", emotes))).toBe("und"); // nothing to ask about
    } finally {
      setLanguageFallback(undefined);
    }
    expect(asked).toEqual(["feuerprobe bestanden"]);
    expect(detectLanguage(tokenize("Feuerprobe bestanden", emotes))).toBe("und");
  });
});
