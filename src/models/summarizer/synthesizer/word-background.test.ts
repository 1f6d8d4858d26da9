import { describe, expect, it } from "vitest";
import { builtinWordBackground, WORD_BACKGROUND_FORMAT, WordBackground } from "./word-background.js";

describe("WordBackground", () => {
  const bg = new WordBackground({ format: WORD_BACKGROUND_FORMAT, about: "test", floor: 1e-5, logRate: { the: -2.5, idea: -7.5, shit: -6 }, masked: ["shit"] });

  it("scores a word by how rare it is in chat at large, unseen words at the floor", () => {
    expect(bg.surprisal("the")).toBeCloseTo(2.5);
    expect(bg.surprisal("idea")).toBeCloseTo(7.5);
    expect(bg.surprisal("bloodborne")).toBeCloseTo(-Math.log(1e-5));
    expect(bg.has("idea")).toBe(true);
    expect(bg.has("bloodborne")).toBe(false);
  });

  it("knows which kept words pass the profanity mask unchanged", () => {
    expect(bg.isClean("idea")).toBe(true);
    expect(bg.isClean("shit")).toBe(false);
    expect(bg.isClean("bloodborne")).toBe(false); // unknown: must still be checked
  });

  it("ships a background built from the chat recordings (npm run build:word-background)", () => {
    const shipped = builtinWordBackground();
    expect(shipped).toBe(builtinWordBackground());
    expect(shipped.surprisal("the")).toBeLessThan(4);
    expect(shipped.surprisal("idea")).toBeGreaterThan(shipped.surprisal("the"));
    expect(shipped.surprisal("bloodborne")).toBeGreaterThan(12);
    expect(shipped.isClean("fuck")).toBe(false);
    // Parts of speech from the Brill lexicon: verbs, adjectives and adverbs name no topic; nouns and ambiguous nouns do.
    for (const w of ["made", "hot", "afterwards", "give"]) expect(shipped.isNotNoun(w)).toBe(true);
    for (const w of ["song", "game", "fight", "microwave", "bloodborne"]) expect(shipped.isNotNoun(w)).toBe(false);
    for (const w of ["nepal", "india", "texas"]) expect(shipped.isName(w)).toBe(true);
    for (const w of ["stream", "song", "dog"]) expect(shipped.isName(w)).toBe(false);
  });

  it("reads files written before parts of speech were recorded", () => {
    expect(bg.isNotNoun("made")).toBe(false);
    expect(bg.isName("nepal")).toBe(false);
  });
});
