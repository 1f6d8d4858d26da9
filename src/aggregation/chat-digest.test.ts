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
