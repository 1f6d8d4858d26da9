import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { channelFromPath, detectFormat, DETECT_HEAD_BYTES, detectionHasEnough, headIsConclusive } from "./detect.js";

const FIXTURES = new URL("../../test/fixtures/sources/", import.meta.url);

function head(path: string): string {
  return readFileSync(new URL(path, FIXTURES)).subarray(0, DETECT_HEAD_BYTES).toString("utf8");
}

describe("detectFormat", () => {
  it.each([
    ["jsonl/valid.jsonl", "jsonl"],
    ["jsonl/broken.jsonl", "jsonl"],
    ["text/valid.txt", "text"],
    ["text/crlf-bom.txt", "text"],
    ["ytdlp/replay.live_chat.json", "ytdlp"],
    ["ytdlp/live.live_chat.json", "ytdlp"],
    ["ytdlp/broken.live_chat.json", "ytdlp"],
    ["chat-downloader/youtube.json", "chat-downloader"],
    ["chat-downloader/twitch.jsonl", "chat-downloader"],
    ["chat-downloader/live.json", "chat-downloader"],
    ["chat-downloader/truncated.json", "chat-downloader"],
    ["twitch-vod/twitchdownloader.json", "twitch-vod"],
    ["twitch-vod/rechat.json", "twitch-vod"],
    ["twitch-vod/truncated.json", "twitch-vod"],
    ["irc/chatty.irc", "irc"],
    ["irc/dated.irc", "irc"],
    ["irc/twitch-raw.irc", "irc"],
    ["irc/broken.irc", "irc"],
    ["ytdlp/get_live_chat_replay.json", "ytdlp"],
    ["ytdlp/legacy-member.live_chat.json", "ytdlp"],
    ["twitch-vod/comment.json", "twitch-vod"],
    ["chat-downloader/twitch-live.jsonl", "chat-downloader"],
    ["chat-downloader/old-youtube.json", "chat-downloader"],
    ["chat-downloader/old-twitch.json", "chat-downloader"],
    ["chat-downloader/youtube-ja.json", "chat-downloader"],
  ])("detects %s as %s", (path, format) => {
    expect(detectFormat(head(path), path)).toBe(format);
  });

  it("detects documents from a head that stops mid-document", () => {
    const vod = head("twitch-vod/twitchdownloader.json").slice(0, 600);
    expect(detectFormat(vod, "x.json")).toBe("twitch-vod");
    expect(detectFormat('{\n  "replayChatItemAction": {\n', "x")).toBe("ytdlp");
    expect(detectFormat('{\n  "message_type": "text_message",\n', "x")).toBe("chat-downloader");
    expect(detectFormat('[\n  {"author": {"name": "a"}', "x")).toBe("chat-downloader");
  });

  it("[#14.15] detects a lone Twitch comment, a bare array of comments and a raw YouTube chat response", () => {
    const comment = { _id: "c1", created_at: "2019-06-02T18:04:07.512Z", content_offset_seconds: 1.5, commenter: { name: "a" }, message: { body: "hi" } };
    expect(detectFormat(JSON.stringify(comment, null, 2), "x.json")).toBe("twitch-vod");
    expect(detectFormat(`${JSON.stringify(comment)}\n`, "x.json")).toBe("twitch-vod");
    expect(detectFormat(`[\n  ${JSON.stringify(comment)}`, "x.json")).toBe("twitch-vod");
    const response = { responseContext: {}, continuationContents: { liveChatContinuation: { actions: [] } } };
    expect(detectFormat(`${JSON.stringify(response)}\n`, "x.json")).toBe("ytdlp");
    expect(detectFormat(`${JSON.stringify({ response })}\n`, "x.json")).toBe("ytdlp");
    expect(detectFormat('{\n  "responseContext": {},\n  "continuationContents": {\n    "liveChatContinuation": {\n', "x.json")).toBe("ytdlp");
  });

  it("decides from a complete first JSON line however long it is", () => {
    const line = JSON.stringify({ t: 0, user: "u", text: "word ".repeat(5000), platform: "twitch" });
    expect(line.length).toBeGreaterThan(DETECT_HEAD_BYTES);
    expect(detectFormat(`${line}\n`, "x")).toBe("jsonl");
  });

  it("looks past a first line that says nothing", () => {
    expect(detectFormat('garbage first line\n{"t":1,"text":"x"}\n', "x")).toBe("jsonl");
    expect(detectFormat('{"unrelated":true}\nPING :tmi.twitch.tv\n', "x")).toBe("irc");
  });

  it("falls back to text for anything else", () => {
    expect(detectFormat("just words\nmore words\n", "chat.jsonl")).toBe("text");
    expect(detectFormat("[1, 2, 3]", "x.json")).toBe("text");
    expect(detectFormat("{ not json", "x")).toBe("text");
  });

  it("uses the file name only for an empty head", () => {
    expect(detectFormat("", "a/b/chat.jsonl.gz")).toBe("jsonl");
    expect(detectFormat(" \n", "x.live_chat.json")).toBe("ytdlp");
    expect(detectFormat("", "x.ndjson")).toBe("jsonl");
    expect(detectFormat("", "server.log")).toBe("irc");
    expect(detectFormat("\uFEFF", "notes.txt")).toBe("text");
    expect(detectFormat("", "x.json")).toBeUndefined();
    expect(detectFormat("", "-")).toBeUndefined();
  });
});

describe("headIsConclusive", () => {
  it("is decided by the first complete line unless it opens a document", () => {
    expect(headIsConclusive("")).toBe(false);
    expect(headIsConclusive("  \n\n")).toBe(false);
    expect(headIsConclusive("no newline yet")).toBe(false);
    expect(headIsConclusive("plain text\n")).toBe(true);
    expect(headIsConclusive('\uFEFF{"t":1,"text":"x"}\r\n')).toBe(true);
    expect(headIsConclusive("{\n")).toBe(false);
    expect(headIsConclusive('{"comments": [\n')).toBe(false);
    expect(headIsConclusive("[\n")).toBe(false);
    expect(headIsConclusive("[12:00:00] <nick> hi\n")).toBe(true);
  });
});

describe("detectionHasEnough", () => {
  const bytes = (text: string): Buffer => Buffer.from(text, "utf8");

  it("reads a first line that opens a JSON object to its end, unless the sample already names a document format", () => {
    const start = '{"t": 0, "user": "u", "text": "';
    expect(detectionHasEnough(bytes(`${start}${"x".repeat(DETECT_HEAD_BYTES)}`))).toBe(false);
    expect(detectionHasEnough(bytes(`${start}${"x".repeat(DETECT_HEAD_BYTES)}"}\n`))).toBe(true);
    expect(detectionHasEnough(bytes(`{"FileInfo": {}, "comments": [${" ".repeat(DETECT_HEAD_BYTES)}`))).toBe(true);
    expect(detectionHasEnough(bytes(`{"responseContext": {}, "continuationContents": {"liveChatContinuation": {"actions": [${" ".repeat(DETECT_HEAD_BYTES)}`))).toBe(true);
  });

  it("stops at the sample for anything else, and at once for a head that decides", () => {
    expect(detectionHasEnough(bytes(""))).toBe(false);
    expect(detectionHasEnough(bytes(" \n".repeat(DETECT_HEAD_BYTES)))).toBe(true);
    expect(detectionHasEnough(bytes("plain words"))).toBe(false);
    expect(detectionHasEnough(bytes("plain words\n"))).toBe(true);
    expect(detectionHasEnough(bytes("w".repeat(DETECT_HEAD_BYTES)))).toBe(true);
    expect(detectionHasEnough(bytes(`[${"1,".repeat(DETECT_HEAD_BYTES)}`))).toBe(true);
    expect(detectionHasEnough(bytes("{\n"))).toBe(false);
    expect(detectionHasEnough(bytes(`{\n${" ".repeat(DETECT_HEAD_BYTES)}`))).toBe(true);
    expect(detectionHasEnough(bytes('\uFEFF{"t":1,"text":"x"}\r\n'))).toBe(true);
  });
});

describe("channelFromPath", () => {
  it("strips directories and every extension", () => {
    expect(channelFromPath("a/b/xqc.live_chat.json.gz")).toBe("xqc");
    expect(channelFromPath("riotgames.jsonl")).toBe("riotgames");
    expect(channelFromPath("/tmp/noext")).toBe("noext");
    expect(channelFromPath(".hidden.log")).toBe("hidden");
    expect(channelFromPath("...")).toBe("default");
    expect(channelFromPath("-")).toBe("stdin");
  });
});
