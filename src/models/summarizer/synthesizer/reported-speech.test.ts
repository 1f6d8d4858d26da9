import fc from "fast-check";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../../processing/emote-dictionary.js";
import { tokenize } from "../../../processing/tokenizer.js";
import { reactionOfToken } from "./reactions.js";
import { longestCopiedRun, MAX_COPIED_RUN, reportLine, type SpeechOptions } from "./reported-speech.js";
import { builtinWordBackground } from "./word-background.js";

const emotes = builtinEmoteDictionary();
const background = builtinWordBackground();
const options: SpeechOptions = { isName: (w) => background.isName(w), isKnownWord: (w) => background.has(w), addressee: "the streamer" };

/** As window-structure.ts reads a line: its tokens, and laughter when an emote or word of it laughs. */
function report(text: string, extra: SpeechOptions = {}) {
  const tokens = tokenize(text, emotes).tokens;
  const laughs = tokens.some((t) => reactionOfToken(t, emotes) === "laughter");
  return reportLine(text, tokens, { ...options, reaction: laughs ? "laughter" : undefined, ...extra });
}

describe("reportLine: the verb is chosen from the line", () => {
  it.each([
    ["is she dying??", "ask", "ask whether she is dying"],
    ["where is the translator?", "ask", "ask where the translator is"],
    ["do you play ranked?", "ask", "ask whether the streamer plays ranked"],
    ["Star Wars?", "ask", "ask whether it is Star Wars"],
    ["boil it", "urge", "urge the streamer to boil it"],
    ["pls play ranked", "urge", "urge the streamer to play ranked"],
    ["dont microwave hot dogs", "urge", "urge the streamer not to microwave hot dogs"],
    ["jensen so useless", "call", "call Jensen useless"],
    ["Ryu god", "call", "call Ryu a god"],
    ["he is a clown", "call", "call him a clown"],
    ["NA FLASH LUL", "laugh", "laugh at NA flash"],
    ["he missed the jump LUL", "joke", "joke that he missed the jump"],
    ["Jerma already did that", "say", "say Jerma already did that"],
  ])("%s → %s", (line, act, phrase) => {
    const r = report(line);
    expect(r?.act).toBe(act);
    expect(r?.phrase).toBe(phrase);
  });

  it("shifts the person: I and we become they, you the streamer, with the verb agreeing", () => {
    expect(report("i found wally")?.phrase).toBe("say they found Wally");
    expect(report("I am so tired of this")?.phrase).toBe("say they are so tired of this");
    expect(report("we love Karoline")?.phrase).toBe("say they love Karoline");
    expect(report("you need a guild")?.phrase).toBe("say the streamer needs a guild");
    expect(report("you are so good at this")?.phrase).toBe("say the streamer is so good at this");
    expect(report("i love your hat")?.phrase).toBe("say they love the streamer's hat");
    expect(report("i love you")?.phrase).toBe("say they love the streamer");
    // A verb that cannot be made to agree with "the streamer" is not guessed at.
    expect(report("you zorp the thing")).toBeUndefined();
  });

  it("names no emote, keeps names and acronyms, and lower-cases what chat shouts", () => {
    expect(report("JENSEN IS BOOSTED LUL")?.phrase).toBe("joke that Jensen is boosted");
    expect(report("TSM FANS LUL")?.phrase).toBe("laugh at TSM fans");
    expect(report("Mint is overrated")?.phrase).toBe("call Mint overrated");
    expect(report("the game is so boring")?.phrase).toBe("call the game boring");
    expect(report("tuskar is so dumb")?.phrase).toBe("call tuskar dumb");
    expect(report("Kappa china so bad Kappa")?.phrase).toBe("call China bad");
    // How the window's chat writes a word elsewhere decides a shouted word's casing.
    expect(report("MEGAZORD IS BACK", { writtenAs: (w) => (w === "megazord" ? "Megazord" : undefined) })?.phrase).toBe("say Megazord is back");
  });

  it("tells requests to a broadcast's players apart from requests to the streamer", () => {
    expect(report("remake blue buff", { addressee: "them" })?.phrase).toBe("urge them to remake blue buff");
    // Cheering a team is no request.
    expect(report("GO INTZ")).toBeUndefined();
    // A chatter asking for themselves is no request to the streamer.
    expect(report("give me a hi")).toBeUndefined();
  });

  it("retells nothing it cannot say safely", () => {
    for (const line of [
      "check https://spam.example.com now", // a link
      "@bob you are wrong", // "you" is another chatter
      "REDBULL > MONSTER", // a comparison the words alone do not say
      "this song is so BibleThump", // the emote was the complement
      "LUL", // a bare emote
      "hello everyone", // a greeting
      "ITZ LUL ITZ", // a chant
      "NOOOOO WAY", // an elongated shout
      "the *** is this", // masked
      "one two three four five six seven eight nine ten", // a paragraph
    ]) {
      expect(report(line), line).toBeUndefined();
    }
    expect(report("what is chjb", { excluded: new Set(["chjb"]) })).toBeUndefined();
  });

  it("never copies more than four words in a row of the line", () => {
    expect(report("the boss fight is so hard now")).toBeUndefined();
    expect(longestCopiedRun("say the boss fight is hard", "the boss fight is hard")).toBe(5);
    const r = report("he missed the jump again LUL");
    expect(r).toBeUndefined();
  });

  it("[#15.prop] never throws, never copies five words and never prints a link, handle or emote", () => {
    const words = fc.constantFrom("i", "you", "we", "is", "the", "jensen", "TSM", "LUL", "Kappa", "pls", "boil", "it", "?", "god", "so", "bad", "@bob", "https://x.example", "don't", "my", "your", "hot", "dog");
    fc.assert(
      fc.property(fc.array(words, { minLength: 1, maxLength: 12 }), (parts) => {
        const text = parts.join(" ");
        const r = report(text);
        if (r === undefined) return;
        expect(longestCopiedRun(r.phrase, text)).toBeLessThanOrEqual(MAX_COPIED_RUN);
        expect(r.phrase).not.toMatch(/@|https?:|\bLUL\b|\bKappa\b/);
        expect(r.phrase).not.toMatch(/\b(?:i|we|my|your)\b/);
      }),
      { numRuns: 500 },
    );
  });
});

// Lines of the shared dev and train windows, read at test time (never copied into the project): every line of one of
// the shapes below that is retold must get the verb its shape calls for, with the person shifted.
const WINDOWS = ["windows-dev.jsonl", "windows-train.jsonl"].map((f) => new URL(`../../../../../shared/data/windows/${f}`, import.meta.url).pathname);
const present = WINDOWS.filter((p) => existsSync(p));

describe("reportLine on the shared windows' lines", () => {
  if (present.length === 0) {
    it.skip(`../shared/data/windows not found (${WINDOWS[0]}): the table of real chat lines is skipped`, () => undefined);
    return;
  }
  const lines = [...new Set(present.flatMap((p) => readFileSync(p, "utf8").trim().split("\n").flatMap((l) => (JSON.parse(l) as { messages: { text: string }[] }).messages.map((m) => m.text))))];
  const shapes: { shape: string; test: (line: string) => boolean; act: string; check?: RegExp }[] = [
    { shape: "a first-person statement", test: (l) => /^(?:i|we)\s+(?:am|was|love|like|think|have|want|need|found|got|just)\b/i.test(l) && !/[?]/.test(l), act: "say|joke", check: /^(?:say|joke that) they\b/ },
    { shape: "a question to the streamer", test: (l) => /^(?:do|did|are|can|will|have)\s+(?:you|u)\b.*\?\s*$/i.test(l), act: "ask", check: /\bthe streamer\b/ },
    { shape: "a wh-question", test: (l) => /^(?:what|where|who|why|how)\b.*\?\s*$/i.test(l), act: "ask" },
    { shape: "a request", test: (l) => /^(?:pls |please )?(?:buy|play|try|eat|drink|visit|come to|stop|go to)\b/i.test(l) && !/[?]/.test(l), act: "urge" },
    { shape: "a label", test: (l) => /^\w+ (?:is |so )?(?:trash|useless|overrated|boring|washed|bald)$/i.test(l.trim()), act: "call" },
  ];

  it.each(shapes)("$shape gets its verb", ({ test, act, check }) => {
    const cases = lines.filter(test);
    const retold = cases.map((l) => [l, report(l)] as const).filter(([, r]) => r !== undefined);
    // Enough real lines of the shape to make the check mean something, and most of them retold.
    expect(cases.length).toBeGreaterThanOrEqual(3);
    expect(retold.length).toBeGreaterThanOrEqual(1);
    for (const [line, r] of retold) {
      expect(r?.act, line).toMatch(new RegExp(`^(?:${act})$`));
      expect(r?.phrase, line).not.toMatch(/\b(?:I|we|my|our|me|you|your|u|ur)\b/i);
      if (check !== undefined) expect(r?.phrase, line).toMatch(check);
    }
  });
});
