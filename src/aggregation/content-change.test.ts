import { describe, expect, it } from "vitest";
import { processed } from "../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder, type ChatDigest } from "./chat-digest.js";
import { contentChanges, fingerprintOf, HeadlineGate } from "./content-change.js";

function digest(lines: readonly [string, number][], userPrefix = "u"): ChatDigest {
  const b = new DigestBuilder();
  let i = 0;
  for (const [text, n] of lines) for (let k = 0; k < n; k++, i++) b.add(processed(i, text, `${userPrefix}${i}`));
  return b.build(-1, i);
}

describe("contentChanges", () => {
  it("sees no change when only the volume changes", () => {
    const small = fingerprintOf(digest([["LUL", 10], ["GG", 5], ["what game?", 2]]));
    const tenfold = fingerprintOf(digest([["LUL", 100], ["GG", 50], ["what game?", 20]], "dup"));
    expect(contentChanges(small, tenfold)).toEqual([]);
  });

  it("names a changed topic mix, a new cluster and a sentiment swing", () => {
    const before = fingerprintOf(digest([["PogChamp", 20], ["GG", 10]]));
    expect(contentChanges(before, fingerprintOf(digest([["BibleThump", 20], ["so sad", 10]])))).toEqual(["topics", "new-cluster", "sentiment"]);
    const newThread = fingerprintOf(digest([["PogChamp", 20], ["GG", 10], ["is that a new skin?", 8]]));
    expect(contentChanges(before, newThread)).toEqual(["new-cluster"]);
    expect(contentChanges(fingerprintOf(digest([])), before)).toEqual(["topics"]);
  });
});

describe("HeadlineGate", () => {
  it("keeps the headline until the content changes, at least for the hold time, and says why it changed", () => {
    const gate = new HeadlineGate();
    let writes = 0;
    const write = () => `headline ${++writes}`;
    const happy = digest([["PogChamp", 20], ["GG", 10]]);
    const sad = digest([["BibleThump", 20], ["so sad", 10]]);
    expect(gate.headlineAt(0, happy, write)).toEqual({ headline: "headline 1", since: 0, changed: ["first"] });
    expect(gate.headlineAt(500, digest([["PogChamp", 40], ["GG", 20]]), write).changed).toEqual([]);
    expect(gate.headlineAt(1000, sad, write)).toMatchObject({ headline: "headline 1", changed: [] }); // within the hold
    const later = gate.headlineAt(5000, sad, write);
    expect(later).toMatchObject({ headline: "headline 2", since: 5000 });
    expect(later.changed).toContain("sentiment");
    expect(writes).toBe(2);
    gate.reset();
    expect(gate.headlineAt(5500, sad, write).changed).toEqual(["first"]);
  });
});
