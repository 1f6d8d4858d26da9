/**
 * Small dense logistic models fitted by Newton's method: exact, deterministic and fast for a handful of features
 * and a few hundred rows (the window mood model and the confidence calibration). No random start, no learning rate.
 */

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** P(y = 1 | x) under binary logistic weights (x[0] is the bias input, 1). */
export function predictLogistic(weights: readonly number[], x: readonly number[]): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) z += (weights[i] ?? 0) * (x[i] as number);
  return sigmoid(z);
}

/** L2-regularised binary logistic regression (iteratively reweighted least squares); the bias (x[0]) is not penalised. */
export function fitLogistic(xs: readonly (readonly number[])[], ys: readonly number[], l2 = 0.1, iterations = 50): number[] {
  const dims = xs[0]?.length ?? 0;
  let w = new Array<number>(dims).fill(0);
  for (let it = 0; it < iterations; it++) {
    const hessian = Array.from({ length: dims }, (_, j) => Array.from({ length: dims }, (_, k) => (j === k && j > 0 ? l2 : 0)));
    const gradient = w.map((v, j) => (j > 0 ? l2 * v : 0));
    xs.forEach((x, i) => {
      const p = predictLogistic(w, x);
      const weight = p * (1 - p);
      for (let j = 0; j < dims; j++) {
        gradient[j] = (gradient[j] as number) + (p - (ys[i] as number)) * (x[j] as number);
        const row = hessian[j] as number[];
        for (let k = 0; k < dims; k++) row[k] = (row[k] as number) + weight * (x[j] as number) * (x[k] as number);
      }
    });
    const step = solve(hessian, gradient);
    w = w.map((v, j) => v - (step[j] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return w;
}

/** Class probabilities under softmax weights (one row per class, x[0] the bias input). */
export function predictSoftmax(weights: readonly (readonly number[])[], x: readonly number[]): number[] {
  const z = weights.map((row) => {
    let s = 0;
    for (let j = 0; j < x.length; j++) s += (row[j] ?? 0) * (x[j] as number);
    return s;
  });
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

export interface SoftmaxFitOptions {
  /** L2 strength on the weighted mean loss; the biases (x[0]) get only a tiny ridge that keeps the Hessian invertible. */
  l2: number;
  /** Per-row weights (class balancing); 1 each by default. */
  rowWeights?: readonly number[];
  iterations?: number;
}

/**
 * L2-regularised multinomial logistic regression by Newton's method with step halving. The loss is the weighted mean
 * cross-entropy, so `l2` means the same whatever the number of rows.
 */
export function fitSoftmax(xs: readonly (readonly number[])[], ys: readonly number[], classes: number, options: SoftmaxFitOptions): number[][] {
  const dims = xs[0]?.length ?? 0;
  const n = xs.length;
  const rowWeights = options.rowWeights ?? new Array<number>(n).fill(1);
  const total = rowWeights.reduce((a, b) => a + b, 0) || 1;
  const size = classes * dims;
  const penalty = (j: number): number => (j === 0 ? 1e-8 : options.l2);
  const at = (c: number, j: number): number => c * dims + j;
  let w = new Array<number>(size).fill(0);
  const loss = (v: readonly number[]): number => {
    let sum = 0;
    const rows = Array.from({ length: classes }, (_, c) => v.slice(c * dims, (c + 1) * dims));
    for (let i = 0; i < n; i++) sum += ((rowWeights[i] as number) / total) * -Math.log(Math.max(1e-300, predictSoftmax(rows, xs[i] as number[])[ys[i] as number] as number));
    for (let c = 0; c < classes; c++) for (let j = 0; j < dims; j++) sum += 0.5 * penalty(j) * (v[at(c, j)] as number) ** 2;
    return sum;
  };
  let current = loss(w);
  for (let it = 0; it < (options.iterations ?? 100); it++) {
    const rows = Array.from({ length: classes }, (_, c) => w.slice(c * dims, (c + 1) * dims));
    const gradient = new Array<number>(size).fill(0);
    const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    for (let c = 0; c < classes; c++)
      for (let j = 0; j < dims; j++) {
        gradient[at(c, j)] = penalty(j) * (w[at(c, j)] as number);
        (hessian[at(c, j)] as number[])[at(c, j)] = penalty(j);
      }
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number[];
      const p = predictSoftmax(rows, x);
      const rw = (rowWeights[i] as number) / total;
      for (let c = 0; c < classes; c++) {
        const pc = p[c] as number;
        const residual = rw * (pc - (ys[i] === c ? 1 : 0));
        for (let j = 0; j < dims; j++) gradient[at(c, j)] = (gradient[at(c, j)] as number) + residual * (x[j] as number);
        for (let c2 = 0; c2 < classes; c2++) {
          const h = rw * pc * ((c === c2 ? 1 : 0) - (p[c2] as number));
          if (h === 0) continue;
          for (let j = 0; j < dims; j++) {
            const row = hessian[at(c, j)] as number[];
            const hx = h * (x[j] as number);
            for (let k = 0; k < dims; k++) row[at(c2, k)] = (row[at(c2, k)] as number) + hx * (x[k] as number);
          }
        }
      }
    }
    const step = solve(hessian, gradient);
    let scale = 1;
    let next = w.map((v, k) => v - (step[k] as number));
    let nextLoss = loss(next);
    while (nextLoss > current && scale > 1e-4) {
      scale /= 2;
      next = w.map((v, k) => v - scale * (step[k] as number));
      nextLoss = loss(next);
    }
    if (nextLoss > current) break;
    w = next;
    const decrease = current - nextLoss;
    current = nextLoss;
    if (decrease < 1e-12) break;
  }
  return Array.from({ length: classes }, (_, c) => w.slice(c * dims, (c + 1) * dims));
}

/** Solves a·x = b by Gaussian elimination with partial pivoting (a is small and positive definite here). */
export function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[pivot] as number[])[c] as number)) pivot = r;
    [m[c], m[pivot]] = [m[pivot] as number[], m[c] as number[]];
    const pr = m[c] as number[];
    const pv = pr[c] as number;
    if (Math.abs(pv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = m[r] as number[];
      const f = (row[c] as number) / pv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) row[k] = (row[k] as number) - f * (pr[k] as number);
    }
  }
  return m.map((row, i) => {
    const d = row[i] as number;
    return Math.abs(d) < 1e-12 ? 0 : (row[n] as number) / d;
  });
}
