import { createServer, type Server } from "node:http";
import { Counter, Gauge, Registry } from "prom-client";
import type { WorkerStats } from "./channel-worker.js";

export interface WorkerMetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A worker's own metrics, read from its counters at each scrape (no hot-path cost): owned channels, consumer lag,
 * redeliveries and rebuild time, as the issue asks, plus what it applied and published. `/readyz` is 200 only
 * while the broker connection is up.
 */
export function workerRegistry(worker: string, stats: () => WorkerStats, cpuSeconds: () => number = processCpuSeconds): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ worker });
  const gauge = (name: string, help: string, read: (s: WorkerStats) => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(read(stats())); } });
  };
  const counter = (name: string, help: string, read: (s: WorkerStats) => number): void => {
    new Counter({ name, help, registers: [registry], collect() { this.reset(); this.inc(read(stats())); } });
  };
  counter("chatstream_worker_cpu_seconds_total", "CPU time of this worker process (user + system, its own process.cpuUsage()): per 1,000 records applied, what predicts scaling", () => cpuSeconds());
  gauge("chatstream_worker_owned_channels", "Registered channels in the partitions this worker holds the lease of", (s) => s.ownedChannels);
  gauge("chatstream_worker_owned_partitions", "Partitions (of 32) this worker holds the lease of", (s) => s.ownedPartitions);
  gauge("chatstream_worker_consumer_lag", "Messages not yet delivered or not yet acknowledged on this worker's channel consumers", (s) => s.consumerLag);
  gauge("chatstream_worker_last_rebuild_seconds", "Time from taking a channel's lease to having replayed its retained records (the last rebuild)", (s) => s.lastRebuildMs / 1000);
  counter("chatstream_worker_rebuild_seconds_total", "Time spent rebuilding channels after taking their lease", (s) => s.totalRebuildMs / 1000);
  counter("chatstream_worker_channels_acquired_total", "Leases taken (each one followed by a rebuild)", (s) => s.acquired);
  counter("chatstream_worker_channels_released_total", "Leases handed back (rebalancing or leaving)", (s) => s.released);
  counter("chatstream_worker_leases_lost_total", "Leases found taken by another worker at renewal", (s) => s.leasesLost);
  counter("chatstream_worker_redeliveries_total", "Messages delivered more than once by JetStream", (s) => s.redeliveries);
  counter("chatstream_worker_records_applied_total", "Stream records applied to channel state", (s) => s.applied);
  counter("chatstream_worker_messages_applied_total", "Chat messages among the records applied (the rest: events and watermarks)", (s) => s.messages);
  counter("chatstream_worker_bad_records_total", "Stream records that were not valid chat records (acknowledged and skipped)", (s) => s.badRecords);
  counter("chatstream_worker_snapshots_published_total", "Snapshots published to snap.<channel>", (s) => s.snapshotsPublished);
  counter("chatstream_worker_rollups_published_total", "Roll-ups stored by the roll-up stream", (s) => s.rollupsPublished);
  counter("chatstream_worker_snapshots_persisted_total", "Writes of the snapshot bucket (at most one per channel per --persist-every)", (s) => s.snapshotsPersisted);
  counter("chatstream_worker_acks_total", "Acknowledgements sent (AckAll: each covers every delivery before it)", (s) => s.acks);
  counter("chatstream_worker_rollup_duplicates_total", "Roll-ups dropped by the roll-up stream as already published (replays after a takeover)", (s) => s.rollupDuplicates);
  return registry;
}

/** This process's CPU time, user + system, in seconds. */
export function processCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** `chatstream worker --metrics [HOST:]PORT`: /metrics and /readyz on loopback by default. */
export async function startWorkerMetrics(host: string, port: number, registry: Registry, ready: () => boolean): Promise<WorkerMetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.url === "/metrics") {
      void registry.metrics().then((text) => res.writeHead(200, { "content-type": registry.contentType }).end(text));
    } else if (req.url === "/readyz") {
      const ok = ready();
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ status: ok ? "ready" : "broker unreachable" }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as { port: number };
  return { url: `http://${host}:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
