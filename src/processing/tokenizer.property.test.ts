import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chatText, chatTextWithSpans } from "../../test/helpers/chat-arbitraries.js";
import { PROTOTYPE_NAMES } from "../../test/helpers/prototype-words.js";
import { builtinEmoteDictionary, loadEmoteDictionary, parseEmoteDocument } from "./emote-dictionary.js";
import { tokenize, type TokenizedText } from "./tokenizer.js";

const builtin = builtinEmoteDictionary();
// A dictionary where every prototype name is an emote too, as a per-channel file could make it.
const withPrototypeEmotes = loadEmoteDictionary([], [
  parseEmoteDocument(JSON.stringify({ format: "chatstream-emotes/1", emotes: Object.fromEntries(PROTOTYPE_NAMES.map((n) => [n, { meaning: "laughter", polarity: 0.5 }])) }), "test"),
]);
const dictionaries = fc.constantFrom(builtin, withPrototypeEmotes);

const squeeze = (s: string): string => s.replace(/(\p{L})\1{2,}/gu, "$1$1");

/** What tokenize promises about any text: tokens in order, each a piece of the text or its normal form, sane flags. */
function checkTokens(text: string, out: TokenizedText, spanNames: readonly string[]): void {
  let cursor = 0;
  let occurrences = 0;
  for (const tok of out.tokens) {
    expect(tok.text.length).toBeGreaterThan(0);
    // Tokens come in text order without overlapping: the first occurrence of each is found after the previous one.
    const at = text.indexOf(tok.text, cursor);
    expect(at, `"${tok.text}" after ${cursor} in ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(cursor);
    cursor = at + tok.text.length;
    expect(Number.isInteger(tok.repeat) && tok.repeat >= 1).toBe(true);
    expect(tok.repeat).toBeLessThanOrEqual(out.maxRepeat);
    occurrences += tok.repeat;
    const lower = tok.text.toLowerCase();
    switch (tok.kind) {
      case "word":
        expect([lower, squeeze(lower)]).toContain(tok.norm);
        break;
      case "emote":
        expect([tok.text, lower, ...spanNames]).toContain(tok.norm);
        break;
      case "number":
        expect(tok.norm).toBe(lower);
        break;
      case "url":
        expect(tok.norm).toBe("<url>");
        break;
      case "mention":
        expect(tok.norm).toBe("<mention>");
        break;
      case "emoji":
        expect(tok.norm).toBe(tok.text);
        break;
      case "punct":
        expect(["?", "!"]).toContain(tok.norm);
        break;
    }
    if (tok.elongated || tok.caps) expect(tok.kind).toBe("word");
  }
  // Each occurrence takes at least one code unit, so the count is bounded by the text.
  expect(occurrences).toBeLessThanOrEqual(text.length);
  expect(out.capsRatio).toBeGreaterThanOrEqual(0);
  expect(out.capsRatio).toBeLessThanOrEqual(1);
  if (out.questionOnly) expect(out.isQuestion).toBe(true);
  expect(out.signature.split(" ").length).toBeLessThanOrEqual(12);
}

describe("tokenize over any text", () => {
  it("[#14.prop] never throws; tokens are the text's own pieces or their normal forms, in order, with sane flags and a bounded count", () => {
    fc.assert(
      fc.property(chatTextWithSpans, dictionaries, ({ text, spans }, emotes) => {
        checkTokens(text, tokenize(text, emotes, spans), (spans ?? []).map((s) => s.name));
      }),
      { numRuns: 1000 },
    );
  });

  it("[#14.prop] is deterministic: the same text gives the same tokens, whatever was tokenized in between", () => {
    fc.assert(
      fc.property(chatTextWithSpans, chatText, dictionaries, ({ text, spans }, other, emotes) => {
        const first = tokenize(text, emotes, spans);
        tokenize(other, emotes);
        expect(tokenize(text, emotes, spans)).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it("[#14.prop] reads prototype words as plain words or emotes, never as something the dictionary found on Object.prototype", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTOTYPE_NAMES), chatText, (name, rest) => {
        const out = tokenize(`${name} ${rest}`, builtin);
        // The built-in dictionary has no such emote: the name is a word (or, "__proto__", a word with its underscores).
        expect(out.tokens[0]?.kind).toBe("word");
        expect(tokenize(name, withPrototypeEmotes).tokens.map((t) => t.kind)).toEqual(["emote"]);
      }),
      { numRuns: 100 },
    );
  });
});
