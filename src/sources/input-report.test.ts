import { describe, expect, it } from "vitest";
import { createInputReport, formatInputReport, InputReportRecorder, MAX_LISTED_ISSUES, MAX_SKIP_REASONS } from "./input-report.js";

describe("InputReportRecorder", () => {
  it("counts every issue but lists only the first ones", () => {
    const report = createInputReport("jsonl", "line");
    const recorder = new InputReportRecorder(report);
    for (let line = 1; line <= MAX_LISTED_ISSUES + 20; line += 1) recorder.malformed(line, "bad");
    expect(report.malformed).toBe(MAX_LISTED_ISSUES + 20);
    expect(report.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(report.issues[0]).toEqual({ line: 1, kind: "malformed", reason: "bad" });
  });

  it("lists a skip reason at its first occurrence only, and blank lines never", () => {
    const report = createInputReport("ytdlp", "line");
    const recorder = new InputReportRecorder(report);
    recorder.skipped(1, "blank");
    recorder.skipped(2, "placeholder");
    recorder.skipped(3, "placeholder");
    expect(report.skipped).toEqual({ blank: 1, placeholder: 2 });
    expect(report.issues).toEqual([{ line: 2, kind: "skipped", reason: "placeholder" }]);
  });

  it("marks empty input once", () => {
    const report = createInputReport("text", "line");
    const recorder = new InputReportRecorder(report);
    recorder.empty();
    recorder.empty();
    expect(report.empty).toBe(true);
    expect(report.issues).toEqual([{ line: 0, kind: "empty-input", reason: "input is empty" }]);
  });
});

describe("formatInputReport", () => {
  it("summarises counts, issue lines and skip reasons on one line", () => {
    const report = createInputReport("jsonl", "line");
    const recorder = new InputReportRecorder(report);
    report.lines = 93_630;
    report.messages = 93_624;
    for (const line of [12, 57, 80, 91, 99, 120]) recorder.malformed(line, "bad");
    recorder.invalidUtf8(7);
    recorder.overlong(8);
    recorder.skipped(3, "placeholder");
    recorder.skipped(4, "placeholder");
    expect(formatInputReport(report)).toBe(
      "input: 93,624 messages from 93,630 lines (jsonl); 6 malformed (lines 12, 57, 80, 91, 99, …), " +
        "1 invalid UTF-8 (line 7), 1 cut to max length, 2 skipped (placeholder: 2)",
    );
  });

  it("keeps it short for clean, empty and document inputs", () => {
    const clean = createInputReport("twitch-vod", "record");
    clean.lines = 1;
    clean.messages = 1;
    expect(formatInputReport(clean)).toBe("input: 1 message from 1 record (twitch-vod)");
    const empty = createInputReport("jsonl", "line");
    new InputReportRecorder(empty).empty();
    expect(formatInputReport(empty)).toBe("input: empty (jsonl), no messages");
  });

  it("shows the most frequent skip reasons first and elides the rest", () => {
    const report = createInputReport("irc", "line");
    const recorder = new InputReportRecorder(report);
    for (const [reason, n] of [["PING", 3], ["JOIN", 5], ["CAP", 1], ["001", 1], ["PART", 2]] as const) {
      for (let i = 0; i < n; i += 1) recorder.skipped(i + 1, reason);
    }
    recorder.malformed(9, "x");
    report.issues = report.issues.filter((issue) => issue.kind !== "malformed");
    expect(formatInputReport(report)).toBe("input: 0 messages from 0 lines (irc); 1 malformed, 12 skipped (JOIN: 5, PING: 3, PART: 2, 001: 1, …)");
  });

  it("counts skip reasons that are prototype keys like any other, and folds reasons past the cap into other", () => {
    const report = createInputReport("chat-downloader", "line");
    const recorder = new InputReportRecorder(report);
    for (const reason of ["constructor", "__proto__", "toString", "constructor"]) recorder.skipped(1, reason);
    expect(Object.entries(report.skipped)).toEqual([
      ["constructor", 2],
      ["__proto__", 1],
      ["toString", 1],
    ]);
    expect(formatInputReport(report)).toBe("input: 0 messages from 0 lines (chat-downloader); 4 skipped (constructor: 2, __proto__: 1, toString: 1)");
    for (let i = 0; i < MAX_SKIP_REASONS + 50; i += 1) recorder.skipped(2, `kind_${i}`);
    expect(Object.keys(report.skipped)).toHaveLength(MAX_SKIP_REASONS + 1);
    expect(report.skipped.other).toBe(53);
  });
});
