/**
 * ROUGE as `../shared/eval/score.mjs rouge` computes it, so the harness reports the same figures: tokens are
 * lower-case runs of letters and digits (Unicode-aware), no stemming, no stop words; ROUGE-N and ROUGE-L are F1;
 * with several references the best score per item counts.
 */
export function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function f1(overlap: number, hypLen: number, refLen: number): number {
  if (overlap === 0 || hypLen === 0 || refLen === 0) return 0;
  const p = overlap / hypLen;
  const r = overlap / refLen;
  return (2 * p * r) / (p + r);
}

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const k = tokens.slice(i, i + n).join("\u0001");
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

export function rougeN(hyp: readonly string[], ref: readonly string[], n: number): number {
  const h = ngrams(hyp, n);
  const r = ngrams(ref, n);
  let overlap = 0;
  for (const [k, c] of h) overlap += Math.min(c, r.get(k) ?? 0);
  return f1(overlap, Math.max(0, hyp.length - n + 1), Math.max(0, ref.length - n + 1));
}

export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, cur[j - 1] as number);
    }
    [prev, cur] = [cur, prev];
    cur.fill(0);
  }
  return prev[b.length] as number;
}

export function rougeL(hyp: readonly string[], ref: readonly string[]): number {
  return f1(lcsLength(hyp, ref), hyp.length, ref.length);
}

export interface RougeScores {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

/** Best score over the references, per measure (as score.mjs does). */
export function scoreHeadline(headline: string, references: readonly string[]): RougeScores {
  const h = rougeTokens(headline);
  const refs = references.filter((r) => r.length > 0).map(rougeTokens);
  return {
    rouge1: Math.max(0, ...refs.map((r) => rougeN(h, r, 1))),
    rouge2: Math.max(0, ...refs.map((r) => rougeN(h, r, 2))),
    rougeL: Math.max(0, ...refs.map((r) => rougeL(h, r))),
  };
}
