import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Rollup } from "../schema/output-schema.js";
import { HISTORY_BLOCK, RollupHistory, ServerSink } from "./server-sink.js";

const rollup = (i: number): Rollup => ({
  type: "rollup",
  channel: "c",
  level: "5s",
  t: (i + 1) * 5000,
  start: i * 5000,
  end: (i + 1) * 5000,
  count: i,
  scored: i,
  sentiment: { pos: 0.5, neu: 0.25, neg: 0.25, net: 25 },
  mood: null,
  confidence: 0.5,
  headline: `line ${i} \u202e`,
  headlineSince: i * 5000,
  topics: [],
  clusters: [],
  top: [{ text: `t${i}`, count: i }],
});

describe("RollupHistory", () => {
  it("keeps exactly the newest `capacity` records, across sealed blocks, and answers since/limit like a filter of them", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 * HISTORY_BLOCK }), fc.integer({ min: 0, max: 5 * HISTORY_BLOCK }), fc.integer({ min: -1, max: 400 }), fc.integer({ min: 1, max: 400 }), (capacity, pushed, sinceIndex, limit) => {
        const h = new RollupHistory(capacity);
        const all = Array.from({ length: pushed }, (_, i) => rollup(i));
        for (const r of all) h.push(r);
        const kept = all.slice(Math.max(0, pushed - capacity));
        expect(h.length).toBe(kept.length);
        const since = sinceIndex < 0 ? -Infinity : sinceIndex * 5000;
        const expected = kept.filter((r) => r.t > since);
        expect(h.newest(since, limit)).toEqual(expected.slice(Math.max(0, expected.length - limit)));
      }),
      { numRuns: 60 },
    );
  });

  it("serves the server sink's history, roll-ups as they were written", () => {
    const sink = new ServerSink({ "5s": 100, "1m": 10, "10m": 10 });
    for (let i = 0; i < 250; i++) sink.write(rollup(i));
    const got = sink.history("c", "5s", -Infinity, 1000);
    expect(got).toHaveLength(100);
    expect(got[0]).toEqual(rollup(150));
    expect(got.at(-1)).toEqual(rollup(249));
    expect(sink.history("c", "1m")).toEqual([]);
    expect(sink.history("other", "5s")).toEqual([]);
  });
});
