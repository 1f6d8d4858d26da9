import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "./message.js";
import { cleanEvent, cleanMessage, cleanText, escapeJsonText, needsCleaning } from "./text-cleaning.js";

// Anything a terminal or a bidi renderer acts on: C0, DEL, C1, bidi embeddings/overrides/isolates and marks.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe("cleanText", () => {
  it("removes whole escape sequences, not just their ESC", () => {
    expect(cleanText("x\u001b]0;PWNED\u0007\u001b[2J")).toBe("x");
    expect(cleanText("a\u001b[1;31mred\u001b[0m b")).toBe("ared b");
    expect(cleanText("osc with ST \u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\ end")).toBe("osc with ST link end");
    expect(cleanText("reset\u001bc now")).toBe("reset now");
    expect(cleanText("c1 \u009b2J csi and \u009d0;t\u009c osc")).toBe("c1  csi and  osc");
    expect(cleanText("mirc \u000304,07red\u000f and \u0002bold\u0002")).toBe("mirc red and bold");
  });

  it("leaves an unterminated control string's text but none of its controls", () => {
    expect(cleanText("x\u001b]0;never ends")).toBe("x0;never ends");
  });

  it("turns tab, CR, LF and NEL into a space so words do not glue, and drops other controls", () => {
    expect(cleanText("one\ttwo\r\nthree\u0085four")).toBe("one two  three four");
    expect(cleanText("nul\u0000bel\u0007del\u007f")).toBe("nulbeldel");
  });

  it("drops bidi overrides, embeddings, isolates and marks", () => {
    expect(cleanText("evil\u202Egnp.exe")).toBe("evilgnp.exe");
    expect(cleanText("\u2066a\u2067b\u2068c\u2069\u202Ad\u202Be\u202Cf\u202D")).toBe("abcdef");
    expect(cleanText("sc\u200Fam\u200E.c\u061Com")).toBe("scam.com");
  });

  it("keeps emoji sequences (ZWJ, variation selectors, tags), non-Latin scripts and the same string when clean", () => {
    const emoji = "👩‍💻 ❤️ 🏴󠁧󠁢󠁥󠁮󠁧󠁿 👍🏽 مرحبا こんにちは";
    expect(cleanText(emoji)).toBe(emoji);
    const clean = "just chat";
    expect(cleanText(clean)).toBe(clean);
    expect(needsCleaning(clean)).toBe(false);
    expect(needsCleaning("a\u0085b")).toBe(true);
  });

  it("[#14.prop] leaves nothing unsafe, is idempotent and keeps every safe character in order", () => {
    const unsafeChar = fc.constantFrom("\u001b", "\u0007", "\u009b", "\u009c", "\u009d", "\u202e", "\u2066", "\u200f", "\u061c", "\u0000", "\t", "\n", "[", "]", ";", "\\", "2", "J");
    const text = fc.array(fc.oneof(fc.string({ unit: "grapheme" }), unsafeChar), { maxLength: 40 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (s) => {
        const c = cleanText(s);
        expect(UNSAFE.test(c)).toBe(false);
        expect(cleanText(c)).toBe(c);
        expect(c.length).toBeLessThanOrEqual(s.length);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const safe = s.replace(new RegExp(UNSAFE.source, "g"), "");
        expect(cleanText(safe)).toBe(safe);
      }),
    );
  });
});

describe("cleanMessage and cleanEvent", () => {
  it("cleans every text field of a message and moves emote ranges along", () => {
    const text = "\u001b[31mhi\u001b[0m Kappa \u202Egg";
    const start = text.indexOf("Kappa");
    const m: ChatMessage = {
      id: "i\u0007d",
      t: 5,
      platform: "twitch\u009b",
      channel: "x\u001b]0;PWNED\u0007\u001b[2J",
      userId: "u\u202E1",
      user: "Bob\u001b[2J",
      text,
      emotes: [
        { name: "Kappa", start, end: start + 5 },
        { name: "gone", start: 0, end: 5 },
      ],
      badges: ["moderator\u0007"],
      paid: { amount: "$5\u009b", currency: "USD\u202E" },
      replyTo: "r\u0000",
    };
    const c = cleanMessage(m);
    expect(c).toEqual({
      id: "id",
      t: 5,
      platform: "twitch",
      channel: "x",
      userId: "u1",
      user: "Bob",
      text: "hi Kappa gg",
      emotes: [{ name: "Kappa", start: 3, end: 8 }],
      badges: ["moderator"],
      paid: { amount: "$5", currency: "USD" },
      replyTo: "r",
    });
    expect(c.text.slice(3, 8)).toBe("Kappa");
    const clean: ChatMessage = { t: 1, platform: "twitch", channel: "c", userId: "u", user: "u", text: "hi", emotes: [{ name: "hi", start: 0, end: 2 }] };
    expect(cleanMessage(clean)).toBe(clean);
  });

  it("drops the emote list when every range was a control sequence", () => {
    const c = cleanMessage({ t: 1, platform: "p", channel: "c", userId: "u", user: "u", text: "\u001b[2Jok", emotes: [{ name: "x", start: 0, end: 4 }] });
    expect(c.text).toBe("ok");
    expect(c.emotes).toBeUndefined();
  });

  it("cleans an event's user, text, amount, channel, platform and id", () => {
    const e = cleanEvent({ kind: "paid", t: 1, platform: "youtube\u0007", channel: "c\u001b[2J", user: "Ann\u001b]0;x\u0007", text: "thanks\u202E", amount: "$5\u009b", id: "\u0000e" });
    expect(e).toEqual({ kind: "paid", t: 1, platform: "youtube", channel: "c", user: "Ann", text: "thanks", amount: "$5", id: "e" });
    const clean = { kind: "raid" as const, t: 1, platform: "twitch", channel: "c", user: "R", count: 3 };
    expect(cleanEvent(clean)).toBe(clean);
  });
});

describe("escapeJsonText", () => {
  it("escapes C1, DEL, bidi controls and line separators; the JSON reads back the same", () => {
    const value = { s: "a\u009b2J\u007f\u202Eb\u2028c\u2066" };
    const json = escapeJsonText(JSON.stringify(value));
    expect(json).toBe('{"s":"a\\u009b2J\\u007f\\u202eb\\u2028c\\u2066"}');
    expect(JSON.parse(json)).toEqual(value);
  });
});
