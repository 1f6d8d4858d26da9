import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/commands/run-command.js";
import { VirtualClock } from "../../src/core/clock.js";
import { isLoopback, parseListen } from "../../src/server/start-server.js";
import { startHarness } from "./harness.js";

describe("--config and SIGHUP", () => {
  it("applies the config at start and again on SIGHUP; a bad file or model keeps the old one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-config-"));
    const config = join(dir, "models.json");
    writeFileSync(config, JSON.stringify({ sentiment: "afinn" }));
    const h = await startHarness({ config, sighup: true });
    try {
      expect(h.server.switcher.activeName("sentiment")).toBe("afinn");
      writeFileSync(config, JSON.stringify({ sentiment: "vader", summarizer: "extractive" }));
      process.kill(process.pid, "SIGHUP");
      for (let i = 0; i < 100 && h.server.switcher.activeName("sentiment") !== "vader"; i++) await new Promise((r) => setTimeout(r, 20));
      expect(h.server.switcher.activeName("sentiment")).toBe("vader");
      expect(h.slots.sentiment.name).toBe("vader");

      // Settings other than the models wait for a restart, and SIGHUP says so.
      writeFileSync(config, JSON.stringify({ sentiment: "vader", summarizer: "extractive", queue: 50, sink: ["jsonl"] }));
      await h.server.reloadConfig();
      expect(h.logs).toContain("config: sink, queue changed in the file; only the models are hot-swapped, the rest takes effect at the next start");

      writeFileSync(config, "{oops");
      await h.server.reloadConfig();
      expect(h.logs.some((l) => l.startsWith("config not reloaded"))).toBe(true);
      writeFileSync(config, JSON.stringify({ sentiment: 3 }));
      await h.server.reloadConfig();
      writeFileSync(config, JSON.stringify({ sentiment: "no-such-model" }));
      await h.server.reloadConfig();
      expect(h.server.switcher.activeName("sentiment")).toBe("vader");
      expect(h.logs.some((l) => l.includes("swap refused"))).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe("--serve parsing", () => {
  it("parses [HOST:]PORT and knows loopback", () => {
    expect(parseListen("8080")).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(parseListen("0.0.0.0:9")).toEqual({ host: "0.0.0.0", port: 9 });
    expect(parseListen("[::1]:80")).toEqual({ host: "::1", port: 80 });
    expect(() => parseListen("70000")).toThrow();
    expect(isLoopback("127.0.0.2")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("localhost")).toBe(true);
    expect(isLoopback("10.0.0.1")).toBe(false);
  });
});

describe("chatstream run --serve", () => {
  it("serves while a replay runs and closes at the end", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-serve-"));
    const path = join(dir, "show.jsonl");
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) lines.push(JSON.stringify({ t: 1000 + i * 250, user: `u${i % 30}`, text: ["PogChamp", "LUL", "what?", "gg"][i % 4] }));
    writeFileSync(path, lines.join("\n") + "\n");
    const out = new PassThrough();
    const err = new PassThrough();
    const errText: string[] = [];
    err.on("data", (c: Buffer) => errText.push(c.toString("utf8")));
    out.resume();
    const code = await runCommand(
      { input: path, speed: "max", sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment: "lexicon", server: { serve: "127.0.0.1:0", sighup: false } },
      { stdin: Readable.from([]), stdout: out, stderr: err, clock: new VirtualClock(0, true), color: false },
    );
    expect(code).toBe(0);
    expect(errText.join("")).toMatch(/serving on http:\/\/127\.0\.0\.1:\d+/);
  });
});
