import type { ChatFormat, InputIssue } from "./decoder.js";
import { formatCount } from "../core/count-format.js";

/** Issues kept for the report; every issue is counted, only the first ones are listed. */
export const MAX_LISTED_ISSUES = 100;
/** Distinct skip reasons kept; past this, new ones are counted together as "other" so a hostile file cannot grow the report. */
export const MAX_SKIP_REASONS = 200;

/** What reading one input found, kept up to date while it is read. */
export interface InputReport {
  format: ChatFormat;
  /** What `lines` and issue line numbers count: text lines, or records of a JSON document. */
  unit: "line" | "record";
  lines: number;
  messages: number;
  /** Well-formed records that are not chat, by reason (blank, placeholder, PING, …). */
  skipped: Record<string, number>;
  malformed: number;
  invalidUtf8: number;
  /** Messages whose text was cut to the maximum length (they are still delivered). */
  overlong: number;
  /** Records skipped for a stream time that is not a safe integer or jumps more than `--max-gap` (src/sources/time-guard.ts). */
  badTime: number;
  empty: boolean;
  /** The first MAX_LISTED_ISSUES problems, in input order; a skip reason is listed at its first occurrence only. */
  issues: InputIssue[];
}

export function createInputReport(format: ChatFormat, unit: InputReport["unit"]): InputReport {
  const skipped: Record<string, number> = Object.create(null) as Record<string, number>;
  return { format, unit, lines: 0, messages: 0, skipped, malformed: 0, invalidUtf8: 0, overlong: 0, badTime: 0, empty: false, issues: [] };
}

/** Counts and lists issues on a live report; the only code that writes to one. */
export class InputReportRecorder {
  private reasonCount = 0;

  constructor(readonly report: InputReport) {}

  malformed(line: number, reason: string): void {
    this.report.malformed += 1;
    this.list({ line, kind: "malformed", reason });
  }

  invalidUtf8(line: number): void {
    this.report.invalidUtf8 += 1;
    this.list({ line, kind: "invalid-utf8", reason: "invalid UTF-8" });
  }

  overlong(line: number): void {
    this.report.overlong += 1;
    this.list({ line, kind: "overlong", reason: "message text cut to the maximum length" });
  }

  badTime(line: number, reason: string): void {
    this.report.badTime += 1;
    this.list({ line, kind: "bad-time", reason });
  }

  skipped(line: number, reason: string): void {
    const counts = this.report.skipped;
    // Reasons come from the input (renderer names, message types): own keys only, and only so many of them.
    let key = reason;
    if (!Object.hasOwn(counts, key)) {
      if (this.reasonCount >= MAX_SKIP_REASONS) key = "other";
      else this.reasonCount += 1;
    }
    const seen = Object.hasOwn(counts, key) ? (counts[key] as number) : 0;
    // Defined rather than assigned: assigning "__proto__" would set the prototype instead of counting.
    Object.defineProperty(counts, key, { value: seen + 1, enumerable: true, writable: true, configurable: true });
    // Blank lines are expected noise, and one example line per reason is all a reader needs.
    if (seen === 0 && key !== "blank") this.list({ line, kind: "skipped", reason: key });
  }

  empty(): void {
    if (this.report.empty) return;
    this.report.empty = true;
    this.list({ line: 0, kind: "empty-input", reason: "input is empty" });
  }

  private list(issue: InputIssue): void {
    const issues = this.report.issues;
    if (issues.length >= MAX_LISTED_ISSUES) return;
    // One record's problems can be found in either order (bad bytes in one read, its syntax error in a later one):
    // within a line they are listed in a fixed order, so the report does not depend on how the bytes arrived.
    let at = issues.length;
    while (at > 0 && listedAfter(issues[at - 1] as InputIssue, issue)) at--;
    issues.splice(at, 0, issue);
  }
}

const ISSUE_ORDER: Record<InputIssue["kind"], number> = { "empty-input": 0, "invalid-utf8": 1, malformed: 2, "bad-time": 3, overlong: 4, skipped: 5 };

function listedAfter(a: InputIssue, b: InputIssue): boolean {
  return a.line > b.line || (a.line === b.line && ISSUE_ORDER[a.kind] > ISSUE_ORDER[b.kind]);
}

const SHOWN_LINES = 5;
const SHOWN_REASONS = 4;

/**
 * One line for stderr, e.g.
 * `input: 93,624 messages from 93,630 lines (jsonl); 4 malformed (lines 12, 57, …), 2 skipped (placeholder: 2)`.
 */
export function formatInputReport(report: InputReport): string {
  const unit = report.unit;
  if (report.empty) return `input: empty (${report.format}), no messages`;
  const head = `input: ${count(report.messages)} ${plural(report.messages, "message")} from ${count(report.lines)} ${plural(report.lines, unit)} (${report.format})`;
  const parts: string[] = [];
  if (report.malformed > 0) parts.push(`${count(report.malformed)} malformed${where(report, "malformed", report.malformed)}`);
  if (report.invalidUtf8 > 0) parts.push(`${count(report.invalidUtf8)} invalid UTF-8${where(report, "invalid-utf8", report.invalidUtf8)}`);
  if (report.badTime > 0) parts.push(`${count(report.badTime)} bad ${plural(report.badTime, "timestamp")}${where(report, "bad-time", report.badTime)}`);
  if (report.overlong > 0) parts.push(`${count(report.overlong)} cut to max length`);
  const reasons = Object.entries(report.skipped).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (reasons.length > 0) {
    const total = reasons.reduce((sum, [, n]) => sum + n, 0);
    const shown = reasons.slice(0, SHOWN_REASONS).map(([reason, n]) => `${reason}: ${count(n)}`);
    if (reasons.length > SHOWN_REASONS) shown.push("…");
    parts.push(`${count(total)} skipped (${shown.join(", ")})`);
  }
  return parts.length > 0 ? `${head}; ${parts.join(", ")}` : head;
}

function where(report: InputReport, kind: InputIssue["kind"], total: number): string {
  const lines = report.issues.filter((issue) => issue.kind === kind).map((issue) => issue.line);
  if (lines.length === 0) return "";
  const shown = lines.slice(0, SHOWN_LINES).map(count);
  if (total > shown.length) shown.push("…");
  return ` (${plural(total, report.unit)} ${shown.join(", ")})`;
}

function count(n: number): string {
  return formatCount(n);
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
