import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../../core/event.js";
import type { ChatMessage } from "../../core/message.js";
import type { ChatFormat, DecodeContext, DecodeResult } from "../decoder.js";
import { createDecoder } from "./index.js";

/**
 * Decoders take hostile records: valid ones from the fixtures with parts replaced, random JSON,
 * random text, very long and very deeply nested values. Whatever comes in, a decoder returns one
 * result per record, never throws, gives well-formed messages and events, and does the same again
 * for the same records.
 */

type FileFormat = Exclude<ChatFormat, "irc">;
const FIXTURES = new URL("../../../test/fixtures/sources/", import.meta.url);
const MAX_MESSAGE_LENGTH = 300;
const RUNS = 150;
/** Skip reasons are shown on a terminal and used as report keys: plain identifiers only. */
const REASON = /^[A-Za-z0-9_-]{1,100}$/;
const EVENT_KINDS = new Set(["sub", "resub", "gift", "raid", "paid", "membership", "announcement", "other"]);

function lines(path: string): string[] {
  return readFileSync(new URL(path, FIXTURES), "utf8")
    .split("\n")
    .filter((line) => line.trim().length > 0);
}

function parsedLines(path: string): unknown[] {
  return lines(path).flatMap((line) => {
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
}

const documentRecords = (path: string, key?: string): unknown[] => {
  const document = JSON.parse(readFileSync(new URL(path, FIXTURES), "utf8")) as Record<string, unknown> | unknown[];
  return (key === undefined ? document : (document as Record<string, unknown>)[key]) as unknown[];
};

/** Valid records of each format, as the decoder receives them (JSON values; line formats get them as lines). */
const SEEDS: Record<FileFormat, unknown[]> = {
  jsonl: [...parsedLines("jsonl/valid.jsonl"), { type: "event", kind: "raid", t: 5, user: "r", count: 12 }],
  text: lines("text/valid.txt"),
  ytdlp: [
    ...parsedLines("ytdlp/replay.live_chat.json"),
    ...parsedLines("ytdlp/live.live_chat.json"),
    ...parsedLines("ytdlp/legacy-member.live_chat.json"),
    ...parsedLines("ytdlp/get_live_chat_replay.json"),
  ],
  "chat-downloader": [
    ...documentRecords("chat-downloader/youtube.json"),
    ...documentRecords("chat-downloader/old-youtube.json"),
    ...documentRecords("chat-downloader/youtube-ja.json"),
    ...parsedLines("chat-downloader/twitch.jsonl"),
    ...parsedLines("chat-downloader/twitch-live.jsonl"),
  ],
  "twitch-vod": [...documentRecords("twitch-vod/twitchdownloader.json", "comments"), ...documentRecords("twitch-vod/rechat.json", "comments")],
};
/** Formats whose records reach the decoder as lines of text; the others also as parsed document elements. */
const LINE_ONLY = new Set<FileFormat>(["jsonl", "text", "ytdlp"]);

/** Values that have broken readers before: prototype keys, non-finite and huge numbers, controls, long and deep values. */
const nasty = fc.oneof(
  fc.constantFrom<unknown>(
    "constructor",
    "__proto__",
    "toString",
    "",
    " ",
    "\u0001ACTION \u0001",
    "\u001b]0;PWNED\u0007\u001b[2J",
    "\u202eevil",
    "😂".repeat(3),
    "\ud83d",
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER * 1000,
    -0,
    0.5,
    "1e400",
    "NaN",
    null,
    true,
    [],
    {},
  ),
  fc.integer({ min: 1000, max: 30_000 }).map((n) => "x".repeat(n)),
  fc.integer({ min: 100, max: 3000 }).map((n) => JSON.parse(`${"[".repeat(n)}${"]".repeat(n)}`) as unknown),
  fc.integer({ min: 1, max: 2000 }).map((n) => Array.from({ length: n }, (_, i) => ({ name: "x", locations: `${i}-${i}`, begin: i, end: i }))),
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 4 }), nasty);

/** Every path into a value (bounded, so a deep seed cannot make the walk itself expensive). */
function paths(value: unknown, limit = 400): (string | number)[][] {
  const found: (string | number)[][] = [];
  const queue: { at: unknown; path: (string | number)[] }[] = [{ at: value, path: [] }];
  while (queue.length > 0 && found.length < limit) {
    const { at, path } = queue.shift() as { at: unknown; path: (string | number)[] };
    if (path.length > 0) found.push(path);
    if (path.length > 12 || typeof at !== "object" || at === null) continue;
    const keys: (string | number)[] = Array.isArray(at) ? at.map((_, i) => i) : Object.keys(at);
    for (const key of keys) queue.push({ at: (at as Record<string | number, unknown>)[key], path: [...path, key] });
  }
  return found;
}

type Mutation = { kind: "set"; pick: number; value: unknown } | { kind: "delete"; pick: number } | { kind: "key"; pick: number; key: string; value: unknown };

function mutate(seed: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(seed);
  for (const mutation of mutations) {
    const all = paths(copy);
    if (all.length === 0) return mutation.kind === "delete" ? copy : "value" in mutation ? mutation.value : copy;
    const path = all[mutation.pick % all.length] as (string | number)[];
    const parent = path.slice(0, -1).reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], copy) as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (mutation.kind === "set") parent[last] = mutation.value;
    else if (mutation.kind === "delete") delete parent[last];
    else {
      const target = parent[last];
      if (typeof target === "object" && target !== null && !Array.isArray(target)) Object.defineProperty(target, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), pick: fc.nat(), value: anyValue }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("key" as const), pick: fc.nat(), key: fc.oneof(fc.constantFrom("__proto__", "constructor", "message_type", "author", "is_moderator", "badges"), fc.string()), value: anyValue }),
);

/** How a record reaches the decoder: as a line (always possible), or as a parsed element of a document. */
function asRecord(format: FileFormat, value: unknown, asLine: boolean): unknown {
  if (format === "text") return typeof value === "string" ? value : JSON.stringify(value) ?? "";
  if (asLine || LINE_ONLY.has(format)) return typeof value === "string" ? value : (JSON.stringify(value) ?? "null");
  return value;
}

function records(format: FileFormat): fc.Arbitrary<unknown[]> {
  const seeds = SEEDS[format];
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([seed, list]) => mutate(seed, list));
  const value = fc.oneof(
    { weight: 5, arbitrary: mutated },
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
    { weight: 2, arbitrary: anyValue },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("utf8")) },
  );
  return fc.array(fc.tuple(value, fc.boolean()).map(([v, asLine]) => asRecord(format, v, asLine)), { minLength: 1, maxLength: 12 });
}

interface Run {
  results: DecodeResult[];
  events: ChatEvent[];
}

/** Decodes records in order with a fresh decoder, as one input would be read. */
function decodeAll(format: FileFormat, input: unknown[]): Run {
  const decode = createDecoder(format);
  const events: ChatEvent[] = [];
  let arrival = 0;
  const ctx: DecodeContext = { defaultChannel: "prop", arrivalTime: () => (arrival += 250), maxMessageLength: MAX_MESSAGE_LENGTH, onEvent: (event) => events.push(event) };
  return { results: input.map((record, i) => decode(record, i + 1, ctx)), events };
}

function expectWellFormedMessage(message: ChatMessage): void {
  expect(Number.isInteger(message.t)).toBe(true);
  if (message.ts !== undefined) expect(Number.isInteger(message.ts)).toBe(true);
  for (const field of ["platform", "channel", "user", "userId"] as const) {
    expect(typeof message[field]).toBe("string");
    expect(message[field].length).toBeGreaterThan(0);
  }
  expect(typeof message.text).toBe("string");
  expect(message.text.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  if (message.id !== undefined) expect(typeof message.id === "string" && message.id.length > 0).toBe(true);
  for (const span of message.emotes ?? []) {
    expect(typeof span.name).toBe("string");
    expect(Number.isInteger(span.start) && Number.isInteger(span.end)).toBe(true);
    expect(span.start >= 0 && span.start < span.end && span.end <= message.text.length).toBe(true);
    if (span.id !== undefined) expect(typeof span.id).toBe("string");
  }
  if (message.emotes) expect(message.emotes.length).toBeGreaterThan(0);
  for (const badge of message.badges ?? []) expect(typeof badge).toBe("string");
  for (const value of Object.values(message.flags ?? {})) expect(value).toBe(true);
  if (message.paid) {
    expect(typeof message.paid.amount).toBe("string");
    if (message.paid.bits !== undefined) expect(Number.isFinite(message.paid.bits)).toBe(true);
  }
}

function expectWellFormedEvent(event: ChatEvent): void {
  expect(EVENT_KINDS.has(event.kind)).toBe(true);
  expect(Number.isInteger(event.t)).toBe(true);
  if (event.ts !== undefined) expect(Number.isInteger(event.ts)).toBe(true);
  for (const field of ["platform", "channel", "user"] as const) {
    expect(typeof event[field]).toBe("string");
    expect(event[field].length).toBeGreaterThan(0);
  }
  if (event.text !== undefined) expect(typeof event.text === "string" && event.text.length <= MAX_MESSAGE_LENGTH).toBe(true);
  if (event.amount !== undefined) expect(typeof event.amount).toBe("string");
  if (event.count !== undefined) expect(Number.isFinite(event.count)).toBe(true);
}

describe.each(Object.keys(SEEDS) as FileFormat[])("%s decoder on hostile records", (format) => {
  it(`[#14.prop] ${format}: never throws, one result per record, well-formed messages and events, the same every time`, () => {
    fc.assert(
      fc.property(records(format), (input) => {
        const run = decodeAll(format, input);
        expect(run.results).toHaveLength(input.length);
        for (const result of run.results) {
          if (result.kind === "message") {
            expectWellFormedMessage(result.message);
            for (const extra of result.more ?? []) expectWellFormedMessage(extra.message);
            if (result.more) expect(result.more.length).toBeGreaterThan(0);
          } else {
            expect(["skip", "error"]).toContain(result.kind);
            expect(typeof result.reason).toBe("string");
            expect(result.reason.length).toBeGreaterThan(0);
            if (result.kind === "skip") expect(result.reason).toMatch(REASON);
          }
        }
        for (const event of run.events) expectWellFormedEvent(event);
        expect(decodeAll(format, input)).toEqual(run);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("property test seeds", () => {
  it("every seed record decodes to a message, a skip or an event without error", () => {
    for (const format of Object.keys(SEEDS) as FileFormat[]) {
      const seeds = SEEDS[format].map((seed) => asRecord(format, seed, false));
      const run = decodeAll(format, seeds);
      const errors = run.results.flatMap((result, i) => (result.kind === "error" ? [`${format} seed ${i}: ${result.reason}`] : []));
      // The fixtures' deliberately broken records are not among the seeds, except rechat's comment without an offset.
      expect(errors).toEqual(format === "twitch-vod" ? ['twitch-vod seed 9: missing or invalid "content_offset_seconds"'] : []);
      expect(run.results.some((result) => result.kind === "message")).toBe(true);
    }
  });
});
