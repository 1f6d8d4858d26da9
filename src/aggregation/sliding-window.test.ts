import { describe, expect, it } from "vitest";
import { processed } from "../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder } from "./chat-digest.js";
import { SlidingWindow } from "./sliding-window.js";

describe("SlidingWindow", () => {
  it("holds the messages in (t − 30 s, t] when there are enough", () => {
    const w = new SlidingWindow();
    for (let i = 0; i < 40; i++) w.push(processed(i * 1000, "hi"));
    const { start, digest } = w.select(39_000);
    expect(start).toBe(9_000);
    expect(digest.count).toBe(30);
    expect(w.oldest()?.t).toBe(10_000);
  });

  it("reaches back up to 120 s to find 15 messages in a quiet chat", () => {
    const w = new SlidingWindow();
    for (let i = 0; i < 20; i++) w.push(processed(i * 10_000 + 300, "hi"));
    const { start, digest } = w.select(200_000);
    expect(digest.count).toBe(12); // only 12 are within 120 s
    expect(w.oldest()?.t).toBe(80_300);
    expect(start).toBe(80_000);
    const w2 = new SlidingWindow();
    for (let i = 0; i < 20; i++) w2.push(processed(i * 5_000, "hi"));
    const sel = w2.select(95_000);
    expect(sel.digest.count).toBe(15);
    expect(w2.oldest()?.t).toBe(25_000);
    expect(sel.start).toBe(24_500);
  });

  it("forgets what no later window can need, so memory follows the rate, not the length", () => {
    const w = new SlidingWindow();
    for (let i = 0; i < 50_000; i++) {
      w.push(processed(i * 100, "x"));
      if (i % 5 === 0) w.select(i * 100);
    }
    // 300 messages in the last 30 s at 10/s, plus the 4 pushed after the last select.
    expect(w.length).toBeLessThanOrEqual(304);
  });

  it("keeps its running digest equal to a digest rebuilt from the window's messages", () => {
    const w = new SlidingWindow();
    const all = Array.from({ length: 400 }, (_, i) => processed(i * 700 + (i % 3) * 150, ["LUL", "GG", "what?", "nice baron", "!uptime"][i % 5] as string, `u${i % 17}`));
    for (let i = 0; i < all.length; i++) {
      w.push(all[i] as (typeof all)[number]);
      if (i % 7 !== 0) continue;
      const t = Math.ceil((all[i] as (typeof all)[number]).t / 500) * 500;
      const { start, digest } = w.select(t);
      const fresh = new DigestBuilder();
      for (const m of all.slice(0, i + 1)) if (m.t > start) fresh.add(m);
      const rebuilt = fresh.build(start, t);
      expect(digest.count).toBe(rebuilt.count);
      expect(digest.chatters).toBe(rebuilt.chatters);
      expect(digest.terms).toEqual(rebuilt.terms);
      expect(digest.groups.map((g) => [g.signature, g.count, g.users])).toEqual(rebuilt.groups.map((g) => [g.signature, g.count, g.users]));
      expect(digest.sentiment.pos).toBeCloseTo(rebuilt.sentiment.pos, 9);
    }
  });
});
