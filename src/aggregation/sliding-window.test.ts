import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { processed } from "../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder } from "./chat-digest.js";
import type { ContentFingerprint } from "./content-change.js";
import { DEFAULT_WINDOW_POLICY, SlidingWindow } from "./sliding-window.js";

describe("SlidingWindow", () => {
  it("builds the window's lines only when asked, in order of first appearance", () => {
    const w = new SlidingWindow();
    for (const [i, text] of ["first line", "second line", "LUL", "LUL", "LUL"].entries()) w.push(processed(i * 1000, text, `u${i}`));
    const sel = w.select(5_000);
    expect(sel.digest.lines).toBeUndefined();
    expect(sel.digest.groups[0]?.text).toBe("LUL");
    const full = sel.withLines();
    expect(full.lines?.map((g) => g.text)).toEqual(["first line", "second line", "LUL"]);
    expect(full.count).toBe(sel.digest.count);
    expect(full.groups.map((g) => g.signature)).toEqual(sel.digest.groups.map((g) => g.signature));
  });

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

  it("lets go of a quiet chat's dropped messages, not only a busy one's (the array, not just the window)", () => {
    // One message a minute for 20 hours, a snapshot every 30 s: the window keeps the last 15 (those within 120 s:
    // 2), and the array behind it must not keep the 1,200 dropped ones (a floor of 1,024 drops kept them all).
    const w = new SlidingWindow();
    for (let i = 0; i < 1_200; i++) {
      w.push(processed(i * 60_000, `line ${i % 7}`));
      w.select(i * 60_000 + 30_000);
    }
    expect(w.length).toBeLessThanOrEqual(DEFAULT_WINDOW_POLICY.minMessages);
    expect(w.retained).toBeLessThanOrEqual(2 * DEFAULT_WINDOW_POLICY.minMessages + 16);
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

describe("SlidingWindow bounds and the span's fingerprint", () => {
  it("keeps at most maxMessages and maxGroups, counting what the caps took", () => {
    const w = new SlidingWindow({ ...DEFAULT_WINDOW_POLICY, maxMessages: 50, maxGroups: 20 });
    for (let i = 0; i < 100; i++) w.push(processed(i * 10, `line ${i % 40}`));
    const { digest, version } = w.select(1_000);
    expect(digest.count).toBe(50);
    expect(w.length).toBe(50);
    expect(w.evicted.messages).toBe(50);
    expect(w.evicted.groups).toBeGreaterThan(0);
    expect(digest.groups.length).toBeLessThanOrEqual(20);
    expect(w.select(1_000).version).toBe(version);
  });

  it("tracks the cosine with a kept fingerprint exactly as a full pass computes it", () => {
    const fullCosine = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number => {
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (const [k, x] of a) {
        na += x * x;
        dot += x * (b.get(k) ?? 0);
      }
      for (const y of b.values()) nb += y * y;
      return na === 0 || nb === 0 ? (na === nb ? 1 : 0) : dot / Math.sqrt(na * nb);
    };
    const lines = ["LUL", "GG", "what?", "nice baron", "!uptime", "PogChamp", "so sad BibleThump"];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.nat({ max: lines.length - 1 }), fc.boolean()), { maxLength: 120 }), (steps) => {
        const w = new SlidingWindow({ ...DEFAULT_WINDOW_POLICY, maxGroups: 4 });
        let t = 0;
        let kept: ContentFingerprint | undefined;
        for (const [dt, line, keep] of steps) {
          t += dt;
          w.push(processed(t, lines[line] as string, `u${t % 7}`));
          const snapshotT = Math.ceil(t / 500) * 500;
          const { span } = w.select(snapshotT);
          if (kept === undefined || keep) kept = { groupCounts: new Map(span.groupCounts), top: span.top, net: span.net, active: span.active };
          expect(span.similarityTo?.(kept)).toBeCloseTo(fullCosine(kept.groupCounts, span.groupCounts), 12);
        }
      }),
    );
  });
});
