import { describe, expect, it } from "vitest";
import { combinedLexicon, loadLexicon } from "./multilingual-lexicons.js";

describe("the hand-written chat tables", () => {
  it("chat-complaints holds Indonesian negativity the chat-slang table lacks, and nothing for German", () => {
    const complaints = loadLexicon("chat-complaints", "id");
    const slang = loadLexicon("chat-slang", "id");
    for (const w of ["lemot", "ngelag", "kecewa", "beban", "garing", "najis"]) {
      expect(complaints(w)!).toBeLessThan(0);
      expect(slang(w)).toBeUndefined();
    }
    expect(complaints("guna")!).toBeGreaterThan(0); // so "ga guna" flips into a negative feature
    expect(complaints("mantap")).toBeUndefined(); // chat-slang's, not repeated
    expect(loadLexicon("chat-complaints", "de")("scheiße")).toBeUndefined();
  });

  it("averages where two tables know a word and keeps every value in -1…1", () => {
    const both = combinedLexicon([loadLexicon("chat-slang", "id"), loadLexicon("chat-complaints", "id")]);
    expect(both("payah")).toBe(loadLexicon("chat-slang", "id")("payah"));
    for (const w of ["kampret", "brengsek", "terbaik", "lag"]) expect(Math.abs(both(w)!)).toBeLessThanOrEqual(1);
  });
});
