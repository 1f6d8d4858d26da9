import { describe, expect, it } from "vitest";
import { formatBrokerTable, overheadOf, perWorkerCostOf, procStatCpuSeconds, workerCost, workerStatsLines, type BrokerBenchReport, type TopologyRun } from "./broker-bench.js";

const run = (over: Partial<TopologyRun>): TopologyRun => ({
  topology: "broker",
  workers: 3,
  channels: 1000,
  offeredPerSecond: 5000,
  achievedPerSecond: 4900,
  generated: 100_000,
  accepted: 100_000,
  refused: 0,
  processed: 100_000,
  complete: true,
  endToEndMs: { count: 10, p50: 40, p95: 90, p99: 120, max: 200 },
  snapshots: 10,
  cpuUsPerMessage: { total: 300, byProcess: {} },
  workerCosts: [],
  loadAverage: [1, 2],
  ...over,
});

describe("the broker bench's figures", () => {
  it("[#18] reads the workers' stats lines and passes over every other line", () => {
    const text = ['chatstream worker w1: joined nats://x', '{"worker":"w1","ownedChannels":3,"applied":10,"messages":8,"cpuMs":120}', '{"worker":"w1","applied":"x"}', '{"worker":', '{"worker":"w2","ownedChannels":1,"applied":4,"messages":4,"cpuMs":50,"extra":1}'].join("\n");
    expect(workerStatsLines(text)).toEqual([
      { worker: "w1", ownedChannels: 3, applied: 10, messages: 8, cpuMs: 120 },
      { worker: "w2", ownedChannels: 1, applied: 4, messages: 4, cpuMs: 50 },
    ]);
  });

  it("[#18] reads a process's CPU from /proc/PID/stat, a command name with spaces and parentheses included", () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[11] = "250";
    fields[12] = "50";
    expect(procStatCpuSeconds(`1234 (node (x) y) ${fields.join(" ")}`)).toBe(3);
    expect(() => procStatCpuSeconds("garbage")).toThrow(/not a \/proc/);
  });

  it("[#18] a worker's cost is CPU seconds per 1,000 messages between two lines", () => {
    const from = { worker: "w1", ownedChannels: 3, applied: 100, messages: 1_000, cpuMs: 2_000 };
    expect(workerCost(from, { ...from, messages: 5_000, cpuMs: 3_000 })).toEqual({ worker: "w1", messages: 4_000, cpuSeconds: 1, cpuSecondsPer1000: 0.25, ownedChannels: 3 });
    expect(workerCost(from, from).cpuSecondsPer1000).toBe(0);
  });

  it("[#18] sets every broker run beside the single-process run at the same offered rate, and averages the per-worker cost", () => {
    const runs = [
      run({ topology: "single-process", workers: 0, achievedPerSecond: 5000, cpuUsPerMessage: { total: 100, byProcess: {} }, endToEndMs: { count: 1, p50: 1, p95: 60, p99: 1, max: 1 } }),
      run({ workerCosts: [0.2, 0.4, 0.3].map((c, i) => ({ worker: `w${i}`, messages: 1, cpuSeconds: 1, cpuSecondsPer1000: c, ownedChannels: 1 })) }),
      run({ offeredPerSecond: 9000 }),
    ];
    expect(overheadOf(runs)).toEqual([{ offeredPerSecond: 5000, workers: 3, achievedRatio: 0.98, endToEndP95DeltaMs: 30, cpuRatio: 3 }]);
    expect(perWorkerCostOf(runs)).toEqual([{ workers: 3, offeredPerSecond: 5000, cpuSecondsPer1000: 0.3, byWorker: [0.2, 0.4, 0.3] }]);
    const report: BrokerBenchReport = { benchmark: "broker", date: "", node: "v20", machine: { cpus: 2, model: "x" }, natsServer: "v2.9.10", command: "npm run bench:broker", load: { channels: 1000, durationSeconds: 30, warmupSeconds: 8, lines: "synthetic" }, runs, overhead: overheadOf(runs), perWorkerCost: perWorkerCostOf(runs) };
    const table = formatBrokerTable(report);
    expect(table).toContain("broker overhead at 5,000/s offered, 3 workers: throughput × 0.98, e2e p95 +30 ms, CPU per message × 3");
    expect(table).toContain("per-worker cost, 3 worker(s) at 5,000/s: 0.3 CPU s per 1,000 messages (0.2, 0.4, 0.3)");
    expect(table.split("\n").length).toBe(2 + runs.length + 2 + 1);
  });
});
