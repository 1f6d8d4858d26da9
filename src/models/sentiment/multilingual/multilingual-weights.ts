import { LABELS } from "../metrics.js";
import {
  MULTILINGUAL_DENSE_COUNT,
  MULTILINGUAL_DENSE_FEATURES,
  MULTILINGUAL_LANGUAGES,
  type LanguageWordPriors,
  type MultilingualFeatureConfig,
  type MultilingualLanguage,
} from "./multilingual-features.js";

/**
 * On-disk layout of the German and Indonesian model (`data/models/sentiment-multilingual.json`, format
 * `chatstream-sentiment-multilingual/1`; docs/sentiment.md describes it):
 *
 * - `temperature`: T, fitted on out-of-fold logits; every weight is already divided by it.
 * - `offsets`: per language, [pos, neu, neg] added to the logits after the weights (already divided by T), chosen on
 *   out-of-fold logits for macro-F1.
 * - `dense`: one [pos, neu, neg] row per named feature (`denseFeatures` order).
 * - `hashed`: the non-zero rows of the hashed table: `slotGaps` is base64 of unsigned LEB128 varints (gaps between
 *   successive slots, the first from -1), `weights` base64 of little-endian int16, three per slot, × `scale`.
 * - `words`: per language, [word, lexicon polarity, chat polarity] rows sorted by word.
 */
export const MULTILINGUAL_MODEL_FORMAT = "chatstream-sentiment-multilingual/1";

export interface MultilingualModelFile {
  format: string;
  labels: string[];
  languages: string[];
  features: MultilingualFeatureConfig;
  temperature: number;
  offsets: Record<string, number[]>;
  denseFeatures: string[];
  dense: number[][];
  hashed: { slots: number; scale: number; slotGaps: string; weights: string };
  words: Record<string, [string, number, number][]>;
  training: Record<string, unknown>;
}

export interface DecodedMultilingualModel {
  features: MultilingualFeatureConfig;
  priors: ReadonlyMap<MultilingualLanguage, LanguageWordPriors>;
  /** (dense count + 2^hashBits) × 3, row-major, divided by T. */
  weights: Float32Array;
  /** Per language, the three logit offsets (divided by T). */
  offsets: ReadonlyMap<MultilingualLanguage, Float64Array>;
  training: Record<string, unknown>;
}

export interface MultilingualEncodeInput {
  features: MultilingualFeatureConfig;
  temperature: number;
  offsets: ReadonlyMap<MultilingualLanguage, readonly number[]>;
  priors: ReadonlyMap<MultilingualLanguage, LanguageWordPriors>;
  /** Raw (not yet divided by T) weights, (dense count + 2^hashBits) × 3. */
  weights: ArrayLike<number>;
  training: Record<string, unknown>;
}

const INT16_MAX = 32767;
const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

export function encodeMultilingualModel(input: MultilingualEncodeInput): MultilingualModelFile {
  const k = LABELS.length;
  const rows = MULTILINGUAL_DENSE_COUNT + (1 << input.features.hashBits);
  if (input.weights.length !== rows * k) throw new Error(`expected ${rows * k} weights, got ${input.weights.length}`);
  const t = input.temperature;
  const dense: number[][] = [];
  for (let f = 0; f < MULTILINGUAL_DENSE_COUNT; f++) dense.push([0, 1, 2].map((c) => round(input.weights[f * k + c]! / t, 6)));
  let maxAbs = 0;
  for (let i = MULTILINGUAL_DENSE_COUNT * k; i < input.weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(input.weights[i]! / t));
  const scale = maxAbs > 0 ? maxAbs / INT16_MAX : 1;
  const gaps: number[] = [];
  const values: number[] = [];
  let previous = -1;
  for (let slot = 0; slot < rows - MULTILINGUAL_DENSE_COUNT; slot++) {
    const base = (MULTILINGUAL_DENSE_COUNT + slot) * k;
    const q = [0, 1, 2].map((c) => Math.round(input.weights[base + c]! / t / scale));
    if (q[0] === 0 && q[1] === 0 && q[2] === 0) continue;
    let gap = slot - previous;
    previous = slot;
    do {
      const byte = gap & 0x7f;
      gap >>>= 7;
      gaps.push(gap > 0 ? byte | 0x80 : byte);
    } while (gap > 0);
    values.push(...q);
  }
  const words: Record<string, [string, number, number][]> = {};
  const offsets: Record<string, number[]> = {};
  for (const lang of MULTILINGUAL_LANGUAGES) {
    words[lang] = [...(input.priors.get(lang)?.words ?? new Map<string, readonly [number, number]>())]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([w, [lex, chat]]) => [w, round(lex, 3), round(chat, 3)]);
    offsets[lang] = (input.offsets.get(lang) ?? [0, 0, 0]).map((o) => round(o / t, 6));
  }
  return {
    format: MULTILINGUAL_MODEL_FORMAT,
    labels: [...LABELS],
    languages: [...MULTILINGUAL_LANGUAGES],
    features: input.features,
    temperature: round(t, 6),
    offsets,
    denseFeatures: [...MULTILINGUAL_DENSE_FEATURES],
    dense,
    hashed: {
      slots: values.length / k,
      scale,
      slotGaps: Buffer.from(Uint8Array.from(gaps)).toString("base64"),
      weights: Buffer.from(Int16Array.from(values).buffer).toString("base64"),
    },
    words,
    training: input.training,
  };
}

/** Checks and decodes a model file (parsed JSON of unknown shape): a malformed file is an error, never a half model. */
export function decodeMultilingualModel(raw: unknown): DecodedMultilingualModel {
  if (typeof raw !== "object" || raw === null) throw new Error("multilingual model: not an object");
  const file = raw as Partial<MultilingualModelFile>;
  if (file.format !== MULTILINGUAL_MODEL_FORMAT) throw new Error(`not a ${MULTILINGUAL_MODEL_FORMAT} model (format: ${String(file.format)})`);
  if (!Array.isArray(file.labels) || file.labels.join() !== LABELS.join()) throw new Error("multilingual model: unexpected label order");
  const features = file.features;
  if (typeof features !== "object" || features === null || !Number.isInteger(features.hashBits) || features.hashBits < 1 || features.hashBits > 24) throw new Error("multilingual model: bad feature config");
  const { normaliseLanguages, germanNegation } = features as Partial<MultilingualFeatureConfig>;
  if (normaliseLanguages !== undefined && (!Array.isArray(normaliseLanguages) || !normaliseLanguages.every((l) => (MULTILINGUAL_LANGUAGES as readonly unknown[]).includes(l)))) {
    throw new Error("multilingual model: bad normaliseLanguages");
  }
  if (germanNegation !== undefined && germanNegation !== "next" && germanNegation !== "clause") throw new Error("multilingual model: bad germanNegation");
  if (!Array.isArray(file.denseFeatures) || !Array.isArray(file.dense) || file.dense.length !== file.denseFeatures.length) throw new Error("multilingual model: bad dense rows");
  const hashed = file.hashed;
  if (typeof hashed !== "object" || hashed === null || typeof hashed.slotGaps !== "string" || typeof hashed.weights !== "string" || !Number.isInteger(hashed.slots) || !(hashed.scale > 0)) {
    throw new Error("multilingual model: bad hashed table");
  }
  const k = LABELS.length;
  const rows = MULTILINGUAL_DENSE_COUNT + (1 << features.hashBits);
  const weights = new Float32Array(rows * k);
  file.denseFeatures.forEach((name, i) => {
    const f = (MULTILINGUAL_DENSE_FEATURES as readonly string[]).indexOf(name);
    const row = file.dense![i];
    if (f < 0 || !Array.isArray(row) || row.length !== k) throw new Error(`multilingual model: bad dense feature "${String(name)}"`);
    for (let c = 0; c < k; c++) weights[f * k + c] = Number(row[c]);
  });
  const gaps = Buffer.from(hashed.slotGaps, "base64");
  const rawWeights = Buffer.from(hashed.weights, "base64");
  const q = new Int16Array(rawWeights.buffer.slice(rawWeights.byteOffset, rawWeights.byteOffset + rawWeights.byteLength));
  if (q.length !== hashed.slots * k) throw new Error("multilingual model: hashed weights and slot count disagree");
  let slot = -1;
  let pos = 0;
  for (let s = 0; s < hashed.slots; s++) {
    let gap = 0;
    let shift = 0;
    for (;;) {
      const byte = gaps[pos++];
      if (byte === undefined || shift > 28) throw new Error("multilingual model: truncated slot list");
      gap |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    slot += gap;
    if (slot >= rows - MULTILINGUAL_DENSE_COUNT) throw new Error("multilingual model: slot out of range");
    const base = (MULTILINGUAL_DENSE_COUNT + slot) * k;
    for (let c = 0; c < k; c++) weights[base + c] = q[s * k + c]! * hashed.scale;
  }
  const priors = new Map<MultilingualLanguage, LanguageWordPriors>();
  const offsets = new Map<MultilingualLanguage, Float64Array>();
  for (const lang of MULTILINGUAL_LANGUAGES) {
    const list = file.words?.[lang];
    const words = new Map<string, readonly [number, number]>();
    if (Array.isArray(list)) for (const row of list) if (Array.isArray(row) && typeof row[0] === "string") words.set(row[0], [Number(row[1]) || 0, Number(row[2]) || 0]);
    priors.set(lang, { words });
    const o = file.offsets?.[lang];
    offsets.set(lang, Float64Array.from([0, 1, 2], (c) => (Array.isArray(o) ? Number(o[c]) || 0 : 0)));
  }
  return { features, priors, weights, offsets, training: typeof file.training === "object" && file.training !== null ? file.training : {} };
}
