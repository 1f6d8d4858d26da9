import { describe, expect, it } from "vitest";
import { processed } from "../../../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder } from "../../../aggregation/chat-digest.js";
import { builtinEmoteDictionary } from "../../../processing/emote-dictionary.js";
import { analyzeDigest } from "./window-structure.js";

// Issue 15, item 5: non-English function words never become topics. The three headlines the issue quotes were
// "cheer for obrigado", "laughing at als and Mangold" and "the twitch and bei"; these windows hold such lines.
const emotes = builtinEmoteDictionary();

function topicsOf(lines: readonly [string, number][]): string[] {
  const b = new DigestBuilder();
  let i = 0;
  for (const [text, n] of lines) for (let k = 0; k < n; k++, i++) b.add(processed(i * 100, text, `viewer${i}`));
  return analyzeDigest(b.build(-1, i * 100), emotes).topics.map((t) => t.label.toLowerCase());
}

describe("topics in mixed-language windows", () => {
  it("never names \"obrigado\" (Portuguese thanks) in an English window", () => {
    const topics = topicsOf([
      ["obrigado", 6],
      ["obrigado streamer", 3],
      ["great stream today", 4],
      ["that stream was great", 3],
    ]);
    expect(topics).not.toContain("obrigado");
    expect(topics).toContain("stream");
  });

  it("never names \"als\" in a German window, while its names stay topics", () => {
    const topics = topicsOf([
      ["Mangold als Koch LUL", 4],
      ["als ob Mangold das kann LUL", 3],
      ["Mangold LUL", 3],
      ["lustiger als gestern", 2],
    ]);
    expect(topics).not.toContain("als");
    expect(topics).toContain("mangold");
  });

  it("never names \"bei\" beside \"twitch\" when German and English lines mix", () => {
    const topics = topicsOf([
      ["bei twitch ist das besser", 3],
      ["the twitch chat is faster", 3],
      ["bei mir auch twitch", 3],
      ["twitch is down", 2],
    ]);
    expect(topics).not.toContain("bei");
    expect(topics).toContain("twitch");
  });
});
