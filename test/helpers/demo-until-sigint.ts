import { spawn } from "node:child_process";

export interface DemoRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  records: unknown[];
}

/**
 * Starts a demo that writes JSON lines (`… demo --sink jsonl`), waits for its first three records, then sends SIGINT
 * to its process group as a terminal's Ctrl-C does, and waits for it to exit. An early exit rejects with its stderr.
 */
export async function demoUntilSigint(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<DemoRun> {
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const records: unknown[] = [];
  let buffered = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    void exit.then((e) => reject(new Error(`demo exited (${e.code ?? e.signal}) early: ${stderr}`)));
    child.stdout.on("data", (d: Buffer) => {
      buffered += d.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const l of lines) records.push(JSON.parse(l));
      if (records.length >= 3) resolve();
    });
  });
  process.kill(-(child.pid ?? 0), "SIGINT");
  return { ...(await exit), stderr, records };
}
