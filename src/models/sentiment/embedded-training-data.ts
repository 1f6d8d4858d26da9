import { chatStreams, NON_ENGLISH_STREAMS, readChat, readLabelled, sharedDataDir } from "./shared-data.js";

/**
 * The unlabelled chat the trainer learns word priors from: every English-dominant recording. Messages whose text is
 * also a dev-set message are left out, so nothing about the dev messages (not even their unlabelled co-occurrences)
 * reaches the model and dev stays a fair estimate.
 */
export function* unlabelledEnglishChat(dir = sharedDataDir()): Generator<string> {
  const devTexts = new Set(readLabelled("dev", dir).map((r) => r.text));
  for (const stream of chatStreams(dir)) {
    if (NON_ENGLISH_STREAMS.includes(stream)) continue;
    for (const line of readChat(stream, dir)) if (!devTexts.has(line.text)) yield line.text;
  }
}
