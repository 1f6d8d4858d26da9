import { englishDataset, englishRecommendedTransformers, RegExpMatcher, TextCensor, asteriskCensorStrategy, keepStartCensorStrategy } from "obscenity";
import { maskOnAir } from "../on-air-filter.js";

const dataset = englishDataset.build();
// Whole phrases the dataset's short terms match inside: "tit-for-tat" was masked to "t**-for-tat".
const HARMLESS_PHRASES = ["tit-for-tat", "tit for tat", "tit-4-tat"];
const matcher = new RegExpMatcher({ ...dataset, whitelistedTerms: [...(dataset.whitelistedTerms ?? []), ...HARMLESS_PHRASES], ...englishRecommendedTransformers });
const censor = new TextCensor().setStrategy(keepStartCensorStrategy(asteriskCensorStrategy()));

/**
 * Masks profanity and slurs (first letter kept) and replaces links, @handles and promo codes (the one on-air
 * detector, on-air-filter.ts): applied to every word taken from chat before it reaches a headline or a prompt.
 * Emote names are checked by the caller against the dictionary and pass untouched (the filter would otherwise
 * mask harmless names such as "Kreygasm").
 */
export function safeForAir(text: string): string {
  const cached = checked.get(text);
  if (cached !== undefined) return cached;
  const safe = maskText(text);
  // Topic words repeat from snapshot to snapshot: remember the answers, within a bound.
  if (checked.size >= CACHE_LIMIT) checked.clear();
  checked.set(text, safe);
  return safe;
}

/**
 * A topic or thread label as it may be shown (overlay chips, HUD threads, dashboard): an emote as it is, any other
 * word or line through safeForAir, so a slur spammed in chat or a line with a link is no chip on the overlay.
 */
export function labelForAir(label: string, isEmote: (name: string) => boolean): string {
  return isEmote(label) ? label : safeForAir(label);
}

const CACHE_LIMIT = 20_000;
const checked = new Map<string, string>();

// Slurs the dataset only knows as whole words, but chat glues into others ("newfag", "xXniggerXx").
const EMBEDDED_SLUR = /[\p{L}\p{N}]*(?:fag|nigg|retard|tranny)[\p{L}\p{N}]*/giu;

function maskText(text: string): string {
  const stripped = maskOnAir(text).text;
  const matches = matcher.getAllMatches(stripped);
  const censored = matches.length === 0 ? stripped : censor.applyTo(stripped, matches);
  return censored.replace(EMBEDDED_SLUR, (w) => w.charAt(0) + "*".repeat(w.length - 1));
}
