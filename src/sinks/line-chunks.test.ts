import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineChunks } from "./line-chunks.js";

const joined = (chunks: Buffer[]): string => Buffer.concat(chunks).toString("utf8");

describe("LineChunks", () => {
  it("gives back, in order, every text, byte run and number written since the last take, across full chunks", () => {
    const piece = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }).map((s) => ({ kind: "text" as const, s })),
      fc.string({ maxLength: 120 }).map((s) => ({ kind: "bytes" as const, s })),
      fc.double().map((n) => ({ kind: "number" as const, n })),
      fc.integer({ min: 0, max: 0x7f }).map((c) => ({ kind: "byte" as const, c })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.array(piece, { maxLength: 30 }), { minLength: 1, maxLength: 5 }), (capacity, takes) => {
        const out = new LineChunks(capacity);
        for (const pieces of takes) {
          let expected = "";
          for (const p of pieces) {
            if (p.kind === "text") {
              out.text(p.s);
              expected += p.s;
            } else if (p.kind === "bytes") {
              out.bytes(Buffer.from(p.s, "utf8"));
              expected += p.s;
            } else if (p.kind === "number") {
              out.number(p.n);
              expected += JSON.stringify(p.n);
            } else {
              out.byte(p.c);
              expected += String.fromCharCode(p.c);
            }
          }
          expect(out.length).toBe(Buffer.byteLength(expected, "utf8"));
          // Lone surrogates become U+FFFD in UTF-8 either way.
          expect(joined(out.take())).toBe(Buffer.from(expected, "utf8").toString("utf8"));
          expect(out.length).toBe(0);
          expect(out.take()).toEqual([]);
        }
      }),
    );
  });

  it("never writes into a chunk it has handed out", () => {
    const out = new LineChunks(8);
    out.text("abcdef");
    const [first] = out.take();
    out.text("ghijklmnop");
    out.number(1234567890123);
    out.take();
    expect(first?.toString("utf8")).toBe("abcdef");
  });

  it("writes numbers exactly as JSON.stringify does: integers digit by digit, the rest as text, non-finite as null", () => {
    const out = new LineChunks(16);
    const numbers = [0, -0, 7, -7, 10, 99, 100, 1_700_000_299_999, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 0.02, -1.5e-7, NaN, Infinity, -Infinity];
    for (const n of numbers) {
      out.number(n);
      out.byte(0x2c);
    }
    expect(joined(out.take())).toBe(numbers.map((n) => JSON.stringify(n)).join(",") + ",");
  });

  it("writes hundredths (a rate) digit by digit as JSON.stringify does, at every magnitude, and the rest as text", () => {
    const hundredths = fc.oneof(fc.integer({ min: -100_000, max: 100_000 }), fc.maxSafeInteger(), fc.maxSafeNat().map((k) => -k)).map((k) => k / 100);
    const near = fc.tuple(hundredths, fc.constantFrom(1e-9, -1e-9, 1e-3, 0.005)).map(([n, d]) => n + d);
    fc.assert(
      fc.property(fc.array(fc.oneof(hundredths, near, fc.constantFrom(0.01, -0.01, 0.1, 0.29, 0.07, 1e12 - 0.01, 1e12 + 0.01, -1e12 + 0.5, 5e-324)), { maxLength: 20 }), (numbers) => {
        const out = new LineChunks(32);
        for (const n of numbers) {
          out.number(n);
          out.byte(0x2c);
        }
        expect(joined(out.take())).toBe(numbers.map((n) => `${JSON.stringify(n)},`).join(""));
      }),
    );
  });
});
