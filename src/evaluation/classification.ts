/** Macro-F1 over the given labels, per-class F1 included (as `score.mjs f1` computes it, for any label set). */
export function macroF1<L extends string>(gold: readonly L[], predicted: readonly L[], labels: readonly L[]): { macroF1: number; perClass: Record<string, number>; accuracy: number } {
  const perClass: [string, number][] = [];
  let macro = 0;
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) correct++;
  for (const c of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (predicted[i] === c && gold[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    const p = tp + fp > 0 ? tp / (tp + fp) : 0;
    const r = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f = p + r > 0 ? (2 * p * r) / (p + r) : 0;
    perClass.push([c, f]);
    macro += f / labels.length;
  }
  return { macroF1: macro, perClass: Object.fromEntries(perClass), accuracy: gold.length > 0 ? correct / gold.length : 0 };
}

/** Expected calibration error: equal-width bins over the stated confidence, |accuracy − mean confidence| weighted by bin size. */
export function expectedCalibrationError(confidence: readonly number[], correct: readonly boolean[], bins = 15): number {
  const n = confidence.length;
  if (n === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const sumConf = new Array<number>(bins).fill(0);
  const sumCorrect = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const c = Math.min(1, Math.max(0, confidence[i] as number));
    const b = Math.min(bins - 1, Math.floor(c * bins));
    count[b] = (count[b] as number) + 1;
    sumConf[b] = (sumConf[b] as number) + c;
    if (correct[i]) sumCorrect[b] = (sumCorrect[b] as number) + 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const k = count[b] as number;
    if (k > 0) ece += (k / n) * Math.abs((sumCorrect[b] as number) / k - (sumConf[b] as number) / k);
  }
  return ece;
}
