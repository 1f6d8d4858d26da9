import { createRequire } from "node:module";
import type * as GptTokenizer from "gpt-tokenizer";

// gpt-tokenizer (about 110 ms to load, its encoding tables) is read at the first count: only a run whose LLM sends no usage needs it.
const require = createRequire(import.meta.url);
let tokenizer: typeof GptTokenizer | undefined;
const countTokens = (text: string): number => (tokenizer ??= require("gpt-tokenizer") as typeof GptTokenizer).countTokens(text);

/** A chat message as the OpenAI chat-completions API takes it. */
export interface PromptMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

// The chat format adds a few tokens per message (role, separators) and three to prime the reply.
const PER_MESSAGE = 4;
const REPLY_PRIMING = 3;

/** Tokens of a plain text, counted with gpt-tokenizer (o200k_base, the GPT-4o family's encoding). */
export function textTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text);
}

/** Prompt tokens of a chat request, as the API would bill them (used when a response carries no `usage`). */
export function promptTokens(messages: readonly PromptMessage[]): number {
  let n = REPLY_PRIMING;
  for (const m of messages) n += PER_MESSAGE + textTokens(m.content);
  return n;
}
