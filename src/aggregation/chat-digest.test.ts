import { describe, expect, it } from "vitest";
import { processed } from "../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder, mergeDigests } from "./chat-digest.js";

describe("DigestBuilder", () => {
  it("collapses near-duplicates into groups with counts and distinct users, largest first", () => {
    const b = new DigestBuilder();
    b.add(processed(1, "LUL LUL LUL", "a"));
    b.add(processed(2, "LUL", "b"));
    b.add(processed(3, "lul", "a"));
    b.add(processed(4, "what game is this?", "c"));
    b.add(processed(5, "!uptime", "d"));
    const d = b.build(0, 5);
    expect(d.count).toBe(5);
    expect(d.ignored).toBe(1);
    expect(d.scored).toBe(4);
    expect(d.chatters).toBe(3);
    expect(d.groups[0]).toMatchObject({ text: "LUL", count: 3, users: 2 });
    expect(d.groups[1]).toMatchObject({ count: 1, isQuestion: true });
    expect(d.questions).toBe(1);
    expect(d.sentiment.pos + d.sentiment.neu + d.sentiment.neg).toBeCloseTo(4, 6);
  });

  it("counts a term once per message", () => {
    const b = new DigestBuilder();
    b.add(processed(1, "baron baron baron steal"));
    b.add(processed(2, "what a baron"));
    expect(b.build(0, 2).terms[0]).toEqual({ term: "baron", count: 2 });
  });
});

describe("DigestBuilder lines", () => {
  it("lists every distinct line in the order it first appeared, the top groups' objects among them", () => {
    const b = new DigestBuilder();
    b.add(processed(1, "first line", "a"));
    b.add(processed(2, "LUL", "b"));
    b.add(processed(3, "second line", "c"));
    b.add(processed(4, "LUL LUL", "d"));
    b.add(processed(5, "!uptime", "e"));
    const d = b.build(0, 5, 1);
    expect(d.groups.map((g) => g.text)).toEqual(["LUL"]);
    expect(d.lines?.map((g) => [g.text, g.count])).toEqual([["first line", 1], ["LUL", 2], ["second line", 1]]);
    expect(d.lines?.[1]).toBe(d.groups[0]);
  });

  it("keeps at most maxLines, the most repeated and freshest, and none when asked for none", () => {
    const b = new DigestBuilder();
    for (let i = 0; i < 10; i++) b.add(processed(i, `line ${String.fromCharCode(97 + i)}`, `u${i}`));
    b.add(processed(10, "line a", "x"));
    expect(b.build(0, 10, 20, 20, 3).lines?.map((g) => g.text)).toEqual(["line a", "line i", "line j"]);
    expect(b.build(0, 10, 20, 20, 0).lines).toBeUndefined();
    // A merged roll-up has only its parts' top groups.
    expect(mergeDigests([b.build(0, 10)], 0, 10).lines).toBeUndefined();
  });
});

describe("mergeDigests", () => {
  it("adds counts and sentiment exactly and merges groups by signature", () => {
    const a = new DigestBuilder();
    a.add(processed(1, "GG", "x"));
    a.add(processed(2, "GG", "y"));
    const b = new DigestBuilder();
    b.add(processed(6000, "gg", "z"));
    b.add(processed(6001, "BibleThump", "z"));
    const da = a.build(0, 5000);
    const db = b.build(5000, 10000);
    const m = mergeDigests([da, db], 0, 60000);
    expect(m.count).toBe(4);
    expect(m.scored).toBe(4);
    expect(m.sentiment.pos).toBeCloseTo(da.sentiment.pos + db.sentiment.pos, 12);
    expect(m.groups[0]).toMatchObject({ signature: "gg", count: 3 });
    expect(m.chatters).toBe(2);
    expect(mergeDigests([], 0, 5000).count).toBe(0);
  });
});

describe("DigestBuilder running state", () => {
  const lines = ["LUL", "lul", "LUL LUL", "GG", "what game is this?", "nice baron @streamer", "!uptime", "BibleThump so sad", "baron steal"];
  const chatOf = (n: number, seed: number) => Array.from({ length: n }, (_, i) => processed(i * 37, lines[(i * seed) % lines.length] as string, `u${(i * 7 + seed) % 13}`));

  it("gives the same digest for compacted messages, and the same object while nothing was added or removed", () => {
    const full = new DigestBuilder();
    const compact = new DigestBuilder();
    const chat = chatOf(120, 5);
    const kept = chat.map((m) => {
      full.add(m);
      compact.add(m);
      return compact.compact(m);
    });
    for (let i = 0; i < 70; i++) {
      full.remove(chat[i] as (typeof chat)[number]);
      compact.remove(kept[i] as (typeof kept)[number]);
    }
    const a = full.build(0, 5000);
    const b = compact.build(0, 5000);
    expect(b).toEqual(a);
    expect(compact.build(0, 5000)).toBe(b);
    expect(compact.build(500, 5500)).toMatchObject({ start: 500, end: 5500, groups: b.groups });
    const version = compact.version;
    compact.add(processed(9_000, "new line"));
    expect(compact.version).toBe(version + 1);
    expect(compact.build(0, 9_000)).not.toBe(b);
    // A compacted message keeps only mention and emote tokens, sharing the group's strings.
    const c = compact.compact(chat[5] as (typeof chat)[number]);
    expect(c.tokens.tokens.every((tok) => tok.kind === "mention" || tok.kind === "emote")).toBe(true);
  });

  it("holds the window's distinct !commands under the same cap, the one-off ones going first", () => {
    const b = new DigestBuilder();
    const flood = Array.from({ length: 30 }, (_, i) => processed(i, `!cmd${i}`, `bot${i}`));
    const uptime = Array.from({ length: 5 }, (_, i) => processed(100 + i, "!uptime", `v${i}`));
    for (const m of [...flood, ...uptime]) b.add(m);
    expect(b.build(0, 200, 10, 10, 200).commands).toHaveLength(31);
    expect(b.evictGroupsBeyond(20)).toBe(31 - 19);
    expect(b.evicted).toBe(12);
    const d = b.build(0, 200, 10, 10, 200);
    expect(d.count).toBe(35);
    expect(d.commands).toHaveLength(19);
    expect(d.commands?.find((g) => g.text === "!uptime")?.count).toBe(5);
    expect(d.commands?.some((g) => g.text === "!cmd0")).toBe(false);
    // A command whose line was evicted leaves the window without touching the lines that stay.
    for (const m of flood) b.remove(m);
    const after = b.build(0, 200, 10, 10, 200);
    expect(after.count).toBe(5);
    expect(after.commands?.map((g) => [g.text, g.count])).toEqual([["!uptime", 5]]);
  });

  it("evicts the smallest, stalest groups beyond a cap and counts them; their messages still count", () => {
    const b = new DigestBuilder();
    const chat = [...Array.from({ length: 30 }, (_, i) => processed(i, `line number ${i}`)), ...Array.from({ length: 5 }, (_, i) => processed(100 + i, "GG", `g${i}`))];
    for (const m of chat) b.add(m);
    expect(b.evictGroupsBeyond(40)).toBe(0);
    expect(b.evictGroupsBeyond(20)).toBe(31 - 19);
    expect(b.groupCount).toBe(19);
    expect(b.evicted).toBe(12);
    const d = b.build(0, 200);
    expect(d.count).toBe(35);
    expect(d.groups[0]).toMatchObject({ signature: "gg", count: 5 });
    // The freshest one-off lines stay; the oldest went.
    expect(d.groups.some((g) => g.text === "line number 29")).toBe(true);
    expect(d.groups.some((g) => g.text === "line number 0")).toBe(false);
    // A line evicted and written again starts a new group; removing its old message leaves the new one alone.
    b.add(processed(300, "line number 0"));
    b.remove(chat[0] as (typeof chat)[number]);
    expect(b.build(0, 300).groups.find((g) => g.text === "line number 0")?.count).toBe(1);
    expect(b.build(0, 300).count).toBe(35);
  });
});
