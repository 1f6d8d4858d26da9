import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCount } from "./count-format.js";

describe("formatCount", () => {
  it("writes whole numbers as toLocaleString('en-US') does", () => {
    expect([0, 7, 999, 1000, 93624, 1_000_000, -1234].map(formatCount)).toEqual(["0", "7", "999", "1,000", "93,624", "1,000,000", "-1,234"]);
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => formatCount(n) === n.toLocaleString("en-US")));
  });

  it("leaves what is not a safe integer to String", () => {
    expect(formatCount(1.5)).toBe("1.5");
    expect(formatCount(Infinity)).toBe("Infinity");
  });
});
