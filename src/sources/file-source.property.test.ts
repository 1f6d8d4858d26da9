import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";
import type { ChatFormat } from "./decoder.js";
import { InputError, openChatInput, type InputReport } from "./file-source.js";

/**
 * Whole inputs, as bytes arriving in arbitrary pieces on a pipe, through the real reader: line
 * splitting or the streaming JSON document reader, then the decoder. Every line (or document
 * record) is accounted for exactly once, as a message, a skip or a located error; the run is the
 * same every time; and an input with nothing readable ends in one InputError line, nothing else.
 */

type FileFormat = Exclude<ChatFormat, "irc">;
const FIXTURES = new URL("../../test/fixtures/sources/", import.meta.url);
const fixture = (path: string): string => readFileSync(new URL(path, FIXTURES), "utf8");
const fixtureLines = (path: string): string[] => fixture(path).split("\n").filter((line) => line.length > 0);

const LINE_SEEDS: Record<"jsonl" | "text" | "ytdlp" | "chat-downloader", string[]> = {
  jsonl: fixtureLines("jsonl/valid.jsonl"),
  text: fixtureLines("text/valid.txt"),
  ytdlp: [...fixtureLines("ytdlp/replay.live_chat.json"), ...fixtureLines("ytdlp/legacy-member.live_chat.json")],
  "chat-downloader": [...fixtureLines("chat-downloader/twitch.jsonl"), ...fixtureLines("chat-downloader/twitch-live.jsonl")],
};
const DOCUMENT_SEEDS = {
  "chat-downloader": JSON.parse(fixture("chat-downloader/youtube.json")) as unknown[],
  "twitch-vod": (JSON.parse(fixture("twitch-vod/twitchdownloader.json")) as { comments: unknown[] }).comments,
};

/** A line: a fixture line, cut or with bytes changed, or random text, or very long. */
const line = (seeds: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...seeds) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.nat()).map(([seed, at]) => seed.slice(0, at % (seed.length + 1))) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.string({ maxLength: 8 })).map(([seed, at, s]) => seed.slice(0, at % (seed.length + 1)) + s + seed.slice(at % (seed.length + 1))) },
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "   ", "\r", "{", "[", "null", "42", '"x"', '{"constructor": {}}', '{"__proto__": {"t": 1}}') },
    { weight: 1, arbitrary: fc.integer({ min: 70_000, max: 140_000 }).map((n) => `{"t": 1, "user": "u", "text": "${"y".repeat(n)}"}`) },
  );

/** Bytes of a line-format input: lines joined by LF or CRLF, with invalid UTF-8 and a BOM now and then. */
const lineInput = (seeds: string[]): fc.Arbitrary<Buffer> =>
  fc.tuple(fc.array(fc.tuple(line(seeds), fc.boolean(), fc.boolean()), { minLength: 0, maxLength: 10 }), fc.boolean(), fc.boolean()).map(([entries, bom, trailingNewline]) => {
    const parts: Buffer[] = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
    entries.forEach(([text, crlf, badByte], i) => {
      parts.push(Buffer.from(text, "utf8"));
      if (badByte) parts.push(Buffer.from([0xff, 0xc3]));
      if (i < entries.length - 1 || trailingNewline) parts.push(Buffer.from(crlf ? "\r\n" : "\n"));
    });
    return Buffer.concat(parts);
  });

/** Bytes of a JSON document: the fixture's records, some replaced, dropped or broken, the whole maybe cut or with junk after it. */
const documentInput = (format: "chat-downloader" | "twitch-vod"): fc.Arbitrary<Buffer> => {
  const seeds = DOCUMENT_SEEDS[format];
  const record = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...seeds) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.integer({ min: 50, max: 3000 }).map((n) => JSON.parse(`${"[".repeat(n)}${"]".repeat(n)}`) as unknown) },
  );
  return fc.tuple(fc.array(record, { maxLength: 8 }), fc.oneof(fc.constant(undefined), fc.nat()), fc.constantFrom("", "", " x", "]", "\n[1]", "\uFFFD")).map(([records, cut, junk]) => {
    const document = format === "twitch-vod" ? { streamer: { name: "Prop", id: 1 }, comments: records } : records;
    const text = JSON.stringify(document, null, cut !== undefined && cut % 2 === 0 ? 2 : undefined) + junk;
    return Buffer.from(cut === undefined ? text : text.slice(0, cut % (text.length + 1)), "utf8");
  });
};

/** The same bytes cut into pieces at arbitrary points, as a pipe delivers them. */
const pieces = (bytes: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer[]> =>
  fc.tuple(bytes, fc.array(fc.nat(), { maxLength: 6 })).map(([all, cuts]) => {
    const at = [...new Set(cuts.map((c) => (all.length === 0 ? 0 : c % all.length)))].sort((a, b) => a - b);
    return [0, ...at].map((from, i) => all.subarray(from, at[i] ?? all.length)).filter((piece) => piece.length > 0);
  });

interface Outcome {
  messages: ChatMessage[];
  events: ChatEvent[];
  report: InputReport;
  failure?: string;
}

async function readInput(format: FileFormat, chunks: Buffer[]): Promise<Outcome> {
  const events: ChatEvent[] = [];
  let arrival = 0;
  const input = await openChatInput({ path: "-", format, stdin: Readable.from(chunks), arrivalTime: () => (arrival += 100), maxMessageLength: 500, onEvent: (e) => events.push(e) });
  const messages: ChatMessage[] = [];
  try {
    for await (const batch of input.batches()) messages.push(...batch);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { messages, events, report: structuredClone(input.report), failure: error.message };
  }
  return { messages, events, report: structuredClone(input.report) };
}

function skippedTotal(report: InputReport): number {
  return Object.values(report.skipped).reduce((sum, n) => sum + n, 0);
}

/** Lines as the splitter sees them: LF-separated, a last line without LF counts, an empty input has none. */
function lineCount(bytes: Buffer): number {
  if (bytes.length === 0) return 0;
  let count = 0;
  for (const byte of bytes) if (byte === 0x0a) count += 1;
  return bytes[bytes.length - 1] === 0x0a ? count : count + 1;
}

function expectAccounted(format: FileFormat, bytes: Buffer, outcome: Outcome, document: boolean): void {
  const { report, messages, failure } = outcome;
  expect(report.messages).toBe(messages.length);
  for (const m of messages) {
    expect(Number.isInteger(m.t)).toBe(true);
    expect(m.user.length > 0 && m.userId.length > 0 && m.platform.length > 0 && m.channel.length > 0).toBe(true);
    expect(m.text.length).toBeLessThanOrEqual(500);
  }
  if (failure !== undefined) {
    expect(failure).toMatch(new RegExp(`^chatstream: cannot read standard input as ${format}: [^\\n]+$`));
    expect(messages).toEqual([]);
  }
  if (report.empty) {
    expect(messages).toEqual([]);
    return;
  }
  const accounted = messages.length + skippedTotal(report) + report.malformed;
  if (document) {
    // Each record is one outcome; the document itself may add one error (truncated, not JSON, no comments array).
    expect(accounted - report.lines).toBeGreaterThanOrEqual(0);
    expect(accounted - report.lines).toBeLessThanOrEqual(1);
  } else {
    expect(report.lines).toBe(lineCount(bytes));
    const recordOutcomes = skippedTotal(report) + report.malformed + report.invalidUtf8;
    // A yt-dlp line may carry several chat items; every other line carries at most one.
    if (format === "ytdlp") expect(messages.length).toBeGreaterThanOrEqual(report.lines - recordOutcomes);
    else expect(messages.length + recordOutcomes).toBe(report.lines);
    expect(recordOutcomes).toBeLessThanOrEqual(report.lines);
  }
}

const RUNS = 40;

describe.each(["jsonl", "text", "ytdlp", "chat-downloader"] as const)("%s input through the line reader", (format) => {
  it(`[#14.prop] ${format}: every line accounted for once, the same on every read, one InputError line when nothing is readable`, async () => {
    await fc.assert(
      fc.asyncProperty(pieces(lineInput(LINE_SEEDS[format])), async (chunks) => {
        const bytes = Buffer.concat(chunks);
        const first = await readInput(format, chunks);
        expectAccounted(format, bytes, first, first.report.unit === "record");
        // Lines do not depend on how the bytes arrived.
        expect(await readInput(format, [bytes])).toEqual(first);
      }),
      { numRuns: RUNS },
    );
  });
});

describe.each(["chat-downloader", "twitch-vod"] as const)("%s documents through the streaming JSON reader", (format) => {
  it(`[#14.prop] ${format}: every record accounted for once, the same on every read, one InputError line when nothing is readable`, async () => {
    await fc.assert(
      fc.asyncProperty(pieces(documentInput(format)), async (chunks) => {
        const bytes = Buffer.concat(chunks);
        const first = await readInput(format, chunks);
        expectAccounted(format, bytes, first, first.report.unit === "record");
        // A syntax error costs the records of the text piece it is found in, and pieces follow the reads: same reads, same result.
        expect(await readInput(format, chunks)).toEqual(first);
      }),
      { numRuns: RUNS },
    );
  });
});
