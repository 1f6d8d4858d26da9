import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emotesCommand, parseProviders } from "../commands/emotes-command.js";
import { builtinEmoteDictionary, EmoteDictionary, parseEmoteDocument } from "./emote-dictionary.js";
import { fetchChannelEmotes, type EmoteApiBases } from "./emote-providers.js";
import { tokenize } from "./tokenizer.js";
import { startFakeEmoteApis, type FakeEmoteApis } from "../../test/helpers/fake-emote-apis.js";

let apis: FakeEmoteApis;
let bases: EmoteApiBases;
let seen: string[];

beforeAll(async () => {
  apis = await startFakeEmoteApis();
  bases = apis.bases;
  seen = apis.seen;
});
afterAll(() => apis.close());

describe("fetchChannelEmotes", () => {
  it("collects a channel's BTTV, FFZ and 7TV emotes, known ones keeping their meaning and others read from their name", async () => {
    const { document, counts, problems } = await fetchChannelEmotes({ channel: "#Nepu", bases }, builtinEmoteDictionary());
    expect(problems).toEqual([]);
    expect(counts).toEqual({ ffz: 2, bttv: 3, "7tv": 2 }); // nepuHeh counted once, the numeric code skipped
    const emotes = document.emotes ?? {};
    expect(Object.keys(emotes).sort()).toEqual(["KEKW", "nepuHeh", "nepuJam", "nepuLove", "nepuRage", "nepuSleep", "xyzzyQwop"]);
    expect(emotes.KEKW).toMatchObject({ meaning: builtinEmoteDictionary().emote("KEKW")?.meaning, source: "bttv" });
    expect(emotes.nepuLove).toMatchObject({ meaning: "love", source: "ffz" });
    expect(emotes.nepuLove?.polarity).toBeGreaterThan(0);
    expect(emotes.nepuRage?.polarity).toBeLessThan(0);
    expect(emotes.nepuSleep?.meaning).toBe("boredom");
    expect(emotes.nepuJam?.meaning).toBe("hype");
    expect(emotes.xyzzyQwop).toMatchObject({ meaning: "a channel emote", polarity: 0 });
    expect(seen.some((u) => u.includes("global"))).toBe(false); // globals only when asked

    // The document loads as a per-channel dictionary: the channel's emotes become emote tokens, not topic words.
    const dict = new EmoteDictionary().merge(parseEmoteDocument(JSON.stringify(document), "fetched"));
    expect(tokenize("nepuHeh that was close", dict).tokens[0]?.kind).toBe("emote");
  });

  it("adds the global sets when asked, and reports a failing provider without losing the others", async () => {
    const withGlobal = await fetchChannelEmotes({ channel: "nepu", bases, includeGlobal: true, providers: ["bttv", "7tv", "ffz"] }, builtinEmoteDictionary());
    expect(Object.keys(withGlobal.document.emotes ?? {})).toEqual(expect.arrayContaining(["FeelsBadMan", "EZ", "ZreknarF"]));

    const missing = await fetchChannelEmotes({ channel: "nobody", bases }, builtinEmoteDictionary());
    expect(missing.problems[0]).toMatch(/^ffz room \(Twitch id lookup\): HTTP 404/);
    expect(missing.problems).toEqual(expect.arrayContaining(["bttv channel: no Twitch id for the channel", "7tv channel: no Twitch id for the channel"]));
    expect(missing.document.emotes).toEqual({});

    const bttvDown = await fetchChannelEmotes({ channel: "nepu", bases: { ...bases, bttv: `${bases.bttv}/down` }, providers: ["bttv", "7tv"] }, builtinEmoteDictionary());
    expect(bttvDown.problems).toHaveLength(1);
    expect(bttvDown.counts).toEqual({ bttv: 0, ffz: 0, "7tv": 3 }); // FFZ was only asked for the Twitch id
  });
});

describe("chatstream emotes", () => {
  it("writes the document to a file and says what it found; exit 1 and nothing written when nothing was found", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-emotes-"));
    const out = join(dir, "nepu.json");
    const stderr = new PassThrough();
    let log = "";
    stderr.on("data", (c: Buffer) => (log += c.toString()));
    expect(await emotesCommand({ twitch: "nepu", providers: ["7tv"], out, bases }, new PassThrough(), stderr)).toBe(0);
    expect(Object.keys(parseEmoteDocument(readFileSync(out, "utf8"), out).emotes ?? {}).sort()).toEqual(["nepuHeh", "nepuSleep", "xyzzyQwop"]);
    expect(log).toContain("3 emotes (bttv 0, ffz 0, 7tv 3) written to");

    const stdout = new PassThrough();
    let json = "";
    stdout.on("data", (c: Buffer) => (json += c.toString()));
    expect(await emotesCommand({ twitch: "nobody", bases }, stdout, new PassThrough())).toBe(1);
    expect(json).toBe(""); // nothing found, nothing written (see test/cli/emotes-command.test.ts)
  });

  it("refuses an unknown provider name", () => {
    expect(parseProviders(["BTTV", "7tv"])).toEqual(["bttv", "7tv"]);
    expect(parseProviders(undefined)).toEqual(["bttv", "ffz", "7tv"]);
    expect(() => parseProviders(["twitter"])).toThrow(/unknown emote provider "twitter"/);
  });
});
