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
    const logNorm = softmaxInPlace(z);
    // z now holds probabilities; cross-entropy = logNorm − Σ y·logit, logit = offset + x·w.
    let dot = 0;
    if (data.offsets) for (let c = 0; c < k; c++) dot += data.offsets[r * k + c]! * data.targets[r * k + c]!;
    for (let j = data.rowStart[r]!; j < data.rowStart[r + 1]!; j++) {
      const base = data.ids[j]! * k;
      const v = data.values[j]!;
      for (let c = 0; c < k; c++) dot += v * w[base + c]! * data.targets[r * k + c]!;
    }
    let ysum = 0;
    for (let c = 0; c < k; c++) ysum += data.targets[r * k + c]!;
    loss += rw * (ysum * logNorm - dot);
    for (let c = 0; c < k; c++) z[c] = rw * (ysum * z[c]! - data.targets[r * k + c]!);
    for (let j = data.rowStart[r]!; j < data.rowStart[r + 1]!; j++) {
      const base = data.ids[j]! * k;
      const v = data.values[j]!;
      for (let c = 0; c < k; c++) grad[base + c]! += v * z[c]!;
    }
  }
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
  const alpha = new Float64Array(m);
  const dir = new Float64Array(n);
  const wNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < n; i++) dir[i] = -g[i]!;
    for (let i = s.length - 1; i >= 0; i--) {
      alpha[i] = rho[i]! * dotProduct(s[i]!, dir);
      const yi = y[i]!;
      const a = alpha[i]!;
      for (let j = 0; j < n; j++) dir[j]! -= a * yi[j]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dotProduct(s[last]!, y[last]!) / dotProduct(y[last]!, y[last]!);
      for (let j = 0; j < n; j++) dir[j]! *= gamma;
    } else {
      const norm = Math.sqrt(dotProduct(g, g));
      if (norm === 0) break;
      for (let j = 0; j < n; j++) dir[j]! /= norm;
    }
    for (let i = 0; i < s.length; i++) {
      const beta = rho[i]! * dotProduct(y[i]!, dir);
      const si = s[i]!;
      const a = alpha[i]!;
      for (let j = 0; j < n; j++) dir[j]! += (a - beta) * si[j]!;
    }
    let slope = dotProduct(g, dir);
    if (slope >= 0) {
      // Not a descent direction (curvature info went stale): restart from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
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
    const sv = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      sv[j] = wNew[j]! - w[j]!;
      yv[j] = gNew[j]! - g[j]!;
    }
    const sy = dotProduct(sv, yv);
    if (sy > 1e-12) {
      if (s.length === m) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sv);
      y.push(yv);
      rho.push(1 / sy);
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
