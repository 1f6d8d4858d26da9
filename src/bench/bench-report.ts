import { formatCount } from "../core/count-format.js";
import type { Percentiles } from "./latency-stats.js";
import type { LoadBenchReport } from "./load-bench.js";
import type { CliBenchReport, StartupBenchReport } from "./process-bench.js";

export type BenchReport = LoadBenchReport | CliBenchReport | StartupBenchReport;

const pct = (p: Percentiles, unit: string, keys: readonly (keyof Percentiles)[] = ["p50", "p95", "p99", "max"]): string =>
  p.count === 0 ? "none" : keys.map((k) => `${k} ${p[k]} ${unit}`).join("  ");

const row = (label: string, value: string): string => `  ${label.padEnd(20)} ${value}`;

function loadTable(r: LoadBenchReport): string[] {
  const l = r.load;
  const rate = typeof l.rate === "number" ? `${formatCount(l.rate)} msg/s` : l.rate === "max" ? "as fast as it goes" : "the recording's pace";
  const c = r.counts;
  const gaps = r.snapshotGapMs;
  return [
    `chatstream bench: ${l.channels} busy channel(s) at ${rate}${l.quietChannels > 0 ? ` + ${formatCount(l.quietChannels)} quiet (one line every ${l.quietEverySeconds} s)` : ""}, ${l.durationSeconds} s of ${l.lines}, ${l.clock} clock, generator ${l.generator}; load average ${r.machine.loadAverageStart[0]} → ${r.machine.loadAverageEnd[0]}`,
    row("throughput", `${formatCount(r.throughput.messagesPerSecond)} msg/s (${formatCount(r.throughput.messages)} messages in ${r.measuredSeconds} s measured)`),
    row("processing", pct(r.processingLatencyUs, "µs", ["p50", "p95", "p99"])),
    row("end-to-end", pct(r.endToEndMs, "ms")),
    row("2 Hz tick wait", `${pct(r.tickWaitMs, "ms", ["p50", "p95", "max"])} (by design)`),
    row("snapshot assembly", pct(r.assemblyMs, "ms")),
    row("event-loop delay", r.eventLoopDelayMs === undefined ? "not measured (virtual clock)" : pct(r.eventLoopDelayMs, "ms", ["p50", "p99", "max"])),
    row("snapshot gaps", `${pct(gaps, "ms", ["p50", "p99", "max"])}; ${gaps.over600} over 600 ms in ${gaps.channelsWithGap} of ${formatCount(gaps.channelsMeasured)} channel(s); slowest channel ${gaps.slowestChannelHz} Hz`),
    row("queue", `high-water ${r.queue.highWater} / ${r.queue.capacity}`),
    row("counts", `generated ${formatCount(c.generated)} = processed ${formatCount(c.processed)} + shed ${formatCount(c.shed)} + malformed ${formatCount(c.malformed)} + refused ${formatCount(c.refused)}; lost ${c.lost}`),
    row("CPU", `${r.cpu.percentOfOneCore} % of one core; ${r.cpu.usPerMessage} µs per message, ${r.cpu.usPerChannelSecond} µs per channel-second; parse-only floor ${r.floor.usPerMessage} µs (× ${r.floor.ratio})`),
    row("memory", `RSS ${r.memory.rssSteadyMB} MB steady, ${r.memory.rssPeakMB} MB peak, slope ${r.memory.rssSlopeMBPerHour} MB/h (second half ${r.memory.rssSlopeSecondHalfMBPerHour}), peak growth ${r.memory.rssPeakGrowthMB} MB; heap ${r.memory.heapSteadyMB} MB, slope ${r.memory.heapSlopeMBPerHour} MB/h (second half ${r.memory.heapSlopeSecondHalfMBPerHour}), peak growth ${r.memory.heapPeakGrowthMB} MB`),
  ];
}

function cliTable(r: CliBenchReport): string[] {
  return [
    `chatstream bench cli: ${r.command} (best of ${r.runs.length}); load average ${r.machine.loadAverage[0]}`,
    row("whole process", `${r.best.wallMs} ms wall, ${r.best.cpuMs} ms CPU, ${r.best.maxRssMB} MB peak RSS`),
    row("throughput", `${formatCount(r.messagesPerSecond)} msg/s (${formatCount(r.messages)} messages)`),
    row("parse-only floor", `${r.floor.wallMs} ms wall, ${r.floor.cpuMs} ms CPU (${formatCount(r.floor.messagesPerSecond)} msg/s)`),
    row("× floor", `${r.ratio.wall} wall, ${r.ratio.cpu} CPU`),
  ];
}

function startupTable(r: StartupBenchReport): string[] {
  const c = r.chatstream;
  const b = r.bareNode;
  return [
    `chatstream bench startup: ${r.command} (${r.runs} runs); load average ${r.machine.loadAverage[0]}`,
    row("chatstream", `min ${c.minWallMs} ms, median ${c.medianWallMs} ms wall; ${c.minCpuMs} ms CPU; ${c.maxRssMB} MB peak RSS`),
    row("bare node", `min ${b.minWallMs} ms, median ${b.medianWallMs} ms wall; ${b.minCpuMs} ms CPU; ${b.maxRssMB} MB peak RSS`),
  ];
}

/** The short table a bench prints beside its JSON report. */
export function formatBenchTable(report: BenchReport): string {
  const lines = report.benchmark === "load" ? loadTable(report) : report.benchmark === "cli" ? cliTable(report) : startupTable(report);
  return lines.join("\n") + "\n";
}
