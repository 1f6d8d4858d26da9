import { describe, expect, it } from "vitest";
import { isLineFault, LineSplitter, MAX_LINE_BYTES, type LineFault } from "./line-splitter.js";

function split(chunks: (string | Buffer)[]): (string | LineFault)[] {
  const splitter = new LineSplitter();
  const out = chunks.flatMap((chunk) => splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
  return [...out, ...splitter.end()];
}

describe("LineSplitter", () => {
  it("splits lines across chunk boundaries and keeps a last line without newline", () => {
    expect(split(["ab", "c\nde", "f\n", "gh"])).toEqual(["abc", "def", "gh"]);
    expect(split(["one\ntwo\n"])).toEqual(["one", "two"]);
    expect(split(["x", "", "y"])).toEqual(["xy"]);
  });

  it("strips CR before LF and a leading BOM, keeping blank lines", () => {
    expect(split(["\uFEFFa\r\n\r\nb\r", "\n"])).toEqual(["a", "", "b"]);
    expect(split([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf, 0x41, 0x0a])])).toEqual(["A"]);
  });

  it("keeps multi-byte characters split across chunks", () => {
    const bytes = Buffer.from("héllo 😂\nnext\n");
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 8), bytes.subarray(8)])).toEqual(["héllo 😂", "next"]);
  });

  it("rejects only the lines with invalid UTF-8", () => {
    const bad = Buffer.concat([Buffer.from("good\nba"), Buffer.from([0xff, 0xfe]), Buffer.from("d\nfine\n")]);
    const lines = split([bad]);
    expect(lines).toEqual(["good", { fault: "invalid-utf8" }, "fine"]);
    expect(isLineFault(lines[1]!)).toBe(true);
    expect(split([Buffer.from([0x61, 0xc3]), Buffer.from("\n")])).toEqual([{ fault: "invalid-utf8" }]);
    expect(split([Buffer.from([0xc3])])).toEqual([{ fault: "invalid-utf8" }]);
  });

  it("drops a line longer than the limit instead of buffering it", () => {
    const big = Buffer.alloc(MAX_LINE_BYTES / 2, 0x61);
    expect(split([big, big, big, Buffer.from("tail\nnext\n")])).toEqual([{ fault: "too-long" }, "next"]);
    expect(split([big, big, big])).toEqual([{ fault: "too-long" }]);
  });
});
