import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PROPERTY = fileURLToPath(new URL("./properties/stream-times.property.ts", import.meta.url));

/** Runs the property in its own process, so a timestamp that makes the pipeline loop forever fails instead of stalling vitest. */
function runProperty(runs: number, timeoutMs: number): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", PROPERTY, String(runs)], { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString("utf8"), timedOut });
    });
  });
}

describe("stream times, whatever the file says", () => {
  it("[#14.prop] jsonl, ytdlp, chat-downloader, twitch-vod and irc with arbitrary times: the replay ends, output is bounded, bad times are located, good lines all processed", async () => {
    const r = await runProperty(200, 90_000);
    expect(r.timedOut, `still running after 90 s:\n${r.output.slice(-2000)}`).toBe(false);
    expect(r.code, r.output.slice(-4000)).toBe(0);
    expect(r.output).toMatch(/ok: 1200 replays over 6 format variants/);
  });
});
