import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

export interface ServingCli {
  /** The base URL the process printed ("serving on …"). */
  url: string;
  stderr(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Sends SIGTERM to this process (by its pid) and resolves with how it ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal to this process (SIGHUP: re-read the config file). */
  signal(signal: NodeJS.Signals): void;
}

/**
 * The real `chatstream` process (src/cli.ts through tsx) with a server: resolves once it prints the URL it serves
 * on, and keeps a handle so a test can see whether it is still alive and stop it. Rejects if it exits first.
 */
export function startServingCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<ServingCli> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["pipe", "ignore", "pipe"] });
  let err = "";
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no "serving on" within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stderr?.on("data", (c: Buffer) => {
      err += c.toString("utf8");
      const url = /serving on (http:\/\/\S+)/.exec(err)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({
        url,
        stderr: () => err,
        alive: () => ended === undefined,
        stop: () => {
          if (ended === undefined && child.pid !== undefined) process.kill(child.pid, "SIGTERM");
          return exited;
        },
        signal: (signal) => {
          if (ended === undefined && child.pid !== undefined) process.kill(child.pid, signal);
        },
      });
    });
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`exited (${e.code ?? e.signal}) before serving: ${err}`));
    });
  });
}
