import { describe, expect, it } from "vitest";
import { processed } from "../../../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder } from "../../../aggregation/chat-digest.js";
import { builtinEmoteDictionary } from "../../../processing/emote-dictionary.js";
import { tokenize } from "../../../processing/tokenizer.js";
import { rankReportedLines, type RankableLine } from "./line-ranking.js";
import { builtinWordBackground } from "./word-background.js";

const emotes = builtinEmoteDictionary();
const background = builtinWordBackground();

function linesOf(spec: readonly [string, number][]): RankableLine[] {
  const b = new DigestBuilder();
  let i = 0;
  for (const [text, n] of spec) for (let k = 0; k < n; k++, i++) b.add(processed(i * 100, text, `viewer${i}`));
  return (b.build(-1, i * 100).lines ?? []).map((group) => ({ group, tokens: tokenize(group.text, emotes).tokens, reaction: undefined, english: true }));
}

const rank = (lines: RankableLine[]) => rankReportedLines(lines, { background, excluded: new Set(), englishOnly: true });

describe("rankReportedLines", () => {
  it("puts first the line whose rare words the rest of the window shares", () => {
    const ranked = rank(
      linesOf([
        ["boil the hotdog", 1],
        ["i had pizza yesterday", 1],
        ["hotdog", 4],
        ["the hotdog is raw", 1],
        ["LUL", 10],
      ]),
    );
    expect(ranked[0]?.group.text).toMatch(/hotdog/);
    expect(ranked.map((r) => r.group.text)).not.toContain("LUL");
  });

  it("weighs a repeated line by its count", () => {
    const once = rank(linesOf([["Ryu god", 1], ["Faker god", 1], ["ryu", 2], ["faker", 2]]));
    const repeated = rank(linesOf([["Ryu god", 1], ["Faker god", 5], ["ryu", 2], ["faker", 2]]));
    expect(once[0]?.group.text).toBe("Ryu god");
    expect(repeated[0]?.group.text).toBe("Faker god");
  });

  it("never retells greetings, bare emotes, spam without words, links or promotion", () => {
    const spec: [string, number][] = [
      ["hello everyone", 5],
      ["Kappa Kappa", 9],
      ["??????", 6],
      ["go to free-robux.club now", 3],
      ["use code FREE for skins", 3],
      ["buy skins at skins.shop", 3],
    ];
    const lines = linesOf(spec).map((l) => (l.group.text.startsWith("hello") ? { ...l, reaction: "greeting" as const } : l));
    expect(rank(lines)).toEqual([]);
  });

  it("leaves out lines in another language in an English window, and lines naming a chatter", () => {
    const lines = linesOf([["boil the hotdog", 1], ["hotdog", 3], ["hotdog ist gut", 1]]).map((l) => (l.group.text.includes("ist") ? { ...l, english: false } : l));
    expect(rank(lines).map((r) => r.group.text)).toEqual(["boil the hotdog"]);
    const named = rankReportedLines(linesOf([["ryu god", 2], ["bob is trash", 2], ["ryu", 2], ["bob", 2]]), { background, excluded: new Set(["bob"]), englishOnly: true });
    expect(named.map((r) => r.group.text)).not.toContain("bob is trash");
  });
});
