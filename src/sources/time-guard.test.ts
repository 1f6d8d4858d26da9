import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../core/message.js";
import { formatDuration } from "../pipeline/stream-time.js";
import { createInputReport, InputReportRecorder } from "./input-report.js";
import { DEFAULT_MAX_GAP_MS, InputTimeGuard, parseDuration } from "./time-guard.js";

const message = (t: number, ts?: number): ChatMessage => ({ t, ...(ts === undefined ? {} : { ts }), platform: "twitch", channel: "c", userId: "u", user: "u", text: "hi" });

describe("parseDuration", () => {
  it("reads hours, minutes, seconds, days and plain milliseconds", () => {
    expect(parseDuration("24h")).toBe(86_400_000);
    expect(parseDuration("90m")).toBe(5_400_000);
    expect(parseDuration("3600s")).toBe(3_600_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("2d")).toBe(172_800_000);
    expect(parseDuration("750ms")).toBe(750);
    expect(parseDuration("86400000")).toBe(DEFAULT_MAX_GAP_MS);
  });

  it("refuses what is not a positive duration", () => {
    for (const bad of ["", "soon", "-5m", "0", "1e20", "10 weeks", "1e400h"]) expect(() => parseDuration(bad), bad).toThrow(/duration/);
  });

  it("formats durations for messages in the largest unit that fits", () => {
    expect(formatDuration(86_400_000)).toBe("24h");
    expect(formatDuration(5_400_000)).toBe("90m");
    expect(formatDuration(1500)).toBe("1500ms");
    expect(formatDuration(1e15)).toBe("11,574,074 days");
  });
});

describe("InputTimeGuard", () => {
  it("accepts going back in time, refuses a jump past the latest time and unsafe numbers, with their lines", () => {
    const report = createInputReport("jsonl", "line");
    const guard = new InputTimeGuard(new InputReportRecorder(report), 60_000);
    const verdicts = [message(-5_000), message(50_000), message(200_000), message(-10_000), message(110_000), message(0.5), message(Number.NaN), message(2 ** 53)].map((m, i) => guard.admitMessage(m, i + 1));
    expect(verdicts).toEqual([true, true, false, true, true, false, false, false]);
    expect(report.badTime).toBe(4);
    expect(report.issues.map((i) => [i.line, i.kind])).toEqual([[3, "bad-time"], [6, "bad-time"], [7, "bad-time"], [8, "bad-time"]]);
    expect(report.issues[0]?.reason).toMatch(/jumps 150s past the latest time 50000 \(--max-gap 1m\)/);
  });

  it("drops a wall-clock ts that is not a safe integer and keeps the message; events do not move the latest time", () => {
    const report = createInputReport("jsonl", "line");
    const guard = new InputTimeGuard(new InputReportRecorder(report), 60_000);
    const m = message(0, 1e300);
    expect(guard.admitMessage(m, 1)).toBe(true);
    expect(m.ts).toBeUndefined();
    expect(guard.admitEvent({ kind: "sub", t: 59_000, platform: "twitch", channel: "c", user: "s", ts: 0.25 }, 2)).toBe(true);
    expect(guard.admitEvent({ kind: "sub", t: 61_000, platform: "twitch", channel: "c", user: "s" }, 3)).toBe(false);
    expect(guard.admitMessage(message(60_000), 4)).toBe(true);
    expect(report.issues.map((i) => i.line)).toEqual([3]);
  });
});
