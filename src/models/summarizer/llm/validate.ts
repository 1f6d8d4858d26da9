import type { ChatDigest } from "../../../aggregation/chat-digest.js";
import { cleanText } from "../../../core/text-cleaning.js";
import { maskOnAir, promotionIn } from "../on-air-filter.js";
import { safeForAir } from "../synthesizer/safe-for-air.js";

export interface HeadlineBounds {
  maxWords: number;
  /** Fewest words in each sentence. */
  minSentenceWords: number;
  maxChars: number;
}

export const DEFAULT_HEADLINE_BOUNDS: HeadlineBounds = { maxWords: 40, minSentenceWords: 3, maxChars: 320 };

export type Repair = "trimmed-sentences" | "stripped-markup" | "stripped-reasoning" | "masked" | "removed-link" | "removed-username" | "removed-code" | "removed-controls";
/** `promotion`: the answer asserts an endorsement, a giveaway or an instruction to viewers (a paraphrased injection). */
export type Rejection = "empty" | "one-sentence" | "too-long" | "too-short" | "copied-chat" | "instruction-echo" | "promotion";

export type HeadlineCheck = { ok: true; headline: string; repairs: Repair[] } | { ok: false; reason: Rejection };

const WORD = /[\p{L}\p{N}']+/gu;
const REASONING = /^<think>[\s\S]*?<\/think>/i;
const COPY_RUN = 5;
// Tell-tales of a model that followed or repeated instructions smuggled in through chat.
const INSTRUCTION_ECHO = /\b(?:ignore (?:all |any |the )?(?:previous|prior|above)|system prompt|as an ai|instructions?\b|i cannot|i can't help|<\/?chat_data>|\bsystem:)/i;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The last line of defence between a model's answer and the air: drops control sequences, cleans markup, keeps the
 * first two sentences, replaces links, @handles and promo codes, replaces chatters' names, masks profanity; rejects
 * answers that cannot be made into a headline (one sentence, too long or short, a copied run of chat, an echo of
 * injected instructions) or that promote something (an endorsement, a giveaway, an instruction to viewers).
 */
export function checkHeadline(raw: string, d: ChatDigest, bounds: HeadlineBounds = DEFAULT_HEADLINE_BOUNDS): HeadlineCheck {
  const repairs: Repair[] = [];
  // A model's answer is text from outside like chat is (core/text-cleaning.ts): it may carry escapes to the HUD.
  const cleaned = cleanText(raw);
  if (cleaned !== raw) repairs.push("removed-controls");
  let text = cleaned.trim();
  // Open reasoning models (Qwen3, DeepSeek-R1) served without a reasoning parser think aloud before answering.
  const answered = text.replace(REASONING, "").trim();
  if (answered !== text) {
    repairs.push("stripped-reasoning");
    text = answered;
  }
  // Markup first, so a bold label ("**Headline:**") is a label.
  const unmarked = text
    .replace(/^```[a-z]*\s*|\s*```$/gi, "")
    .replace(/[*_#`]+/g, "")
    .trim()
    .replace(/^(?:headline|answer|output)\s*:\s*/i, "")
    .replace(/^["'“”]+|["'“”]+$/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (unmarked !== text) repairs.push("stripped-markup");
  text = unmarked;
  if (text.length === 0) return { ok: false, reason: "empty" };
  if (INSTRUCTION_ECHO.test(text)) return { ok: false, reason: "instruction-echo" };
  // The whole answer, before trimming: a model that promotes anything in any sentence followed an injection.
  if (promotionIn(text) !== undefined) return { ok: false, reason: "promotion" };
  let sentences = sentencesOf(text);
  if (sentences.length < 2) return { ok: false, reason: "one-sentence" };
  if (sentences.length > 2) {
    sentences = sentences.slice(0, 2);
    repairs.push("trimmed-sentences");
  }
  text = sentences.join(" ");
  if (!/[.!?]$/.test(text)) text += ".";
  const onAir = maskOnAir(text, "a viewer");
  if (onAir.links > 0) repairs.push("removed-link");
  if (onAir.handles > 0) repairs.push("removed-username");
  if (onAir.codes > 0) repairs.push("removed-code");
  text = onAir.text;
  for (const name of d.mentioned) {
    if (name.length < 3) continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}_])`, "giu");
    const replaced = text.replace(pattern, "a viewer");
    if (replaced !== text) {
      repairs.push("removed-username");
      text = replaced;
    }
  }
  const masked = safeForAir(text);
  if (masked !== text) repairs.push("masked");
  text = masked;
  const hw = words(text);
  if (hw.length > bounds.maxWords || text.length > bounds.maxChars) return { ok: false, reason: "too-long" };
  if (sentencesOf(text).some((s) => words(s).length < bounds.minSentenceWords)) return { ok: false, reason: "too-short" };
  if (copiesChat(hw, d)) return { ok: false, reason: "copied-chat" };
  return { ok: true, headline: text, repairs: [...new Set(repairs)] };
}

function copiesChat(hw: readonly string[], d: ChatDigest): boolean {
  if (hw.length < COPY_RUN) return false;
  const runs = new Set<string>();
  for (let i = 0; i + COPY_RUN <= hw.length; i++) runs.add(hw.slice(i, i + COPY_RUN).join(" "));
  // The window prompt shows the model every line kept (`lines`), not only the top groups: a copy of a line said
  // once is as much a copy as one of the top group's.
  for (const group of [d.groups, d.lines ?? []]) {
    for (const g of group) {
      const mw = words(g.text);
      for (let i = 0; i + COPY_RUN <= mw.length; i++) if (runs.has(mw.slice(i, i + COPY_RUN).join(" "))) return true;
    }
  }
  return false;
}
