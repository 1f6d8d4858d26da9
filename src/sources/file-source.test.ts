import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PassThrough, Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli-process.js";
import type { ChatEvent } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";
import { DETECT_MAX_BYTES } from "./detect.js";
import { formatInputReport, InputError, MAX_BATCH_MESSAGES, openChatInput, type ChatInput, type ChatInputOptions } from "./file-source.js";

const FIXTURES = fileURLToPath(new URL("../../test/fixtures/sources/", import.meta.url));
const fixture = (path: string): string => join(FIXTURES, path);
const scratch = mkdtempSync(join(tmpdir(), "chatstream-sources-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function open(path: string, extra: Partial<ChatInputOptions> = {}): Promise<ChatInput> {
  return openChatInput({ path, arrivalTime: () => 7, ...extra });
}

async function collect(input: ChatInput): Promise<ChatMessage[][]> {
  const batches: ChatMessage[][] = [];
  for await (const batch of input.batches()) batches.push(batch);
  return batches;
}

async function readAll(path: string, extra: Partial<ChatInputOptions> = {}): Promise<{ input: ChatInput; messages: ChatMessage[] }> {
  const input = await open(path, extra);
  const messages = (await collect(input)).flat();
  return { input, messages };
}

describe("openChatInput: every fixture end to end", () => {
  it.each([
    ["jsonl/valid.jsonl", "jsonl", "valid", 7, 8],
    ["text/valid.txt", "text", "valid", 4, 6],
    ["text/crlf-bom.txt", "text", "crlf-bom", 3, 4],
    ["ytdlp/replay.live_chat.json", "ytdlp", "replay", 6, 11],
    ["ytdlp/live.live_chat.json", "ytdlp", "live", 3, 3],
    ["chat-downloader/youtube.json", "chat-downloader", "youtube", 4, 7],
    ["chat-downloader/twitch.jsonl", "chat-downloader", "twitch", 3, 4],
    ["chat-downloader/live.json", "chat-downloader", "live", 2, 2],
    ["twitch-vod/twitchdownloader.json", "twitch-vod", "fixturestreamer", 6, 7],
    ["twitch-vod/rechat.json", "twitch-vod", "fixturelion", 2, 3, 1],
    ["irc/chatty.irc", "irc", "chatty", 7, 8],
    ["irc/dated.irc", "irc", "dated", 3, 3],
    ["irc/twitch-raw.irc", "irc", "twitch-raw", 5, 11],
  ])("%s: %s, channel %s, %i messages from %i lines or records", async (path, format, channel, messages, lines, malformed = 0) => {
    const { input, messages: read } = await readAll(fixture(path));
    expect(input.format).toBe(format);
    expect(input.channel).toBe(channel);
    expect(read).toHaveLength(messages);
    expect(input.report).toMatchObject({ format, lines, messages, malformed, invalidUtf8: 0, empty: false });
  });

  it("delivers decoded messages in input order, stamping arrival time on timeless records", async () => {
    const { messages } = await readAll(fixture("text/crlf-bom.txt"));
    expect(messages.map((m) => [m.text, m.t])).toEqual([
      ["line one", 7],
      ["line two", 7],
      ["line three", 7],
    ]);
    const jsonl = await readAll(fixture("jsonl/valid.jsonl"));
    expect(jsonl.messages.map((m) => m.t)).toEqual([0, 1200, 2500, 3100, 4000, 5000, 6000]);
    expect(jsonl.messages[1]?.channel).toBe("speedrunlive");
    expect(jsonl.messages[0]?.channel).toBe("valid");
    expect(jsonl.input.report.skipped).toEqual({ blank: 1 });
  });
});

describe("openChatInput: broken input is counted, not thrown", () => {
  it("reports malformed, truncated and overlong lines by line number", async () => {
    const { input, messages } = await readAll(fixture("jsonl/broken.jsonl"), { maxMessageLength: 100 });
    expect(messages.map((m) => m.user)).toEqual(["ok1", "longwinded", "ok2"]);
    expect(messages[1]?.text).toHaveLength(100);
    const report = input.report;
    expect(report).toMatchObject({ lines: 9, messages: 3, malformed: 6, overlong: 1, invalidUtf8: 0 });
    expect(report.issues.filter((i) => i.kind === "malformed").map((i) => i.line)).toEqual([2, 3, 4, 6, 7, 9]);
    expect(report.issues.find((i) => i.kind === "overlong")?.line).toBe(5);
    expect(formatInputReport(report)).toBe(
      "input: 3 messages from 9 lines (jsonl); 6 malformed (lines 2, 3, 4, 6, 7, …), 1 cut to max length",
    );
  });

  it("skips lines with invalid UTF-8 and keeps the rest", async () => {
    const path = join(scratch, "bad-bytes.jsonl");
    const good = (n: number) => Buffer.from(`{"t":${n},"user":"u${n}","text":"fine ${n}","platform":"twitch"}\n`);
    writeFileSync(
      path,
      Buffer.concat([good(1), Buffer.from('{"t":2,"user":"x","text":"bad \xff'), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('"}\n'), good(3), Buffer.from([0xe2, 0x82]), Buffer.from("\n"), good(5)]),
    );
    const { input, messages } = await readAll(path);
    expect(input.format).toBe("jsonl");
    expect(messages.map((m) => m.t)).toEqual([1, 3, 5]);
    expect(input.report).toMatchObject({ lines: 5, invalidUtf8: 2, malformed: 0 });
    expect(input.report.issues.map((i) => [i.line, i.kind])).toEqual([
      [2, "invalid-utf8"],
      [4, "invalid-utf8"],
    ]);
  });

  it("reports a truncated JSON document after the records before the cut", async () => {
    const vod = await readAll(fixture("twitch-vod/truncated.json"));
    expect(vod.messages).toHaveLength(3);
    expect(vod.input.report).toMatchObject({ unit: "record", lines: 3, malformed: 1 });
    expect(vod.input.report.issues).toEqual([{ line: 4, kind: "malformed", reason: expect.stringContaining("truncated") }]);
    const cd = await readAll(fixture("chat-downloader/truncated.json"));
    expect(cd.messages.map((m) => m.id)).toEqual(["FixtureCD0001", "FixtureCD0002"]);
    expect(cd.input.report.malformed).toBe(1);
  });

  it("counts invalid UTF-8 inside a JSON document and still decodes it", async () => {
    const text = readFileSync(fixture("twitch-vod/twitchdownloader.json"));
    const at = text.indexOf("what a start") + 5;
    const path = join(scratch, "bad-bytes-vod.json");
    writeFileSync(path, Buffer.concat([text.subarray(0, at), Buffer.from([0xff]), text.subarray(at), Buffer.from([0xe2])]));
    const { input, messages } = await readAll(path);
    expect(messages).toHaveLength(6);
    expect(messages[1]?.text).toBe("what \uFFFDa start");
    // a document cannot drop a line: bad bytes are counted once per chunk they are read in
    expect(input.report.invalidUtf8).toBe(1);
  });

  it("counts a document cut inside a multi-byte character", async () => {
    const text = readFileSync(fixture("twitch-vod/twitchdownloader.json"));
    const stdin = Readable.from([text, Buffer.from([0xe2, 0x82])]);
    const { input, messages } = await readAll("-", { stdin, format: "twitch-vod" });
    expect(messages).toHaveLength(6);
    expect(input.report).toMatchObject({ invalidUtf8: 1, malformed: 0 });
  });

  it("reports the garbage lines of other formats", async () => {
    const ytdlp = await readAll(fixture("ytdlp/broken.live_chat.json"));
    expect(ytdlp.input.report.issues.map((i) => i.line)).toEqual([2, 3, 4, 5]);
    const irc = await readAll(fixture("irc/broken.irc"));
    expect(irc.input.report).toMatchObject({ messages: 2, malformed: 2, skipped: { "log-event": 1 } });
  });

  it("reports an empty file as empty, not as an error", async () => {
    const input = await open(fixture("jsonl/empty.jsonl"));
    expect(input.format).toBe("jsonl");
    expect(input.report.empty).toBe(true);
    expect(input.report.issues).toEqual([{ line: 0, kind: "empty-input", reason: "input is empty" }]);
    expect(await collect(input)).toEqual([]);
    expect(formatInputReport(input.report)).toBe("input: empty (jsonl), no messages");
  });

  it("finds emptiness while reading when the format was given, or the input is all blank", async () => {
    const given = await readAll(fixture("jsonl/empty.jsonl"), { format: "jsonl" });
    expect(given.input.report.empty).toBe(true);
    const blank = join(scratch, "blank.txt");
    writeFileSync(blank, "\n".repeat(40_000));
    const blankInput = await readAll(blank);
    expect(blankInput.input.report).toMatchObject({ empty: true, lines: 40_000, skipped: { blank: 40_000 } });
    const emptyVod = await readAll(fixture("jsonl/empty.jsonl"), { format: "twitch-vod" });
    expect(emptyVod.input.report.empty).toBe(true);
    const noComments = join(scratch, "no-comments.json");
    writeFileSync(noComments, '{"comments": []}');
    expect((await readAll(noComments)).input.report).toMatchObject({ empty: false, messages: 0 });
  });
});

describe("openChatInput: gzip", () => {
  it("gunzips transparently, whatever the file is called", async () => {
    const plain = await readAll(fixture("ytdlp/replay.live_chat.json"));
    const gz = join(scratch, "replay.live_chat.json.gz");
    writeFileSync(gz, gzipSync(readFileSync(fixture("ytdlp/replay.live_chat.json"))));
    const zipped = await readAll(gz);
    expect(zipped.input.format).toBe("ytdlp");
    expect(zipped.input.channel).toBe("replay");
    expect(zipped.messages).toEqual(plain.messages.map((m) => ({ ...m })));
    const vod = join(scratch, "vod.bin");
    writeFileSync(vod, gzipSync(readFileSync(fixture("twitch-vod/twitchdownloader.json"))));
    expect((await readAll(vod)).messages).toHaveLength(6);
  });

  it("counts corrupt or truncated gzip data as one issue and keeps what was readable", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ t: i, user: `u${i % 97}`, text: `message ${i} ${"x".repeat(i % 50)}`, platform: "twitch" }));
    const zipped = gzipSync(Buffer.from(lines.join("\n") + "\n"));
    const path = join(scratch, "cut.jsonl.gz");
    writeFileSync(path, zipped.subarray(0, Math.floor(zipped.length * 0.6)));
    const { input, messages } = await readAll(path);
    expect(messages.length).toBeGreaterThan(100);
    expect(messages.length).toBeLessThan(3000);
    const gzipIssues = input.report.issues.filter((issue) => issue.reason.includes("corrupt or truncated gzip data"));
    expect(gzipIssues).toHaveLength(1);
    // the line cut off by the end of the data is reported too
    expect(input.report.issues.at(-1)).toMatchObject({ kind: "malformed", reason: expect.stringContaining("invalid JSON") });
  });
});

describe("openChatInput: stdin", () => {
  it("reads '-' from the given stream, detecting the format from what arrives", async () => {
    const stdin = Readable.from([Buffer.from('{"t": 1, "user": "a", "text": "from a pipe", "platform": "twitch"}\n{"t": 2, "us'), Buffer.from('er": "b", "text": "second", "platform": "twitch"}\n')]);
    const { input, messages } = await readAll("-", { stdin });
    expect(input.format).toBe("jsonl");
    expect(input.channel).toBe("stdin");
    expect(messages.map((m) => m.text)).toEqual(["from a pipe", "second"]);
    expect(input.progress()).toBe(0);
  });

  it("accepts string chunks", async () => {
    const stdin = Readable.from(["[12:00:00] <a> hi\n", "[12:00:02] <b> yo\n"]);
    const { input, messages } = await readAll("-", { stdin });
    expect(input.format).toBe("irc");
    expect(messages.map((m) => m.t)).toEqual([0, 2000]);
  });

  it("emits a batch as soon as a chunk arrives, stamping lines when they arrive", async () => {
    const stdin = new PassThrough();
    let now = 100;
    stdin.write("first line\n");
    const input = await open("-", { stdin, arrivalTime: () => now });
    expect(input.format).toBe("text");
    const batches = input.batches()[Symbol.asyncIterator]();
    expect((await batches.next()).value).toMatchObject([{ text: "first line", t: 100 }]);
    now = 2500;
    stdin.write("second line\nthird");
    expect((await batches.next()).value).toMatchObject([{ text: "second line", t: 2500 }]);
    now = 4000;
    stdin.end(" line\n");
    expect((await batches.next()).value).toMatchObject([{ text: "third line", t: 4000 }]);
    expect((await batches.next()).done).toBe(true);
  });

  it("opens at once when the format is given, without waiting for data", async () => {
    const stdin = new PassThrough();
    const input = await open("-", { stdin, format: "text" });
    expect(input.format).toBe("text");
    stdin.end("late\n");
    expect((await collect(input)).flat().map((m) => m.text)).toEqual(["late"]);
  });

  it("ends a failing stream with a counted read error", async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from("ok line\n");
      throw new Error("pipe broke");
    }
    const stdin = Readable.from(failing());
    const { input, messages } = await readAll("-", { stdin });
    expect(messages.map((m) => m.text)).toEqual(["ok line"]);
    expect(input.report.issues).toEqual([{ line: 2, kind: "malformed", reason: "read error: pipe broke" }]);
  });

  it("still reports a read error that happens while detecting the format", async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from("partial first li");
      throw new Error("gone");
    }
    const { input, messages } = await readAll("-", { stdin: Readable.from(failing()) });
    expect(messages.map((m) => m.text)).toEqual(["partial first li"]);
    expect(input.report.malformed).toBe(1);
  });
});

describe("openChatInput: batching and back-pressure", () => {
  function jsonlLines(count: number): string {
    return Array.from({ length: count }, (_, i) => JSON.stringify({ t: i * 10, user: `u${i % 50}`, text: `line ${i}`, platform: "twitch" })).join("\n");
  }

  it("caps batches at MAX_BATCH_MESSAGES", async () => {
    const stdin = Readable.from([Buffer.from(jsonlLines(2500) + "\n")]);
    const batches = await collect(await open("-", { stdin }));
    expect(batches.map((b) => b.length)).toEqual([MAX_BATCH_MESSAGES, MAX_BATCH_MESSAGES, 500]);
  });

  it("reads no further ahead than the consumer while it is busy", async () => {
    const path = join(scratch, "big.jsonl");
    writeFileSync(path, jsonlLines(60_000));
    const input = await open(path);
    const batches = input.batches()[Symbol.asyncIterator]();
    await batches.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(input.progress()).toBeGreaterThan(0);
    expect(input.progress()).toBeLessThan(0.5);
    let read = 1;
    while (!(await batches.next()).done) read += 1;
    expect(input.progress()).toBe(1);
    expect(input.report.messages).toBe(60_000);
    expect(read).toBeGreaterThan(10);
  });

  it("stops cleanly when the consumer stops early, and can be iterated only once", async () => {
    const input = await open(fixture("jsonl/valid.jsonl"));
    for await (const batch of input.batches()) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    await input.close();
    await expect(async () => {
      for await (const _ of input.batches()) void _;
    }).rejects.toThrow("only be iterated once");
  });
});

describe("openChatInput: formats and channels", () => {
  it("uses the given format instead of detecting one", async () => {
    const { input, messages } = await readAll(fixture("jsonl/valid.jsonl"), { format: "text" });
    expect(input.format).toBe("text");
    expect(messages[0]?.text).toBe('{"t": 0, "user": "lurker_anna", "text": "hello chat", "platform": "twitch"}');
  });

  it("reads chat-downloader arrays and JSON lines when the format is given", async () => {
    const array = await readAll(fixture("chat-downloader/youtube.json"), { format: "chat-downloader" });
    expect(array.input.report).toMatchObject({ unit: "record", messages: 4 });
    const lines = await readAll(fixture("chat-downloader/twitch.jsonl"), { format: "chat-downloader" });
    expect(lines.input.report).toMatchObject({ unit: "line", messages: 3 });
  });

  it("names the channel after a VOD dump's streamer unless --channel says otherwise", async () => {
    const given = await readAll(fixture("twitch-vod/twitchdownloader.json"), { format: "twitch-vod" });
    expect(given.input.channel).toBe("fixturestreamer");
    expect(given.messages.every((m) => m.channel === "fixturestreamer")).toBe(true);
    const explicit = await readAll(fixture("twitch-vod/twitchdownloader.json"), { channel: "mine" });
    expect(explicit.input.channel).toBe("mine");
    expect(explicit.messages.every((m) => m.channel === "mine")).toBe(true);
    // rechat dumps name the channel after the comments: known once read, too late for the messages
    const rechat = await readAll(fixture("twitch-vod/rechat.json"));
    expect(rechat.messages[0]?.channel).toBe("rechat");
    expect(rechat.input.channel).toBe("fixturelion");
  });

  it("defaults --channel over the file name for records without a channel", async () => {
    const { messages } = await readAll(fixture("irc/chatty.irc"), { channel: "override" });
    expect(new Set(messages.map((m) => m.channel))).toEqual(new Set(["override"]));
  });
});

describe("openChatInput: inputs that cannot be read", () => {
  it("fails with an InputError for a missing file", async () => {
    const missing = join(scratch, "nope.jsonl");
    await expect(open(missing)).rejects.toThrow(InputError);
    await expect(open(missing)).rejects.toThrow(`chatstream: cannot open "${missing}": no such file`);
  });

  it("fails with an InputError for a directory or an unknown format", async () => {
    const dir = join(scratch, "a-directory");
    mkdirSync(dir, { recursive: true });
    await expect(open(dir)).rejects.toThrow(`chatstream: cannot open "${dir}": is a directory`);
    await expect(open(fixture("jsonl/valid.jsonl"), { format: "xml" })).rejects.toThrow(
      'chatstream: unknown format "xml" (expected one of: jsonl, text, ytdlp, chat-downloader, twitch-vod, irc)',
    );
  });

  it("fails with an InputError for an unreadable file", async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const locked = join(scratch, "locked.jsonl");
    writeFileSync(locked, "x\n", { mode: 0o000 });
    await expect(open(locked)).rejects.toThrow("permission denied");
  });
});

describe("openChatInput: a first record longer than the detection sample", () => {
  // Longer than one 64 KiB read, so the first chunk holds no complete line.
  const long = { t: 1500, user: "copypasta_king", userId: "99", text: "POGGERS ".repeat(9000).trim(), platform: "twitch", flags: { subscriber: true } };

  it("[#14.10] detects a JSONL file whose first line is over 16 KB as jsonl, from the whole line", async () => {
    const path = join(scratch, "long-first-line.jsonl");
    const second = { t: 2000, user: "next", text: "ok", platform: "twitch" };
    writeFileSync(path, `${JSON.stringify(long)}\n${JSON.stringify(second)}\n`);
    expect(JSON.stringify(long).length).toBeGreaterThan(64 * 1024);
    const { input, messages } = await readAll(path);
    expect(input.format).toBe("jsonl");
    expect(messages).toEqual([
      { t: 1500, platform: "twitch", channel: "long-first-line", userId: "99", user: "copypasta_king", text: long.text.slice(0, 2000), flags: { subscriber: true } },
      { t: 2000, platform: "twitch", channel: "long-first-line", userId: "next", user: "next", text: "ok" },
    ]);
    expect(input.report).toMatchObject({ lines: 2, messages: 2, overlong: 1, malformed: 0 });
  });

  it("[#14.10] waits on a slow pipe for the rest of a long first line before deciding", async () => {
    const line = Buffer.from(`${JSON.stringify(long)}\n`);
    const pieces = Array.from({ length: Math.ceil(line.length / 4096) }, (_, i) => line.subarray(i * 4096, (i + 1) * 4096));
    const { input, messages } = await readAll("-", { stdin: Readable.from(pieces) });
    expect(input.format).toBe("jsonl");
    expect(messages.map((m) => [m.user, m.userId, m.platform, m.t, m.flags])).toEqual([["copypasta_king", "99", "twitch", 1500, { subscriber: true }]]);
  });

  it("stops reading for detection at DETECT_MAX_BYTES when a first line never ends", async () => {
    const stdin = new PassThrough();
    stdin.write(`{"t": 0, "text": "${"a".repeat(DETECT_MAX_BYTES)}`);
    const input = await open("-", { stdin });
    expect(input.format).toBe("text");
    stdin.end();
    await expect(collect(input)).rejects.toThrow(`cannot read standard input as text: line longer than ${DETECT_MAX_BYTES} bytes`);
  });
});

describe("openChatInput: other tools' documents that used to read as nothing or as plain text", () => {
  it("[#14.15] reads a raw get_live_chat_replay response on one line: every message, and the Super Chat", async () => {
    const events: ChatEvent[] = [];
    const { input, messages } = await readAll(fixture("ytdlp/get_live_chat_replay.json"), { onEvent: (event) => events.push(event) });
    expect(input.format).toBe("ytdlp");
    expect(input.report).toMatchObject({ lines: 1, messages: 13, malformed: 0, skipped: {} });
    expect(messages[0]).toEqual({ t: 1500, ts: 1700000001500, id: "RawMsg0000", platform: "youtube", channel: "get_live_chat_replay", userId: "UCa1b2c3d4e5f6g7h8i9j0kA", user: "Mika Tan", text: "first!" });
    expect(messages.find((m) => m.paid)).toEqual({
      t: 18400,
      ts: 1700000018400,
      id: "RawPaid0001",
      platform: "youtube",
      channel: "get_live_chat_replay",
      userId: "UCada00000000000000000a3",
      user: "Ada L.",
      text: "for the snacks",
      paid: { amount: "€10.00", currency: "EUR" },
    });
    expect(messages.at(-1)).toMatchObject({ t: 31750, user: "Lena K", userId: "UClena0000000000000000l1", text: "clean" });
    expect(events.map((e) => [e.kind, e.user, e.amount])).toEqual([
      ["paid", "Ada L.", "€10.00"],
      ["membership", "Nadia", undefined],
    ]);
  });

  it("[#14.15] reads a single Twitch comment object as one twitch-vod message, detected or given", async () => {
    const expected = {
      t: 247512,
      ts: Date.parse("2019-06-02T18:04:07.512Z"),
      id: "7d3e2f1a-9b8c-4d5e-a6f7-0123456789ab",
      platform: "twitch",
      channel: "comment",
      userId: "41234567",
      user: "NightOwl_42",
      text: "that was clean Kappa",
      emotes: [{ name: "Kappa", id: "25", start: 15, end: 20 }],
      badges: ["subscriber/12", "premium/1"],
      flags: { subscriber: true },
    };
    const detected = await readAll(fixture("twitch-vod/comment.json"));
    expect(detected.input.format).toBe("twitch-vod");
    expect(detected.messages).toEqual([expected]);
    const given = await readAll(fixture("twitch-vod/comment.json"), { format: "twitch-vod" });
    expect(given.messages).toEqual([expected]);
    expect(formatInputReport(given.input.report)).toBe("input: 1 message from 1 record (twitch-vod)");
  });
});

describe("openChatInput: a file that yields nothing from a format that should carry chat", () => {
  it("[#14.15] fails with one line naming the file, the format and why, for -f twitch-vod on JSON lines", async () => {
    const path = fixture("jsonl/valid.jsonl");
    const input = await open(path, { format: "twitch-vod" });
    const failure = collect(input);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(`chatstream: cannot read "${path}" as twitch-vod: no "comments" array: not a Twitch VOD chat dump (record 1; 1 unreadable, no chat messages)`);
  });

  it("[#14.15] fails when every record of a document or every line is unreadable, and for -f ytdlp on JSON lines", async () => {
    const broken = join(scratch, "offsetless.json");
    writeFileSync(broken, JSON.stringify({ comments: [{ _id: "a", message: { body: "hi" } }, { _id: "b", message: { body: "yo" } }] }));
    await expect(readAll(broken)).rejects.toThrow(`cannot read "${broken}" as twitch-vod: missing or invalid "content_offset_seconds" (record 1; 2 unreadable, no chat messages)`);
    const garbage = join(scratch, "garbage.jsonl");
    writeFileSync(garbage, '{"t": "soon", "text": 1}\n{"oops\n');
    await expect(readAll(garbage, { format: "jsonl" })).rejects.toThrow(/cannot read ".*garbage.jsonl" as jsonl: missing or invalid "t" \(line 1; 2 unreadable, no chat messages\)$/);
    await expect(readAll(fixture("jsonl/valid.jsonl"), { format: "ytdlp" })).rejects.toThrow(/as ytdlp: not a YouTube chat action \(line 1; 7 unreadable, no chat messages\)$/);
    const withControls = join(scratch, "bad\u001b[2Jname.jsonl");
    writeFileSync(withControls, "{\n");
    await expect(readAll(withControls, { format: "jsonl" })).rejects.toThrow(/cannot read ".*bad\?\[2Jname\.jsonl" as jsonl: invalid JSON/);
  });

  it("keeps a genuinely empty chat a reported, successful read", async () => {
    const noComments = join(scratch, "quiet-vod.json");
    writeFileSync(noComments, JSON.stringify({ streamer: { name: "Quiet" }, comments: [] }));
    const quiet = await readAll(noComments);
    expect(quiet.messages).toEqual([]);
    expect(formatInputReport(quiet.input.report)).toBe("input: 0 messages from 0 records (twitch-vod)");
    const notices = join(scratch, "notices.live_chat.json");
    writeFileSync(notices, readFileSync(fixture("ytdlp/replay.live_chat.json"), "utf8").split("\n")[0] + "\n\n");
    const onlyNotices = await readAll(notices);
    expect(onlyNotices.messages).toEqual([]);
    expect(formatInputReport(onlyNotices.input.report)).toBe("input: 0 messages from 2 lines (ytdlp); 2 skipped (blank: 1, liveChatViewerEngagementMessageRenderer: 1)");
    const someBroken = join(scratch, "some-broken.jsonl");
    writeFileSync(someBroken, '{"type": "event", "kind": "raid", "t": 5, "user": "r"}\n{oops\n');
    expect((await readAll(someBroken)).input.report).toMatchObject({ messages: 0, malformed: 1, skipped: { event: 1 } });
  });

  it("[#14.15] exits 2 with that one line when the real CLI is given -f twitch-vod for a JSONL file", async () => {
    const path = fixture("jsonl/valid.jsonl");
    const result = await runCli(["run", "-i", path, "-f", "twitch-vod", "--speed", "max"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`chatstream: cannot read "${path}" as twitch-vod: no "comments" array: not a Twitch VOD chat dump (record 1; 1 unreadable, no chat messages)\n`);
    expect(result.stdout).toBe("");
  });
});
