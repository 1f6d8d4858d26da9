import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { unlabelledChat, unlabelledEnglishChat } from "./embedded-training-data.js";
import { chatStreams, hasSharedLabels, readChat, readLabelled, readTrainingSet, sharedDataDir } from "./shared-data.js";

// A miniature copy of the shared-data layout, written for the test (the real data is never copied).
function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "chatstream-shared-"));
  mkdirSync(join(dir, "labels"));
  mkdirSync(join(dir, "chat"));
  const row = (id: string, text: string, label: string) => JSON.stringify({ id, stream: "s", text, label });
  writeFileSync(join(dir, "labels", "sentiment-train.jsonl"), [row("t1", "gg", "pos"), row("t2", "rip", "neg")].join("\n") + "\n");
  writeFileSync(join(dir, "labels", "sentiment-dev.jsonl"), row("d1", "held out", "neu") + "\n\n");
  const line = (text: string) => JSON.stringify({ t: 0, user: "u", text, platform: "twitch" });
  writeFileSync(join(dir, "chat", "twitch-b.jsonl"), [line("hello LUL"), line("held out")].join("\n"));
  writeFileSync(join(dir, "chat", "twitch-a.jsonl"), line("first"));
  writeFileSync(join(dir, "chat", "yt-rocketbeanstv-de-20161125-evening.jsonl"), line("das ist gut"));
  writeFileSync(join(dir, "chat", "SOURCES.md"), "not chat");
  return dir;
}

describe("shared data access", () => {
  const saved = process.env.CHATSTREAM_SHARED_DATA;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHATSTREAM_SHARED_DATA;
    else process.env.CHATSTREAM_SHARED_DATA = saved;
  });

  it("reads labelled sets and chat recordings from the given directory", () => {
    const dir = fixture();
    expect(hasSharedLabels(dir)).toBe(true);
    expect(readLabelled("train", dir).map((r) => r.label)).toEqual(["pos", "neg"]);
    expect(readLabelled("dev", dir)).toHaveLength(1);
    expect(chatStreams(dir)).toEqual(["twitch-a", "twitch-b", "yt-rocketbeanstv-de-20161125-evening"]);
    expect(readChat("twitch-b", dir).map((l) => l.text)).toEqual(["hello LUL", "held out"]);
  });

  it("honours CHATSTREAM_SHARED_DATA and reports a missing directory", () => {
    process.env.CHATSTREAM_SHARED_DATA = "/nonexistent/shared";
    expect(sharedDataDir()).toBe("/nonexistent/shared");
    expect(hasSharedLabels()).toBe(false);
    expect(chatStreams()).toEqual([]);
  });

  it("feeds the trainer English chat only, without any dev message", () => {
    expect([...unlabelledEnglishChat(fixture())]).toEqual(["first", "hello LUL"]);
  });

  it("tags unlabelled chat with its stream, leaves streams out on request, and reads the non-English ones when asked", () => {
    const dir = fixture();
    expect(unlabelledChat(dir)).toEqual([
      { stream: "twitch-a", text: "first" },
      { stream: "twitch-b", text: "hello LUL" },
    ]);
    expect(unlabelledChat(dir, { exclude: ["twitch-a"] }).map((m) => m.stream)).toEqual(["twitch-b"]);
    expect(unlabelledChat(dir, { nonEnglish: true }).map((m) => m.text)).toEqual(["first", "hello LUL", "das ist gut"]);
  });

  it("reads train and train2 as one training set, and train alone when train2 is absent", () => {
    const dir = fixture();
    expect(readTrainingSet(dir).map((r) => r.id)).toEqual(["t1", "t2"]);
    writeFileSync(join(dir, "labels", "sentiment-train2.jsonl"), JSON.stringify({ id: "u1", stream: "s", text: "meh", label: "neu" }) + "\n");
    expect(readTrainingSet(dir).map((r) => r.id)).toEqual(["t1", "t2", "u1"]);
    expect(readLabelled("train2", dir)).toHaveLength(1);
  });
});
