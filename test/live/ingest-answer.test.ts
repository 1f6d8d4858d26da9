import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { IngestAnswer, readFrame, scanFrame } from "../../src/sources/live/ingest/ingest-frame.js";
import { IngestSource } from "../../src/sources/live/ingest/ingest-source.js";

describe("ingest answers and frame reading", () => {
  it("every kind of answer matches the documented IngestAnswer schema (docs/asyncapi.yaml)", async () => {
    const documented = new Ajv().compile(IngestAnswer);
    const ingest = new IngestSource({ clock: new VirtualClock(0), capacity: 1, maxFrameBytes: 1024, maxItemsPerFrame: 3 });
    const answers = [
      ingest.push(JSON.stringify({ user: "a", text: "hi" })),
      ingest.push(JSON.stringify({ user: "b", text: "full" })),
      ingest.push("{nope"),
      ingest.push(JSON.stringify([1, 2, 3, 4])),
      ingest.push("x".repeat(2000)),
      ingest.push(`[${"[".repeat(40)}${"]".repeat(40)}]`),
      ingest.pushBinary(),
    ];
    await ingest.stop();
    answers.push(ingest.push("{}"));
    expect(answers.map((a) => (a.ok ? "ok" : a.error))).toEqual(["ok", "queue-full", "invalid", "too-large", "too-large", "invalid", "invalid", "closed"]);
    for (const a of answers) expect(documented(a), JSON.stringify(documented.errors)).toBe(true);
  });

  it("scans a frame's items and depth outside strings, and reads only the items before a too-deep one", () => {
    expect(scanFrame("", 32)).toEqual({ items: 0 });
    expect(scanFrame(" [ ] ", 32)).toEqual({ items: 0 });
    expect(scanFrame('[1, "a,]", {"b": [2, 3]}, null]', 32)).toEqual({ items: 4 });
    expect(scanFrame('"[[[["', 2)).toEqual({ items: 1 });
    expect(scanFrame("[[[1]], [[[2]]], 3]", 2)).toEqual({ items: 3, tooDeep: 1, cut: 6 });
    expect(readFrame("[[[1]], [[[2]]], 3]", scanFrame("[[[1]], [[[2]]], 3]", 2), 2)).toEqual({ items: [[[1]]], total: 3, stop: "item nested deeper than 2 levels" });
    expect(readFrame("{[[[", scanFrame("{[[[", 2), 2)).toEqual({ items: [], total: 1, stop: "item nested deeper than 2 levels" });
    // What comes before the deep item must itself be JSON.
    expect(readFrame("[{oops}, [[[", scanFrame("[{oops}, [[[", 2), 2)).toBeUndefined();
    expect(readFrame("[1,", scanFrame("[1,", 32))).toBeUndefined();
  });
});
