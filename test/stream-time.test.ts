import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommand, type RunCommandOptions } from "../src/commands/run-command.js";
import { VirtualClock } from "../src/core/clock.js";
import type { Snapshot } from "../src/schema/output-schema.js";
import { runCli } from "./helpers/cli-process.js";
import { captureIO, parseRecords } from "./helpers/command-io.js";

function recording(lines: readonly unknown[], name = "chan.jsonl"): string {
  const path = join(mkdtempSync(join(tmpdir(), "chatstream-time-")), name);
  writeFileSync(path, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return path;
}

const say = (t: unknown, text = "hello chat", user = "viewer"): Record<string, unknown> => ({ t, user, text, platform: "twitch" });

function runOptions(input: string, extra: Partial<RunCommandOptions> = {}): RunCommandOptions {
  return { input, speed: "max", sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment: "lexicon", ...extra };
}

// These run the real process: on a build without the time guard the replay never ends, and only a process can be killed.
describe("stream times from a file", () => {
  it("[#14.6] t:0 then t:1e20 ends at once: line 2 is a located bad timestamp, the next line is processed", async () => {
    const path = recording([say(0), "{\"t\":1e20,\"user\":\"x\",\"text\":\"far future\"}", say(1_000, "still here")]);
    const r = await runCli(["run", "-i", path, "--speed", "max", "--sink", "jsonl"], { timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/input: 2 messages from 3 lines \(jsonl\); 1 bad timestamp \(line 2\)/);
    expect(r.stderr).toMatch(/processed 2 messages/);
    // Snapshots at 0, 0.5 and 1 s, and the roll-ups of one period: no more.
    expect(r.stdout.trim().split("\n").length).toBeLessThan(200);
  });

  it("[#14.6] a jump from t:0 to t:1e15 is skipped instead of publishing two trillion snapshots", async () => {
    const path = recording([say(0), say(1e15, "jump"), say(2_000, "back to normal")]);
    const r = await runCli(["run", "-i", path, "--speed", "max", "--sink", "jsonl"], { timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 bad timestamp \(line 2\)/);
    expect(r.stdout.length).toBeLessThan(2_000_000);
    expect(parseRecords(r.stdout).every((rec) => rec.t <= 2_000 || rec.type === "rollup")).toBe(true);
  });

  it("[#14.6] report ends on far-future timestamps and writes its page", async () => {
    const path = recording([say(0), say(1e20), say(1e15), say(60_000, "a minute in")]);
    const out = join(mkdtempSync(join(tmpdir(), "chatstream-report-")), "report.html");
    const r = await runCli(["report", "-i", path, "-o", out], { timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/2 bad timestamps \(lines 2, 3\)/);
    expect(readFileSync(out, "utf8")).toMatch(/<html/);
  });

  it("[#14.6] --max-gap refuses a longer silence as a bad line, and a value that is no duration", async () => {
    const path = recording([say(0), say(120_000, "two minutes later"), say(60_000, "one minute in")]);
    const r = await runCli(["run", "-i", path, "--speed", "max", "--sink", "jsonl", "--max-gap", "90s"], { timeoutMs: 20_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/2 messages from 3 lines \(jsonl\); 1 bad timestamp \(line 2\)/);
    const bad = await runCli(["run", "-i", path, "--max-gap", "soon"], { timeoutMs: 20_000 });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--max-gap/);
  });
});

describe("stream times in the pipeline (virtual time)", () => {
  it("[#14.6] a wall-clock ts that is not a safe integer is dropped from the message, which is kept", async () => {
    const path = recording([{ ...say(0), ts: 1e300 }, { ...say(500, "second"), ts: 1.5 }, { ...say(1_000, "third"), ts: 1_700_000_000_000 }]);
    const h = captureIO(new VirtualClock(0, true));
    expect(await runCommand(runOptions(path), h.io)).toBe(0);
    const snapshots = parseRecords(h.stdout()).filter((r): r is Snapshot => r.type === "snapshot");
    expect(snapshots.at(-1)?.count).toBe(3);
    for (const s of snapshots) if (s.ts !== undefined) expect(Number.isSafeInteger(s.ts)).toBe(true);
    expect(snapshots.at(-1)?.ts).toBe(1_700_000_000_000);
  });

  it("[#14.6] an event with a time past the maximum gap is a located bad timestamp, not a skipped event", async () => {
    const path = recording([say(0), { type: "event", kind: "raid", t: 1e17, user: "raider", count: 5 }, { type: "event", kind: "sub", t: 500, user: "subber" }, say(1_000, "thanks")]);
    const h = captureIO(new VirtualClock(0, true));
    expect(await runCommand(runOptions(path), h.io)).toBe(0);
    expect(h.stderr()).toMatch(/1 bad timestamp \(line 2\), 1 skipped \(event: 1\)/);
    const events = parseRecords(h.stdout()).flatMap((r) => (r.type === "snapshot" ? (r.events ?? []) : []));
    expect(events.map((e) => e.user)).toEqual(["subber"]);
  });
});
