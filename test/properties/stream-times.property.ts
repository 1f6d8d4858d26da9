// Property: arbitrary timestamps in every file format that carries them, through the real reader and pipeline on a
// virtual clock. Run as its own process by test/stream-times.property.test.ts (a build that loops forever on one
// timestamp must fail that test, not stall the test runner):
//
//   node --import tsx test/properties/stream-times.property.ts [RUNS]
//
// For each format it checks that the run ends, that the output is bounded by messages × a constant plus the
// stream span (≤ messages × max-gap) / 500 ms, that every bad time is a located `badTime` and that every good line
// is processed. The expected times come from an oracle that reads each format's time field as the format defines it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
// The same seed policy as the vitest run (FC_SEED), though this runs in a process of its own.
import "../setup/fast-check.js";
import { VirtualClock } from "../../src/core/clock.js";
import type { ChatEventListener } from "../../src/core/event.js";
import { PipelineRouter } from "../../src/pipeline/pipeline-router.js";
import { runPipeline, type MessageSource } from "../../src/pipeline/run-pipeline.js";
import type { ChatFormat } from "../../src/sources/decoder.js";
import { InputError, openChatInput } from "../../src/sources/file-source.js";
import { extractive, processor } from "../helpers/pipeline-fixtures.js";

const MAX_GAP_MS = 30_000;
const DIR = mkdtempSync(join(tmpdir(), "chatstream-prop-"));

/** A time field as written in a file: a JSON number, a string, or a raw JSON token (1e400 parses to Infinity). */
type TimeValue = number | string | { raw: string };

const timeValue: fc.Arbitrary<TimeValue> = fc.oneof(
  { arbitrary: fc.integer({ min: -5_000, max: 120_000 }), weight: 6 },
  { arbitrary: fc.constantFrom<TimeValue>(0, -1, -0.4, 0.5, 1.5, 1e15, -1e15, 1e20, -1e20, 2 ** 53, 2 ** 53 - 1, 1e-7, 123.456), weight: 3 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.constantFrom<TimeValue>("NaN", "Infinity", "-Infinity", "abc", "", "1e20", "12", "12.5", "-3", "0x10", "1e400", { raw: "1e400" }, { raw: "-1e400" }), weight: 2 },
);

/**
 * One record's time: most are a realistic step from the previous one (ms; back a little, or a silence up to and
 * sometimes past the maximum gap), some are written wild, whatever the stream did before.
 */
type Step = { delta: number } | { wild: TimeValue };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.integer({ min: -3_000, max: 25_000 }).map((delta) => ({ delta })), weight: 12 },
  { arbitrary: fc.integer({ min: 25_000, max: 90_000 }).map((delta) => ({ delta })), weight: 1 },
  { arbitrary: timeValue.map((wild) => ({ wild })), weight: 3 },
);

const json = (v: TimeValue): string => (typeof v === "object" ? v.raw : JSON.stringify(v));
/** `asNumeric` of the readers: a finite number, or a non-empty string that is one. */
const numeric = (x: unknown): number | undefined => {
  if (typeof x === "number") return Number.isFinite(x) ? x : undefined;
  if (typeof x === "string" && x.length > 0 && Number.isFinite(Number(x))) return Number(x);
  return undefined;
};
const finite = (x: unknown): number | undefined => (typeof x === "number" && Number.isFinite(x) ? x : undefined);

/** The time a reader derives from one record: a number, or "malformed" when the record is refused as such. */
type Derived = number | "malformed";

interface FormatCase {
  name: string;
  format: ChatFormat;
  /** Writes one record's time field from the stream's time so far (ms) or a wild value. */
  field(s: Step, streamMs: number): string;
  /** One record around its time field (`i` numbers the records). */
  record(field: string, i: number): string;
  /** The time the format's reader gives the field, read back from the text (as the format defines it). */
  derive(field: string): Derived;
  document?: (records: string[]) => string;
}

const wildOr = (s: Step, written: string): string => ("wild" in s ? json(s.wild) : written);

function relativeTo(): (absolute: number) => number {
  let origin: number | undefined;
  return (absolute) => {
    origin ??= absolute;
    return Math.round(absolute - origin);
  };
}

const EPOCH = 1_700_000_000_000;
const pad = (x: number, w = 2): string => String(x).padStart(w, "0");

function formats(): FormatCase[] {
  const sentClock = relativeTo();
  const logClock = relativeTo();
  return [
    {
      name: "jsonl",
      format: "jsonl",
      field: (s, ms) => wildOr(s, String(ms)),
      record: (f, i) => (i % 5 === 4 ? `{"type":"event","kind":"sub","t":${f},"user":"s${i}","channel":"a"}` : `{"t":${f},"user":"u${i % 3}","text":"line ${i} hello","channel":"${i % 2 === 0 ? "a" : "b"}"}`),
      derive: (f) => {
        const x = finite(JSON.parse(f));
        return x === undefined ? "malformed" : Math.round(x);
      },
    },
    {
      name: "ytdlp",
      format: "ytdlp",
      field: (s, ms) => wildOr(s, JSON.stringify(String(ms))),
      record: (f, i) => `{"replayChatItemAction":{"actions":[{"addChatItemAction":{"item":{"liveChatTextMessageRenderer":{"message":{"runs":[{"text":"line ${i} hello"}]},"authorName":{"simpleText":"u${i % 3}"},"id":"m${i}"}}}}],"videoOffsetTimeMsec":${f}}}`,
      // No offset: arrival time, 0 here.
      derive: (f) => Math.round(numeric(JSON.parse(f)) ?? 0),
    },
    {
      name: "chat-downloader",
      format: "chat-downloader",
      field: (s, ms) => wildOr(s, String(ms / 1000)),
      record: (f, i) => `{"author":{"id":"a${i % 3}","name":"u${i % 3}"},"message":"line ${i} hello","message_id":"m${i}","message_type":"text_message","time_in_seconds":${f}}`,
      derive: (f) => {
        const seconds = numeric(JSON.parse(f));
        if (seconds === undefined) return 0;
        // Seconds so large that milliseconds overflow to Infinity are no time at all: the record is malformed.
        const ms = Math.round(seconds * 1000);
        return Number.isFinite(ms) ? ms : "malformed";
      },
    },
    {
      name: "twitch-vod",
      format: "twitch-vod",
      field: (s, ms) => wildOr(s, String(ms / 1000)),
      record: (f, i) => `{"_id":"c${i}","content_offset_seconds":${f},"commenter":{"_id":"${i % 3}","name":"u${i % 3}","display_name":"U${i % 3}"},"message":{"body":"line ${i} hello"}}`,
      derive: (f) => {
        const seconds = finite(JSON.parse(f));
        const ms = seconds === undefined ? NaN : Math.round(seconds * 1000);
        return Number.isFinite(ms) ? ms : "malformed";
      },
      document: (records) => `{"streamer":{"name":"vodder"},"comments":[${records.join(",")}]}`,
    },
    {
      // Raw IRCv3 lines: `tmi-sent-ts` is wall-clock ms, read relative to the first one of the file.
      name: "irc (tmi-sent-ts)",
      format: "irc",
      field: (s, ms) => ("wild" in s ? (typeof s.wild === "object" ? s.wild.raw : String(s.wild)).replace(/[\s;]/g, "") : String(EPOCH + ms)),
      record: (f, i) => `@id=m${i};tmi-sent-ts=${f};user-id=${i % 3} :u${i % 3}!u@u.tmi.twitch.tv PRIVMSG #ircchan :line ${i} hello`,
      derive: (f) => {
        const ts = f.length > 0 ? Number(f) : NaN;
        return Number.isFinite(ts) ? sentClock(ts) : 0;
      },
    },
    {
      // Dated IRC logs: a jump of centuries is a safe integer, but no pipeline should step through it.
      name: "irc (dated log)",
      format: "irc",
      field: (s, ms) => {
        const wild = "wild" in s ? Math.abs(Math.trunc(numeric(typeof s.wild === "object" ? Number(s.wild.raw) : s.wild) ?? 7919)) % 10_000 : undefined;
        const d = new Date(wild === undefined ? EPOCH + ms : Date.UTC(wild, wild % 12, 1 + (wild % 28), wild % 24, wild % 60, (wild * 7) % 60));
        return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
      },
      record: (f, i) => `[${f}] <u${i % 3}> line ${i} hello`,
      derive: (f) => {
        const [date = "", time = ""] = f.split(" ");
        const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
        const [h, mi, s] = time.split(":").map(Number) as [number, number, number];
        return logClock(Date.UTC(y, mo - 1, d, h, mi, s));
      },
    },
  ];
}

/** The rule the guard promises: a safe integer, no more than the maximum gap past the latest accepted time. */
function expectedOutcome(times: readonly Derived[], isEvent: (i: number) => boolean): { accepted: number[]; bad: number[]; malformed: number; span: number } {
  let latest = -Infinity;
  let first: number | undefined;
  const accepted: number[] = [];
  const bad: number[] = [];
  let malformed = 0;
  for (const [i, t] of times.entries()) {
    if (t === "malformed") {
      malformed++;
      continue;
    }
    if (!Number.isSafeInteger(t) || (latest !== -Infinity && t - latest > MAX_GAP_MS)) {
      bad.push(i + 1);
      continue;
    }
    if (isEvent(i)) continue;
    if (t > latest) latest = t;
    first ??= t;
    accepted.push(t);
  }
  return { accepted, bad, malformed, span: first === undefined ? 0 : latest - first };
}

async function replay(c: FormatCase, steps: readonly Step[], speed: 1 | "max", n: number): Promise<void> {
  let ms = 0;
  const fields = steps.map((st) => {
    if ("delta" in st) ms += st.delta;
    return c.field(st, ms);
  });
  const records = fields.map((f, i) => c.record(f, i));
  const text = c.document ? c.document(records) : records.join("\n");
  const times = fields.map((f) => c.derive(f));
  const path = join(DIR, `case${n}`);
  writeFileSync(path, text + "\n");
  const listeners: ChatEventListener[] = [];
  const input = await openChatInput({ path, format: c.format, arrivalTime: () => 0, maxGapMs: MAX_GAP_MS, onEvent: (e) => listeners.forEach((l) => l(e)) });
  let published = 0;
  const channels = new Set<string>();
  const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => (published++, channels.add(r.channel)) });
  const source: MessageSource = { name: "file", canWait: true, timed: true, batches: () => input.batches(), onEvent: (l) => listeners.push(l) };
  const sink = { name: "count", write: () => undefined, ready: () => Promise.resolve(), close: () => Promise.resolve() };
  // An input none of whose records can be read (here: every time field unreadable) is an InputError by design.
  let stats: Awaited<ReturnType<typeof runPipeline>> | undefined;
  try {
    stats = await runPipeline({ source, processor, router, sink, clock: new VirtualClock(1_000_000, true), speed, maxGapMs: MAX_GAP_MS });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
  }
  rmSync(path);

  const isEvent = (i: number): boolean => c.format === "jsonl" && i % 5 === 4;
  const want = expectedOutcome(times, isEvent);
  const report = input.report;
  const where = `${c.name} ${JSON.stringify(fields)} at speed ${speed}`;
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`${where}: ${what}`);
  };
  if (stats === undefined) check(want.accepted.length === 0 && want.malformed > 0, `failed as unreadable with ${want.accepted.length} good and ${want.malformed} malformed lines`);
  check((stats?.messages ?? 0) === want.accepted.length, `${stats?.messages ?? 0} messages processed, expected ${want.accepted.length}`);
  check(report.messages === want.accepted.length, `report counts ${report.messages} messages`);
  check(report.badTime === want.bad.length, `${report.badTime} bad times, expected ${want.bad.length}`);
  check(report.malformed === want.malformed, `${report.malformed} malformed, expected ${want.malformed}`);
  const located = report.issues.filter((i) => i.kind === "bad-time").map((i) => i.line);
  check(JSON.stringify(located) === JSON.stringify(want.bad), `bad times at ${JSON.stringify(located)}, expected ${JSON.stringify(want.bad)}`);
  check((stats?.badTimes ?? 0) === 0, `${stats?.badTimes ?? 0} reached the pipeline unchecked`);
  check(want.span <= Math.max(0, want.accepted.length - 1) * MAX_GAP_MS, `span ${want.span} beyond messages × max-gap`);
  // Per channel: a snapshot every 500 ms of the span and its roll-ups, plus the first 10 min period's parts.
  const bound = Math.max(1, channels.size) * (1.12 * (want.span / 500) + 150);
  check(published <= bound, `${published} records for a span of ${want.span} ms (bound ${Math.round(bound)})`);
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 40);
  let n = 0;
  const variants = formats().length;
  for (let v = 0; v < variants; v++) {
    await fc.assert(
      // A fresh variant per case: the IRC oracles keep the file's time origin.
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), fc.constantFrom<1 | "max">(1, "max"), (steps, speed) => replay(formats()[v] as FormatCase, steps, speed, n++)),
      { numRuns: runs },
    );
  }
  rmSync(DIR, { recursive: true, force: true });
  process.stdout.write(`ok: ${n} replays over ${variants} format variants\n`);
}

await main();
