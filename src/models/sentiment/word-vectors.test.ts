import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { DEFAULT_WORD_VECTOR_OPTIONS, learnWordVectors, symmetricEigen, tokenKey, type WordVectors } from "./word-vectors.js";

const emotes = builtinEmoteDictionary();

// Two topics that never share a message: hype words with PogChamp, grief words with BibleThump.
const chat: string[] = [];
for (let i = 0; i < 30; i++) {
  chat.push(`what a play PogChamp insane ${i % 3 === 0 ? "clutch" : "hype"}`);
  chat.push(`so sad BibleThump rip ${i % 3 === 0 ? "unlucky" : "lost"}`);
  chat.push(i % 2 === 0 ? "insane clutch hype PogChamp" : "rip unlucky lost BibleThump");
}
const options = { ...DEFAULT_WORD_VECTOR_OPTIONS, dim: 4, minCount: 3 };

function cosine(v: WordVectors, a: string, b: string): number {
  const i = v.index.get(a)!;
  const j = v.index.get(b)!;
  let dot = 0;
  for (let c = 0; c < v.dim; c++) dot += v.data[i * v.dim + c]! * v.data[j * v.dim + c]!;
  return dot;
}

describe("word vectors (PPMI + randomized SVD)", () => {
  it("keys words by norm and emotes and emoji by a prefixed name", () => {
    const [word, emote, emoji, num] = tokenize("Hype PogChamp 😂 42", emotes).tokens;
    expect(tokenKey(word!)).toBe("hype");
    expect(tokenKey(emote!)).toBe("E:PogChamp");
    expect(tokenKey(emoji!)).toBe("J:😂");
    expect(tokenKey(num!)).toBeUndefined();
  });

  it("puts tokens of one topic close together and the two topics apart", () => {
    const v = learnWordVectors(chat.map((t) => tokenize(t, emotes)), options);
    expect(v.dim).toBe(4);
    expect(v.index.has("E:PogChamp")).toBe(true);
    expect(v.index.has("what")).toBe(true);
    expect(cosine(v, "clutch", "E:PogChamp")).toBeGreaterThan(cosine(v, "clutch", "E:BibleThump") + 0.3);
    expect(cosine(v, "unlucky", "rip")).toBeGreaterThan(cosine(v, "unlucky", "hype") + 0.3);
    // Rows are unit vectors.
    expect(cosine(v, "sad", "sad")).toBeCloseTo(1, 5);
  });

  it("is deterministic and scales rows on request", () => {
    const messages = chat.map((t) => tokenize(t, emotes));
    const a = learnWordVectors(messages, options);
    const b = learnWordVectors(messages, { ...options, scale: 2 });
    expect([...learnWordVectors(messages, options).data]).toEqual([...a.data]);
    for (let i = 0; i < a.data.length; i++) expect(b.data[i]!).toBeCloseTo(2 * a.data[i]!, 5);
  });

  it("returns an empty table when no token is frequent enough", () => {
    const v = learnWordVectors([tokenize("once only", emotes)], options);
    expect(v.dim).toBe(0);
    expect(v.index.size).toBe(0);
  });

  it("diagonalises a symmetric matrix (eigenvalues descending)", () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 (vector (1, 1)/√2) and 1 (vector (1, −1)/√2).
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 9);
    expect(values[1]).toBeCloseTo(1, 9);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 9);
    expect(vectors[0]! * vectors[2]!).toBeGreaterThan(0); // first column is ±(1, 1)
  });
});
