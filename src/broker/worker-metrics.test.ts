import { describe, expect, it } from "vitest";
import type { WorkerStats } from "./channel-worker.js";
import { processCpuSeconds, startWorkerMetrics, workerRegistry } from "./worker-metrics.js";

const stats: WorkerStats = { ownedChannels: 4, ownedPartitions: 2, acquired: 5, released: 1, leasesLost: 0, applied: 1200, messages: 1100, badRecords: 2, redeliveries: 3, snapshotsPublished: 900, rollupsPublished: 40, rollupDuplicates: 6, lastRebuildMs: 250, totalRebuildMs: 900, consumerLag: 17, snapshotsPersisted: 300, acks: 50 };

describe("worker metrics", () => {
  it("[#18] /metrics reports owned channels, consumer lag, redeliveries and rebuild time; /readyz follows the broker connection", async () => {
    let connected = true;
    const current = { ...stats };
    const server = await startWorkerMetrics("127.0.0.1", 0, workerRegistry("w1", () => current, () => 12.5), () => connected);
    try {
      let text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toContain('chatstream_worker_owned_channels{worker="w1"} 4');
      expect(text).toContain('chatstream_worker_consumer_lag{worker="w1"} 17');
      expect(text).toContain('chatstream_worker_redeliveries_total{worker="w1"} 3');
      expect(text).toContain('chatstream_worker_last_rebuild_seconds{worker="w1"} 0.25');
      expect(text).toContain('chatstream_worker_rollup_duplicates_total{worker="w1"} 6');
      expect(text).toContain('chatstream_worker_cpu_seconds_total{worker="w1"} 12.5');
      current.applied = 1500;
      text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toContain('chatstream_worker_records_applied_total{worker="w1"} 1500');
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      connected = false;
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe("the worker's own CPU time", () => {
  it("[#18] grows with work done in this process", () => {
    const before = processCpuSeconds();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += i % 7;
    expect(x).toBeGreaterThan(0);
    expect(processCpuSeconds()).toBeGreaterThan(before);
  });
});
