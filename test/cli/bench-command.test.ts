import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { benchCliCommand, benchLoadCommand, benchStartupCommand, defaultBenchInput, type BenchLoadFlags } from "../../src/commands/bench-command.js";
import type { LoadBenchReport } from "../../src/bench/load-bench.js";
import type { CliBenchReport, StartupBenchReport } from "../../src/bench/process-bench.js";
import { DEMO_CHAT_PATH } from "../../src/commands/demo-command.js";
import { runCli } from "../helpers/cli-process.js";

function captured(): { io: { stdout: PassThrough; stderr: PassThrough }; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

const dir = (): string => mkdtempSync(join(tmpdir(), "chatstream-bench-test-"));

const flags = (f: Partial<BenchLoadFlags>): BenchLoadFlags => ({ rate: 20, channels: 1, quietChannels: 0, quietEvery: 60_000, duration: 20_000, warmup: 5_000, clock: "virtual", generator: "in-process", queue: 1000, sink: "none", sampleEvery: 1_000, malformedEvery: 0, eventLoopDelay: true, out: "-", ...f });

describe("chatstream bench", () => {
  it("[#17.1] writes the JSON report and prints the short table", async () => {
    const out = join(dir(), "report.json");
    const c = captured();
    expect(await benchLoadCommand(flags({ synthetic: true, quietChannels: 10, quietEvery: 2_000, malformedEvery: 100, out }), c.io)).toBe(0);
    const report = JSON.parse(readFileSync(out, "utf8")) as LoadBenchReport;
    expect(report.counts).toMatchObject({ generated: 400 + 100, lost: 0 });
    expect(report.counts.malformed).toBe(5);
    for (const label of ["throughput", "processing", "end-to-end", "2 Hz tick wait", "snapshot assembly", "event-loop delay", "snapshot gaps", "queue", "counts", "CPU", "memory", "report"]) expect(c.out()).toContain(`  ${label}`);
    expect(c.out()).toContain("1 busy channel(s) at 20 msg/s + 10 quiet (one line every 2 s), 20 s of synthetic, virtual clock");
  });

  it("with --out - the report goes to stdout and the table to stderr; a recording is read by default", async () => {
    const c = captured();
    const recording = join(dir(), "rec.jsonl");
    writeFileSync(recording, Array.from({ length: 50 }, (_, i) => JSON.stringify({ t: i * 200, user: `u${i % 7}`, text: i % 3 === 0 ? "LUL" : "what a play" })).join("\n") + "\n");
    expect(await benchLoadCommand(flags({ input: recording, rate: "recorded", channels: 3 }), c.io)).toBe(0);
    const report = JSON.parse(c.out()) as LoadBenchReport;
    expect(report.load).toMatchObject({ lines: "rec.jsonl", rate: "recorded", channels: 3 });
    // 50 lines over 9.8 s, looped: 3 channels × about 100 lines in 20 s.
    expect(report.counts.generated).toBeGreaterThan(290);
    expect(c.err()).toContain("chatstream bench: 3 busy channel(s) at the recording's pace");
    expect([DEMO_CHAT_PATH, expect.stringContaining("twitch-riotgames-lolworlds2016-day2.jsonl")]).toContainEqual(defaultBenchInput());
  });

  it("refuses a load that cannot run before it starts", async () => {
    const c = captured();
    await expect(benchLoadCommand(flags({ synthetic: true, input: "x.jsonl" }), c.io)).rejects.toThrow(/cannot read "x.jsonl"/);
    await expect(benchLoadCommand(flags({ synthetic: true, channels: 0 }), c.io)).rejects.toThrow(/no load/);
    const r = await runCli(["bench", "--rate", "fast"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rate 'fast': expected messages per second, "max" or "recorded"/);
  });

  it("[#17.5] times start-up (a 10-message replay) and bare node, each process's own CPU and RSS", async () => {
    const out = join(dir(), "startup.json");
    const c = captured();
    expect(await benchStartupCommand({ runs: 1, out }, c.io)).toBe(0);
    const report = JSON.parse(readFileSync(out, "utf8")) as StartupBenchReport;
    expect(report.chatstream.minWallMs).toBeGreaterThan(report.bareNode.minWallMs);
    expect(report.chatstream.minCpuMs).toBeGreaterThan(0);
    expect(report.bareNode.maxRssMB).toBeGreaterThan(10);
    expect(c.out()).toMatch(/bare node +min /);
  });

  it("[#17.1] times the whole `run --speed max` process against the parse-only floor of the same run", async () => {
    const d = dir();
    const input = join(d, "chat.jsonl");
    writeFileSync(input, Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ t: i * 50, user: `u${i % 40}`, text: ["LUL", "gg", "what a play", "PogChamp"][i % 4] })).join("\n") + "\n");
    const c = captured();
    expect(await benchCliCommand({ input, runs: 1, sink: "jsonl:/dev/null", out: join(d, "cli.json") }, c.io)).toBe(0);
    const report = JSON.parse(readFileSync(join(d, "cli.json"), "utf8")) as CliBenchReport;
    expect(report).toMatchObject({ input: "chat.jsonl", messages: 2_000 });
    expect(report.floor.messages).toBe(2_000);
    expect(report.ratio.wall).toBeGreaterThan(1);
    expect(c.out()).toContain("× floor");
  });
});
