import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chatText } from "../../test/helpers/chat-arbitraries.js";
import { PROTOTYPE_NAMES } from "../../test/helpers/prototype-words.js";
import { builtinEmoteDictionary, loadEmoteDictionary, parseEmoteDocument } from "./emote-dictionary.js";
import { MoodCue, MoodCueReader } from "./mood-cues.js";
import { tokenize } from "./tokenizer.js";

const emotes = builtinEmoteDictionary();
const reader = new MoodCueReader(emotes);
const cues = (text: string): string[] => {
  const bits = reader.cuesOf(tokenize(text, emotes));
  return Object.entries(MoodCue)
    .filter(([, bit]) => (bits & bit) !== 0)
    .map(([name]) => name);
};

describe("mood cues", () => {
  it("reads laughter aimed at a target as mockery, and laughter alone as laughter", () => {
    expect(cues("EU LUL")).toEqual(["laugh", "mock"]);
    expect(cues("CLOWN 9 OMEGALUL")).toEqual(["laugh", "mock"]);
    expect(cues("you are so bad lmao")).toEqual(["laugh", "mock"]);
    expect(cues("TSM 😂😂")).toEqual(["laugh", "mock"]);
    expect(cues("he missed the jump LUL")).toEqual(["laugh"]);
    expect(cues("OMG LUL")).toEqual(["laugh"]);
    expect(cues("GG WP LUL")).toEqual(["laugh"]);
    expect(cues("LOOOOOOL")).toEqual(["laugh"]);
    expect(cues("HAHAHAHA")).toEqual(["laugh"]);
    expect(cues("EU is bad")).toEqual([]);
  });

  it("reads cheering, boredom and sarcasm from emote meanings", () => {
    expect(cues("PogChamp PogChamp")).toEqual(["hype"]);
    expect(cues("what a play Clap")).toEqual(["hype"]);
    expect(cues("this game ResidentSleeper")).toEqual(["bored"]);
    expect(cues("sure Kappa")).toEqual(["sarcasm"]);
    expect(cues("Jebaited")).toEqual(["sarcasm"]);
    expect(cues("just words here")).toEqual([]);
  });

  it("counts a channel's own emotes by the meaning its emote file gives them", () => {
    const channel = loadEmoteDictionary([], [parseEmoteDocument(JSON.stringify({ format: "chatstream-emotes/1", emotes: { zzqGiggle: { meaning: "laughter", polarity: 0.8 } } }), "test")]);
    const text = tokenize("NA zzqGiggle", channel);
    expect(new MoodCueReader(channel).cuesOf(text)).toBe(MoodCue.laugh | MoodCue.mock);
    expect(reader.cuesOf(tokenize("NA zzqGiggle", emotes))).toBe(0);
  });

  it("#15.prop never throws and sets only known bits, whatever the line and however the emotes are named", () => {
    const hostile = loadEmoteDictionary([], [parseEmoteDocument(JSON.stringify({ format: "chatstream-emotes/1", emotes: Object.fromEntries(PROTOTYPE_NAMES.map((n) => [n, { meaning: n, polarity: 0 }])) }), "test")]);
    const known = Object.values(MoodCue).reduce((a, b) => a | b, 0);
    const hostileReader = new MoodCueReader(hostile);
    fc.assert(
      fc.property(chatText, (text) => {
        for (const [dict, r] of [
          [emotes, reader],
          [hostile, hostileReader],
        ] as const) {
          const bits = r.cuesOf(tokenize(text, dict));
          expect(bits & ~known).toBe(0);
          // Mockery is laughter with a target: never one without the other.
          if ((bits & MoodCue.mock) !== 0) expect(bits & MoodCue.laugh).toBe(MoodCue.laugh);
        }
      }),
    );
  });
});
