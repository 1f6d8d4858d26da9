import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "./emote-dictionary.js";
import { tokenize } from "./tokenizer.js";

const emotes = builtinEmoteDictionary();
const kinds = (text: string): string[] => tokenize(text, emotes).tokens.map((t) => `${t.kind}:${t.norm}${t.repeat > 1 ? "x" + t.repeat : ""}`);

describe("tokenize", () => {
  it("recognises emotes by name, case-sensitively, and their hand-typed aliases", () => {
    expect(kinds("LUL that was close KEKW")).toEqual(["emote:LUL", "word:that", "word:was", "word:close", "emote:KEKW"]);
    expect(kinds("lul")).toEqual(["emote:lul"]);
  });

  it("collapses back-to-back repeats into one token with a count", () => {
    const t = tokenize("LUL LUL LUL LUL", emotes);
    expect(t.tokens).toHaveLength(1);
    expect(t.tokens[0]?.repeat).toBe(4);
    expect(t.maxRepeat).toBe(4);
  });

  it("squeezes elongations and flags them", () => {
    const [tok] = tokenize("NOOOOOO", emotes).tokens;
    expect(tok?.norm).toBe("noo");
    expect(tok?.elongated).toBe(true);
    expect(tok?.caps).toBe(true);
  });

  it("separates urls, mentions, emoji, numbers and punctuation", () => {
    expect(kinds("@streamer check https://example.com/x 😂😂 100 ??")).toEqual([
      "mention:<mention>",
      "word:check",
      "url:<url>",
      "emoji:😂x2",
      "number:100",
      "punct:?",
    ]);
  });

  it("uses the source's emote positions for emotes the dictionary does not know", () => {
    const t = tokenize("hi nepuHeh", emotes, [{ name: "nepuHeh", start: 3, end: 10 }]);
    expect(t.tokens[1]?.kind).toBe("emote");
  });

  it("tells commands, question-only and questions apart", () => {
    expect(tokenize("!uptime", emotes).isCommand).toBe(true);
    expect(tokenize("! wow", emotes).isCommand).toBe(false);
    expect(tokenize("???", emotes).questionOnly).toBe(true);
    expect(tokenize("what game is this?", emotes).isQuestion).toBe(true);
    expect(tokenize("this game is great", emotes).isQuestion).toBe(false);
  });

  it("gives near-duplicates one signature", () => {
    const sig = (s: string): string => tokenize(s, emotes).signature;
    expect(sig("LUL LUL LUL")).toBe(sig("LUL"));
    expect(sig("LUL KEKW LUL KEKW")).toBe(sig("LUL KEKW"));
    expect(sig("NOOOOO")).toBe(sig("noooo"));
    expect(sig("@bob hi there")).toBe(sig("hi there"));
    expect(sig("????")).toBe("?");
    expect(sig("good game")).not.toBe(sig("bad game"));
  });

  it("measures shouting only over enough letters", () => {
    expect(tokenize("THIS IS INSANE", emotes).capsRatio).toBe(1);
    expect(tokenize("OK", emotes).capsRatio).toBe(0);
  });
});

describe("tokenize with broken emote spans", () => {
  it("ignores a span that covers nothing or names nothing (found by the property test)", () => {
    const emotes = builtinEmoteDictionary();
    const out = tokenize("!hello Kappa", emotes, [
      { name: " ", start: 0, end: 0 },
      { name: "", start: 7, end: 12 },
    ]);
    expect(out.tokens.map((t) => [t.text, t.kind])).toEqual([
      ["!", "punct"],
      ["hello", "word"],
      ["Kappa", "emote"],
    ]);
  });
});
