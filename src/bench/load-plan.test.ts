import { describe, expect, it } from "vitest";
import { syntheticLines, type ChatLines } from "./chat-lines.js";
import { LoadSchedule, parseRate, withChannel, type LoadPlan } from "./load-plan.js";

const plan = (p: Partial<LoadPlan>): LoadPlan => ({ channels: 1, rate: 10, quietChannels: 0, quietEveryMs: 60_000, durationMs: 1_000, malformedEvery: 0, ...p });

function drain(s: LoadSchedule): { due: number; channel: string; item: string; malformed: boolean }[] {
  const out = [];
  for (let guard = 0; !s.done && guard < 1_000_000; guard++) out.push(s.take());
  return out;
}

const recording: ChatLines = { source: "rec", items: ["{\"text\":\"a\"}", "{\"text\":\"b\"}", "{\"text\":\"c\"}", "{\"text\":\"d\"}"], times: [0, 100, 1000, 1100], spanMs: 1100 };

describe("LoadSchedule", () => {
  it("spaces a fixed rate evenly over the busy channels, each from its own place in the lines, up to the duration", () => {
    const lines = drain(new LoadSchedule(plan({ channels: 2, rate: 5, durationMs: 1_000 }), recording));
    expect(lines.map((l) => [l.due, l.channel, l.item])).toEqual([
      [0, "busy-0", '{"text":"a"}'],
      [100, "busy-1", '{"text":"c"}'],
      [200, "busy-0", '{"text":"b"}'],
      [300, "busy-1", '{"text":"d"}'],
      [400, "busy-0", '{"text":"c"}'],
      [500, "busy-1", '{"text":"a"}'],
      [600, "busy-0", '{"text":"d"}'],
      [700, "busy-1", '{"text":"b"}'],
      [800, "busy-0", '{"text":"a"}'],
      [900, "busy-1", '{"text":"c"}'],
    ]);
  });

  it("replays the recording's own pace, looped one mean gap after its end, channels merged in due order", () => {
    const lines = drain(new LoadSchedule(plan({ channels: 2, rate: "recorded", durationMs: 2_700 }), recording));
    const busy0 = lines.filter((l) => l.channel === "busy-0").map((l) => l.due);
    // Loop length: 1,100 ms span + 1,100 / 3 mean gap.
    expect(busy0).toEqual([0, 100, 1000, 1100, 1467, 1567, 2467, 2567].map((x) => expect.closeTo(x, 0)));
    // busy-1 starts two lines in (at "c"): 1000 → 0.
    expect(lines.filter((l) => l.channel === "busy-1").slice(0, 3).map((l) => [l.due, l.item])).toEqual([
      [0, '{"text":"c"}'],
      [100, '{"text":"d"}'],
      [expect.closeTo(466.7, 0), '{"text":"a"}'],
    ]);
    const dues = lines.map((l) => l.due);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
  });

  it("gives each quiet channel one line per interval, turns spread evenly, merged with the busy ones", () => {
    const lines = drain(new LoadSchedule(plan({ channels: 1, rate: 2, quietChannels: 4, quietEveryMs: 1_000, durationMs: 2_000 }), recording));
    const quiet = lines.filter((l) => l.channel.startsWith("quiet-"));
    expect(quiet.map((l) => [l.due, l.channel])).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750].map((due, i) => [due, `quiet-${i % 4}`]));
    expect(lines.filter((l) => l.channel === "busy").map((l) => l.due)).toEqual([0, 500, 1000, 1500]);
    const dues = lines.map((l) => l.due);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
  });

  it("at rate max hands out one pass over the lines per channel (or maxMessages), all due at once", () => {
    const s = new LoadSchedule(plan({ channels: 3, rate: "max" }), recording);
    const lines = drain(s);
    expect(lines).toHaveLength(12);
    expect(lines.every((l) => l.due === 0)).toBe(true);
    expect(s.count).toBe(12);
    expect(drain(new LoadSchedule(plan({ rate: "max", maxMessages: 5 }), recording))).toHaveLength(5);
  });

  it("tears every Nth line so it is not JSON, and refuses plans it cannot run", () => {
    const lines = drain(new LoadSchedule(plan({ rate: 100, malformedEvery: 3 }), syntheticLines(50)));
    expect(lines).toHaveLength(100);
    const torn = lines.filter((l) => l.malformed);
    expect(torn).toHaveLength(33);
    for (const l of torn) expect(() => JSON.parse(l.item) as unknown).toThrow();
    for (const l of lines.filter((x) => !x.malformed)) expect(JSON.parse(withChannel(l.item, l.channel))).toMatchObject({ channel: "busy", platform: "twitch" });
    expect(() => new LoadSchedule(plan({ rate: 0 }), recording)).toThrow(RangeError);
    expect(() => new LoadSchedule(plan({ channels: -1 }), recording)).toThrow(RangeError);
    expect(() => new LoadSchedule(plan({}), { ...recording, items: [] })).toThrow(/at least one/);
    const s = new LoadSchedule(plan({ channels: 0 }), recording);
    expect(s.done).toBe(true);
    expect(() => s.take()).toThrow(/over/);
  });

  it("parses --rate", () => {
    expect([parseRate("1000"), parseRate("2.5"), parseRate("max"), parseRate("recorded")]).toEqual([1000, 2.5, "max", "recorded"]);
    for (const bad of ["0", "-1", "fast", ""]) expect(() => parseRate(bad)).toThrow(/messages per second/);
  });
});
