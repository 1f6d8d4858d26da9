import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

export interface CliResult {
  /** Exit code, or null when the process was killed (see `signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the process outlived `timeoutMs` and was killed. */
  timedOut: boolean;
}

export interface CliRunOptions {
  /** Written to the process's standard input, which is then closed. */
  stdin?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Kill the process (SIGKILL) after this long; the result then says `timedOut`. Default 30 s. */
  timeoutMs?: number;
  cwd?: string;
  /** Called once with the child's stderr as it arrives (e.g. to find the port it serves on). */
  onStderr?: (chunk: string) => void;
}

/**
 * Runs the real `chatstream` command (src/cli.ts through tsx, so no build is needed) in its own process, for
 * the tests that must see what a user or a supervisor sees: the exit code, stdout, stderr.
 */
export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 30_000);
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => {
      err.push(c);
      options.onStderr?.(c.toString("utf8"));
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), timedOut });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");
  });
}
