import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { runCli } from "../helpers/cli-process.js";
import { startCli } from "./cli-child.js";

const fileLines = (path: string): string[] => readFileSync(path, "utf8").split("\n");

/** Replays a recording at --speed max; returns how many messages it took and the input report line. */
async function replay(path: string): Promise<{ code: number | null; processed: number; input: string }> {
  const r = await runCli(["run", "-i", path, "--speed", "max", "--sink", "jsonl:/dev/null"]);
  return { code: r.code, processed: Number(/processed ([\d,]+) messages/.exec(r.stderr)?.[1]?.replace(/,/g, "") ?? NaN), input: /^input: .*$/m.exec(r.stderr)?.[0] ?? r.stderr };
}

describe("kill -9 during --record", () => {
  it("[#17.6] leaves a recording that replays: at most its last line torn, and that line reported", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-kill-"));
    const path = join(dir, "session.jsonl");
    const run = startCli(["run", "--serve", "127.0.0.1:0", "--ingest", "--record", path, "--sink", "jsonl:/dev/null"]);
    const base = await run.until(({ stderr }) => /serving on (http:\/\/\S+)/.exec(stderr)?.[1], "server");
    const ws = new WebSocket(`${base.replace("http", "ws")}/v1/ingest`);
    await new Promise((r) => ws.once("open", r));
    // Pushing without pause, so the process dies in the middle of writing.
    let sent = 0;
    const push = setInterval(() => {
      ws.send(JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ user: `v${(sent + i) % 300}`, text: `line ${sent + i} of a session that ends badly`, channel: "rec" }))));
      sent += 50;
    }, 5);
    await run.until(() => {
      try {
        return statSync(path).size > 200_000 ? true : undefined;
      } catch {
        return undefined;
      }
    }, "a recording of 200 KB");
    run.child.kill("SIGKILL");
    const exit = await run.exit();
    clearInterval(push);
    ws.terminate();
    expect(exit.signal).toBe("SIGKILL");

    const lines = fileLines(path);
    const last = lines.pop() as string;
    // Every line before the last is whole; the last is either empty (the file ends with "\n") or torn.
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const torn = last === "" ? 0 : 1;
    const r = await replay(path);
    expect(r.code).toBe(0);
    expect(r.processed).toBe(lines.length);
    if (torn === 1) expect(r.input).toContain(`1 malformed (line ${lines.length + 1})`);
    else expect(r.input).not.toContain("malformed");
  });

  it("[#17.6] a recording cut in the middle of a line replays everything before it and reports the torn line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-torn-"));
    const path = join(dir, "torn.jsonl");
    const whole = Array.from({ length: 500 }, (_, i) => JSON.stringify({ t: i * 100, platform: "twitch", channel: "rec", userId: `u${i % 9}`, user: `u${i % 9}`, text: "what a play" }));
    const cut = whole.join("\n") + "\n" + JSON.stringify({ t: 50_000, user: "u", text: "cut here" }).slice(0, 20);
    writeFileSync(path, cut);
    const r = await replay(path);
    expect(r.code).toBe(0);
    expect(r.processed).toBe(500);
    expect(r.input).toBe("input: 500 messages from 501 lines (jsonl); 1 malformed (line 501)");
  });
});
