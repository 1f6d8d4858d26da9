import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { displayLabel, emojiLabel } from "./emoji-shortcodes.js";
import { formatStreamTime } from "./stream-time.js";

describe("display helpers shared with the web pages", () => {
  it("formats stream time as h:mm:ss", () => {
    expect(formatStreamTime(0)).toBe("0:00:00");
    expect(formatStreamTime(59_999)).toBe("0:00:59");
    expect(formatStreamTime(489_000)).toBe("0:08:09");
    expect(formatStreamTime(3_723_000)).toBe("1:02:03");
    expect(formatStreamTime(-5)).toBe("0:00:00");
  });

  it("turns YouTube emoji shortcodes into emoji and leaves other labels alone", () => {
    expect(displayLabel(":face_with_tears_of_joy:")).toBe("😂");
    expect(displayLabel(":face-with-tears-of-joy:")).toBe("😂");
    expect(displayLabel(":smiling_face_with_heart-eyes:")).toBe("😍");
    expect(displayLabel(":red_heart:")).toBe("❤️");
    expect(displayLabel(":hand-pink-waving:")).toBe(":hand-pink-waving:"); // a YouTube custom emote: no emoji
    expect(displayLabel(":constructor:")).toBe(":constructor:");
    expect(displayLabel("baron")).toBe("baron");
    expect(displayLabel("a :fire: b")).toBe("a :fire: b");
  });

  it("both run from their own source alone, as the pages inline them", () => {
    // A function whose source needs anything outside it (an import, a bundler's helper) would break in the page.
    const time = runInNewContext(`(${String(formatStreamTime)})`) as (ms: number) => string;
    expect(time(3_723_000)).toBe("1:02:03");
    const label = runInNewContext(`(${String(emojiLabel)})`) as typeof emojiLabel;
    expect(label(":fire:", (k) => (k === "fire" ? "🔥" : undefined))).toBe("🔥");
  });
});
