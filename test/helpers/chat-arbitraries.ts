import fc from "fast-check";
import type { EmoteSpan } from "../../src/core/message.js";
import { PROTOTYPE_TOKENS } from "./prototype-words.js";

/**
 * fast-check arbitraries for hostile chat: the pieces chat is made of (words, emotes, emoji, punctuation, links,
 * mentions, commands) mixed with what breaks naive code (prototype words, lone surrogates, combining marks,
 * control and bidi characters, very long runs), in any order.
 */

const CHAT_WORDS = ["lol", "gg", "LUL", "Kappa", "PogChamp", "KEKW", "nice", "play", "baron", "the", "not", "good", "bad", "what", "why", "is", "NOOOO", "yesss", "hahaha", "rip", "F", "W", "L", "ez", "clown", "das", "ist", "não", "中文", "日本語", "한국어", "привет", "nepuLove", "nepuHeh", "xXx_gamer_xXx", "123", "4head", "it's", "don’t"];
const EMOJI = ["😂", "👍", "👍🏽", "🙏🏽", "❤️", "🇺🇸", "👨‍👩‍👧", "🔥", "☺", "🫠", "😂😂😂"];
const MARKS = ["?", "??", "!", "!!!", "?!", "...", "…", "<3", "D:", ":)", ":(", ":D", "-_-", "T_T", "^^", "***", "f**k", ",", ".", "'", "\"", "(", ")", "#", "$", "%"];
const ODD = [
  "\u0000", "\u0007", "\u0008", "\t", "\n", "\r", "\u001b[2J", "\u001b]0;x\u0007", "\u007f", "\u0085", "\u009b", "\u00a0",
  "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\ufffd", "\ud800", "\udfff", "\ud83d", "e\u0301", "\u0301", "Z\u0351\u0362\u0337", "\u{e0041}",
];
const SHAPED = ["https://example.com/x?y=1", "www.example.com/a", "@someone", "@constructor", "!uptime", "!__proto__", ":face_with_tears_of_joy:", ":constructor:", ":_kappa:", "#hashtag"];

/** One piece of a chat line. */
export const chatPiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CHAT_WORDS) },
  { weight: 4, arbitrary: fc.constantFrom(...PROTOTYPE_TOKENS) },
  { weight: 2, arbitrary: fc.constantFrom(...EMOJI) },
  { weight: 2, arbitrary: fc.constantFrom(...MARKS) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD) },
  { weight: 1, arbitrary: fc.constantFrom(...SHAPED) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
  // Lone surrogates, which no "binary" unit produces.
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  // Long runs: a stretched letter, a wall of one token, a run of question marks.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("a", "O", "?", "LUL ", "😂", "_", "\u0301", "constructor "), fc.integer({ min: 20, max: 600 })).map(([s, n]) => s.repeat(n)) },
);

const SEPARATOR = fc.constantFrom(" ", " ", " ", "", "  ", "\t", ",", "\u3000");

/** A chat line: pieces joined by spaces (mostly) or nothing, up to a few hundred characters (longer with a run). */
export const chatText: fc.Arbitrary<string> = fc
  .array(fc.tuple(chatPiece, SEPARATOR), { maxLength: 24 })
  .map((parts) => parts.map(([p, s]) => p + s).join(""));

/** Emote positions a source might send for a text: in range or not, overlapping, named like anything. */
export function emoteSpans(text: string): fc.Arbitrary<EmoteSpan[]> {
  return fc.array(
    fc.record({
      name: fc.oneof(fc.constantFrom(...PROTOTYPE_TOKENS, "Kappa", "LUL", ""), fc.string({ maxLength: 8 })),
      id: fc.string({ maxLength: 4 }),
      start: fc.integer({ min: -2, max: text.length + 2 }),
      end: fc.integer({ min: -2, max: text.length + 2 }),
    }),
    { maxLength: 4 },
  );
}

/** A chat line with (sometimes) emote positions for it. */
export const chatTextWithSpans: fc.Arbitrary<{ text: string; spans: EmoteSpan[] | undefined }> = chatText.chain((text) =>
  fc.option(emoteSpans(text), { nil: undefined }).map((spans) => ({ text, spans })),
);

/** Users and channels named like anything, prototype names included. */
export const chatName: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...PROTOTYPE_TOKENS, "viewer1", "viewer2", "Nightbot", "a", ""), fc.string({ maxLength: 10 }));
