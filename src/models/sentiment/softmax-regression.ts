/**
 * Multinomial logistic regression over sparse features, trained full-batch with L-BFGS. Full-batch and a fixed
 * iteration order make training deterministic: the same data gives the same weights bit for bit on one Node
 * version, with no random seed involved at all.
 *
 * Weight layout: `weights[feature * classes + class]`.
 */

export interface SparseDataset {
  readonly rows: number;
  readonly classes: number;
  /** Row r owns entries rowStart[r] … rowStart[r + 1] − 1. */
  readonly rowStart: Int32Array;
  readonly ids: Int32Array;
  readonly values: Float32Array;
  /** rows × classes target distribution (one-hot for gold labels, soft for pseudo-labels). */
  readonly targets: Float32Array;
  /** Per-row weight. */
  readonly weights: Float32Array;
  /** rows × classes fixed logit offsets (not learned), or undefined for none. */
  readonly offsets?: Float32Array;
}

export class SparseDatasetBuilder {
  private readonly rowStart: number[] = [0];
  private ids: Int32Array = new Int32Array(1 << 16);
  private values: Float32Array = new Float32Array(1 << 16);
  private size = 0;
  private readonly targets: number[] = [];
  private readonly weights: number[] = [];
  private readonly offsets: number[] = [];
  private hasOffsets = false;

  constructor(readonly classes: number) {}

  get rows(): number {
    return this.weights.length;
  }

  /** Adds a row; `offset` (one per class) is added to its logits as is, never learned. */
  add(ids: ArrayLike<number>, values: ArrayLike<number>, count: number, target: ArrayLike<number>, weight = 1, offset?: ArrayLike<number>): void {
    if (this.size + count > this.ids.length) {
      let capacity = this.ids.length * 2;
      while (capacity < this.size + count) capacity *= 2;
      const ni = new Int32Array(capacity);
      ni.set(this.ids.subarray(0, this.size));
      const nv = new Float32Array(capacity);
      nv.set(this.values.subarray(0, this.size));
      this.ids = ni;
      this.values = nv;
    }
    for (let i = 0; i < count; i++) {
      this.ids[this.size] = ids[i]!;
      this.values[this.size++] = values[i]!;
    }
    this.rowStart.push(this.size);
    for (let c = 0; c < this.classes; c++) {
      this.targets.push(target[c]!);
      const o = offset?.[c] ?? 0;
      if (o !== 0) this.hasOffsets = true;
      this.offsets.push(o);
    }
    this.weights.push(weight);
  }

  /** Copies row `r` of a built dataset (features, target, offsets) with a new weight. */
  addRowOf(data: SparseDataset, r: number, weight: number): void {
    const start = data.rowStart[r]!;
    const end = data.rowStart[r + 1]!;
    const k = data.classes;
    this.add(data.ids.subarray(start, end), data.values.subarray(start, end), end - start, data.targets.subarray(r * k, r * k + k), weight, data.offsets?.subarray(r * k, r * k + k));
  }

  build(): SparseDataset {
    return {
      rows: this.weights.length,
      classes: this.classes,
      rowStart: Int32Array.from(this.rowStart),
      ids: this.ids.slice(0, this.size),
      values: this.values.slice(0, this.size),
      targets: Float32Array.from(this.targets),
      weights: Float32Array.from(this.weights),
      offsets: this.hasOffsets ? Float32Array.from(this.offsets) : undefined,
    };
  }
}

export interface TrainOptions {
  /** Feature-space size. */
  dimension: number;
  /** L2 strength (on the mean loss). */
  l2: number;
  /** Per-feature multiplier of the L2 strength (e.g. 0 for the bias); default 1. */
  l2Scale?: (feature: number) => number;
  maxIterations?: number;
  /** L-BFGS memory. */
  history?: number;
  /** Stop when the relative decrease of the objective over one iteration falls below this. */
  tolerance?: number;
  /** Start from these weights instead of zeros. */
  initial?: Float64Array;
}

export interface TrainResult {
  weights: Float64Array;
  iterations: number;
  loss: number;
}

/** Logits of one row (length `classes`, offsets included) into `out`. */
export function rowLogits(data: SparseDataset, weights: ArrayLike<number>, row: number, out: Float64Array): void {
  const k = data.classes;
  if (data.offsets) for (let c = 0; c < k; c++) out[c] = data.offsets[row * k + c]!;
  else out.fill(0);
  for (let j = data.rowStart[row]!; j < data.rowStart[row + 1]!; j++) {
    const base = data.ids[j]! * k;
    const v = data.values[j]!;
    for (let c = 0; c < k; c++) out[c]! += v * weights[base + c]!;
  }
}

/** In-place softmax; returns log of the normaliser (for log-probabilities). */
export function softmaxInPlace(z: Float64Array | Float32Array, length = z.length): number {
  let max = -Infinity;
  for (let c = 0; c < length; c++) if (z[c]! > max) max = z[c]!;
  let sum = 0;
  for (let c = 0; c < length; c++) {
    const e = Math.exp(z[c]! - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < length; c++) z[c]! /= sum;
  return max + Math.log(sum);
}

function objective(data: SparseDataset, w: Float64Array, grad: Float64Array, l2: number, scale: Float32Array): number {
  if (data.classes === 3) return objective3(data, w, grad, l2, scale);
  const k = data.classes;
  grad.fill(0);
  let totalWeight = 0;
  for (let r = 0; r < data.rows; r++) totalWeight += data.weights[r]!;
  const z = new Float64Array(k);
  let loss = 0;
  for (let r = 0; r < data.rows; r++) {
    const rw = data.weights[r]! / totalWeight;
    if (rw === 0) continue;
    rowLogits(data, w, r, z);
    // Cross-entropy = Σy·logNorm − Σ y·logit, logit = offset + x·w.
    let dot = 0;
    let ysum = 0;
    for (let c = 0; c < k; c++) {
      dot += z[c]! * data.targets[r * k + c]!;
      ysum += data.targets[r * k + c]!;
    }
    const logNorm = softmaxInPlace(z);
    loss += rw * (ysum * logNorm - dot);
    for (let c = 0; c < k; c++) z[c] = rw * (ysum * z[c]! - data.targets[r * k + c]!);
    for (let j = data.rowStart[r]!; j < data.rowStart[r + 1]!; j++) {
      const base = data.ids[j]! * k;
      const v = data.values[j]!;
      for (let c = 0; c < k; c++) grad[base + c]! += v * z[c]!;
    }
  }
  return loss + l2Penalty(w, grad, l2, scale, k);
}

/**
 * The same objective for three classes, unrolled: training time is almost all spent here (each L-BFGS step evaluates
 * it at least once over every non-zero feature of every row), and the unrolled form runs about twice as fast.
 */
function objective3(data: SparseDataset, w: Float64Array, grad: Float64Array, l2: number, scale: Float32Array): number {
  grad.fill(0);
  const { rowStart, ids, values, targets, weights, offsets } = data;
  let totalWeight = 0;
  for (let r = 0; r < data.rows; r++) totalWeight += weights[r]!;
  let loss = 0;
  for (let r = 0; r < data.rows; r++) {
    const rw = weights[r]! / totalWeight;
    if (rw === 0) continue;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    if (offsets) {
      z0 = offsets[r * 3]!;
      z1 = offsets[r * 3 + 1]!;
      z2 = offsets[r * 3 + 2]!;
    }
    const start = rowStart[r]!;
    const end = rowStart[r + 1]!;
    for (let j = start; j < end; j++) {
      const base = ids[j]! * 3;
      const v = values[j]!;
      z0 += v * w[base]!;
      z1 += v * w[base + 1]!;
      z2 += v * w[base + 2]!;
    }
    const y0 = targets[r * 3]!;
    const y1 = targets[r * 3 + 1]!;
    const y2 = targets[r * 3 + 2]!;
    const ysum = y0 + y1 + y2;
    const max = z0 > z1 ? (z0 > z2 ? z0 : z2) : z1 > z2 ? z1 : z2;
    const e0 = Math.exp(z0 - max);
    const e1 = Math.exp(z1 - max);
    const e2 = Math.exp(z2 - max);
    const sum = e0 + e1 + e2;
    loss += rw * (ysum * (max + Math.log(sum)) - (y0 * z0 + y1 * z1 + y2 * z2));
    const g0 = rw * ((ysum * e0) / sum - y0);
    const g1 = rw * ((ysum * e1) / sum - y1);
    const g2 = rw * ((ysum * e2) / sum - y2);
    for (let j = start; j < end; j++) {
      const base = ids[j]! * 3;
      const v = values[j]!;
      grad[base]! += v * g0;
      grad[base + 1]! += v * g1;
      grad[base + 2]! += v * g2;
    }
  }
  return loss + l2Penalty(w, grad, l2, scale, 3);
}

/** Adds the L2 gradient into `grad` and returns the penalty. */
function l2Penalty(w: Float64Array, grad: Float64Array, l2: number, scale: Float32Array, k: number): number {
  let loss = 0;
  for (let f = 0; f < scale.length; f++) {
    const s = scale[f]! * l2;
    if (s === 0) continue;
    for (let c = 0; c < k; c++) {
      const wi = w[f * k + c]!;
      if (wi === 0) continue;
      loss += 0.5 * s * wi * wi;
      grad[f * k + c]! += s * wi;
    }
  }
  return loss;
}

function dotProduct(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Trains the model; deterministic for given data and options. Only features that occur in the data are optimised
 * (the others have zero gradient and stay zero under L2), which keeps a 2^18-slot hashed space cheap.
 */
export function trainSoftmaxRegression(data: SparseDataset, options: TrainOptions): TrainResult {
  const active = new Int32Array(options.dimension).fill(-1);
  const used: number[] = [];
  for (let j = 0; j < data.ids.length; j++) {
    const id = data.ids[j]!;
    if (active[id] === -1) {
      active[id] = 0;
      used.push(id);
    }
  }
  used.sort((a, b) => a - b);
  used.forEach((id, i) => (active[id] = i));
  const k = data.classes;
  const compact: SparseDataset = { ...data, ids: Int32Array.from(data.ids, (id) => active[id]!) };
  let initial: Float64Array | undefined;
  if (options.initial) {
    initial = new Float64Array(used.length * k);
    used.forEach((id, i) => {
      for (let c = 0; c < k; c++) initial![i * k + c] = options.initial![id * k + c]!;
    });
  }
  const l2Scale = options.l2Scale;
  const result = trainDense(compact, {
    ...options,
    dimension: used.length,
    initial,
    l2Scale: l2Scale ? (f: number) => l2Scale(used[f]!) : undefined,
  });
  const weights = new Float64Array(options.dimension * k);
  used.forEach((id, i) => {
    for (let c = 0; c < k; c++) weights[id * k + c] = result.weights[i * k + c]!;
  });
  return { ...result, weights };
}

function trainDense(data: SparseDataset, options: TrainOptions): TrainResult {
  const k = data.classes;
  const n = options.dimension * k;
  const maxIterations = options.maxIterations ?? 200;
  const m = options.history ?? 8;
  const tolerance = options.tolerance ?? 1e-7;
  const scale = new Float32Array(options.dimension);
  for (let f = 0; f < options.dimension; f++) scale[f] = options.l2Scale ? options.l2Scale(f) : 1;

  const w = options.initial ? Float64Array.from(options.initial) : new Float64Array(n);
  const g = new Float64Array(n);
  let loss = objective(data, w, g, options.l2, scale);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const yy: number[] = []; // yᵀy of each pair, for the initial scaling
  const alpha = new Float64Array(m);
  const dir = new Float64Array(n);
  const wNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let spareS: Float64Array = new Float64Array(n);
  let spareY: Float64Array = new Float64Array(n);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // Two-loop recursion: dir = −H·g. Each update of dir also accumulates the dot product the next step needs, so
    // the loops pass over the vectors once per history pair instead of twice (same sums in the same order).
    const h = s.length;
    let dot = 0;
    if (h > 0) {
      const sl = s[h - 1]!;
      for (let j = 0; j < n; j++) {
        const d = -g[j]!;
        dir[j] = d;
        dot += sl[j]! * d;
      }
    } else for (let j = 0; j < n; j++) dir[j] = -g[j]!;
    for (let i = h - 1; i >= 0; i--) {
      const a = rho[i]! * dot;
      alpha[i] = a;
      const yi = y[i]!;
      dot = 0;
      if (i > 0) {
        const sn = s[i - 1]!;
        for (let j = 0; j < n; j++) {
          const d = dir[j]! - a * yi[j]!;
          dir[j] = d;
          dot += sn[j]! * d;
        }
      } else for (let j = 0; j < n; j++) dir[j]! -= a * yi[j]!;
    }
    if (h > 0) {
      const gamma = 1 / (rho[h - 1]! * yy[h - 1]!); // sᵀy / yᵀy
      dot = 0;
      const y0 = y[0]!;
      for (let j = 0; j < n; j++) {
        const d = dir[j]! * gamma;
        dir[j] = d;
        dot += y0[j]! * d;
      }
    } else {
      const norm = Math.sqrt(dotProduct(g, g));
      if (norm === 0) break;
      for (let j = 0; j < n; j++) dir[j]! /= norm;
    }
    for (let i = 0; i < h; i++) {
      const beta = rho[i]! * dot;
      const si = s[i]!;
      const a = alpha[i]! - beta;
      dot = 0;
      if (i + 1 < h) {
        const yn = y[i + 1]!;
        for (let j = 0; j < n; j++) {
          const d = dir[j]! + a * si[j]!;
          dir[j] = d;
          dot += yn[j]! * d;
        }
      } else for (let j = 0; j < n; j++) dir[j]! += a * si[j]!;
    }
    let slope = dotProduct(g, dir);
    if (slope >= 0) {
      // Not a descent direction (curvature info went stale): restart from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      yy.length = 0;
      for (let j = 0; j < n; j++) dir[j] = -g[j]!;
      slope = dotProduct(g, dir);
    }
    // Backtracking line search (Armijo).
    let step = 1;
    let newLoss = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < n; j++) wNew[j] = w[j]! + step * dir[j]!;
      newLoss = objective(data, wNew, gNew, options.l2, scale);
      if (newLoss <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(newLoss < loss)) break;
    // The (s, y) pair goes into spare arrays; an accepted pair retires the oldest, whose arrays become the spares,
    // so a fit allocates m + 1 pairs however many iterations it runs.
    const sv = spareS;
    const yv = spareY;
    let sy = 0;
    let yyv = 0;
    for (let j = 0; j < n; j++) {
      const a = wNew[j]! - w[j]!;
      const b = gNew[j]! - g[j]!;
      sv[j] = a;
      yv[j] = b;
      sy += a * b;
      yyv += b * b;
    }
    if (sy > 1e-12) {
      if (s.length === m) {
        spareS = s.shift()!;
        spareY = y.shift()!;
        rho.shift();
        yy.shift();
      } else {
        spareS = new Float64Array(n);
        spareY = new Float64Array(n);
      }
      s.push(sv);
      y.push(yv);
      rho.push(1 / sy);
      yy.push(yyv);
    }
    w.set(wNew);
    g.set(gNew);
    const decrease = (loss - newLoss) / Math.max(Math.abs(loss), 1e-12);
    loss = newLoss;
    if (decrease < tolerance) {
      iterations++;
      break;
    }
  }
  return { weights: w, iterations, loss };
}
