import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/commands/run-command.js";
import { VirtualClock } from "../../src/core/clock.js";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { runCli } from "../helpers/cli-process.js";
import { captureIO, parseRecords } from "../helpers/command-io.js";
import { syntheticChat } from "../helpers/pipeline-fixtures.js";
import { closedPort } from "./helpers.js";
import { startFakeOpenAiServer } from "./fake-openai-server.js";

const LLM_LINE = /^chatstream: LLM at /;
const llmLines = (stderr: string): string[] => stderr.split("\n").filter((l) => LLM_LINE.test(l));
const snapshotsOf = (jsonl: string): Snapshot[] => parseRecords(jsonl).filter((r): r is Snapshot => r.type === "snapshot");

describe("an unreachable, failing or silent LLM in the real process", () => {
  let dir: string;
  let chatFile: string;
  let snapshotTimes: number[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "chatstream-llm-status-"));
    chatFile = join(dir, "chat.jsonl");
    writeFileSync(chatFile, syntheticChat(3000, 11, "llmtest").map((m) => JSON.stringify(m)).join("\n") + "\n");
    // The snapshots of this chat: every one must still come, with a headline, while the model is of no use.
    const { io, stdout } = captureIO(new VirtualClock(0, true));
    await runCommand({ input: chatFile, speed: "max", sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, summarizer: "embedded" }, io);
    snapshotTimes = snapshotsOf(stdout()).map((s) => s.t);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (baseURL: string, timeoutMs = 30_000): ReturnType<typeof runCli> =>
    runCli(["run", "-i", chatFile, "--speed", "max", "--summarizer", "openai:fake", "--sink", "jsonl"], { env: { OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: "" }, timeoutMs });
  /** Every snapshot came, each with the embedded headline (the fake model's wording is "Chat talks about …"). */
  const expectEmbeddedOnAir = (stdout: string): void => {
    const snapshots = snapshotsOf(stdout);
    expect(snapshots.map((s) => s.t)).toEqual(snapshotTimes);
    expect(snapshots.filter((s) => s.count > 0 && (s.headline.length < 20 || s.headline.startsWith("Chat talks about")))).toEqual([]);
  };

  it("[#14.21] an unreachable server is said once at start, with its URL and the reason; the embedded headline stays on air", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const r = await run(url);
    expect(r.code).toBe(0);
    const lines = llmLines(r.stderr);
    expect(lines[0]).toBe(`chatstream: LLM at ${url} unreachable: connection refused; the embedded headline stays on air`);
    // At most the breaker's line besides, however many snapshots asked for a headline.
    expect(lines.length).toBeLessThanOrEqual(2);
    expectEmbeddedOnAir(r.stdout);
  });

  it("[#14.21] a failing server is reported once, and its breaker trip once, not per snapshot", async () => {
    const failing = await startFakeOpenAiServer({ mode: "failing" });
    try {
      const r = await run(failing.baseURL);
      expect(r.code).toBe(0);
      expect(failing.requests.length).toBeGreaterThan(0);
      // The failure once; the breaker's trip once if the run lasted long enough for three failures; nothing per snapshot.
      const lines = llmLines(r.stderr);
      expect(lines[0]).toBe(`chatstream: LLM at ${failing.baseURL} failed: HTTP 500; the embedded headline stays on air until it answers`);
      expect(lines.length).toBeLessThanOrEqual(2);
      if (lines.length === 2) expect(lines[1]).toBe(`chatstream: LLM at ${failing.baseURL}: 3 failures in a row; asking again every 30 s`);
      expectEmbeddedOnAir(r.stdout);
    } finally {
      await failing.close();
    }
  });

  it("[#14.21] a server that never answers does not hold the process at exit", async () => {
    const silent = await startFakeOpenAiServer({ mode: "silent" });
    try {
      // Generous: a start-up and a replay take a few seconds; waiting for the requests' timeouts and retries took ~27 s.
      const r = await run(silent.baseURL, 15_000);
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(0);
      expect(silent.requests.length).toBeGreaterThan(0);
      expect(llmLines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^chatstream: LLM at ${silent.baseURL} did not answer before the run ended \\(\\d+ requests? stopped\\); every headline was the embedded one$`))]);
      expectEmbeddedOnAir(r.stdout);
    } finally {
      await silent.close();
    }
  });
});
