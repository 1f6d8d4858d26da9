import { countSentences } from "./headline-text.js";
import { HANDLE, maskOnAir, promotionIn } from "./on-air-filter.js";

export type HeadlineRule = "two-sentences" | "max-40-words" | "username" | "link" | "promo-code" | "promotion" | "copied-5-words";

const WORD = /[\p{L}\p{N}']+/gu;
const COPY_RUN = 5;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * The rules every headline keeps on air (GUIDELINES.md): exactly two sentences, at most 40 words, no usernames
 * (@mentions or a chatter's name), no links or promo codes, no promotion (an endorsement, a giveaway, an
 * instruction to viewers: on-air-filter.ts), and no run of five or more words copied from any one message.
 * Returns the rules broken; empty means safe.
 */
export function brokenHeadlineRules(headline: string, messages: readonly { text: string; user?: string }[]): HeadlineRule[] {
  const broken: HeadlineRule[] = [];
  if (countSentences(headline) !== 2) broken.push("two-sentences");
  const hw = words(headline);
  if (hw.length > 40) broken.push("max-40-words");
  const onAir = maskOnAir(headline);
  if (onAir.links > 0) broken.push("link");
  if (onAir.codes > 0) broken.push("promo-code");
  if (promotionIn(headline) !== undefined) broken.push("promotion");
  const lowered = ` ${hw.join(" ")} `;
  const names = new Set<string>();
  for (const m of messages) {
    for (const mention of m.text.match(HANDLE) ?? []) names.add(mention.slice(1).toLowerCase());
    if (m.user !== undefined && m.user.length >= 3) names.add(m.user.toLowerCase());
  }
  if (onAir.handles > 0 || [...names].some((n) => lowered.includes(` ${n} `))) broken.push("username");
  const runs = new Set<string>();
  for (let i = 0; i + COPY_RUN <= hw.length; i++) runs.add(hw.slice(i, i + COPY_RUN).join(" "));
  if (runs.size > 0) {
    for (const m of messages) {
      const mw = words(m.text);
      let copied = false;
      for (let i = 0; i + COPY_RUN <= mw.length && !copied; i++) copied = runs.has(mw.slice(i, i + COPY_RUN).join(" "));
      if (copied) {
        broken.push("copied-5-words");
        break;
      }
    }
  }
  return broken;
}
