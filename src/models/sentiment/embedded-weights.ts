import { DENSE_COUNT, DENSE_FEATURES, type FeatureConfig, type WordPriors } from "./chat-features.js";
import { LABELS } from "./metrics.js";
import type { WordVectors } from "./word-vectors.js";

/**
 * On-disk layout of the embedded model (`data/models/sentiment-embedded.json`, format
 * `chatstream-sentiment-linear/1`); docs/sentiment.md describes it field by field.
 *
 * - `temperature`: the calibration temperature T. Every weight below is already divided by T; the fixed neutral
 *   offset of the feature extractor (language pull) is not, and the model divides it at run time.
 * - `dense`: one [pos, neu, neg] row per named feature (`denseFeatures` order).
 * - `hashed`: the non-zero rows of the hashed table. `slotGaps` is base64 of unsigned LEB128 varints, the gaps
 *   between successive slot numbers (the first counted from -1); `weights` is base64 of little-endian int16, three
 *   per slot (pos, neu, neg), each to be multiplied by `scale`.
 * - `words`: word priors as [word, lexicon polarity, chat polarity] rows, sorted by word.
 * - `vectors` (optional): per token (word, `E:emote`, `J:emoji`), its word vector already multiplied by the weights of
 *   the vector block, i.e. its (pos, neu, neg) logit contribution; base64 little-endian int16 × `scale`, in `keys`
 *   order. A message adds the mean of its tokens' rows.
 */
export const MODEL_FORMAT = "chatstream-sentiment-linear/1";

export interface EmbeddedModelFile {
  format: string;
  labels: string[];
  features: FeatureConfig;
  temperature: number;
  denseFeatures: string[];
  dense: number[][];
  hashed: { slots: number; scale: number; slotGaps: string; weights: string };
  words: [string, number, number][];
  vectors?: { keys: string[]; scale: number; weights: string };
  training: Record<string, unknown>;
}

export interface DecodedModel {
  features: FeatureConfig;
  temperature: number;
  priors: WordPriors;
  /** (DENSE_COUNT + 2^hashBits + vector dim) × 3, row-major. */
  weights: Float32Array;
  training: Record<string, unknown>;
}

export interface EncodeInput {
  features: FeatureConfig;
  temperature: number;
  priors: WordPriors;
  /** (DENSE_COUNT + 2^hashBits) × 3, row-major. */
  weights: ArrayLike<number>;
  /** Projected word vectors (dim 3: the logit contribution of each token), if the model uses them. */
  vectors?: WordVectors;
  training: Record<string, unknown>;
}

const INT16_MAX = 32767;

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function encodeModel(input: EncodeInput): EmbeddedModelFile {
  const k = LABELS.length;
  const rows = DENSE_COUNT + (1 << input.features.hashBits);
  if (input.weights.length !== rows * k) throw new Error(`expected ${rows * k} weights, got ${input.weights.length}`);
  // The mockery features are written only by a model that extracts them, so files trained without stay as they were.
  const names = DENSE_FEATURES.filter((name) => input.features.mockery === true || (name !== "laughterAtPerson" && name !== "laughterAtName"));
  const dense: number[][] = [];
  for (const name of names) {
    const f = DENSE_FEATURES.indexOf(name);
    dense.push([0, 1, 2].map((c) => round(input.weights[f * k + c]!, 6)));
  }

  let maxAbs = 0;
  for (let i = DENSE_COUNT * k; i < input.weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(input.weights[i]!));
  const scale = maxAbs > 0 ? maxAbs / INT16_MAX : 1;
  const gaps: number[] = [];
  const values: number[] = [];
  let previous = -1;
  for (let slot = 0; slot < rows - DENSE_COUNT; slot++) {
    const base = (DENSE_COUNT + slot) * k;
    const q0 = Math.round(input.weights[base]! / scale);
    const q1 = Math.round(input.weights[base + 1]! / scale);
    const q2 = Math.round(input.weights[base + 2]! / scale);
    if (q0 === 0 && q1 === 0 && q2 === 0) continue;
    let gap = slot - previous;
    previous = slot;
    do {
      const byte = gap & 0x7f;
      gap >>>= 7;
      gaps.push(gap > 0 ? byte | 0x80 : byte);
    } while (gap > 0);
    values.push(q0, q1, q2);
  }
  const words: [string, number, number][] = [];
  const entries = [...input.priors.index].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [word, row] of entries) words.push([word, round(input.priors.lexicon[row]!, 3), round(input.priors.chat[row]!, 3)]);
  return {
    format: MODEL_FORMAT,
    labels: [...LABELS],
    features: input.features,
    temperature: input.temperature,
    denseFeatures: names,
    dense,
    hashed: {
      slots: values.length / k,
      scale,
      slotGaps: Buffer.from(Uint8Array.from(gaps)).toString("base64"),
      weights: Buffer.from(Int16Array.from(values).buffer).toString("base64"),
    },
    words,
    ...(input.vectors ? { vectors: encodeVectors(input.vectors) } : {}),
    training: input.training,
  };
}

function encodeVectors(vectors: WordVectors): NonNullable<EmbeddedModelFile["vectors"]> {
  if (vectors.dim !== LABELS.length) throw new Error(`expected projected vectors of dimension ${LABELS.length}, got ${vectors.dim}`);
  const keys = [...vectors.index.keys()].sort((a, b) => vectors.index.get(a)! - vectors.index.get(b)!);
  let maxAbs = 0;
  for (const v of vectors.data) maxAbs = Math.max(maxAbs, Math.abs(v));
  const scale = maxAbs > 0 ? maxAbs / INT16_MAX : 1;
  const q = Int16Array.from(vectors.data, (v) => Math.round(v / scale));
  return { keys, scale, weights: Buffer.from(q.buffer).toString("base64") };
}

export function decodeModel(file: EmbeddedModelFile): DecodedModel {
  if (file.format !== MODEL_FORMAT) throw new Error(`not a ${MODEL_FORMAT} model (format: ${String(file.format)})`);
  if (file.labels.join() !== LABELS.join()) throw new Error(`unexpected label order ${file.labels.join()}`);
  if (!(file.temperature > 0)) throw new Error(`bad temperature ${String(file.temperature)}`);
  const k = LABELS.length;
  const rows = DENSE_COUNT + (1 << file.features.hashBits);
  // Projected vectors enter as a block of three features (one per class) with identity weights.
  const weights = new Float32Array((rows + (file.vectors ? k : 0)) * k);
  if (file.vectors) for (let c = 0; c < k; c++) weights[(rows + c) * k + c] = 1;
  file.denseFeatures.forEach((name, i) => {
    const f = (DENSE_FEATURES as readonly string[]).indexOf(name);
    if (f < 0) throw new Error(`unknown dense feature "${name}"`);
    for (let c = 0; c < k; c++) weights[f * k + c] = file.dense[i]![c]!;
  });
  const gaps = Buffer.from(file.hashed.slotGaps, "base64");
  const raw = Buffer.from(file.hashed.weights, "base64");
  const q = new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  if (q.length !== file.hashed.slots * k) throw new Error("hashed weights and slot count disagree");
  let slot = -1;
  let pos = 0;
  for (let s = 0; s < file.hashed.slots; s++) {
    let gap = 0;
    let shift = 0;
    for (;;) {
      const byte = gaps[pos++];
      if (byte === undefined) throw new Error("truncated slot list");
      gap |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    slot += gap;
    if (slot >= rows - DENSE_COUNT) throw new Error("slot out of range");
    const base = (DENSE_COUNT + slot) * k;
    for (let c = 0; c < k; c++) weights[base + c] = q[s * k + c]! * file.hashed.scale;
  }
  const index = new Map<string, number>();
  const lexicon = new Float32Array(file.words.length);
  const chat = new Float32Array(file.words.length);
  file.words.forEach(([word, lex, ch], row) => {
    index.set(word, row);
    lexicon[row] = lex;
    chat[row] = ch;
  });
  let vectors: WordVectors | undefined;
  if (file.vectors) {
    const raw16 = Buffer.from(file.vectors.weights, "base64");
    const qv = new Int16Array(raw16.buffer.slice(raw16.byteOffset, raw16.byteOffset + raw16.byteLength));
    if (qv.length !== file.vectors.keys.length * k) throw new Error("vector weights and keys disagree");
    const scale = file.vectors.scale;
    vectors = { dim: k, index: new Map(file.vectors.keys.map((key, i) => [key, i])), data: Float32Array.from(qv, (v) => v * scale) };
  }
  return { features: file.features, temperature: file.temperature, priors: { index, lexicon, chat, vectors }, weights, training: file.training };
}
