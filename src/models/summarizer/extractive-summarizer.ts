import type { ChatDigest } from "../../aggregation/chat-digest.js";
import { isQuiet, moodOf, quoteFragment, type MoodWord } from "./headline-text.js";
import { promotionIn } from "./on-air-filter.js";
import type { Summarizer } from "./summarizer.js";
import { safeForAir } from "./synthesizer/safe-for-air.js";

const MOOD_LEAD: Record<MoodWord, string> = {
  positive: "Chat is upbeat",
  neutral: "Chat is talking",
  negative: "Chat is unhappy",
  split: "Chat is split",
};

/**
 * The first, simplest summarizer: names the most repeated line and the next thread, with the mood.
 * Extractive and template-based; it is the baseline the embedded synthesizer is measured against.
 */
export class ExtractiveSummarizer implements Summarizer {
  readonly name = "extractive";

  summarizeWindow(d: ChatDigest): string {
    if (isQuiet(d)) return d.count > 0 ? "Chat is quiet apart from bots and commands. No viewer messages to summarize." : "Chat is quiet. No messages in this window.";
    const [first, second] = d.groups;
    const lead = MOOD_LEAD[moodOf(d.sentiment, d.scored)];
    const one = first === undefined ? `${lead}.` : `${lead}, led by ${quoted(first.text)} (${plural(first.count, "message")}).`;
    let two: string;
    if (second !== undefined && second.count > 1) two = `Also repeated: ${quoted(second.text)} (${second.count}).`;
    else if (d.questions > 0) two = `${plural(d.questions, "question")} asked by ${plural(d.chatters, "chatter")}.`;
    else two = `${plural(d.chatters, "chatter")} posted ${plural(d.count, "message")}.`;
    return `${one} ${two}`;
  }

  summarizePeriod(d: ChatDigest, _parts: readonly ChatDigest[]): string {
    return this.summarizeWindow(d);
  }
}

/**
 * A chat line as the headline quotes it: masked (profanity, links, handles, promo codes), and never a promotion:
 * a line that endorses, gives away or tells viewers to do something is named, not repeated.
 */
function quoted(text: string): string {
  const fragment = quoteFragment(safeForAir(text));
  return promotionIn(text) !== undefined || promotionIn(fragment) !== undefined ? "a promotional message" : `'${fragment}'`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
