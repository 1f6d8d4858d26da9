import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chatTextWithSpans } from "../../../test/helpers/chat-arbitraries.js";
import { PROTOTYPE_NAMES } from "../../../test/helpers/prototype-words.js";
import { builtinEmoteDictionary, loadEmoteDictionary, parseEmoteDocument } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { EmbeddedSentimentModel } from "./embedded-model.js";
import { createSentimentModel, sentimentModelNames } from "./registry.js";

const builtin = builtinEmoteDictionary();
const withPrototypeEmotes = loadEmoteDictionary([], [
  parseEmoteDocument(JSON.stringify({ format: "chatstream-emotes/1", emotes: Object.fromEntries(PROTOTYPE_NAMES.map((n) => [n, { meaning: "sadness", polarity: -0.6 }])) }), "test"),
]);

describe("sentiment models over any text", () => {
  for (const emotes of [builtin, withPrototypeEmotes]) {
    const dictionary = emotes === builtin ? "the built-in emotes" : "prototype names as emotes";
    for (const name of sentimentModelNames()) {
      const model = createSentimentModel(name, { emotes });
      it(`[#14.prop] ${name} (${dictionary}) gives three finite probabilities in 0…1 that sum to 1, for any message`, () => {
        fc.assert(
          fc.property(chatTextWithSpans, ({ text, spans }) => {
            const s = model.score(text, tokenize(text, emotes, spans));
            for (const p of [s.pos, s.neu, s.neg]) {
              expect(Number.isFinite(p), JSON.stringify(s)).toBe(true);
              expect(p).toBeGreaterThanOrEqual(0);
              expect(p).toBeLessThanOrEqual(1);
            }
            expect(s.pos + s.neu + s.neg).toBeCloseTo(1, 9);
            if (model instanceof EmbeddedSentimentModel) {
              expect(model.lastLanguageConfidence).toBeGreaterThanOrEqual(0);
              expect(model.lastLanguageConfidence).toBeLessThanOrEqual(1);
            }
          }),
          { numRuns: name === "vader" ? 150 : 300 },
        );
      });
    }
  }
});
