import type { LanguageCode } from "../processing/language.js";
import type { LanguageMix } from "../schema/output-schema.js";

/** Scored messages of one known language in a window or period. */
export interface LanguageCount {
  lang: LanguageCode;
  count: number;
}

/** How many languages a snapshot or roll-up lists: the mix is a glance, not a census. */
export const LANGUAGE_MIX_SIZE = 3;

const byCountThenCode = (a: LanguageCount, b: LanguageCount): number => b.count - a.count || (a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : 0);

/**
 * Per-language counts of a window's scored messages, kept with its digest: a message adds one when it enters and
 * takes one away when it leaves. Lines in no language ("und": "LUL", "gg", names) are not counted. The keys are the
 * detector's closed set of codes (a few dozen at most), so the map stays small whatever chat says.
 */
export class LanguageCounts {
  private readonly counts = new Map<LanguageCode, number>();

  /** `by` is +1 for a message entering, −1 for one leaving (or a part's whole count when merging). */
  add(lang: LanguageCode, by: number): void {
    if (lang === "und") return;
    const next = (this.counts.get(lang) ?? 0) + by;
    if (next <= 0) this.counts.delete(lang);
    else this.counts.set(lang, next);
  }

  /** Every counted language, largest first (ties by code, so equal windows list alike). */
  list(): LanguageCount[] {
    return [...this.counts].map(([lang, count]) => ({ lang, count })).sort(byCountThenCode);
  }
}

/** The counts of consecutive parts added up (exact: each part lists every language it counted). */
export function mergeLanguageCounts(parts: readonly (readonly LanguageCount[] | undefined)[]): LanguageCount[] {
  const total = new LanguageCounts();
  for (const part of parts) for (const { lang, count } of part ?? []) total.add(lang, count);
  return total.list();
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The output form: shares of the scored messages with a known language, the largest LANGUAGE_MIX_SIZE only (their
 * shares are of all known-language messages, so a long tail makes them sum below 1). Undefined when none is known.
 */
export function languageMix(counts: readonly LanguageCount[] | undefined, size = LANGUAGE_MIX_SIZE): LanguageMix | undefined {
  if (counts === undefined || counts.length === 0) return undefined;
  let known = 0;
  for (const c of counts) known += c.count;
  const mix: LanguageMix = {};
  for (const c of [...counts].sort(byCountThenCode).slice(0, size)) mix[c.lang] = round3(c.count / known);
  return mix;
}
