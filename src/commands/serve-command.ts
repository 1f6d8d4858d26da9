import { brokerConfigFrom } from "../broker/broker-config.js";
import type { OutputRecord } from "../schema/output-schema.js";
import { startServer, type RunningServer, type ServeOptions } from "../server/start-server.js";
import type { SourceState } from "../sources/live/source-status.js";
import { asObject } from "../sources/formats/record-fields.js";
import { setUpModels } from "./model-setup.js";
import type { CommandIO } from "./run-command.js";

export interface ServeCommandOptions {
  broker?: string;
  brokerCreds?: string;
  server: ServeOptions;
  /** Ends serving (SIGTERM, Ctrl-C). */
  stop: AbortSignal;
  /** Called once the server listens (tests read its URL). */
  onListening?: (server: RunningServer) => void;
}

/**
 * A published record, checked before the server keeps it: the subjects are shared, so only an object of the
 * two kinds with a channel and a whole-ms time is taken (the server's own schemas shape what it sends on).
 */
export function publishedRecord(data: Uint8Array): OutputRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  const o = asObject(value);
  if (o === undefined || (o.type !== "snapshot" && o.type !== "rollup") || typeof o.channel !== "string" || typeof o.t !== "number" || !Number.isSafeInteger(o.t)) return undefined;
  if (o.type === "rollup" && (typeof o.level !== "string" || typeof o.start !== "number")) return undefined;
  return value as OutputRecord;
}

/**
 * `chatstream serve --broker URL`: the HTTP API, WebSocket stream, overlay, dashboard and metrics of `run --serve`,
 * fed from the broker instead of a pipeline: the latest snapshot of every channel from the bucket at start, then
 * `snap.>` and `rollup.>` as the workers publish. It holds no channel state of its own, so any number of them can
 * stand behind a load balancer; /readyz says whether the broker connection is up.
 */
export async function serveCommand(options: ServeCommandOptions, io: CommandIO, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const config = brokerConfigFrom({ broker: options.broker, credsFile: options.brokerCreds, env });
  const { connectBroker } = await import("../broker/nats-broker.js");
  const broker = await connectBroker(config, { name: `chatstream-serve-${process.pid}` });
  let state: SourceState = "connected";
  let received = 0;
  void (async () => {
    for await (const s of broker.nc.status()) {
      if (s.type === "disconnect" || s.type === "reconnecting") state = "reconnecting";
      else if (s.type === "reconnect") state = "connected";
    }
  })().catch(() => undefined);
  const models = setUpModels({});
  const server = await startServer(options.server, {
    slots: models,
    log: (l) => io.stderr.write(`chatstream: ${l}\n`),
    sourceStatuses: () => [{ name: `broker:${config.servers.join(",")}`, platform: "nats", channels: [], state, reconnects: 0, messages: received, events: 0 }],
  });
  const take = (data: Uint8Array): void => {
    const r = publishedRecord(data);
    if (r === undefined) return;
    received++;
    server.sink.write(r);
  };
  try {
    const subs = [broker.nc.subscribe("snap.>", { callback: (_e, m) => take(m.data) }), broker.nc.subscribe("rollup.>", { callback: (_e, m) => take(m.data) })];
    const bucket = broker.bucket("snapshots");
    for await (const key of await bucket.keys()) {
      const e = await bucket.get(key);
      const snapshot = e === null || e.operation !== "PUT" ? undefined : asObject(asObject(JSON.parse(e.string()) as unknown)?.snapshot);
      if (snapshot !== undefined) take(new TextEncoder().encode(JSON.stringify(snapshot)));
    }
    server.markStarted();
    io.stderr.write(`chatstream: serving on ${server.url} from ${config.servers.join(",")}\n`);
    options.onListening?.(server);
    await new Promise<void>((resolve) => {
      if (options.stop.aborted) resolve();
      options.stop.addEventListener("abort", () => resolve(), { once: true });
    });
    for (const s of subs) s.unsubscribe();
    return 0;
  } finally {
    await server.close();
    await broker.close();
  }
}
