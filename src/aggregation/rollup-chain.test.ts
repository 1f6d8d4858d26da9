import { describe, expect, it } from "vitest";
import { processed } from "../../test/helpers/pipeline-fixtures.js";
import { RollupChain, type ClosedPeriod } from "./rollup-chain.js";

describe("RollupChain", () => {
  it("emits aligned 5 s, 1 min and 10 min records, empty periods included, each level summing its parts", () => {
    const out: ClosedPeriod[] = [];
    const chain = new RollupChain(0, (p) => out.push(p));
    const times = [100, 4999, 5000, 61_000, 250_000, 599_999, 600_000, 615_000];
    for (const t of times) {
      chain.closeUpTo(t);
      chain.add(processed(t, "PogChamp"));
    }
    chain.closeUpTo(620_000);
    chain.flush();
    const five = out.filter((p) => p.level === "5s");
    const minutes = out.filter((p) => p.level === "1m");
    const tens = out.filter((p) => p.level === "10m");
    expect(five.map((p) => p.digest.start)).toEqual(Array.from({ length: five.length }, (_, i) => i * 5000));
    expect(five.reduce((n, p) => n + p.digest.count, 0)).toBe(times.length);
    expect(five[0]?.digest.count).toBe(2);
    expect(five[1]?.digest.count).toBe(1);
    expect(five[2]?.digest.count).toBe(0);
    for (const m of minutes) {
      const parts = five.filter((p) => p.digest.start >= m.digest.start && p.digest.end <= m.digest.end);
      expect(m.digest.count).toBe(parts.reduce((n, p) => n + p.digest.count, 0));
      if (!m.partial) expect(m.parts).toHaveLength(12);
    }
    expect(tens).toHaveLength(2);
    expect(tens[0]).toMatchObject({ partial: false, digest: { start: 0, end: 600_000, count: 6 } });
    expect(tens[0]?.parts).toHaveLength(10);
    expect(tens[1]).toMatchObject({ partial: true, digest: { start: 600_000, end: 1_200_000, count: 2 } });
    expect(out.filter((p) => p.partial).map((p) => p.level)).toEqual(["5s", "1m", "10m"]);
    // Emission order: each level closes after the part that completes it.
    const firstMinute = out.findIndex((p) => p.level === "1m");
    expect(out[firstMinute - 1]).toMatchObject({ level: "5s", digest: { end: 60_000 } });
  });

  it("keeps the recent closed buckets for audits and shows the open one", () => {
    const chain = new RollupChain(0, () => undefined);
    chain.add(processed(10, "hi"));
    chain.closeUpTo(200_000);
    expect(chain.recentBuckets()).toHaveLength(25);
    expect(chain.openBucketStart).toBe(200_000);
    expect(chain.openBucket().count).toBe(0);
  });
});
