import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { JsonlSink } from "../src/sinks/jsonl-sink.js";
import { runCli } from "./helpers/cli-process.js";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

function recording(): string {
  const path = join(mkdtempSync(join(tmpdir(), "chatstream-fatal-")), "chan.jsonl");
  const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ t: i * 250, user: `u${i % 30}`, text: ["LUL", "GG", "what a play", "PogChamp"][i % 4], platform: "twitch" }));
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

/** The lines a user sees, minus the server's start-up line. */
const problemLines = (stderr: string): string[] => stderr.trim().split("\n").filter((l) => !/serving on/.test(l));

// A supervisor restarts a process that exits; one that hangs with its ingest socket open is never restarted.
describe("a fatal error during `run --serve --ingest`", () => {
  it.skipIf(!existsSync("/dev/full"))("[#14.7] an output on a full disk is reported in one line and the process exits 2, ingest and all", async () => {
    const r = await runCli(["run", "-i", recording(), "--speed", "1", "--serve", "127.0.0.1:0", "--ingest", "--sink", "jsonl:/dev/full"], { timeoutMs: 20_000 });
    expect(r.timedOut, r.stderr).toBe(false);
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual(["chatstream: cannot write jsonl:/dev/full: ENOSPC: no space left on device, write"]);
  });

  it("[#14.7] a bad --sink found after the server started ends the process instead of serving forever", async () => {
    const r = await runCli(["run", "-i", recording(), "--speed", "max", "--serve", "127.0.0.1:0", "--ingest", "--sink", "nowhere"], { timeoutMs: 20_000 });
    expect(r.timedOut, r.stderr).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown sink "nowhere"/);
  });

  it.skipIf(!existsSync("/dev/full"))("[#14.7] reading chat from a pipe that stays open, a full disk still ends the process with exit 2", async () => {
    // `producer | chatstream run -i - --serve --ingest`: the producer keeps the pipe open, so stdin alone would keep
    // the process alive after the error.
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "run", "-i", "-", "-f", "jsonl", "--speed", "1", "--serve", "127.0.0.1:0", "--ingest", "--sink", "jsonl:/dev/full"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.stdin.on("error", () => undefined);
    child.stdin.write(Array.from({ length: 20 }, (_, i) => JSON.stringify({ t: i * 100, user: "u", text: "hello" })).join("\n") + "\n");
    const exit = await new Promise<{ code: number | null; timedOut: boolean }>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve({ code: null, timedOut: true });
      }, 20_000);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, timedOut: false });
      });
    });
    child.stdin.destroy();
    expect(exit.timedOut, stderr).toBe(false);
    expect(exit.code).toBe(2);
    expect(problemLines(stderr)).toEqual(["chatstream: cannot write jsonl:/dev/full: ENOSPC: no space left on device, write"]);
  });
});

describe("a JSON-lines file that cannot be written", () => {
  it("fails the run through ready() and close(), naming the output, instead of an uncaught 'error' event", async () => {
    let writes = 0;
    const out = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, done) {
        // Slow at first, so ready() waits for 'drain' a few times; then the disk is full.
        setTimeout(() => done(++writes > 3 ? Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }) : null), 1);
      },
    });
    const sink = new JsonlSink(out, true, "jsonl:out.jsonl");
    const record = { type: "snapshot", channel: "c", t: 0 } as never;
    let failure: unknown;
    for (let i = 0; i < 10 && failure === undefined; i++) {
      sink.write(record);
      await sink.ready().catch((err: unknown) => (failure = err));
    }
    expect(String(failure)).toBe("Error: cannot write jsonl:out.jsonl: ENOSPC: no space left on device, write");
    expect(out.listenerCount("error")).toBeLessThanOrEqual(2);
    await expect(sink.close()).rejects.toThrow("cannot write jsonl:out.jsonl");
  });
});
