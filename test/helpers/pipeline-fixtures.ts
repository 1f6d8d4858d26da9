import type { ChatMessage } from "../../src/core/message.js";
import { LexiconSentimentModel } from "../../src/models/sentiment/lexicon-model.js";
import { ExtractiveSummarizer } from "../../src/models/summarizer/extractive-summarizer.js";
import { BotFilter } from "../../src/processing/bot-filter.js";
import { builtinEmoteDictionary } from "../../src/processing/emote-dictionary.js";
import { MessageProcessor, type ProcessedMessage } from "../../src/processing/message-processor.js";

export const emotes = builtinEmoteDictionary();
export const lexicon = new LexiconSentimentModel(emotes);
export const extractive = new ExtractiveSummarizer();
export const processor = new MessageProcessor(emotes, new BotFilter(), () => lexicon);

export function chat(t: number, text: string, user = `u${t}`, channel = "c"): ChatMessage {
  return { t, platform: "twitch", channel, userId: user, user, text };
}

export function processed(t: number, text: string, user = `u${t}`): ProcessedMessage {
  return processor.process(chat(t, text, user));
}

/** A deterministic pseudo-random chat: bursts, silences and repeated lines, for replay-equivalence tests. */
export function syntheticChat(count: number, seed = 7, channel = "c"): ChatMessage[] {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const lines = ["LUL", "KEKW KEKW", "what game is this?", "GG", "this is boring ResidentSleeper", "PogChamp", "nice play", "BibleThump", "!uptime", "hello chat"];
  const out: ChatMessage[] = [];
  let t = 1234;
  for (let i = 0; i < count; i++) {
    const r = rand();
    t += r < 0.02 ? 40_000 + Math.floor(rand() * 100_000) : Math.floor(rand() * 900);
    const user = `user${Math.floor(rand() * 60)}`;
    out.push({ t, platform: "twitch", channel, userId: user, user, text: lines[Math.floor(rand() * lines.length)] as string });
  }
  return out;
}
