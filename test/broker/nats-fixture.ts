import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

/** The Debian package's binary, or one on PATH; undefined when neither exists (the broker tests then skip). */
export const NATS_SERVER: string | undefined = (() => {
  const found = spawnSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() !== "" ? found.stdout.trim() : undefined;
})();

export const SKIP_MESSAGE = "nats-server is not installed (Debian package nats-server; scripts/test.sh installs it as root): the broker integration tests are skipped";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = tcpConnect(port, "127.0.0.1", () => {
        c.end();
        resolve(true);
      });
      c.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nats-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface NatsServer {
  url: string;
  /** Stops the server (SIGTERM: it flushes its store) and starts it again on the same port and store. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** A real `nats-server -js` on a free loopback port with its own store directory, removed on stop. */
export async function startNatsServer(): Promise<NatsServer> {
  if (NATS_SERVER === undefined) throw new Error(SKIP_MESSAGE);
  const binary = NATS_SERVER;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "chatstream-nats-"));
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(binary, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr?.on("data", (c: Buffer) => (log += c.toString("utf8")));
    try {
      await waitForPort(port, 10_000);
    } catch (err) {
      child.kill("SIGKILL");
      throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
    }
    return child;
  };
  let child = await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    restart: async (downMs) => {
      await stopChild(child);
      await new Promise((r) => setTimeout(r, downMs));
      child = await launch();
    },
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

export interface WorkerProcess {
  readonly id: string;
  readonly child: ChildProcess;
  stderr(): string;
  /** `kill -9`: no clean-up, leases and heartbeats just stop. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** `chatstream worker` in its own process (src/cli.ts through tsx). */
export function spawnWorker(url: string, id: string, args: readonly string[] = []): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "worker", "--broker", url, "--worker-id", id, ...args], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr?.on("data", (c: Buffer) => (err += c.toString("utf8")));
  return {
    id,
    child,
    stderr: () => err,
    kill9: () => stopChild(child, "SIGKILL"),
    stop: () => stopChild(child),
  };
}

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) {
      if (process.env.CHATSTREAM_TEST_TRACE) console.info(`waited ${Date.now() - start} ms for ${what}`);
      return Date.now() - start;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
