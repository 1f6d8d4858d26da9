import { describe, expect, it } from "vitest";
import { ownerOf } from "./channel-assignment.js";

const channels = Array.from({ length: 900 }, (_, i) => `ch${i}`);
const assign = (members: string[]): Map<string, string | undefined> => new Map(channels.map((c) => [c, ownerOf(c, members)]));

describe("rendezvous assignment of channels to workers", () => {
  it("[#18] is the same whatever order the members are listed in, and spreads channels over all of them", () => {
    const a = assign(["w1", "w2", "w3"]);
    expect(assign(["w3", "w1", "w2"])).toEqual(a);
    for (const w of ["w1", "w2", "w3"]) {
      const n = [...a.values()].filter((o) => o === w).length;
      expect(n).toBeGreaterThan(220);
      expect(n).toBeLessThan(380);
    }
    expect(ownerOf("x", [])).toBeUndefined();
  });

  it("[#18] a worker leaving moves only its own channels; one joining takes only channels it now wins", () => {
    const three = assign(["w1", "w2", "w3"]);
    const two = assign(["w1", "w3"]);
    for (const c of channels) if (three.get(c) !== "w2") expect(two.get(c)).toBe(three.get(c));
    const four = assign(["w1", "w2", "w3", "w4"]);
    const moved = channels.filter((c) => four.get(c) !== three.get(c));
    expect(moved.every((c) => four.get(c) === "w4")).toBe(true);
    expect(moved.length).toBeGreaterThan(150);
  });
});
