import { describe, expect, it } from "vitest";
import { processed } from "../../../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder } from "../../../aggregation/chat-digest.js";
import { builtinEmoteDictionary } from "../../../processing/emote-dictionary.js";
import { brokenHeadlineRules } from "../headline-rules.js";
import { countSentences } from "../headline-text.js";
import { HeadlineSynthesizer } from "./headline-synthesizer.js";
import { safeForAir } from "./safe-for-air.js";

const synth = new HeadlineSynthesizer(builtinEmoteDictionary());

function windowOf(lines: readonly [string, number][]) {
  const b = new DigestBuilder();
  const messages: { text: string; user: string }[] = [];
  let i = 0;
  for (const [text, n] of lines) {
    for (let k = 0; k < n; k++, i++) {
      const user = `viewer${i % 40}`;
      b.add(processed(i * 100, text, user));
      messages.push({ text, user });
    }
  }
  return { digest: b.build(-1, i * 100), messages };
}

describe("HeadlineSynthesizer", () => {
  it("names the dominant reaction, its object and the emote chat spams with its meaning", () => {
    const { digest } = windowOf([
      ["LUL he missed the jump LUL", 12],
      ["LUL", 15],
      ["KEKW", 8],
      ["that jump was so easy", 4],
      ["is this a new patch?", 3],
      ["what patch is this?", 2],
    ]);
    const h = synth.summarizeWindow(digest);
    expect(h).toMatch(/^Chat (laughs|is laughing) /);
    expect(h).toContain("jump");
    // The verb already says laughter, so the emotes are named without their meaning.
    expect(h).toMatch(/with LUL( and KEKW)? spam/);
    expect(h).toMatch(/ask about .*patch/);
  });

  it("reports a dissenting minority", () => {
    const { digest } = windowOf([
      ["PogChamp what a play PogChamp", 20],
      ["insane play", 10],
      ["that play was trash", 8],
      ["worst play ever, so boring", 6],
    ]);
    const h = synth.summarizeWindow(digest);
    expect(h.split(". ")[1]).toMatch(/^(Others|Some viewers|A minority) (complain about|are bored with|mock|are sad about)/);
  });

  it("keeps every headline on air: two sentences, at most 40 words, no usernames, links or copied runs", () => {
    const windows = [
      windowOf([["@bigfan123 check https://spam.example.com now!!! free stuff", 6], ["hello everyone how are you doing today my friends", 5]]),
      windowOf([["???", 20]]),
      windowOf([["!uptime", 5]]),
      windowOf([["this fucking game is shit", 5], ["GG", 2]]),
      windowOf([["Wow... that was insane!!! Did you see that? Unreal.", 9], ["BibleThump", 9], ["F", 9]]),
    ];
    for (const { digest, messages } of windows) {
      const h = synth.summarizeWindow(digest);
      expect(countSentences(h), h).toBe(2);
      expect(brokenHeadlineRules(h, messages), h).toEqual([]);
      expect(h).not.toMatch(/fuck|shit/i);
    }
  });

  it("is deterministic and tells a roll-up's arc from its parts", () => {
    const a = windowOf([["LUL", 20], ["KEKW funny", 5]]).digest;
    const b = windowOf([["BibleThump", 20], ["so sad F", 5]]).digest;
    expect(synth.summarizeWindow(a)).toBe(synth.summarizeWindow(a));
    const whole = windowOf([["LUL", 20], ["KEKW funny", 5], ["BibleThump", 20], ["so sad F", 5]]).digest;
    const arc = synth.summarizePeriod(whole, [a, b]);
    expect(arc).toMatch(/^Chat went from laughter to sadness/);
    expect(countSentences(arc)).toBe(2);
  });
});

describe("safeForAir", () => {
  it("masks profanity and removes links and mentions", () => {
    expect(safeForAir("what the fuck")).not.toContain("fuck");
    expect(safeForAir("see www.example.com and @someone")).toBe("see a link and someone");
    expect(safeForAir("Kappa")).toBe("Kappa");
  });
});

describe("brokenHeadlineRules", () => {
  it("flags each rule", () => {
    const msgs = [{ text: "the quick brown fox jumps over", user: "foxfan" }];
    expect(brokenHeadlineRules("One sentence only.", msgs)).toContain("two-sentences");
    expect(brokenHeadlineRules("Chat says the quick brown fox jumps. Fine.", msgs)).toContain("copied-5-words");
    expect(brokenHeadlineRules("Chat greets foxfan. Fine.", msgs)).toContain("username");
    expect(brokenHeadlineRules("Chat shares www.x.com today. Fine.", msgs)).toContain("link");
    expect(brokenHeadlineRules(`${"word ".repeat(41)}end. Fine.`, msgs)).toContain("max-40-words");
    expect(brokenHeadlineRules("Chat laughs at the fox. A few ask questions.", msgs)).toEqual([]);
  });
});
