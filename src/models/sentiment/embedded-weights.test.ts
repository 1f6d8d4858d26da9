import { describe, expect, it } from "vitest";
import { DENSE_COUNT, DENSE_FEATURES } from "./chat-features.js";
import { decodeModel, encodeModel, MODEL_FORMAT } from "./embedded-weights.js";
import { buildWordPriors } from "./word-priors.js";

const features = { hashBits: 10, charMin: 2, charMax: 4, charScale: 1, bigramScale: 0 };
const rows = DENSE_COUNT + (1 << features.hashBits);

function sample() {
  const weights = new Float64Array(rows * 3);
  weights.set([0.5, -0.25, -0.25], 0); // bias
  weights.set([1.5, -1, -0.5], 3 * 1); // emotePos
  // Hashed rows at both ends of the table and far apart (multi-byte varint gaps).
  weights.set([0.3, -0.1, -0.2], (DENSE_COUNT + 0) * 3);
  weights.set([-2, 1, 1], (DENSE_COUNT + 700) * 3);
  weights.set([0.01, 0, -0.01], (rows - 1) * 3);
  const priors = buildWordPriors(new Map([["good", 0.6], ["bad", -0.7]]), new Map([["throw", -0.4]]));
  return { features, temperature: 1.25, priors, weights, training: { note: "test" } };
}

describe("embedded model file", () => {
  it("writes the mockery features only for a model that extracts them, and reads them back", () => {
    const input = sample();
    const f = DENSE_FEATURES.indexOf("laughterAtPerson");
    input.weights.set([-1, 0, 1], f * 3);
    const file = encodeModel({ ...input, features: { ...input.features, mockery: true } });
    expect(file.denseFeatures).toEqual([...DENSE_FEATURES]);
    expect(Array.from(decodeModel(JSON.parse(JSON.stringify(file))).weights.subarray(f * 3, f * 3 + 3))).toEqual([-1, 0, 1]);
    expect(encodeModel(input).denseFeatures).not.toContain("laughterAtPerson");
  });

  it("round-trips weights (int16 precision), priors and metadata", () => {
    const input = sample();
    const file = encodeModel(input);
    expect(file.format).toBe(MODEL_FORMAT);
    expect(file.hashed.slots).toBe(3);
    expect(file.denseFeatures).toEqual(DENSE_FEATURES.filter((n) => n !== "laughterAtPerson" && n !== "laughterAtName")); // the mockery pair only when extracted
    const decoded = decodeModel(JSON.parse(JSON.stringify(file)));
    const step = file.hashed.scale;
    for (let i = 0; i < rows * 3; i++) expect(Math.abs(decoded.weights[i]! - input.weights[i]!)).toBeLessThanOrEqual(i < DENSE_COUNT * 3 ? 1e-6 : step);
    expect(decoded.priors.lexicon[decoded.priors.index.get("bad")!]).toBeCloseTo(-0.7, 6);
    expect(decoded.priors.chat[decoded.priors.index.get("throw")!]).toBeCloseTo(-0.4, 6);
    expect(decoded.training).toEqual({ note: "test" });
    expect(decoded.features).toEqual(features);
    expect(decoded.temperature).toBe(1.25);
  });

  it("stores projected word vectors and decodes them as an identity-weighted block", () => {
    const input = sample();
    const vectors = { dim: 3, index: new Map([["good", 0], ["E:LUL", 1]]), data: Float32Array.from([0.5, -0.1, -0.4, 1, 0, -1]) };
    const file = encodeModel({ ...input, vectors });
    expect(file.vectors?.keys).toEqual(["good", "E:LUL"]);
    const decoded = decodeModel(JSON.parse(JSON.stringify(file)));
    const v = decoded.priors.vectors!;
    expect(v.dim).toBe(3);
    for (let i = 0; i < 6; i++) expect(v.data[i]!).toBeCloseTo(vectors.data[i]!, 4);
    expect(decoded.weights.length).toBe((rows + 3) * 3);
    expect([...decoded.weights.subarray(rows * 3)]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(() => encodeModel({ ...input, vectors: { ...vectors, dim: 2 } })).toThrow(/dimension 3/);
    expect(encodeModel(input).vectors).toBeUndefined();
  });

  it("encodes identically twice (reproducible files)", () => {
    expect(JSON.stringify(encodeModel(sample()))).toBe(JSON.stringify(encodeModel(sample())));
  });

  it("rejects wrong sizes, formats, label orders, feature names and damaged tables", () => {
    const s = sample();
    expect(() => encodeModel({ ...s, weights: new Float64Array(3) })).toThrow(/expected/);
    const file = encodeModel(s);
    expect(() => decodeModel({ ...file, format: "other/1" })).toThrow(/not a/);
    expect(() => decodeModel({ ...file, labels: ["neg", "neu", "pos"] })).toThrow(/label order/);
    expect(() => decodeModel({ ...file, temperature: 0 })).toThrow(/temperature/);
    expect(() => decodeModel({ ...file, denseFeatures: ["nope", ...file.denseFeatures.slice(1)] })).toThrow(/unknown dense feature/);
    expect(() => decodeModel({ ...file, hashed: { ...file.hashed, slots: 4 } })).toThrow(/disagree/);
    expect(() => decodeModel({ ...file, hashed: { ...file.hashed, slotGaps: Buffer.from([1, 0x80]).toString("base64") } })).toThrow(/truncated/);
    expect(() => decodeModel({ ...file, hashed: { ...file.hashed, slotGaps: Buffer.from([1, 0xff, 0x7f, 1]).toString("base64") } })).toThrow(/out of range/);
  });

  it("stores an all-zero table as an empty one", () => {
    const s = sample();
    const weights = new Float64Array(rows * 3);
    const file = encodeModel({ ...s, weights });
    expect(file.hashed.slots).toBe(0);
    expect(decodeModel(file).weights.every((v) => v === 0)).toBe(true);
  });
});
