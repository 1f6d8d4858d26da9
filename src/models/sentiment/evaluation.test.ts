import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { confidentlyPolarShare, evaluateModel, measureThroughput, type EvaluationRow } from "./evaluation.js";
import type { SentimentModel } from "./sentiment-model.js";

const emotes = builtinEmoteDictionary();
// Says "pos" (at 0.8) whenever the text contains "good", otherwise "neu" (at 0.6).
const stub: SentimentModel = {
  name: "stub",
  score: (text) => (text.includes("good") ? { pos: 0.8, neu: 0.1, neg: 0.1 } : { pos: 0.2, neu: 0.6, neg: 0.2 }),
};
const rows: EvaluationRow[] = [
  { id: "1", stream: "a", text: "good", label: "pos" },
  { id: "2", stream: "a", text: "fine", label: "neu" },
  { id: "3", stream: "b", text: "bad", label: "neg" },
  { id: "4", stream: "b", text: "good stuff", label: "pos" },
];
const tokens = rows.map((r) => tokenize(r.text, emotes));

describe("evaluateModel", () => {
  it("reports the classification metrics, calibration and per-stream scores", () => {
    const e = evaluateModel(stub, rows, tokens);
    expect(e.model).toBe("stub");
    expect(e.accuracy).toBe(0.75);
    expect(e.confusion.neg).toEqual({ pos: 0, neu: 1, neg: 0 });
    expect(e.predictions).toEqual([
      { id: "1", label: "pos" },
      { id: "2", label: "neu" },
      { id: "3", label: "neu" },
      { id: "4", label: "pos" },
    ]);
    expect(e.perStream.a).toEqual({ items: 2, macroF1: 2 / 3 });
    expect(e.perStream.b!.items).toBe(2);
    // Two rows at 0.8, both right (gap 0.2); two at 0.6, one right (gap 0.1).
    expect(e.ece).toBeCloseTo(0.5 * 0.2 + 0.5 * 0.1, 12);
  });
});

describe("throughput and polar share", () => {
  it("measures a positive rate and counts confident polar scores", () => {
    expect(measureThroughput(stub, rows.map((r) => r.text), tokens, 5)).toBeGreaterThan(0);
    expect(confidentlyPolarShare(stub, rows.map((r) => r.text), tokens)).toBe(0.5);
    expect(confidentlyPolarShare(stub, [], [])).toBe(0);
    const nan: SentimentModel = { name: "nan", score: () => ({ pos: NaN, neu: NaN, neg: NaN }) };
    expect(() => measureThroughput(nan, ["x"], [tokens[0]!], 1)).toThrow(/NaN/);
  });
});
