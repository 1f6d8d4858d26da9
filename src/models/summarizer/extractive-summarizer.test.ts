import { describe, expect, it } from "vitest";
import { processed } from "../../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder } from "../../aggregation/chat-digest.js";
import { ExtractiveSummarizer } from "./extractive-summarizer.js";
import { countSentences, moodOf, quoteFragment } from "./headline-text.js";
import { createSummarizer, summarizerNames } from "./registry.js";

const summarizer = new ExtractiveSummarizer();
function digestOf(lines: string[]) {
  const b = new DigestBuilder();
  lines.forEach((text, i) => b.add(processed(i, text, `u${i % 5}`)));
  return b.build(-1, lines.length);
}

describe("ExtractiveSummarizer", () => {
  it("always writes exactly two sentences, even when chat lines carry their own punctuation", () => {
    const cases = [
      ["LUL", "LUL LUL", "OMEGALUL. What. A. Play!", "what. a. play!", "is this live?"],
      ["???", "????", "!uptime"],
      [],
      ["!uptime", "!discord"],
      ["Wow... that was insane!!! Did you see that?", "Wow... that was insane!!! Did you see that?", "ok"],
    ];
    for (const lines of cases) {
      const headline = summarizer.summarizeWindow(digestOf(lines));
      expect(countSentences(headline), headline).toBe(2);
    }
  });

  it("names the most repeated line and the mood", () => {
    const h = summarizer.summarizeWindow(digestOf(["LUL", "LUL LUL", "lul", "GG", "gg", "hi"]));
    expect(h).toMatch(/^Chat is upbeat, led by 'LUL' \(3 messages\)\. Also repeated: 'GG' \(2\)\.$/);
  });

  it("is registered by name", () => {
    expect(summarizerNames()).toContain("extractive");
    expect(createSummarizer("extractive").name).toBe("extractive");
    expect(() => createSummarizer("nope")).toThrow(/unknown summarizer/);
  });
});

describe("headline text helpers", () => {
  it("cleans quotes and reads the mood", () => {
    expect(quoteFragment("Hello. World!")).toBe("Hello World");
    expect(quoteFragment("?!")).toBe("question marks");
    expect(quoteFragment("one two three four five six seven eight nine")).toBe("one two three four five six seven eight…");
    expect(moodOf({ pos: 4, neu: 1, neg: 4 }, 9)).toBe("split");
    expect(moodOf({ pos: 1, neu: 8, neg: 1 }, 10)).toBe("neutral");
    expect(moodOf({ pos: 7, neu: 2, neg: 1 }, 10)).toBe("positive");
    expect(moodOf({ pos: 1, neu: 2, neg: 7 }, 10)).toBe("negative");
    expect(moodOf({ pos: 0, neu: 0, neg: 0 }, 0)).toBe("neutral");
  });
});
