import fc from "fast-check";
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from "obscenity";
import { describe, expect, it } from "vitest";
import { profanityPrefilter, safeForAir } from "./safe-for-air.js";

const dataset = englishDataset.build();
const matcher = new RegExpMatcher({ ...dataset, ...englishRecommendedTransformers });
const prefilter = profanityPrefilter(matcher);

// Words of the dataset's kind, spelled as chat spells them to get past a filter, beside ordinary chat.
const WORDS = ["fuck", "f u c k", "fuuuuck", "sh1t", "$hit", "b1tch", "a$$hole", "cunt", "dick", "pen is", "penis", "tit", "tit-for-tat", "assassin", "class", "Scunthorpe", "nigga", "ƒuck", "fück", "gg", "LUL", "what a play", "🍆", "kill", "cock", "cocktail", "hell", "shell"];

describe("the profanity prefilter", () => {
  it("is built for the installed obscenity", () => {
    expect(prefilter).toBeDefined();
  });

  it("#17.prop says no match only where getAllMatches finds none", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 })), { maxLength: 8 }).map((ws) => ws.join(" ")),
      fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }).map((ws) => ws.join("")),
    );
    fc.assert(
      fc.property(text, (t) => {
        if (prefilter?.(t) === false) expect(matcher.getAllMatches(t)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("passes every word of the dataset's kind on to the matcher", () => {
    for (const w of ["fuck", "sh1t", "b1tch", "cunt", "a$$hole"]) expect(prefilter?.(`well ${w} that`)).toBe(true);
    expect(prefilter?.("what a play by Faker")).toBe(false);
  });

  it("leaves the masks as they were", () => {
    expect(safeForAir("what a fucking play")).toBe("what a f***ing play");
    expect(safeForAir("tit-for-tat again")).toBe("tit-for-tat again");
    expect(safeForAir("Faker is the best")).toBe("Faker is the best");
  });
});
