import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chatName, chatTextWithSpans } from "../../../test/helpers/chat-arbitraries.js";
import { BROKEN_TEXT } from "../../../test/helpers/prototype-words.js";
import { DigestBuilder, mergeDigests, type ChatDigest } from "../../aggregation/chat-digest.js";
import { clustersOf } from "../../aggregation/topic-clusters.js";
import { BotFilter } from "../../processing/bot-filter.js";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { MessageProcessor } from "../../processing/message-processor.js";
import { createSentimentModel } from "../sentiment/registry.js";
import { countSentences } from "./headline-text.js";
import { llmServer } from "./llm/llm-servers.js";
import { createSummarizer, summarizerNames } from "./registry.js";

const emotes = builtinEmoteDictionary();
const processors = ["embedded", "lexicon"].map((name) => {
  const model = createSentimentModel(name, { emotes });
  return new MessageProcessor(emotes, new BotFilter(), () => model);
});
/** LLM summarizers need a server; every other registered one is checked. */
const OFFLINE = summarizerNames().filter((n) => llmServer(n) === undefined);

/** A window of chat: lines (some posted several times, as spam is), by users named anything, cut into up to four parts. */
const chatWindow = fc.record({
  lines: fc.array(fc.record({ line: chatTextWithSpans, user: chatName, times: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 40 }),
  parts: fc.integer({ min: 1, max: 4 }),
  processor: fc.constantFrom(...processors),
});

function expectHeadline(headline: string, what: string): void {
  expect(headline, what).not.toMatch(BROKEN_TEXT);
  expect(countSentences(headline), `${what}: ${headline}`).toBe(2);
}

describe("summarizers over any window", () => {
  for (const name of OFFLINE) {
    const summarizer = createSummarizer(name, undefined, { emotes });
    it(`[#14.prop] ${name} writes two sentences, never "undefined", "null", "NaN" or "[object", for any window and period`, () => {
      fc.assert(
        fc.property(chatWindow, ({ lines, parts, processor }) => {
          // Chat that says "null" may be quoted saying it; the property is about what the code adds.
          fc.pre(!lines.some(({ line, user }) => BROKEN_TEXT.test(line.text) || BROKEN_TEXT.test(user)));
          const whole = new DigestBuilder();
          const builders = Array.from({ length: parts }, () => new DigestBuilder());
          let t = 0;
          lines.forEach(({ line, user, times }, i) => {
            for (let k = 0; k < times; k++) {
              const m = processor.process({ t: (t += 100), platform: "twitch", channel: "c", userId: user, user, text: line.text, emotes: line.spans });
              whole.add(m);
              (builders[i % parts] as DigestBuilder).add(m);
            }
          });
          const digests: ChatDigest[] = builders.map((b, i) => b.build(i * 5_000, (i + 1) * 5_000));
          const d = whole.build(-1, t);
          const { clusters } = clustersOf(d, clustersOf(digests[0] as ChatDigest, undefined).sizes);
          expectHeadline(summarizer.summarizeWindow(d, { clusters }), "window");
          expectHeadline(summarizer.summarizeWindow(d), "window read alone");
          expectHeadline(summarizer.summarizePeriod(mergeDigests(digests, 0, parts * 5_000), digests), "period");
        }),
        { numRuns: 150 },
      );
    });
  }
});
