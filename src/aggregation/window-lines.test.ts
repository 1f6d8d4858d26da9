import { describe, expect, it } from "vitest";
import { processed } from "../../test/helpers/pipeline-fixtures.js";
import { windowLines } from "./window-lines.js";

const window = (lines: readonly (string | [string, string])[]) => lines.map((l, i) => (typeof l === "string" ? processed(i, l, `u${i % 7}`) : processed(i, l[0], l[1])));

describe("windowLines", () => {
  it("merges near-duplicates into one line with its count and chatters, in order of first appearance", () => {
    const lines = windowLines(window(["gg", "Speed drinks the hot pot broth", "LUL LUL LUL", "GG", "lul", "LUL", "gg"]));
    expect(lines.map((l) => [l.text, l.count, l.first])).toEqual([
      ["gg", 3, 0],
      ["Speed drinks the hot pot broth", 1, 1],
      // The shortest variant, the first of equal length.
      ["lul", 3, 2],
    ]);
    expect(lines[2]?.users).toBe(3);
  });

  it("keeps a question apart from the same words said flatly", () => {
    const lines = windowLines(window(["viktor", "viktor?", "viktor", "viktor??"]));
    expect(lines.map((l) => [l.text, l.count, l.question])).toEqual([
      ["viktor", 2, false],
      ["viktor?", 2, true],
    ]);
  });

  it("keeps !commands as counted lines of their own and leaves bots out", () => {
    const lines = windowLines(window(["!dotabet", "!dotabet", ["!dotabet", "nightbot"], ["Bet now: radiant or dire", "nightbot"], "dotabet", "!DOTABET"]));
    expect(lines.map((l) => [l.text, l.count, l.command])).toEqual([
      ["!dotabet", 3, true],
      ["dotabet", 1, false],
    ]);
  });

  it("scores a one-off line by the words the rest of the window shares, its names and numbers", () => {
    const lines = windowLines(window(["the hot pot is boiling", "hot pot hot pot", "that pot though", "i like turtles", "Cass has 11 kills in 36 min", "what"]));
    const info = new Map(lines.map((l) => [l.text, l.information]));
    // "pot" is used by two other messages, "turtles" by none.
    expect(info.get("the hot pot is boiling")).toBeGreaterThan(info.get("i like turtles") as number);
    expect(info.get("i like turtles")).toBe(0);
    // One name and three numbers (at most three are counted), no shared word.
    expect(info.get("Cass has 11 kills in 36 min")).toBe(3);
    expect(info.get("what")).toBe(0);
  });

  it("bounded: over maxLines it keeps every repeated line, then the most informative one-offs, still in order", () => {
    const messages = window(["LUL", "LUL", "random noise here", "baron steal by Faker", "what a baron, my god", "baron baron", "zzz", "GG", "GG"]);
    const lines = windowLines(messages, 0, messages.length, 4);
    // The three baron lines share "baron"; the one with a name ranks first, and of equal scores the shorter one.
    expect(lines.map((l) => l.text)).toEqual(["LUL", "baron steal by Faker", "baron baron", "GG"]);
    // A slice of the messages: only those are read.
    expect(windowLines(messages, 7, 9).map((l) => [l.text, l.count, l.first])).toEqual([["GG", 2, 0]]);
  });
});
