import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { channelFromPath, detectFormat, DETECT_HEAD_BYTES, headIsConclusive } from "./detect.js";

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
