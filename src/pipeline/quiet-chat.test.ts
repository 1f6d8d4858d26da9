import { describe, expect, it, vi } from "vitest";
import { MemorySink } from "../../test/helpers/command-io.js";
import { chat } from "../../test/helpers/pipeline-fixtures.js";
import { setUpModels } from "../commands/model-setup.js";
import { VirtualClock } from "../core/clock.js";
import type { ChatMessage } from "../core/message.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import { brokenHeadlineRules } from "../models/summarizer/headline-rules.js";
import type { Rollup, Snapshot } from "../schema/output-schema.js";
import { PipelineRouter } from "./pipeline-router.js";
import { quietPeriodHeadline, quietSnapshotHeadline } from "./quiet-chat.js";
import { runPipeline, type MessageSource } from "./run-pipeline.js";

const models = setUpModels({});
const HOLD_MS = 5_000;
const SPAN_MS = 30_000;
const LAST_BURST = 20_000;
const BACK_AT = 200_000;

function source(messages: ChatMessage[]): MessageSource {
  return {
    name: "array",
    timed: true,
    canWait: true,
    async *batches() {
      yield messages;
    },
  };
}

/** 20 s of chat mocking EU, silence, then chat comes back about something else at 200 s. */
function burstThenSilence(): ChatMessage[] {
  const lines = ["EU LUL", "EU IN 2016 LUL", "EU 0-2 LUL", "LUL EU throwing again"];
  const burst = Array.from({ length: 41 }, (_, i) => chat(i * 500, lines[i % lines.length] as string, `u${i % 20}`));
  const back = Array.from({ length: 20 }, (_, i) => chat(BACK_AT + i * 500, i % 2 === 0 ? "what a cute dog PogChamp" : "the dog is back PogChamp", `w${i}`));
  return [...burst, ...back];
}

/** Runs the real pipeline (embedded models) on a manual virtual clock at speed 1; the test moves time. */
function start(messages: ChatMessage[], summarizer: () => Summarizer = () => models.summarizer) {
  const clock = new VirtualClock(0);
  const sink = new MemorySink();
  const router = new PipelineRouter({ summarizer, emit: (r) => sink.write(r) });
  const done = runPipeline({ source: source(messages), processor: models.processor, router, sink, clock, speed: 1 });
  const snapshots = () => sink.records.filter((r): r is Snapshot => r.type === "snapshot");
  const rollups = (level: string) => sink.records.filter((r): r is Rollup => r.type === "rollup" && r.level === level);
  return { clock, done, snapshots, rollups };
}

describe("quiet chat (#15.5)", () => {
  it("says chat has gone quiet within the gate's hold, and names the old topic no more while it stays quiet", async () => {
    const run = start(burstThenSilence());
    await vi.waitFor(() => expect(run.clock.pending).toBeGreaterThan(0));
    await run.clock.advanceTo(LAST_BURST + 1_000);
    const during = run.snapshots().at(-1) as Snapshot;
    expect(during.headline).toMatch(/\bEU\b/);
    expect(during.headline).not.toBe(quietSnapshotHeadline(SPAN_MS));

    await run.clock.advanceTo(BACK_AT - 1_000);
    const silent = run.snapshots().filter((s) => s.t > LAST_BURST && s.t < BACK_AT);
    const firstQuiet = silent.find((s) => s.headline === quietSnapshotHeadline(SPAN_MS)) as Snapshot;
    // The strict span empties at LAST_BURST + 30 s; the gate may hold the old headline for its 5 s at most.
    expect(firstQuiet.t).toBeGreaterThanOrEqual(LAST_BURST + SPAN_MS);
    expect(firstQuiet.t).toBeLessThanOrEqual(LAST_BURST + SPAN_MS + HOLD_MS + 500);
    const after = silent.filter((s) => s.t >= firstQuiet.t);
    expect(after.length).toBeGreaterThan(250);
    for (const s of after) {
      expect(s.headline).toBe(quietSnapshotHeadline(SPAN_MS));
      expect(s.headline).not.toMatch(/\bEU\b/);
      expect(s.headlineSince).toBe(firstQuiet.t); // written once, held: no flicker at 2 Hz
    }
    expect(after.filter((s) => s.changed !== undefined)).toHaveLength(1);
    // The bug this replaces: the window still reaches back to the burst, so a summarizer would retell it.
    expect(firstQuiet.count).toBeGreaterThan(0);
    expect(brokenHeadlineRules(firstQuiet.headline, [])).toEqual([]);

    await run.clock.advanceTo(BACK_AT + 20_000);
    await run.done;
    const back = run.snapshots().filter((s) => s.t >= BACK_AT + 6_000);
    expect(back.length).toBeGreaterThan(0);
    for (const s of back) expect(s.headline).not.toBe(quietSnapshotHeadline(SPAN_MS));
  });

  it("gives empty roll-up periods the quiet headline, and asks no summarizer about a quiet window", async () => {
    const calls: number[] = [];
    const counting: Summarizer = {
      name: "counting",
      summarizeWindow: (d, c) => {
        calls.push(d.end);
        return models.summarizer.summarizeWindow(d, c);
      },
      summarizePeriod: (d, parts) => {
        calls.push(d.end);
        return models.summarizer.summarizePeriod(d, parts);
      },
    };
    const run = start(burstThenSilence(), () => counting);
    await vi.waitFor(() => expect(run.clock.pending).toBeGreaterThan(0));
    await run.clock.advanceTo(BACK_AT + 20_000);
    await run.done;
    const quietFives = run.rollups("5s").filter((r) => r.start >= LAST_BURST + 5_000 && r.end <= BACK_AT);
    expect(quietFives.length).toBeGreaterThan(30);
    for (const r of quietFives) {
      expect(r.headline).toBe("Chat was quiet for these 5 seconds. No message came in.");
      expect(r.mood).toBeNull();
      expect(r.confidence).toBe(0);
    }
    const quietMinute = run.rollups("1m").find((r) => r.start === 120_000) as Rollup;
    expect(quietMinute.headline).toBe("Chat was quiet for this minute. No message came in.");
    // From the quiet headline until chat comes back, no summarizer was called (snapshots or roll-ups), except for the
    // minute that still holds the burst (it ends at 60 s).
    const firstQuiet = run.snapshots().find((s) => s.headline === quietSnapshotHeadline(SPAN_MS)) as Snapshot;
    expect(calls.filter((t) => t > firstQuiet.t && t < BACK_AT)).toEqual([60_000]);
  });

  it("says when only bots and commands posted in a period", () => {
    const d = { start: 0, end: 600_000, count: 4, scored: 0, ignored: 4, chatters: 0, sentiment: { pos: 0, neu: 0, neg: 0 }, groups: [], terms: [], questions: 0, mentioned: [] };
    expect(quietPeriodHeadline("10m", d)).toBe("Chat was quiet for these 10 minutes. Only bots and commands posted.");
    for (const level of ["5s", "1m", "10m"] as const) expect(brokenHeadlineRules(quietPeriodHeadline(level, d), [])).toEqual([]);
  });
});
