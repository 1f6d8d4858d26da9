import { describe, expect, it } from "vitest";
import { processed } from "../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder, type ChatDigest } from "./chat-digest.js";
import { clustersOf, DEFAULT_CLUSTER_POLICY } from "./topic-clusters.js";

function digestOf(lines: readonly string[]): ChatDigest {
  const b = new DigestBuilder();
  lines.forEach((text, i) => b.add(processed(i + 1, text, `u${i}`)));
  return b.build(0, lines.length);
}

const repeat = (text: string, n: number): string[] => Array.from({ length: n }, () => text);

describe("clustersOf", () => {
  it("joins near-duplicate groups on the content word they share, words before emotes", () => {
    const d = digestOf([...repeat("baron steal", 4), ...repeat("what a baron steal LUL", 2), "baron throw", ...repeat("LUL", 3), "first time here"]);
    const { clusters, sizes } = clustersOf(d, undefined);
    const baron = clusters.find((c) => c.label === "baron");
    expect(baron).toMatchObject({ count: 7, users: 7 });
    expect(baron?.top[0]).toEqual({ text: "baron steal", count: 4 });
    expect(baron?.top).toHaveLength(DEFAULT_CLUSTER_POLICY.examples);
    expect(clusters.find((c) => c.label === "LUL")?.count).toBe(3);
    expect(clusters[0]?.label).toBe("baron"); // largest first
    expect(sizes.get("baron")).toBe(7);
    // A first window has nothing to grow from or be new against.
    expect(clusters.every((c) => c.growth === undefined && c.new === undefined)).toBe(true);
  });

  it("gives growth against the previous window and flags a topic that was not there", () => {
    const before = clustersOf(digestOf([...repeat("baron steal", 5), ...repeat("LUL", 5)]), undefined).sizes;
    const now = clustersOf(digestOf([...repeat("baron steal", 8), ...repeat("LUL", 2), ...repeat("drake soul", 4), "elder dragon soon"]), before).clusters;
    expect(now.find((c) => c.label === "baron")).toMatchObject({ growth: 3 });
    expect(now.find((c) => c.label === "baron")?.new).toBeUndefined();
    expect(now.find((c) => c.label === "LUL")).toMatchObject({ growth: -3 });
    expect(now.find((c) => c.label === "drake")).toMatchObject({ growth: 4, new: true });
    // One stray line is not a new topic.
    expect(now.find((c) => c.label === "elder")?.new).toBeUndefined();
  });

  it("flags a sizeable minority leaning against the majority as dissent, not a lone grumble", () => {
    const lines = [...repeat("PogChamp what a play", 12), ...repeat("this ref is terrible and awful", 4), "boring game"];
    const { clusters } = clustersOf(digestOf(lines), undefined);
    expect(clusters.find((c) => c.label === "play")?.dissent).toBeUndefined();
    expect(clusters.find((c) => c.label === "ref")?.dissent).toBe(true);
    expect(clusters.find((c) => c.label === "boring")?.dissent).toBeUndefined();
  });

  it("has no dissent in a window without a majority lean", () => {
    const { clusters } = clustersOf(digestOf([...repeat("what is the score", 10), ...repeat("wow amazing play", 3), ...repeat("this is terrible awful", 3)]), undefined);
    expect(clusters.some((c) => c.dissent)).toBe(false);
  });

  it("labels a group with no content word by its own line, and an empty window has no clusters", () => {
    const { clusters } = clustersOf(digestOf(repeat("???", 3)), undefined);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]?.count).toBe(3);
    expect(clusters[0]?.label.length).toBeGreaterThan(0);
    expect(clustersOf(new DigestBuilder().build(0, 1), undefined).clusters).toEqual([]);
  });
});
