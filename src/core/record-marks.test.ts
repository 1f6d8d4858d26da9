import { describe, expect, it } from "vitest";
import { hasReusedParts, markReusedParts, stableFieldsOf } from "./record-marks.js";

describe("record marks", () => {
  it("are read back from the record they were put on", () => {
    const token = {};
    const a = { type: "snapshot", t: 1 };
    const b = { type: "rollup", t: 2 };
    markReusedParts(a, token);
    markReusedParts(b);
    expect([hasReusedParts(a), stableFieldsOf(a)]).toEqual([true, token]);
    expect([hasReusedParts(b), stableFieldsOf(b)]).toEqual([true, undefined]);
    expect([hasReusedParts({ t: 3 }), stableFieldsOf({ t: 3 })]).toEqual([false, undefined]);
  });

  it("are invisible to JSON, keys, symbols and equality, and a copy does not carry them", () => {
    const token = {};
    const record = { type: "snapshot", t: 1, window: { start: 0, end: 1 } };
    markReusedParts(record, token);
    expect(JSON.stringify(record)).toBe('{"type":"snapshot","t":1,"window":{"start":0,"end":1}}');
    expect(Reflect.ownKeys(record)).toEqual(["type", "t", "window"]);
    expect(record).toStrictEqual({ type: "snapshot", t: 1, window: { start: 0, end: 1 } });
    const copy = { ...record, t: 2 };
    expect(hasReusedParts(copy)).toBe(false);
    expect(hasReusedParts(structuredClone(record))).toBe(false);
  });

  it("are put on a record once", () => {
    const record = {};
    markReusedParts(record);
    expect(() => markReusedParts(record, {})).toThrow(/marked once/);
  });
});
