import { describe, expect, it } from "vitest";
import { JsonDocumentReader, type DocumentEvent, type DocumentShape } from "./json-document.js";

function read(shape: DocumentShape, pieces: string[]): DocumentEvent[] {
  const reader = new JsonDocumentReader(shape);
  return [...pieces.flatMap((piece) => reader.push(piece)), ...reader.end()];
}

describe("JsonDocumentReader", () => {
  it("yields the elements of a top-level array, fed in any pieces", () => {
    const text = '[{"a": 1, "b": [1, 2]}, {"a": "two"}, 3, "four", true, null]';
    const expected = [
      { type: "record", value: { a: 1, b: [1, 2] } },
      { type: "record", value: { a: "two" } },
      { type: "record", value: 3 },
      { type: "record", value: "four" },
      { type: "record", value: true },
      { type: "record", value: null },
    ];
    expect(read("array", [text])).toEqual(expected);
    expect(read("array", text.split(""))).toEqual(expected);
  });

  it("treats a lone object as one record in array shape", () => {
    expect(read("array", ['{"message": "hi"}'])).toEqual([{ type: "record", value: { message: "hi" } }]);
  });

  it("yields comments and channel metadata, skipping everything else", () => {
    const doc = {
      FileInfo: { Version: { Major: 1 } },
      streamer: { name: "Someone", id: 1 },
      video: { title: "t", chapters: [{ a: 1 }] },
      comments: [{ _id: "1" }, { _id: "2" }],
      embeddedData: { thirdParty: [{ data: "AAAA" }], firstParty: [] },
    };
    expect(read("comments", [JSON.stringify(doc, null, 2)])).toEqual([
      { type: "meta", key: "streamer", value: { name: "Someone", id: 1 } },
      { type: "meta", key: "video", value: { title: "t", chapters: [{ a: 1 }] } },
      { type: "record", value: { _id: "1" } },
      { type: "record", value: { _id: "2" } },
    ]);
  });

  it("accepts a bare array of comments and reports a document with no comments array", () => {
    expect(read("comments", ['[{"_id": "1"}]'])).toEqual([{ type: "record", value: { _id: "1" } }]);
    expect(read("comments", ['{"comments": {"x": 1}, "streamer": "flat"}'])).toEqual([
      { type: "error", reason: 'no "comments" array: not a Twitch VOD chat dump' },
    ]);
    expect(read("comments", ['{"comments": []}'])).toEqual([]);
  });

  it("[#14.15] reads a document that is one comment, and comments one after another, as records", () => {
    const comment = { _id: "c1", content_offset_seconds: 1.5, commenter: { name: "a" }, message: { body: "hi" } };
    const pretty = JSON.stringify(comment, null, 2);
    expect(read("comments", [pretty])).toEqual([{ type: "record", value: comment }]);
    expect(read("comments", pretty.split(""))).toEqual([{ type: "record", value: comment }]);
    const second = { ...comment, _id: "c2" };
    expect(read("comments", [`${JSON.stringify(comment)}\n${JSON.stringify(second)}\n`])).toEqual([
      { type: "record", value: comment },
      { type: "record", value: second },
    ]);
    expect(read("comments", ['{"t": 1, "text": "a"}\n{"t": 2, "text": "b"}\n'])).toEqual([
      { type: "error", reason: 'no "comments" array: not a Twitch VOD chat dump' },
    ]);
  });

  it("reports a truncated document after the records it could read", () => {
    const events = read("comments", ['{"comments": [{"_id": "1"}, {"_id": "2", "mess']);
    expect(events[0]).toEqual({ type: "record", value: { _id: "1" } });
    expect(events[1]).toMatchObject({ type: "error", reason: expect.stringContaining("truncated") });
    expect(events).toHaveLength(2);
  });

  it("reports syntax errors once and then stops", () => {
    const reader = new JsonDocumentReader("array");
    const records = Array.from({ length: 100 }, (_, i) => `{"n": ${i}}`).join(", ");
    // Text after the error ("]") changes nothing; the error is reported once, by the time the input ends.
    const events = [...reader.push(`[${records}, }`), ...reader.push("]"), ...reader.end()];
    expect(events.slice(0, 2)).toEqual([
      { type: "record", value: { n: 0 } },
      { type: "record", value: { n: 1 } },
    ]);
    expect(events.filter((e) => e.type === "error")).toEqual([{ type: "error", reason: expect.stringContaining("invalid JSON") }]);
    expect(reader.push("]")).toEqual([]);
    expect(reader.end()).toEqual([]);
  });

  it("reports a document that is a bare value", () => {
    expect(read("array", ["42 "])).toEqual([{ type: "error", reason: "expected a JSON array or object" }]);
  });

  it("reports a document that closes its structure but is cut inside a record", () => {
    const reader = new JsonDocumentReader("array");
    reader.push('[{"a": [1, 2');
    expect(reader.end()).toEqual([{ type: "error", reason: expect.stringContaining("truncated") }]);
  });
});
