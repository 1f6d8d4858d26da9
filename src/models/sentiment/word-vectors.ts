import { seededRandom } from "../../core/seeded-random.js";
import type { Token, TokenizedText } from "../../processing/tokenizer.js";

/**
 * Word vectors learnt from unlabelled chat: a truncated SVD of the positive pointwise mutual information (PPMI)
 * matrix of tokens that occur near each other in a message (Levy & Goldberg 2014, "Neural word embedding as implicit
 * matrix factorization"; Levy, Goldberg & Dagan 2015 for the context smoothing). Words, emotes and emoji share one
 * space, so a word the 6,000 labelled messages never show ("mouthbreathers", a new channel emote) still lands near
 * the words and emotes chat uses it with, and the classifier, which sees the mean vector of a message, can read it.
 *
 * Deterministic: the vocabulary is sorted, co-occurrences are summed in message order, and the random start of the
 * subspace iteration comes from a fixed-seed generator.
 */

export interface WordVectors {
  readonly dim: number;
  /** token key (tokenKey) → row. */
  readonly index: ReadonlyMap<string, number>;
  /** rows × dim, row-major. */
  readonly data: Float32Array;
}

export interface WordVectorOptions {
  /** Dimensions kept. */
  dim: number;
  /** Tokens seen in fewer messages than this get no vector. */
  minCount: number;
  /** At most this many tokens (the most frequent). */
  maxVocabulary: number;
  /** Co-occurrence window, in tokens either side. */
  window: number;
  /** Context-distribution smoothing exponent (0.75 in the literature). */
  smoothing: number;
  /** Subspace (power) iterations of the randomized SVD. */
  iterations: number;
  seed: number;
  /** Length of every vector (rows are unit vectors times this); larger means weaker L2 on the vector block. */
  scale: number;
}

export const DEFAULT_WORD_VECTOR_OPTIONS: WordVectorOptions = { dim: 96, minCount: 5, maxVocabulary: 20000, window: 4, smoothing: 0.75, iterations: 4, seed: 20240601, scale: 1 };

/** The key a token has in the vector table: words by their norm, emotes and emoji by name; nothing for the rest. */
export function tokenKey(tok: Token): string | undefined {
  switch (tok.kind) {
    case "word":
      return tok.norm;
    case "emote":
      return `E:${tok.norm}`;
    case "emoji":
      return `J:${tok.norm}`;
    default:
      return undefined;
  }
}


interface Csr {
  n: number;
  rowStart: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/** out (n × k) = M (n × n, CSR) · x (n × k); all row-major. */
function multiply(m: Csr, x: Float64Array, k: number, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < m.n; r++) {
    const o = r * k;
    for (let j = m.rowStart[r]!; j < m.rowStart[r + 1]!; j++) {
      const v = m.values[j]!;
      const xo = m.cols[j]! * k;
      for (let c = 0; c < k; c++) out[o + c]! += v * x[xo + c]!;
    }
  }
}

/** Orthonormalises the k columns of x (n × k, row-major) in place, by modified Gram–Schmidt. */
function orthonormalize(x: Float64Array, n: number, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < n; r++) dot += x[r * k + c]! * x[r * k + p]!;
      for (let r = 0; r < n; r++) x[r * k + c]! -= dot * x[r * k + p]!;
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += x[r * k + c]! ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < n; r++) x[r * k + c] = norm > 0 ? x[r * k + c]! / norm : 0;
  }
}

/** Eigen-decomposition of a symmetric k × k matrix by cyclic Jacobi rotations: values descending, vectors as columns. */
export function symmetricEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += m[p * k + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * k + q]! - m[p * k + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p]!;
          const mrq = m[r * k + q]!;
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r]!;
          const mqr = m[q * k + r]!;
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => m[y * k + y]! - m[x * k + x]! || x - y);
  const values = Float64Array.from(order, (i) => m[i * k + i]!);
  const vectors = new Float64Array(k * k);
  order.forEach((from, to) => {
    for (let r = 0; r < k; r++) vectors[r * k + to] = v[r * k + from]!;
  });
  return { values, vectors };
}

/** Learns word vectors from tokenized messages (read once). */
export function learnWordVectors(messages: Iterable<TokenizedText>, options: WordVectorOptions = DEFAULT_WORD_VECTOR_OPTIONS): WordVectors {
  // 1. Vocabulary: tokens in at least minCount messages, the most frequent first, ties by key.
  const docs: string[][] = [];
  const frequency = new Map<string, number>();
  for (const msg of messages) {
    const keys: string[] = [];
    for (const tok of msg.tokens) {
      const key = tokenKey(tok);
      if (key !== undefined) keys.push(key);
    }
    if (keys.length === 0) continue;
    docs.push(keys);
    for (const key of new Set(keys)) frequency.set(key, (frequency.get(key) ?? 0) + 1);
  }
  const vocabulary = [...frequency]
    .filter(([, n]) => n >= options.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, options.maxVocabulary)
    .map(([key]) => key)
    .sort();
  const n = vocabulary.length;
  const index = new Map(vocabulary.map((key, i) => [key, i]));
  const dim = Math.min(options.dim, n);
  if (dim === 0) return { dim: 0, index: new Map(), data: new Float32Array(0) };

  // 2. Symmetric co-occurrence counts within the window, closer neighbours weighted more (1/distance).
  const pairs = new Map<number, number>();
  for (const keys of docs) {
    for (let i = 0; i < keys.length; i++) {
      const a = index.get(keys[i]!);
      if (a === undefined) continue;
      for (let j = i + 1; j < keys.length && j - i <= options.window; j++) {
        const b = index.get(keys[j]!);
        if (b === undefined || b === a) continue;
        const w = 1 / (j - i);
        pairs.set(a * n + b, (pairs.get(a * n + b) ?? 0) + w);
        pairs.set(b * n + a, (pairs.get(b * n + a) ?? 0) + w);
      }
    }
  }

  // 3. PPMI with smoothed context distribution, as a CSR matrix.
  const rowSum = new Float64Array(n);
  let total = 0;
  for (const [key, c] of pairs) {
    rowSum[Math.floor(key / n)]! += c;
    total += c;
  }
  let smoothTotal = 0;
  const smooth = Float64Array.from(rowSum, (c) => c ** options.smoothing);
  for (const c of smooth) smoothTotal += c;
  const keys = [...pairs.keys()].sort((x, y) => x - y);
  const rowStart = new Int32Array(n + 1);
  const cols: number[] = [];
  const values: number[] = [];
  for (const key of keys) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    const pmi = Math.log((pairs.get(key)! / total) / ((rowSum[a]! / total) * (smooth[b]! / smoothTotal)));
    if (pmi <= 0) continue;
    cols.push(b);
    values.push(pmi);
    rowStart[a + 1]!++;
  }
  for (let r = 0; r < n; r++) rowStart[r + 1]! += rowStart[r]!;
  const m: Csr = { n, rowStart, cols: Int32Array.from(cols), values: Float64Array.from(values) };

  // 4. Randomized truncated SVD (Halko, Martinsson & Tropp 2011): subspace iteration from a seeded random start.
  const k = Math.min(n, dim + 16);
  const random = seededRandom(options.seed);
  let q = Float64Array.from({ length: n * k }, () => random() * 2 - 1);
  const y = new Float64Array(n * k);
  orthonormalize(q, n, k);
  for (let it = 0; it < options.iterations; it++) {
    multiply(m, q, k, y);
    q = Float64Array.from(y);
    orthonormalize(q, n, k);
  }
  // M is symmetric, so B = Qᵀ M = (M Q)ᵀ and B Bᵀ = (M Q)ᵀ (M Q).
  multiply(m, q, k, y);
  const gram = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < k; a++) {
      const ya = y[r * k + a]!;
      if (ya === 0) continue;
      for (let b = a; b < k; b++) gram[a * k + b]! += ya * y[r * k + b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) gram[a * k + b] = gram[b * k + a]!;
  const { values: eig, vectors } = symmetricEigen(gram, k);

  // 5. Vectors U·√Σ (symmetric weighting), each row scaled to unit length.
  const data = new Float32Array(n * dim);
  const row = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let c = 0; c < dim; c++) {
      let u = 0;
      for (let a = 0; a < k; a++) u += q[r * k + a]! * vectors[a * k + c]!;
      row[c] = u * Math.pow(Math.max(eig[c]!, 0), 0.25); // singular value σ = √eig, weight √σ
      norm += row[c]! ** 2;
    }
    norm = Math.sqrt(norm);
    for (let c = 0; c < dim; c++) data[r * dim + c] = norm > 0 ? (options.scale * row[c]!) / norm : 0;
  }
  return { dim, index, data };
}
