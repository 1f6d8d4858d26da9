import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findLinks, maskOnAir, promotes, promotionIn } from "./on-air-filter.js";

const spanned = (text: string): string[] => findLinks(text).map((s) => text.slice(s.start, s.end));

describe("findLinks", () => {
  it("gives each link's exact range in the original text, obfuscated or not", () => {
    expect(spanned("see evil[.]com now and skins.shop/x too")).toEqual(["evil[.]com", "skins.shop/x"]);
    expect(spanned("go to free-robux . club")).toEqual(["free-robux . club"]);
    expect(spanned("free-robux\u200b.club!")).toEqual(["free-robux\u200b.club"]);
    expect(spanned("evil．com and evil。com")).toEqual(["evil．com", "evil。com"]);
    expect(spanned("G2A DOT COM WutFace")).toEqual(["G2A DOT COM"]);
    expect(spanned("mail bob@gmail.com or www.example")).toEqual(["bob@gmail.com", "www.example"]);
    expect(spanned("https://a.b/c")).toEqual(["https://a.b/c"]);
    expect(findLinks("no links here at all")).toEqual([]);
  });

  it("counts what it masks", () => {
    expect(maskOnAir("@a and @b visit x.com, use code SAVE20")).toEqual({ text: "someone and someone visit a link, a promo code", links: 1, handles: 2, codes: 1 });
    expect(maskOnAir("hi @bob", "a viewer").text).toBe("hi a viewer");
  });
});

describe("promotionIn", () => {
  it("names the kind of promotion", () => {
    expect(promotionIn("The streamer endorses it. Fine.")).toBe("endorsement");
    expect(promotionIn("A huge giveaway today. Fine.")).toBe("giveaway");
    expect(promotionIn("Go to evil dot com now. Fine.")).toBe("instruction");
    expect(promotionIn("Chat says code: SAVE20. Fine.")).toBe("instruction");
    expect(promotionIn("Chat cheers the play. Others laugh.")).toBeUndefined();
    expect(promotes("free robux")).toBe(true);
    expect(promotes("free robux")).toBe(true);
    expect(promotes("Faker")).toBe(false);
  });
});

// Ordinary chat: words, emotes, numbers with dots, ellipses, abbreviations.
const CHAT_WORDS = ["PogChamp", "red", "blue", "fun", "lol", "gg", "wp", "LUL", "PogChamp", "what", "a", "play", "3.5", "v1.2", "e.g.", "Mr.", "Smith", "baron", "is", "up", "so", "close", "...", "ok", "no", "way", "14.2", "the", "dot", "at", "end", "tit-for-tat", "1.5x", "kills", "?", "!!", "nice", "free", "kick", "code", "red"];
// A sample of real top-level domains of every kind.
const TLDS = ["com", "net", "org", "club", "shop", "site", "ru", "xyz", "gg", "tv", "io", "store", "online", "live"];
const SEPARATORS = [".", "[.]", "(.)", "{.}", " (dot) ", " [dot] ", " dot ", " . ", "．", "。", "\u200b."];

describe("[#14.prop] the on-air detector", () => {
  it("[#14.prop] leaves ordinary chat as it is", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHAT_WORDS), { minLength: 1, maxLength: 12 }), (words) => {
        const text = words.join(" ");
        expect(maskOnAir(text).text).toBe(text);
      }),
    );
  });

  it("[#14.prop] finds every domain however its dot is written, and masks all of it", () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{1,10}[a-z0-9]$/).filter((l) => !["dot", "lol", "gg", "the", "what", "so", "no", "ok"].includes(l));
    fc.assert(
      fc.property(label, fc.constantFrom(...SEPARATORS), fc.constantFrom(...TLDS), fc.constantFrom("", "/claim", "/free?x=1"), (name, sep, tld, path) => {
        // By design a spaced dot or the word "dot" does not join a chat word: "so close . gg" is chat.
        fc.pre(!(/^ (?:\.|dot) $/.test(sep) && ["gg", "live"].includes(tld)));
        const domain = `${name}${sep}${tld}${path}`;
        expect(maskOnAir(`chat says ${domain} lol`).text).toBe("chat says a link lol");
      }),
    );
  });
});
