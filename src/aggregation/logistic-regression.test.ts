import { describe, expect, it } from "vitest";
import { fitLogistic, fitSoftmax, predictLogistic, predictSoftmax, solve } from "./logistic-regression.js";

describe("logistic regression", () => {
  it("fits a binary relation it was generated from", () => {
    // y = 1 with probability sigmoid(-1 + 3x): the fit recovers the slope's sign and rough size.
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 400; i++) {
      const x = (i % 100) / 100;
      xs.push([1, x]);
      ys.push((i * 7919) % 100 < 100 / (1 + Math.exp(1 - 3 * x)) ? 1 : 0);
    }
    const w = fitLogistic(xs, ys, 0);
    expect(w[1]).toBeGreaterThan(1.5);
    expect(w[1]).toBeLessThan(4.5);
    expect(predictLogistic(w, [1, 0.9])).toBeGreaterThan(predictLogistic(w, [1, 0.1]));
  });

  it("fits a three-class softmax that puts each region of the line in its class, deterministically", () => {
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 300; i++) {
      const x = (i % 100) / 100;
      xs.push([1, x, x * x]);
      // Class by region, with one in ten labels flipped to the next class so the classes overlap.
      const c = x < 0.33 ? 0 : x < 0.66 ? 1 : 2;
      ys.push(i % 10 === 0 ? (c + 1) % 3 : c);
    }
    const w = fitSoftmax(xs, ys, 3, { l2: 0.001 });
    const argmax = (x: number) => {
      const p = predictSoftmax(w, [1, x, x * x]);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      return p.indexOf(Math.max(...p));
    };
    expect([argmax(0.1), argmax(0.5), argmax(0.9)]).toEqual([0, 1, 2]);
    expect(fitSoftmax(xs, ys, 3, { l2: 0.001 })).toEqual(w);
    // Row weights count: weighting class 1 heavily widens its region.
    const heavy = fitSoftmax(xs, ys, 3, { l2: 0.001, rowWeights: ys.map((y) => (y === 1 ? 20 : 1)) });
    const p = predictSoftmax(heavy, [1, 0.3, 0.09]);
    expect(p.indexOf(Math.max(...p))).toBe(1);
  });

  it("solves a small linear system", () => {
    expect(solve([[2, 1], [1, 3]], [3, 5]).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0.8, 1.4]);
  });
});
