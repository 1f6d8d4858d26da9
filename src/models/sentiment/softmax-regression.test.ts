import { describe, expect, it } from "vitest";
import { rowLogits, softmaxInPlace, SparseDatasetBuilder, trainSoftmaxRegression } from "./softmax-regression.js";

// Three classes, each announced by its own feature (1, 2, 3); feature 0 is a bias; feature 4 is noise on every row.
function toyData(withNoise = true) {
  const b = new SparseDatasetBuilder(3);
  for (let i = 0; i < 30; i++) {
    const c = i % 3;
    const ids = withNoise ? [0, 1 + c, 4] : [0, 1 + c];
    const values = withNoise ? [1, 1, (i % 5) / 5] : [1, 1];
    b.add(ids, values, ids.length, [0, 1, 2].map((k) => (k === c ? 1 : 0)));
  }
  return b;
}

describe("SparseDatasetBuilder", () => {
  it("stores rows in CSR form and grows past its initial capacity", () => {
    const b = new SparseDatasetBuilder(3);
    const ids = Array.from({ length: 50_000 }, (_, i) => i);
    b.add(ids, ids.map(() => 0.5), ids.length, [1, 0, 0], 2);
    b.add(ids, ids.map(() => 1), ids.length, [0, 0, 1]);
    const d = b.build();
    expect(b.rows).toBe(2);
    expect(Array.from(d.rowStart)).toEqual([0, 50_000, 100_000]);
    expect(d.values[50_000]).toBe(1);
    expect(Array.from(d.weights)).toEqual([2, 1]);
    expect(Array.from(d.targets)).toEqual([1, 0, 0, 0, 0, 1]);
  });
});

describe("softmax helpers", () => {
  it("normalises and returns the log normaliser", () => {
    const z = new Float64Array([1, 2, 3]);
    const logNorm = softmaxInPlace(z);
    expect(z[0]! + z[1]! + z[2]!).toBeCloseTo(1, 12);
    expect(logNorm).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 12);
  });
});

describe("trainSoftmaxRegression", () => {
  it("learns a separable problem", () => {
    const data = toyData().build();
    const { weights, loss } = trainSoftmaxRegression(data, { dimension: 5, l2: 1e-3, l2Scale: (f) => (f === 0 ? 0 : 1) });
    const z = new Float64Array(3);
    for (let r = 0; r < data.rows; r++) {
      rowLogits(data, weights, r, z);
      softmaxInPlace(z);
      expect(z[r % 3]!).toBeGreaterThan(0.9);
    }
    expect(loss).toBeLessThan(0.2);
  });

  it("is deterministic and leaves unused features at zero", () => {
    const data = toyData().build();
    const a = trainSoftmaxRegression(data, { dimension: 8, l2: 1e-2 });
    const b = trainSoftmaxRegression(data, { dimension: 8, l2: 1e-2 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.weights.slice(5 * 3))).toEqual(new Array(9).fill(0));
  });

  it("shrinks weights harder as L2 grows, and keeps each feature's weights summing to zero", () => {
    const data = toyData(false).build();
    const norm = (l2: number) => {
      const w = trainSoftmaxRegression(data, { dimension: 4, l2 }).weights;
      for (let f = 0; f < 4; f++) expect(w[f * 3]! + w[f * 3 + 1]! + w[f * 3 + 2]!).toBeCloseTo(0, 8);
      return Math.hypot(...w);
    };
    expect(norm(1)).toBeLessThan(norm(0.01));
  });

  it("fits soft targets and row weights", () => {
    const b = new SparseDatasetBuilder(3);
    b.add([0], [1], 1, [0.6, 0.3, 0.1]);
    const { weights } = trainSoftmaxRegression(b.build(), { dimension: 1, l2: 0, l2Scale: () => 0, maxIterations: 500, tolerance: 1e-14 });
    const z = new Float64Array(weights.slice(0, 3));
    softmaxInPlace(z);
    expect(z[0]).toBeCloseTo(0.6, 4);
    expect(z[2]).toBeCloseTo(0.1, 4);
  });

  it("continues from initial weights", () => {
    const data = toyData().build();
    const first = trainSoftmaxRegression(data, { dimension: 5, l2: 1e-2 });
    const again = trainSoftmaxRegression(data, { dimension: 5, l2: 1e-2, initial: first.weights });
    expect(again.iterations).toBeLessThan(first.iterations);
    expect(again.loss).toBeLessThanOrEqual(first.loss + 1e-9);
  });
});
