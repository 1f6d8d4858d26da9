import { countSentences } from "./headline-text.js";

export type HeadlineRule = "two-sentences" | "max-40-words" | "username" | "link" | "copied-5-words";

const WORD = /[\p{L}\p{N}']+/gu;
const LINK = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|tv|gg|io|ly)\b/i;
const COPY_RUN = 5;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * The rules every headline keeps on air (GUIDELINES.md): exactly two sentences, at most 40 words, no usernames
 * (@mentions or a chatter's name), no links, and no run of five or more words copied from any one message.
 * Returns the rules broken; empty means safe.
 */
export function brokenHeadlineRules(headline: string, messages: readonly { text: string; user?: string }[]): HeadlineRule[] {
  const broken: HeadlineRule[] = [];
  if (countSentences(headline) !== 2) broken.push("two-sentences");
  const hw = words(headline);
  if (hw.length > 40) broken.push("max-40-words");
  if (LINK.test(headline)) broken.push("link");
  const lowered = ` ${hw.join(" ")} `;
  const names = new Set<string>();
  for (const m of messages) {
    for (const mention of m.text.match(/@[\p{L}\p{N}_]+/gu) ?? []) names.add(mention.slice(1).toLowerCase());
    if (m.user !== undefined && m.user.length >= 3) names.add(m.user.toLowerCase());
  }
  if (/@[\p{L}\p{N}_]/u.test(headline) || [...names].some((n) => lowered.includes(` ${n} `))) broken.push("username");
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
