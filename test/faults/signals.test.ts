import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { OutputRecord, Rollup } from "../../src/schema/output-schema.js";
import { startCli } from "./cli-child.js";

/** Ten minutes of chat, four lines a second: a replay at --speed 1 is still going when the signal comes. */
function longRecording(): string {
  const path = join(mkdtempSync(join(tmpdir(), "chatstream-signal-")), "long.jsonl");
  writeFileSync(path, Array.from({ length: 2_400 }, (_, i) => JSON.stringify({ t: i * 250, user: `u${i % 40}`, text: ["LUL", "gg", "what a play", "PogChamp"][i % 4], platform: "twitch" })).join("\n") + "\n");
  return path;
}

const records = (stdout: string): OutputRecord[] =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as OutputRecord);

/** The records a graceful stop must leave: every message published, then the open periods of each level flushed. */
function expectFlushed(out: OutputRecord[], processed: number): void {
  const partial = out.filter((r): r is Rollup => r.type === "rollup" && r.partial === true);
  expect(partial.map((r) => r.level).sort()).toEqual(["10m", "1m", "5s"]);
  // The flushed records are the last ones, and the roll-ups together count every processed message once per level.
  expect(out.slice(-3).every((r) => r.type === "rollup" && r.partial === true)).toBe(true);
  const fiveSeconds = out.filter((r): r is Rollup => r.type === "rollup" && r.level === "5s").reduce((n, r) => n + r.count, 0);
  expect(fiveSeconds).toBe(processed);
}

const processedOf = (stderr: string): number => Number(/processed ([\d,]+) messages/.exec(stderr)?.[1]?.replace(/,/g, "") ?? NaN);

describe("a signal stops chatstream gracefully", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`[#17.6] ${signal} during a replay at --speed 1: what was read is published, the open roll-ups are flushed, exit 0`, async () => {
      const run = startCli(["run", "-i", longRecording(), "--speed", "1", "--sink", "jsonl"]);
      await run.until(({ stdout }) => (records(stdout).filter((r) => r.type === "snapshot").length >= 3 ? true : undefined), "three snapshots");
      run.child.kill(signal);
      const exit = await run.exit(15_000);
      expect(exit, run.stderr()).toEqual({ code: 0, signal: null, timedOut: false });
      expect(run.stderr()).toContain(`chatstream: ${signal}: stopping`);
      const processed = processedOf(run.stderr());
      expect(processed).toBeGreaterThan(0);
      expect(processed).toBeLessThan(2_400);
      expectFlushed(records(run.stdout()), processed);
    });
  }

  it("[#17.6] SIGTERM to `run --serve --ingest` (which never ends by itself): the pushed chat is flushed, the server closes, exit 0", async () => {
    const run = startCli(["run", "--serve", "127.0.0.1:0", "--ingest", "--sink", "jsonl"]);
    const base = await run.until(({ stderr }) => /serving on (http:\/\/\S+)/.exec(stderr)?.[1], "server");
    const ws = new WebSocket(`${base.replace("http", "ws")}/v1/ingest`);
    await new Promise((r) => ws.once("open", r));
    const answered = new Promise((r) => ws.once("message", r));
    ws.send(JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ user: `v${i}`, text: "what a play", channel: "pushed" }))));
    await answered;
    await run.until(({ stdout }) => (records(stdout).some((r) => r.type === "snapshot" && r.count === 30) ? true : undefined), "a snapshot of the pushed chat");
    ws.close();
    run.child.kill("SIGTERM");
    const exit = await run.exit(15_000);
    expect(exit, run.stderr()).toEqual({ code: 0, signal: null, timedOut: false });
    expect(processedOf(run.stderr())).toBe(30);
    expectFlushed(records(run.stdout()), 30);
    expect(run.stderr()).not.toMatch(/still serving/);
  });

  it("[#17.6] SIGTERM while reading a pipe its producer holds open: flushed and exit 0, not held by the pipe", async () => {
    const run = startCli(["run", "-i", "-", "-f", "jsonl", "--sink", "jsonl"], { stdin: "pipe" });
    run.child.stdin?.write(Array.from({ length: 20 }, (_, i) => JSON.stringify({ t: i * 100, user: "u", text: "hello there" })).join("\n") + "\n");
    await run.until(({ stdout }) => (records(stdout).some((r) => r.type === "snapshot") ? true : undefined), "a snapshot");
    run.child.kill("SIGTERM");
    const exit = await run.exit(15_000);
    run.child.stdin?.destroy();
    expect(exit, run.stderr()).toEqual({ code: 0, signal: null, timedOut: false });
    expectFlushed(records(run.stdout()), processedOf(run.stderr()));
  });
});
