import fc from "fast-check";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import type { Snapshot, TopicCluster } from "../schema/output-schema.js";
import { renderSnapshot, truncate, wrap } from "./hud-render.js";

const cluster = (label: string, count: number, extra: Partial<TopicCluster> = {}): TopicCluster => ({ label, count, users: count, share: 0.1, sentiment: { pos: 0.5, neu: 0.5, neg: 0, net: 50 }, top: [], ...extra });

/** A busy snapshot: many threads, a long channel name, events, a headline in several scripts. */
const busy = (over: Partial<Snapshot> = {}): Snapshot => ({
  type: "snapshot",
  channel: "riotgames",
  t: 5_025_500,
  window: { start: 4_995_500, end: 5_025_500 },
  count: 1234,
  scored: 1200,
  chatters: 456,
  rate: 41.13,
  sentiment: { pos: 0.386, neu: 0.362, neg: 0.252, net: 13.4 },
  mood: "mixed",
  confidence: 0.73,
  headline: "Chat cheers the baron steal with PogChamp spam. Others blame the jungler and ask who is winning.",
  headlineSince: 5_000_000,
  questions: [],
  topics: [],
  top: [],
  buckets: [],
  clusters: [cluster("baron", 140, { growth: 40, new: true }), cluster("jungler", 52, { growth: -12, dissent: true }), cluster("PogChamp", 61), cluster("drake", 33, { growth: 6 }), cluster("ref", 21), cluster(":face_with_tears_of_joy:", 18), cluster("gg", 12)],
  events: [{ kind: "raid", t: 5_020_000, platform: "twitch", user: "BigStreamerWithALongName", count: 4200 }, { kind: "sub", t: 5_021_000, platform: "twitch", user: "someone" }, { kind: "paid", t: 5_022_000, platform: "youtube", user: "Ann", amount: "$5.00" }],
  ...over,
});

const widest = (lines: readonly string[]): number => Math.max(...lines.map((l) => stringWidth(l)));

describe("HUD lines fit the terminal", () => {
  it("[#14.23] at 80 columns no line wraps: a shorter bar, and threads cut with +N more", () => {
    for (const color of [false, true]) {
      const lines = renderSnapshot(busy(), { width: 80, color });
      expect(widest(lines)).toBeLessThanOrEqual(80);
      const plain = renderSnapshot(busy(), { width: 80, color: false });
      expect(plain.find((l) => l.startsWith("sentiment"))).toMatch(/^sentiment {2}[█▒]+ {3}\+13\.4 {2}pos 39% neu 36% neg 25%$/);
      expect(plain.find((l) => l.startsWith("threads"))).toMatch(/^threads {4}baron 140 ▲40 new · jungler 52 ▼12 dissent · .* · \+\d more$/);
    }
  });

  it("[#14.23] wide characters (emoji, CJK) count as two columns", () => {
    const s = busy({ headline: "弹幕都在刷666，大家觉得这波团战打得太漂亮了。也有人在问下一场比赛什么时候开始。😂😂😂", channel: "주간_하이라이트_채널" });
    for (const width of [40, 80]) {
      const lines = renderSnapshot(s, { width, color: false });
      expect(widest(lines)).toBeLessThanOrEqual(width);
    }
    expect(wrap("弹幕都在刷666大家觉得", 8)).toEqual(["弹幕都在", "刷666大", "家觉得"]); // 8, 7 and 6 columns
    expect(truncate("😂😂😂", 4)).toBe("😂…");
  });

  it("[#14.prop] every HUD line fits any terminal width, whatever the snapshot holds", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "bc", " ", "弹", "😂", "👍🏽", "é", "-", "x".repeat(30)), maxLength: 60 });
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 200 }), text, text, fc.array(fc.tuple(text, fc.integer({ min: 0, max: 99_999 })), { maxLength: 12 }), (width, headline, channel, threads) => {
        const s = busy({ headline, channel, clusters: threads.map(([label, n]) => cluster(label || "x", n, { growth: n % 7 })) });
        expect(widest(renderSnapshot(s, { width, color: true }))).toBeLessThanOrEqual(width);
      }),
      { numRuns: 300 },
    );
  });

  it("shows YouTube emoji shortcodes in threads as emoji", () => {
    const threads = renderSnapshot(busy({ clusters: [cluster(":face_with_tears_of_joy:", 9)] }), { width: 120, color: false }).find((l) => l.startsWith("threads"));
    expect(threads).toBe("threads    😂 9");
  });
});
