import { describe, expect, it } from "vitest";
import { DigestBuilder, mergeDigests, type ChatDigest } from "../../src/aggregation/chat-digest.js";
import { promptLines } from "../../src/models/summarizer/llm/prompt-lines.js";
import { builtinEmoteDictionary } from "../../src/processing/emote-dictionary.js";
import { processed } from "../helpers/pipeline-fixtures.js";

const emotes = builtinEmoteDictionary();

function digest(lines: readonly (string | [string, string])[]): ChatDigest {
  const b = new DigestBuilder();
  lines.forEach((l, i) => b.add(typeof l === "string" ? processed(i, l, `u${i % 7}`) : processed(i, l[0], l[1])));
  return b.build(-1, lines.length);
}

const view = (d: ChatDigest) => promptLines(d, emotes).map((l) => [l.text, l.count]);

describe("promptLines: the window's distinct lines as the prompt quotes them", () => {
  it("reads the digest's lines: near-duplicates merged with their count, in order of first appearance", () => {
    const d = digest(["gg", "Speed drinks the hot pot broth", "LUL LUL LUL", "GG", "lul", "LUL", "gg"]);
    // One notion of a window's lines: the digest's own (the shortest variant, the first of equal length).
    expect(d.lines?.map((g) => [g.text, g.count])).toEqual([["gg", 3], ["Speed drinks the hot pot broth", 1], ["lul", 3]]);
    expect(view(d)).toEqual([["gg", 3], ["Speed drinks the hot pot broth", 1], ["lul", 3]]);
  });

  it("keeps a question apart from the same words said flatly, each where it first appeared", () => {
    const d = digest(["viktor", "what now", "viktor?", "viktor", "viktor??"]);
    expect(d.lines?.[0]?.asked).toEqual({ count: 2, text: "viktor?", flatText: "viktor", otherFirst: 2 });
    expect(view(d)).toEqual([["viktor", 2], ["what now", 1], ["viktor?", 2]]);
    // Asked first, said flatly later: the question leads.
    expect(view(digest(["viktor?", "what now", "viktor"]))).toEqual([["viktor?", 1], ["what now", 1], ["viktor", 1]]);
    // All asking: one line, no split.
    expect(digest(["viktor?", "viktor??"]).lines?.[0]?.asked).toBeUndefined();
  });

  it("keeps !commands as counted lines in place (the digest counts them apart from chat) and leaves bots out", () => {
    const d = digest(["hello there", "!dotabet", "!dotabet", ["!dotabet", "nightbot"], ["Bet now: radiant or dire", "nightbot"], "dotabet", "!DOTABET"]);
    expect(d.groups.map((g) => g.text).sort()).toEqual(["dotabet", "hello there"]);
    expect(d.commands?.map((g) => [g.text, g.count])).toEqual([["!dotabet", 3]]);
    expect(view(d)).toEqual([["hello there", 1], ["!dotabet", 3], ["dotabet", 1]]);
  });

  it("a running digest takes commands and questions out again", () => {
    const b = new DigestBuilder();
    const ms = ["!uptime", "viktor", "viktor?", "!uptime"].map((t, i) => processed(i, t, `u${i}`));
    for (const m of ms) b.add(m);
    b.remove(ms[0]!);
    b.remove(ms[2]!);
    const d = b.build(-1, 4);
    expect(d.commands?.map((g) => [g.text, g.count])).toEqual([["!uptime", 1]]);
    expect(d.lines?.map((g) => [g.text, g.count, g.asked])).toEqual([["viktor", 1, undefined]]);
    b.remove(ms[3]!);
    expect(b.build(-1, 4).commands).toEqual([]);
  });

  it("scores a one-off line by the words the rest of the window shares, its names and numbers", () => {
    const lines = promptLines(digest(["the hot pot is boiling", "hot pot hot pot", "that pot though", "i like turtles", "Cass has 11 kills in 36 min", "what"]), emotes);
    const info = new Map(lines.map((l) => [l.text, l.information]));
    // "pot" is used by two other messages, "turtles" by none.
    expect(info.get("the hot pot is boiling")).toBeGreaterThan(info.get("i like turtles") as number);
    expect(info.get("i like turtles")).toBe(0);
    // One name and two numbers, no shared word.
    expect(info.get("Cass has 11 kills in 36 min")).toBe(3);
    expect(info.get("what")).toBe(0);
  });

  it("a merged digest (a roll-up) has no lines: its top groups, largest first, carry no part's order or split", () => {
    const merged = mergeDigests([digest(["baron", "viktor", "viktor?"]), digest(["so boring", "so boring", "viktor"])], 0, 10);
    expect(merged.lines).toBeUndefined();
    expect(merged.groups.every((g) => g.first === undefined && g.asked === undefined)).toBe(true);
    expect(view(merged)).toEqual([["viktor", 3], ["so boring", 2], ["baron", 1]]);
  });
});
