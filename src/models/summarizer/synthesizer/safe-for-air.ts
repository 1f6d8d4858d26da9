import { englishDataset, englishRecommendedTransformers, RegExpMatcher, TextCensor, asteriskCensorStrategy, keepStartCensorStrategy } from "obscenity";

const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
const censor = new TextCensor().setStrategy(keepStartCensorStrategy(asteriskCensorStrategy()));
const URL_LIKE = /\b(?:https?:\/\/|www\.)\S+/gi;
const MENTION = /@[\p{L}\p{N}_]+/gu;

/**
 * Masks profanity and slurs (first letter kept) and strips links and @mentions: applied to every word taken
 * from chat before it reaches a headline. Emote names are checked by the caller against the dictionary and
 * pass untouched (the filter would otherwise mask harmless names such as "Kreygasm").
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

const CACHE_LIMIT = 20_000;
const checked = new Map<string, string>();

// Slurs the dataset only knows as whole words, but chat glues into others ("newfag", "xXniggerXx").
const EMBEDDED_SLUR = /[\p{L}\p{N}]*(?:fag|nigg|retard|tranny)[\p{L}\p{N}]*/giu;

function maskText(text: string): string {
  const stripped = text.replace(URL_LIKE, "a link").replace(MENTION, "someone");
  const matches = matcher.getAllMatches(stripped);
  const censored = matches.length === 0 ? stripped : censor.applyTo(stripped, matches);
  return censored.replace(EMBEDDED_SLUR, (w) => w.charAt(0) + "*".repeat(w.length - 1));
}
