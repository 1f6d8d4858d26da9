import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary, loadEmoteDictionary, parseEmoteDocument } from "./emote-dictionary.js";

describe("EmoteDictionary", () => {
  it("knows the common emotes, their aliases and emoji", () => {
    const d = builtinEmoteDictionary();
    expect(d.emote("LUL")?.meaning).toBe("laughter");
    expect(d.emote("lul")?.polarity).toBeGreaterThan(0);
    expect(d.emote("BibleThump")?.polarity).toBeLessThan(0);
    expect(d.emojiMeaning("❤️")?.meaning).toBe("love");
    // A skin tone does not change the meaning: 🙏🏽 reads as 🙏, 👍🏻 as 👍.
    expect(d.emojiMeaning("🙏🏽")).toBe(d.emojiMeaning("🙏"));
    expect(d.emojiMeaning("👍🏻")?.polarity).toBeGreaterThan(0);
    expect(d.size).toBeGreaterThan(100);
  });

  it("loads per-channel files on top of the built-in one, and rejects bad files clearly", () => {
    const dir = mkdtempSync(join(tmpdir(), "emotes-"));
    const file = join(dir, "channel.json");
    writeFileSync(file, JSON.stringify({ format: "chatstream-emotes/1", emotes: { nepuHeh: { meaning: "smug laughter", polarity: 0.6, aliases: ["nepuheh"] } } }));
    const d = loadEmoteDictionary([file]);
    expect(d.emote("nepuheh")?.meaning).toBe("smug laughter");
    expect(d.emote("LUL")).toBeDefined();
    expect(builtinEmoteDictionary().emote("nepuHeh")).toBeUndefined();
    expect(() => parseEmoteDocument("{", "x.json")).toThrow(/x.json: not valid JSON/);
    expect(() => parseEmoteDocument("{}", "y.json")).toThrow(/not a chatstream-emotes\/1 document/);
  });
});
