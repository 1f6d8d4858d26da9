import { chatStreams, NON_ENGLISH_STREAMS, readChat, readLabelled, sharedDataDir } from "./shared-data.js";

/** One unlabelled chat message and the recording it comes from (self-training re-weights by stream). */
export interface StreamMessage {
  stream: string;
  text: string;
}

export interface UnlabelledChatOptions {
  /** Also read the German and Indonesian recordings (self-training on all 14). Default false. */
  nonEnglish?: boolean;
  /** Leave these recordings out (leave-one-stream-out: the held-out stream's chat must not reach the model). */
  exclude?: readonly string[];
}

/**
 * Unlabelled chat with its stream, in stream-name order. Messages whose text is also a dev-set message are left out,
 * so nothing about the dev messages (not even their unlabelled co-occurrences) reaches the model and dev stays a fair
 * estimate.
 */
export function unlabelledChat(dir = sharedDataDir(), options: UnlabelledChatOptions = {}): StreamMessage[] {
  const devTexts = new Set(readLabelled("dev", dir).map((r) => r.text));
  const out: StreamMessage[] = [];
  for (const stream of chatStreams(dir)) {
    if (!options.nonEnglish && NON_ENGLISH_STREAMS.includes(stream)) continue;
    if (options.exclude?.includes(stream)) continue;
    for (const line of readChat(stream, dir)) if (!devTexts.has(line.text)) out.push({ stream, text: line.text });
  }
  return out;
}

/** The unlabelled chat the trainer learns word priors and vectors from: every English-dominant recording. */
export function* unlabelledEnglishChat(dir = sharedDataDir()): Generator<string> {
  for (const m of unlabelledChat(dir)) yield m.text;
}
