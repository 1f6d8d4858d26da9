import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { runCommand, parseSpeed, type RunCommandOptions } from "../src/commands/run-command.js";
import { DEMO_CHAT_PATH } from "../src/commands/demo-command.js";
import { VirtualClock } from "../src/core/clock.js";
import { captureIO, parseRecords } from "./helpers/command-io.js";
import { outputSchemaDocument, type Rollup, type Snapshot } from "../src/schema/output-schema.js";
import type { ReplaySpeed } from "../src/pipeline/run-pipeline.js";

const SHARED_CHAT = new URL("../../shared/data/chat/", import.meta.url).pathname;
const DAY2 = join(SHARED_CHAT, "twitch-riotgames-lolworlds2016-day2.jsonl");

function io(stdin: Readable = Readable.from([]), clock = new VirtualClock(1_700_000_000_000, true)): ReturnType<typeof captureIO> {
  return captureIO(clock, stdin);
}

function options(input: string, speed: ReplaySpeed = "max", extra: Partial<RunCommandOptions> = {}): RunCommandOptions {
  return { input, speed, sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment: "lexicon", ...extra };
}

const parse = parseRecords;

function writeRecording(): string {
  const dir = mkdtempSync(join(tmpdir(), "chatstream-run-"));
  const path = join(dir, "mychannel.jsonl");
  const lines: string[] = [];
  let t = 700;
  for (let i = 0; i < 1500; i++) {
    t += i % 200 === 199 ? 45_000 : (i * 37) % 700;
    const text = ["LUL", "GG WP", "what is the score?", "ResidentSleeper", "PogChamp PogChamp", "!uptime"][i % 6];
    lines.push(JSON.stringify({ t, user: `u${i % 90}`, text, platform: "twitch" }));
  }
  lines.splice(40, 0, "{broken json");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

describe("chatstream run", () => {
  it("writes schema-valid snapshot and roll-up lines, channel from the file name, bad lines reported", async () => {
    const path = writeRecording();
    const h = io();
    expect(await runCommand(options(path), h.io)).toBe(0);
    const records = parse(h.stdout());
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(outputSchemaDocument());
    for (const r of records) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    expect(records.every((r) => r.channel === "mychannel")).toBe(true);
    const five = records.filter((r): r is Rollup => r.type === "rollup" && r.level === "5s");
    expect(five.reduce((n, r) => n + r.count, 0)).toBe(1500);
    expect(h.stderr()).toMatch(/1,500 messages/);
    expect(h.stderr()).toMatch(/malformed/);
  });

  it("gives byte-identical output at --speed 1, 10 and max on virtual time", async () => {
    const path = writeRecording();
    const outputs: string[] = [];
    for (const speed of [1, 10, "max"] as const) {
      const h = io();
      await runCommand(options(path, speed), h.io);
      outputs.push(h.stdout());
    }
    expect(outputs[0]?.length).toBeGreaterThan(100_000);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });

  it("shows replay progress on a terminal stderr and writes jsonl:FILE sinks", async () => {
    const path = writeRecording();
    const outFile = join(mkdtempSync(join(tmpdir(), "chatstream-out-")), "out.jsonl");
    const h = io();
    Object.assign(h.io.stderr, { isTTY: true });
    await runCommand(options(path, "max", { sinks: [`jsonl:${outFile}`], progress: true }), h.io);
    expect(h.stderr()).toMatch(/replay \|.*100%/);
    const lines = readFileSync(outFile, "utf8").trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1000);
    expect(h.stdout()).toBe("");
  });

  it("reads piped plain text with arrival times", async () => {
    // A manual clock: an auto-advancing one would let the arrival ticker run ahead of the pipe forever.
    const h = io(Readable.from(["hello chat\n", "LUL LUL\n", "\n", "what game is this?\n"]), new VirtualClock(0));
    await runCommand(options("-"), h.io);
    const snaps = parse(h.stdout()).filter((r): r is Snapshot => r.type === "snapshot");
    expect(snaps.at(-1)).toMatchObject({ channel: "stdin", count: 3 });
  });

  it("replays the bundled demo (yt-dlp live_chat.json, gzipped)", async () => {
    const h = io();
    await runCommand(options(DEMO_CHAT_PATH, "max", { channel: "demo" }), h.io);
    const records = parse(h.stdout());
    const snaps = records.filter((r): r is Snapshot => r.type === "snapshot");
    expect(snaps.length).toBeGreaterThanOrEqual(14 * 60 * 2);
    // The headline follows the scripted phases but is held while the content stays the same: it neither
    // freezes nor flickers at 2 Hz.
    const changes = snaps.filter((s) => s.changed !== undefined).length;
    expect(new Set(snaps.map((s) => s.headline)).size).toBeGreaterThan(20);
    expect(changes).toBeLessThan(snaps.length / 10);
    expect(h.stderr()).toMatch(/ytdlp/);
  });

  it("fails clearly on a missing file or an unknown format", async () => {
    await expect(runCommand(options("/nonexistent/chat.jsonl"), io().io)).rejects.toThrow(/nonexistent/);
    await expect(runCommand(options(writeRecording(), "max", { format: "morse" as never }), io().io)).rejects.toThrow(/morse/);
    expect(() => parseSpeed("0")).toThrow(/--speed/);
    expect(parseSpeed("max")).toBe("max");
    expect(parseSpeed("2.5")).toBe(2.5);
  });

  it.skipIf(!existsSync(DAY2))("replays the 93,624-message LoL Worlds recording: a snapshot every 500 ms, roll-ups that add up", async () => {
    const h = io();
    await runCommand(options(DAY2), h.io);
    const records = parse(h.stdout());
    const snaps = records.filter((r): r is Snapshot => r.type === "snapshot");
    const level = (l: string) => records.filter((r): r is Rollup => r.type === "rollup" && r.level === l);
    expect(snaps).toHaveLength(19_365);
    expect(snaps.every((s, i) => i === 0 || s.t - (snaps[i - 1] as Snapshot).t === 500)).toBe(true);
    expect(level("5s").reduce((n, r) => n + r.count, 0)).toBe(93_624);
    for (const [upper, lower] of [["1m", "5s"], ["10m", "1m"]] as const) {
      for (const u of level(upper)) {
        const parts = level(lower).filter((r) => r.start >= u.start && r.end <= u.end);
        expect(u.count).toBe(parts.reduce((n, r) => n + r.count, 0));
      }
    }
  });
});

if (!existsSync(DAY2)) {
  describe("shared data", () => {
    it.skip(`../shared/data/chat not found (${SHARED_CHAT}): the recorded-stream checks are skipped`, () => undefined);
  });
}

// Keeps the fixture writer honest: the broken line really is in the file.
describe("test recording", () => {
  it("contains one malformed line", () => {
    expect(readFileSync(writeRecording(), "utf8")).toContain("{broken json");
  });
});
