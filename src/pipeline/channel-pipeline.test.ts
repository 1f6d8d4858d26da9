import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractive, processed, processor, syntheticChat } from "../../test/helpers/pipeline-fixtures.js";
import type { OutputRecord, Rollup, Snapshot } from "../schema/output-schema.js";
import { hasReusedParts, stableFieldsOf } from "../core/record-marks.js";
import { escapeJsonText } from "../core/text-cleaning.js";
import { recordJson } from "../sinks/record-json.js";
import { ChannelPipeline } from "./channel-pipeline.js";

function pipeline(): { p: ChannelPipeline; out: OutputRecord[] } {
  const out: OutputRecord[] = [];
  return { p: new ChannelPipeline({ channel: "c", summarizer: () => extractive, emit: (r) => out.push(r) }), out };
}
const snapshots = (out: OutputRecord[]): Snapshot[] => out.filter((r): r is Snapshot => r.type === "snapshot");
const rollups = (out: OutputRecord[], level: string): Rollup[] => out.filter((r): r is Rollup => r.type === "rollup" && r.level === level);

describe("ChannelPipeline", () => {
  it("publishes a snapshot at every 500 ms from the first message (rounded down) to the last, through silence", () => {
    const { p, out } = pipeline();
    p.ingest(processed(1_234, "hello"));
    p.ingest(processed(2_000, "LUL"));
    p.ingest(processed(70_100, "back"));
    p.finish();
    const times = snapshots(out).map((s) => s.t);
    expect(times[0]).toBe(1_000);
    expect(times[times.length - 1]).toBe(70_000);
    expect(times).toHaveLength((70_000 - 1_000) / 500 + 1);
    expect(times.every((t, i) => i === 0 || t - (times[i - 1] as number) === 500)).toBe(true);
  });

  it("windows each snapshot on (t − 30 s, t], reaching back for 15 messages when chat is quiet", () => {
    const { p, out } = pipeline();
    for (let i = 0; i < 20; i++) p.ingest(processed(i * 4_000, "PogChamp"));
    p.finish();
    const at = (t: number) => snapshots(out).find((s) => s.t === t) as Snapshot;
    expect(at(0).count).toBe(1);
    expect(at(76_000)).toMatchObject({ count: 15, window: { start: 19_500, end: 76_000 } });
    expect(at(76_000).rate).toBeCloseTo(15 / 56.5, 2);
    expect(at(2_000).sentiment.pos).toBeGreaterThan(0.5);
  });

  it("gives each snapshot's clusters their growth against the window one span earlier, and flags new topics", () => {
    const { p, out } = pipeline();
    // 0–30 s: baron talk; 30–60 s: more baron talk and a new dragon thread.
    const chat = [
      ...Array.from({ length: 10 }, (_, i) => processed(1_000 + i * 2_000, "baron steal", `a${i}`)),
      ...Array.from({ length: 14 }, (_, i) => processed(31_000 + i * 2_000, "baron steal", `b${i}`)),
      ...Array.from({ length: 6 }, (_, i) => processed(40_001 + i * 2_000, "dragon soul", `c${i}`)),
    ].sort((a, b) => a.t - b.t);
    for (const m of chat) p.ingest(m);
    p.finish();
    const at = (t: number) => snapshots(out).find((s) => s.t === t) as Snapshot;
    expect(at(27_000).clusters[0]).toMatchObject({ label: "baron", count: 10 });
    expect(at(27_000).clusters[0]?.growth).toBeUndefined(); // no window before the first
    const later = at(57_000).clusters;
    expect(later.find((c) => c.label === "baron")).toMatchObject({ count: 14, growth: 4 });
    expect(later.find((c) => c.label === "baron")?.new).toBeUndefined();
    expect(later.find((c) => c.label === "dragon")).toMatchObject({ count: 6, growth: 6, new: true });
    expect(at(57_000).mood).toMatch(/^(pos|neu|neg|mixed)$/);
    const minute = rollups(out, "5s");
    expect(minute.every((r) => r.clusters.reduce((n, c) => n + c.count, 0) <= r.count)).toBe(true);
  });

  it("sums 5 s roll-ups to every message and builds each level from the one below", () => {
    const { p, out } = pipeline();
    let n = 0;
    for (let t = 500; t < 1_300_000; t += 777) {
      p.ingest(processed(t, n % 3 === 0 ? "GG" : "what is this?", `u${n % 50}`));
      n++;
    }
    p.finish();
    const five = rollups(out, "5s");
    const minute = rollups(out, "1m");
    const ten = rollups(out, "10m");
    expect(five.reduce((s, r) => s + r.count, 0)).toBe(n);
    expect(minute.reduce((s, r) => s + r.count, 0)).toBe(n);
    expect(ten.reduce((s, r) => s + r.count, 0)).toBe(n);
    for (const m of minute) {
      const parts = five.filter((r) => r.start >= m.start && r.end <= m.end);
      expect(m.count).toBe(parts.reduce((s, r) => s + r.count, 0));
      expect(m.scored).toBe(parts.reduce((s, r) => s + r.scored, 0));
    }
    expect(ten.map((r) => [r.start, r.end, r.partial ?? false])).toEqual([
      [0, 600_000, false],
      [600_000, 1_200_000, false],
      [1_200_000, 1_800_000, true],
    ]);
    expect(five.every((r) => r.end - r.start === 5000 && r.start % 5000 === 0)).toBe(true);
    expect(out.every((r) => r.headline.length > 0)).toBe(true);
  });

  it("counts out-of-order messages at the latest time instead of rewriting what was published", () => {
    const { p, out } = pipeline();
    p.ingest(processed(10_000, "a"));
    p.ingest(processed(20_000, "b"));
    p.ingest(processed(5_000, "late"));
    p.finish();
    expect(p.lateCount).toBe(1);
    expect(p.messageCount).toBe(3);
    expect(snapshots(out).find((s) => s.t === 20_000)?.count).toBe(3);
  });

  it("lists the 5 s buckets behind each snapshot, the open one marked", () => {
    const { p, out } = pipeline();
    for (let t = 0; t <= 40_000; t += 250) p.ingest(processed(t, "LUL"));
    p.finish();
    const s = snapshots(out).find((x) => x.t === 40_000) as Snapshot;
    expect(s.buckets.map((b) => b.start)).toEqual([10_000, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000]);
    expect(s.buckets[s.buckets.length - 1]?.open).toBe(true);
    expect(s.buckets[0]?.count).toBe(20);
    expect(s.buckets[0]?.top).toEqual([{ text: "LUL", count: 20 }]);
  });

  it("leaves empty closed buckets out of a quiet window's audit, and keeps the open one", () => {
    const { p, out } = pipeline();
    for (let t = 1_000; t <= 91_000; t += 30_000) p.ingest(processed(t, "anyone here?"));
    p.advanceTo(100_000);
    const s = snapshots(out).find((x) => x.t === 100_000) as Snapshot;
    expect(s.window.start).toBe(500);
    expect(s.buckets.map((b) => [b.start, b.count, b.open ?? false])).toEqual([
      [0, 1, false],
      [30_000, 1, false],
      [60_000, 1, false],
      [90_000, 1, false],
      [100_000, 0, true],
    ]);
  });

  it("carries wall-clock ts when the source knows it, and lowers confidence for shed messages", () => {
    const { p, out } = pipeline();
    for (let i = 0; i < 40; i++) p.ingest({ ...processed(i * 500, "nice", `u${i}`), ts: 1_700_000_000_000 + i * 500 });
    const before = snapshots(out).at(-1) as Snapshot;
    for (let i = 0; i < 200; i++) p.noteShed(20_000);
    p.ingest(processed(20_500, "nice", "z"));
    p.advanceTo(21_000);
    const after = snapshots(out).at(-1) as Snapshot;
    expect(before.ts).toBe(1_700_000_000_000 + before.t);
    expect(after.confidence).toBeLessThan(before.confidence);
  });
});

describe("ChannelPipeline headlines", () => {
  it("holds the headline while the content is the same, rewrites it when chat turns, and says why", () => {
    const { p, out } = pipeline();
    for (let t = 0; t < 60_000; t += 200) p.ingest(processed(t, t % 400 === 0 ? "PogChamp" : "LETS GO", `u${t % 3000}`));
    for (let t = 60_000; t < 120_000; t += 200) p.ingest(processed(t, t % 400 === 0 ? "BibleThump" : "so sad", `u${t % 3000}`));
    p.finish();
    const snaps = snapshots(out);
    const changed = snaps.filter((s) => s.changed !== undefined);
    expect(changed[0]).toMatchObject({ t: 0, changed: ["first"] });
    // 600 snapshots; the headline is rewritten a handful of times, as the turn moves through the 30 s window.
    expect(changed.length).toBeLessThanOrEqual(6);
    expect(changed.filter((s) => s.t > 60_000).some((s) => s.changed?.includes("sentiment"))).toBe(true);
    for (const s of snaps) expect(s.headline).toBe(snaps.find((x) => x.t === s.headlineSince)?.headline);
  });

  it("uses a late LLM answer at the first snapshot after it arrives, and the fallback for roll-ups", () => {
    const answers = new Map<string, string>();
    const fallback = { name: "fallback", summarizeWindow: () => "Fallback headline. Second sentence.", summarizePeriod: () => "Fallback period. Second sentence." };
    const llm = {
      name: "llm",
      fallback,
      summarizeWindow: () => "Fallback headline. Second sentence.",
      summarizePeriod: () => "never used",
      keyOf: (d: { groups: { signature: string }[] }) => d.groups.map((g) => g.signature).join("|"),
      latestFor: () => undefined,
      latestForKey: (key: string) => answers.get(key),
      onUpdate: () => () => undefined,
      whenIdle: () => Promise.resolve(),
    };
    const out: OutputRecord[] = [];
    const p = new ChannelPipeline({ channel: "c", summarizer: () => llm, emit: (r) => out.push(r) });
    for (let t = 0; t < 2_000; t += 100) p.ingest(processed(t, "GG", `u${t}`));
    expect(snapshots(out).at(-1)?.headline).toBe("Fallback headline. Second sentence.");
    answers.set("gg", "Chat applauds with GG. Nothing else goes on.");
    p.ingest(processed(2_000, "GG", "late"));
    p.advanceTo(6_000);
    expect(snapshots(out).at(-1)?.headline).toBe("Chat applauds with GG. Nothing else goes on.");
    expect(rollups(out, "5s")[0]?.headline).toBe("Fallback headline. Second sentence.");
  });
});

describe("ChannelPipeline questions", () => {
  it("lists the most asked questions, near-duplicates counted together, without bare ???", () => {
    const { p, out } = pipeline();
    const lines = ["what game is this?", "What game is this??", "LUL", "???", "when is the giveaway?", "what game is this", "LUL"];
    lines.forEach((text, i) => p.ingest(processed(i * 300, text, `u${i}`)));
    p.finish();
    const last = snapshots(out).at(-1) as Snapshot;
    expect(last.questions[0]).toMatchObject({ count: 3 }); // the same words without "?" are the same line
    expect(last.questions[0]?.text.toLowerCase()).toContain("what game is this");
    expect(last.questions.map((q) => q.text)).toContain("when is the giveaway?");
    expect(last.questions.some((q) => q.text === "???")).toBe(false);
  });
});

describe("ChannelPipeline headline stability", () => {
  it("rewrites the headline at the same moments when every message is duplicated tenfold by new users", () => {
    const base = syntheticChat(4000, 17);
    const rewritesOf = (messages: typeof base): number[] => {
      const { p, out } = pipeline();
      for (const m of messages) p.ingest(processor.process(m));
      p.finish();
      return snapshots(out).filter((s) => s.changed !== undefined).map((s) => s.t);
    };
    const once = rewritesOf(base);
    const tenfold = rewritesOf(base.flatMap((m) => Array.from({ length: 10 }, (_, k) => (k === 0 ? m : { ...m, userId: `${m.userId}~${k}`, user: `${m.user}~${k}` }))));
    expect(once.length).toBeGreaterThan(10);
    expect(tenfold).toEqual(once);
  });
});

describe("ChannelPipeline roll-up headlines", () => {
  it("holds each level's headline while its periods say the same, and writes afresh when chat turns", () => {
    let writes = 0;
    const counting = { name: "counting", summarizeWindow: (d: Parameters<typeof extractive.summarizeWindow>[0]) => (writes++, extractive.summarizeWindow(d)), summarizePeriod: (d: Parameters<typeof extractive.summarizePeriod>[0], parts: Parameters<typeof extractive.summarizePeriod>[1]) => (writes++, extractive.summarizePeriod(d, parts)) };
    const out: OutputRecord[] = [];
    const p = new ChannelPipeline({ channel: "c", summarizer: () => counting, emit: (r) => out.push(r) });
    let i = 0;
    for (let t = 0; t < 120_000; t += 250) p.ingest(processed(t, i++ % 2 === 0 ? "PogChamp" : "LETS GO", `u${i % 500}`));
    for (let t = 120_000; t < 240_000; t += 250) p.ingest(processed(t, i++ % 2 === 0 ? "BibleThump" : "so sad", `u${i % 500}`));
    p.finish();
    const five = rollups(out, "5s");
    const written = five.filter((r) => r.changed !== undefined);
    expect(five).toHaveLength(48);
    expect(written[0]).toMatchObject({ t: 5_000, headlineSince: 5_000, changed: ["first"] });
    expect(written.length).toBeLessThanOrEqual(4);
    expect(written.some((r) => r.t > 120_000)).toBe(true);
    for (const level of ["5s", "1m"]) {
      const records = rollups(out, level);
      for (const r of records) {
        expect(r.headlineSince).toBeLessThanOrEqual(r.t);
        expect(r.headline).toBe(records.find((x) => x.t === r.headlineSince)?.headline);
        expect(r.changed !== undefined).toBe(r.headlineSince === r.t);
      }
    }
    expect(writes).toBeLessThan(five.length / 2);
  });

  it("holds a 5 s headline for the window's span even when every period's lines differ", () => {
    const out: OutputRecord[] = [];
    const p = new ChannelPipeline({ channel: "c", summarizer: () => extractive, emit: (r) => out.push(r) });
    // Every 5 s period has its own line, so each period's content differs from the one before.
    for (let t = 0; t < 300_000; t += 250) p.ingest(processed(t, `topic${Math.floor(t / 5_000)} is here`, `u${t % 997}`));
    p.finish();
    const five = rollups(out, "5s").filter((r) => r.partial !== true);
    const written = five.filter((r) => r.changed !== undefined).map((r) => r.t);
    expect(five.length).toBe(59); // the last period, still open at the end of input, is partial
    expect(written.length).toBeGreaterThan(5);
    for (let i = 1; i < written.length; i++) expect((written[i] as number) - (written[i - 1] as number)).toBeGreaterThanOrEqual(30_000);
    for (const r of five) expect(r.t - r.headlineSince).toBeLessThan(35_000);
  });
});

describe("ChannelPipeline: a quiet window re-published", () => {
  // Sparse chat: gaps of up to 3 minutes (the window reaches back, lines leave it one by one), shed messages, events.
  const step = fc.record({
    gapMs: fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 3_000, max: 180_000 })),
    text: fc.constantFrom("anyone here?", "hello chat", "LUL", "PogChamp PogChamp", "what is this game?", "GG", "\u202eevil \u0085 text"),
    user: fc.integer({ min: 0, max: 5 }),
    after: fc.constantFrom("nothing", "nothing", "nothing", "shed", "event", "advance"),
  });

  it("gives the same records, field for field and line for line, as assembling every snapshot from its window", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const runs = [true, false].map((republish) => {
          const out: OutputRecord[] = [];
          const p = new ChannelPipeline({ channel: "c", summarizer: () => extractive, emit: (r) => out.push(r), republish });
          let t = 0;
          for (const s of steps) {
            t += s.gapMs;
            p.ingest(processor.process({ t, platform: "twitch", channel: "c", userId: `u${s.user}`, user: `u${s.user}`, text: s.text, ts: 1_700_000_000_000 + t }));
            if (s.after === "shed") p.noteShed(t + 1);
            else if (s.after === "event") p.noteEvent({ kind: "sub", t: t + 2, platform: "twitch", channel: "c", user: "subber" });
            else if (s.after === "advance") p.advanceTo(t + 40_000);
          }
          p.advanceTo(t + 200_000);
          p.finish();
          return out;
        });
        const [republished, assembled] = runs as [OutputRecord[], OutputRecord[]];
        expect(republished).toEqual(assembled);
        expect(republished.map(recordJson)).toEqual(assembled.map((r) => escapeJsonText(JSON.stringify(r))));
      }),
      { numRuns: 60 },
    );
  });

  it("re-publishes most snapshots of a channel that speaks once a minute, and marks them for the JSON writer", () => {
    const out: OutputRecord[] = [];
    const p = new ChannelPipeline({ channel: "c", summarizer: () => extractive, emit: (r) => out.push(r) });
    for (let i = 0; i < 6; i++) p.ingest(processed(i * 60_000 + 1, "anyone here?"));
    p.advanceTo(6 * 60_000);
    p.finish();
    const quiet = snapshots(out).slice(-200);
    // Consecutive snapshots with nothing entering or leaving: the same parts and the same stable-fields token.
    const sameToken = quiet.filter((s, i) => i > 0 && stableFieldsOf(s) !== undefined && stableFieldsOf(s) === stableFieldsOf(quiet[i - 1] as Snapshot));
    expect(sameToken.length).toBeGreaterThan(150);
    for (const s of sameToken) expect(hasReusedParts(s)).toBe(true);
  });
});
