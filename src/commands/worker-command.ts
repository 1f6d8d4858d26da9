import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { brokerConfigFrom } from "../broker/broker-config.js";
import { parseListen } from "../server/start-server.js";
import { setUpModels, type ModelOptions } from "./model-setup.js";
import type { CommandIO } from "./run-command.js";

export interface WorkerCommandOptions extends ModelOptions {
  broker?: string;
  brokerCreds?: string;
  workerId?: string;
  maxMessageLength: number;
  /** Ends the worker (SIGTERM, Ctrl-C): it hands its channels back before exiting. */
  stop: AbortSignal;
  /** Prints the worker's stats as one JSON line on stderr this often (0: only at exit). */
  statsEveryMs?: number;
  /** `--persist-every`: a channel's snapshot-bucket entry is written at most this often (ChannelWorkerOptions.persistEveryMs). */
  persistEveryMs?: number;
  /** `--metrics [HOST:]PORT`: Prometheus /metrics and /readyz (broker connectivity) for this worker. */
  metrics?: string;
}

/** `chatstream worker`: joins the members, holds its share of the channels until stopped. */
export async function workerCommand(options: WorkerCommandOptions, io: CommandIO, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const config = brokerConfigFrom({ broker: options.broker, credsFile: options.brokerCreds, env });
  const models = setUpModels(options);
  const id = options.workerId ?? `${hostname().replace(/[^A-Za-z0-9_-]/g, "_")}-${process.pid}-${randomBytes(3).toString("hex")}`;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Error(`--worker-id: use 1–64 letters, digits, _ or -, got "${id}"`);
  const listen = options.metrics === undefined ? undefined : parseListen(options.metrics);
  const [{ connectBroker }, { ChannelWorker }, metrics] = await Promise.all([import("../broker/nats-broker.js"), import("../broker/channel-worker.js"), import("../broker/worker-metrics.js")]);
  const broker = await connectBroker(config, { name: `chatstream-worker-${id}` });
  const worker = new ChannelWorker({ id, broker, models, clock: io.clock, maxMessageLength: options.maxMessageLength, persistEveryMs: options.persistEveryMs, log: (l) => io.stderr.write(`chatstream worker ${id}: ${l}\n`) });
  await worker.start();
  let connected = true;
  void (async () => {
    for await (const s of broker.nc.status()) {
      if (s.type === "disconnect" || s.type === "reconnecting") connected = false;
      else if (s.type === "reconnect") connected = true;
    }
  })().catch(() => undefined);
  const served = listen === undefined ? undefined : await metrics.startWorkerMetrics(listen.host, listen.port, metrics.workerRegistry(id, () => worker.stats), () => connected && !broker.nc.isClosed());
  if (served !== undefined) io.stderr.write(`chatstream worker ${id}: metrics on ${served.url}/metrics\n`);
  io.stderr.write(`chatstream worker ${id}: joined ${config.servers.join(",")}\n`);
  // Each line carries the process's own CPU time, so CPU per record applied is read between any two lines (the broker bench).
  const statsLine = (): string => `${JSON.stringify({ worker: id, ...worker.stats, cpuMs: Math.round(metrics.processCpuSeconds() * 1000) })}\n`;
  const every = options.statsEveryMs ?? 0;
  const timer = every > 0 ? setInterval(() => io.stderr.write(statsLine()), every) : undefined;
  await new Promise<void>((resolve) => {
    if (options.stop.aborted) resolve();
    options.stop.addEventListener("abort", () => resolve(), { once: true });
  });
  clearInterval(timer);
  await worker.stop();
  await served?.close();
  await broker.close();
  io.stderr.write(statsLine());
  return 0;
}
