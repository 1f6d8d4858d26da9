import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundedToken, decodeToken, encodeToken, MAX_TOKEN_LENGTH } from "./subject-token.js";

describe("subject tokens for hostile channel names", () => {
  it("[#18] keeps plain names as they are and escapes subject and key syntax", () => {
    expect(encodeToken("xqc_Live-2")).toBe("xqc_Live-2");
    expect(encodeToken("a.b")).toBe("a=2Eb");
    expect(encodeToken("*")).toBe("=2A");
    expect(encodeToken(">")).toBe("=3E");
    expect(encodeToken("x y")).toBe("x=20y");
    expect(encodeToken("频")).toBe("=u9891");
    expect(encodeToken("")).toBe("=");
    expect(decodeToken("=")).toBe("");
  });

  it("[#18.prop] every string round-trips through a token of safe characters only", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (name) => {
        const token = encodeToken(name);
        expect(token).toMatch(/^[A-Za-z0-9_=-]+$/);
        expect(decodeToken(token)).toBe(name);
      }),
    );
  });

  it("[#18.prop] decoding is canonical: a string it accepts is the encoding of what it returns", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "Z", "0", "=", "u", "4", "1", "F", "e", ".", "*"), maxLength: 16 }), (token) => {
        const name = decodeToken(token);
        if (name !== undefined) expect(encodeToken(name)).toBe(token);
      }),
    );
  });

  it("[#18] refuses tokens it would not write: escaped safe characters, lower-case or short hex, subject syntax", () => {
    for (const bad of ["=41", "=u0041", "=u00e9", "=2e", "=2", "=u98", "a.b", "a*", "", "=zz", "a=", "=u00E9"]) expect(decodeToken(bad), bad).toBeUndefined();
  });

  it("[#18] a name whose token would be too long for a subject is refused", () => {
    expect(boundedToken("a".repeat(MAX_TOKEN_LENGTH))).toBe("a".repeat(MAX_TOKEN_LENGTH));
    expect(boundedToken("a".repeat(MAX_TOKEN_LENGTH + 1))).toBeUndefined();
    expect(boundedToken(".".repeat(100))).toBeUndefined();
  });
});
