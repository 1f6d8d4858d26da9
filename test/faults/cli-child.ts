import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

/** The real `chatstream` process (src/cli.ts through tsx), kept running so a test can signal or kill it. */
export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when `probe` finds something in the output so far, or rejects after `timeoutMs`. */
  until<T>(probe: (out: { stdout: string; stderr: string }) => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  /** How the process ended (killed after `timeoutMs` if it has not: then `timedOut`). */
  exit(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }>;
}

export function startCli(args: readonly string[], options: { stdin?: "pipe" | "ignore" } = {}): RunningCli {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { env: { ...process.env, NO_COLOR: "1" }, stdio: [options.stdin ?? "ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr?.on("data", (c: Buffer) => (err += c.toString("utf8")));
  child.stdin?.on("error", () => undefined);
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async until(probe, what, timeoutMs = 20_000) {
      for (let waited = 0; waited < timeoutMs; waited += 25) {
        const v = probe({ stdout: out, stderr: err });
        if (v !== undefined) return v;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no ${what}; stderr: ${err}`);
    },
    async exit(timeoutMs = 20_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
      const first = await Promise.race([ended, timeout]);
      clearTimeout(timer);
      if (first !== "timeout") return { ...first, timedOut: false };
      child.kill("SIGKILL");
      return { ...(await ended), timedOut: true };
    },
  };
}
