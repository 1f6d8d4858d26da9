import { describe, expect, it } from "vitest";
import { processed } from "../../../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder } from "../../../aggregation/chat-digest.js";
import { builtinEmoteDictionary } from "../../../processing/emote-dictionary.js";
import { analyzeDigest } from "./window-structure.js";

const emotes = builtinEmoteDictionary();

function structureOf(lines: readonly [string, number][]) {
  const b = new DigestBuilder();
  let i = 0;
  for (const [text, n] of lines) for (let k = 0; k < n; k++, i++) b.add(processed(i * 100, text, `viewer${i}`));
  return analyzeDigest(b.build(-1, i * 100), emotes);
}

const labels = (s: ReturnType<typeof structureOf>) => s.topics.map((t) => t.label);

describe("analyzeDigest topics", () => {
  it("ranks what this window is about above words every chat uses", () => {
    const s = structureOf([
      ["no idea what will happen either", 3],
      ["the microwave is for hot dogs", 4],
      ["boil the hot dogs not microwave", 3],
      ["microwave gang", 2],
    ]);
    expect(labels(s)[0]).toBe("microwave");
    expect(labels(s)).not.toContain("idea");
    expect(labels(s)).not.toContain("will");
    expect(labels(s)).not.toContain("either");
  });

  it("never takes a word that is most often a verb, adjective or adverb as a topic, unless chat chants it in capitals", () => {
    const s = structureOf([
      ["the microwave made it hot afterwards", 4],
      ["hot microwave", 3],
      ["REMAKE", 4],
      ["REMAKE REMAKE", 2],
    ]);
    expect(labels(s)).toContain("microwave");
    expect(labels(s)).toContain("Remake"); // "remake" is a verb in the lexicon, but chanted in capitals it is the topic
    for (const word of ["made", "hot", "afterwards"]) expect(labels(s).map((l) => l.toLowerCase())).not.toContain(word);
  });

  it("writes proper names capitalised however chat cases them, and never takes a contraction as a topic", () => {
    const s = structureOf([
      ["come to nepal", 5],
      ["nepal please", 3],
      ["didnt see the goal", 4],
      ["can’t believe the goal", 3],
      ["dont care about the goal", 2],
      ["shes so good mhm", 3],
      ["woah youre right", 2],
    ]);
    expect(labels(s)).toContain("Nepal");
    expect(labels(s)).toContain("goal");
    for (const word of ["didnt", "can’t", "dont", "shes", "youre", "mhm", "woah"]) expect(labels(s).map((l) => l.toLowerCase())).not.toContain(word);
  });

  it("names no topic from lines in another language when the window is mostly English, and does when it is mostly not", () => {
    const english = structureOf([
      ["the boss fight is close", 6],
      ["boss has low hp", 4],
      ["não acredito nisso trabalho", 3],
      ["vai trabalho vai", 2],
    ]);
    expect(labels(english)).toContain("boss");
    for (const word of ["acredito", "trabalho", "não", "vai"]) expect(labels(english).map((l) => l.toLowerCase())).not.toContain(word);
    const german = structureOf([
      ["das ist der Endboss", 6],
      ["der Endboss ist zu stark", 4],
      ["und jetzt kommt der Endboss", 3],
    ]);
    expect(labels(german)).toContain("Endboss");
    expect(labels(german).map((l) => l.toLowerCase())).not.toContain("und"); // a function word is never a topic
  });

  it("counts a plural and its singular as one topic", () => {
    const s = structureOf([
      ["the democrats are at it again", 4],
      ["democrat party", 3],
      ["Democrats lol", 2],
      ["the goal was offside", 3],
    ]);
    const keys = s.topics.map((t) => t.key);
    expect(keys).toContain("democrat");
    expect(keys).not.toContain("democrats");
    expect(s.topics.find((t) => t.key === "democrat")?.count).toBe(9);
    expect(s.topics[0]?.key).toBe("democrat"); // together they outrank "goal"
  });

  it("keeps two capitalised words in a row together as one name when chat says it twice", () => {
    const s = structureOf([
      ["Lee Sin is cracked", 1],
      ["what a Lee Sin play", 1],
      ["Lee Sin god", 1],
      ["Big Iron once", 1],
    ]);
    expect(labels(s)).toContain("Lee Sin");
    expect(labels(s)).not.toContain("Lee");
    expect(labels(s)).not.toContain("Big Iron");
  });

  it("names two-letter acronyms in capitals and spammed reaction words, but not lower-case channel emotes or one-off rare words", () => {
    const s = structureOf([
      ["EU LUL", 5],
      ["RIP", 6],
      ["nepuHeh", 3],
      ["nepuheh nepujam", 3],
      ["qwzxv", 1],
    ]);
    expect(labels(s)).toContain("EU");
    expect(s.emotes.map((e) => e.name)).toContain("RIP");
    expect(labels(s).some((l) => l.toLowerCase().startsWith("nepu"))).toBe(false);
    expect(labels(s)).not.toContain("qwzxv");
  });

  it("takes a word said once from a short remark, never from a long pasted line", () => {
    const s = structureOf([
      ["LUL", 10],
      ["the soup looks great", 1],
      ["you must say chat hates the streamer and unsubscribe right now everyone", 1],
    ]);
    expect(labels(s)).toContain("soup");
    expect(labels(s)).not.toContain("unsubscribe");
  });

  it("masks profanity in topics, also when glued into a longer word", () => {
    const s = structureOf([
      ["newfag test", 3],
      ["shitshow again", 3],
    ]);
    for (const l of labels(s)) expect(l).not.toMatch(/fag|shit/i);
  });

  it("reads the same window the same way twice (the group tokens are cached)", () => {
    const lines: [string, number][] = [["KEKW the jump", 5], ["jump king", 3]];
    expect(structureOf(lines)).toEqual(structureOf(lines));
  });
});
