import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../core/clock.js";
import type { Snapshot } from "../schema/output-schema.js";
import { formatStreamTime, renderSnapshot, sentimentBarCells, wrap } from "./hud-render.js";
import { HudSink } from "./hud-sink.js";
import { JsonlSink } from "./jsonl-sink.js";
import { createSink, defaultSinkSpec } from "./registry.js";

const snapshot = (t: number, headline = "Chat is upbeat, led by 'LUL' (3 messages). Also repeated: 'GG' (2)."): Snapshot => ({
  type: "snapshot",
  mood: "neu",
  clusters: [],
  channel: "demo",
  t,
  window: { start: t - 30_000, end: t },
  count: 10,
  scored: 9,
  chatters: 7,
  rate: 0.33,
  sentiment: { pos: 0.6, neu: 0.3, neg: 0.1, net: 50 },
  confidence: 0.42,
  headline,
  headlineSince: 0,
  questions: [],
  topics: [{ label: "LUL", count: 3 }],
  top: [{ text: "LUL", count: 3 }],
  buckets: [],
});

function capture(): { stream: PassThrough & { columns?: number }; text: () => string } {
  const stream = new PassThrough() as PassThrough & { columns?: number };
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

describe("JsonlSink", () => {
  it("writes one JSON object per line, in order", async () => {
    const { stream, text } = capture();
    const sink = new JsonlSink(stream);
    for (let i = 0; i < 2000; i++) sink.write(snapshot(i * 500));
    await sink.ready();
    await sink.close();
    const lines = text().trimEnd().split("\n");
    expect(lines).toHaveLength(2000);
    expect((JSON.parse(lines[1999] as string) as Snapshot).t).toBe(1999 * 500);
  });
});

describe("HUD", () => {
  it("renders headline, a bar whose colours add up to its width, net, confidence and topics", () => {
    const text = renderSnapshot(snapshot(3_723_000), { width: 80, color: false }).join("\n");
    expect(text).toContain("#demo");
    expect(text).toContain("1:02:03");
    expect(text).toContain("Chat is upbeat");
    expect(text).toContain("+50.0");
    expect(text).toContain("pos 60%");
    expect(text).toContain("0.42");
    expect(text).toContain("mood       neutral");
    expect(text).toContain("threads    none yet");
    const cells = sentimentBarCells(0.6, 0.3, 0.1, 50);
    expect(cells.pos + cells.neu + cells.neg).toBe(50);
    expect(cells.pos).toBe(30);
    expect(sentimentBarCells(0, 0, 0, 20)).toEqual({ pos: 0, neu: 20, neg: 0 });
  });

  it("lists the threads with their growth and new / dissent flags", () => {
    const s: Snapshot = {
      ...snapshot(1_000),
      mood: "mixed",
      clusters: [
        { label: "baron", count: 14, users: 12, share: 0.4, sentiment: { pos: 0.5, neu: 0.5, neg: 0, net: 50 }, top: [], growth: 4 },
        { label: "ref", count: 5, users: 5, share: 0.15, sentiment: { pos: 0, neu: 0.2, neg: 0.8, net: -80 }, top: [], growth: -2, dissent: true },
        { label: "drake", count: 6, users: 6, share: 0.17, sentiment: { pos: 0, neu: 1, neg: 0, net: 0 }, top: [], growth: 6, new: true },
        { label: "LUL", count: 3, users: 3, share: 0.1, sentiment: { pos: 1, neu: 0, neg: 0, net: 100 }, top: [], growth: 0 },
      ],
    };
    const text = renderSnapshot(s, { width: 120, color: false }).join("\n");
    expect(text).toContain("mood       mixed");
    expect(renderSnapshot({ ...s, mood: null }, { width: 120, color: false }).join("\n")).toContain("mood       — not enough chat");
    expect(text).toContain("threads    baron 14 ▲4 · ref 5 ▼2 dissent · drake 6 ▲6 new · LUL 3");
    expect(text.endsWith("LUL 3")).toBe(true);
  });

  it("wraps long headlines on word boundaries and formats stream time", () => {
    expect(wrap("one two three four", 9)).toEqual(["one two", "three", "four"]);
    expect(formatStreamTime(59_999)).toBe("0:00:59");
  });

  it("redraws at most twice a second of wall-clock time, and once more at close", async () => {
    const { stream, text } = capture();
    stream.columns = 80;
    const clock = new VirtualClock(0);
    const sink = new HudSink(stream, clock, false);
    sink.write(snapshot(500, "First headline here. Second sentence."));
    sink.write(snapshot(1000, "Skipped headline now. Not drawn yet."));
    expect(text()).toContain("First headline");
    expect(text()).not.toContain("Skipped headline");
    await clock.advanceBy(500);
    sink.write(snapshot(1500, "Third headline shows. After half a second."));
    expect(text()).toContain("Third headline");
    sink.write(snapshot(2000, "Last headline drawn. At close."));
    await sink.close();
    expect(text()).toContain("Last headline");
  });

  it("ignores roll-ups", () => {
    const { stream, text } = capture();
    const sink = new HudSink(stream, new VirtualClock(0), false);
    sink.write({ type: "rollup", channel: "c", level: "5s", t: 5000, start: 0, end: 5000, count: 0, scored: 0, sentiment: { pos: 0, neu: 0, neg: 0, net: 0 }, mood: "neu", confidence: 0, headline: "x", headlineSince: 5000, topics: [], clusters: [], top: [] });
    expect(text()).toBe("");
  });
});

describe("sink registry", () => {
  it("builds sinks from NAME or NAME:ARG and rejects unknown names", async () => {
    const { stream } = capture();
    const ctx = { stdout: stream, clock: new VirtualClock(0), color: false };
    expect((await createSink("jsonl", ctx)).name).toBe("jsonl");
    expect((await createSink("hud", ctx)).name).toBe("hud");
    await expect(createSink("carrier-pigeon", ctx)).rejects.toThrow(/unknown sink "carrier-pigeon"/);
    expect(defaultSinkSpec({ isTTY: true })).toBe("hud");
    expect(defaultSinkSpec({})).toBe("jsonl");
  });
});

describe("HUD events", () => {
  it("keeps events on screen for 30 s of stream time", async () => {
    const { stream, text } = capture();
    const clock = new VirtualClock(0);
    const sink = new HudSink(stream, clock, false);
    sink.write({ ...snapshot(1000), events: [{ kind: "raid", t: 900, platform: "twitch", user: "bigstreamer", count: 120 }] });
    for (let t = 1500; t <= 30_500; t += 500) sink.write(snapshot(t));
    await sink.close();
    const lastFrame = text().split("chatstream #demo").at(-1) ?? "";
    expect(lastFrame).toMatch(/events/);
    const { stream: s2, text: t2 } = capture();
    const later = new HudSink(s2, new VirtualClock(0), false);
    later.write({ ...snapshot(1000), events: [{ kind: "raid", t: 900, platform: "twitch", user: "bigstreamer", count: 120 }] });
    later.write(snapshot(40_000));
    await later.close();
    expect(t2().split("chatstream #demo").at(-1) ?? "").not.toMatch(/events/);
  });
});
