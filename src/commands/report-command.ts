import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { VirtualClock } from "../core/clock.js";
import { formatStreamTime } from "../core/stream-time.js";
import { PipelineRouter } from "../pipeline/pipeline-router.js";
import { runPipeline } from "../pipeline/run-pipeline.js";
import type { OutputRecord, Rollup } from "../schema/output-schema.js";
import type { ChatFormat } from "../sources/decoder.js";
import { formatInputReport, openChatInput } from "../sources/file-source.js";
import type { Sink } from "../sinks/sink.js";
import { setUpModels, superviseSummarizer, type ModelOptions } from "./model-setup.js";
import type { CommandIO } from "./run-command.js";
import { writeFileAtomic } from "./atomic-write.js";
import { assertWritableFile } from "./usage-error.js";

export interface ReportCommandOptions extends ModelOptions {
  input: string;
  out: string;
  format?: ChatFormat;
  channel?: string;
  maxMessageLength?: number;
  /** `--max-gap` (default 24 h): a recorded time further past the latest is a bad line, so the replay stays bounded. */
  maxGapMs?: number;
}

export interface ReportData {
  title: string;
  channel: string;
  minutes: Rollup[];
  tens: Rollup[];
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (Object.hasOwn(ESCAPES, c) ? (ESCAPES[c] as string) : c));
}

/** JSON safe to embed in a <script type="application/json"> element: nothing in it can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function peaks(records: Rollup[], score: (r: Rollup) => number, n = 5): Rollup[] {
  return [...records].filter((r) => r.count > 0).sort((a, b) => score(b) - score(a) || a.start - b.start).slice(0, n);
}

function peakTable(title: string, records: Rollup[], value: (r: Rollup) => string): string {
  const rows = records.map((r) => `<tr><td>${formatStreamTime(r.start)}</td><td>${escapeHtml(value(r))}</td><td>${escapeHtml(r.headline)}</td></tr>`).join("");
  return `<h3>${escapeHtml(title)}</h3><table><tr><th class="n">at</th><th class="v">value</th><th>headline</th></tr>${rows || '<tr><td colspan="3">none</td></tr>'}</table>`;
}

/** One self-contained HTML page (uPlot inlined, data embedded): no network needed to open it. */
export function buildReportHtml(data: ReportData): string {
  const require = createRequire(import.meta.url);
  const uplotJs = readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8");
  const uplotCss = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
  const { minutes, tens } = data;
  const clusters = new Map<string, number>();
  for (const r of tens.length > 0 ? tens : minutes) for (const t of r.top) clusters.set(t.text, (clusters.get(t.text) ?? 0) + t.count);
  const topClusters = [...clusters].sort((a, b) => b[1] - a[1]).slice(0, 15);
  const total = minutes.reduce((n, r) => n + r.count, 0);
  const share = (r: Rollup, k: "pos" | "neg"): number => (r.scored >= 5 ? r.sentiment[k] : 0);
  const body = `
<h1>${escapeHtml(data.title)}</h1>
<p class="muted">channel ${escapeHtml(data.channel)} · ${total.toLocaleString("en-US")} messages · ${minutes.length} minutes</p>
<h2>Sentiment and message rate</h2>
<div id="chart"></div>
<p class="muted">net sentiment per minute (points, left), messages per minute (right), 10 min headlines as markers; click a point for its headline</p>
<div id="picked" class="picked"></div>
<h2>10 minute headlines</h2>
<table><tr><th class="n">from</th><th class="n">net</th><th class="n">msgs</th><th>headline</th></tr>${tens.map((r) => `<tr><td>${formatStreamTime(r.start)}</td><td>${Math.round(r.sentiment.net)}</td><td>${r.count}</td><td>${escapeHtml(r.headline)}</td></tr>`).join("")}</table>
<h2>Peaks</h2>
${peakTable("Most active minutes", peaks(minutes, (r) => r.count), (r) => `${r.count} msgs`)}
${peakTable("Most positive minutes", peaks(minutes, (r) => share(r, "pos")), (r) => `${Math.round(r.sentiment.pos * 100)}% positive`)}
${peakTable("Most negative minutes", peaks(minutes, (r) => share(r, "neg")), (r) => `${Math.round(r.sentiment.neg * 100)}% negative`)}
<h2>Top clusters</h2>
<table><tr><th class="n">messages</th><th>representative message</th></tr>${topClusters.map(([text, n]) => `<tr><td>${n}</td><td>${escapeHtml(text)}</td></tr>`).join("")}</table>
<h2>1 minute headlines</h2>
<table><tr><th class="n">from</th><th class="n">net</th><th class="n">msgs</th><th>headline</th></tr>${minutes.filter((r) => r.count > 0).map((r) => `<tr><td>${formatStreamTime(r.start)}</td><td>${Math.round(r.sentiment.net)}</td><td>${r.count}</td><td>${escapeHtml(r.headline)}</td></tr>`).join("")}</table>`;
  const points = { minutes: minutes.map((r) => [r.start, Math.round(r.sentiment.net * 10) / 10, r.count, r.headline]), tens: tens.map((r) => [r.start, r.headline]) };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.title)}</title>
<style>${uplotCss}
body { font: 15px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #1c2130; }
.muted { color: #667; }
/* Fixed layout: the short columns keep their width and the text column takes the rest, so a cell wraps at spaces
   and breaks only a token longer than the cell (overflow-wrap: anywhere let auto layout squeeze columns to a
   few characters and split every word). */
table:not(.u-legend) { border-collapse: collapse; width: 100%; margin-bottom: 1em; table-layout: fixed; }
td, th { border-bottom: 1px solid #e3e6ee; padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; word-break: normal; }
th.n { width: 5.5em; } th.v { width: 8.5em; }
.picked { min-height: 2.5em; padding: 8px; background: #f3f5fa; border-radius: 6px; }
</style></head><body>${body}
<script type="application/json" id="data">${scriptJson(points)}</script>
<script>${uplotJs}</script>
<script>
(function () {
  var d = JSON.parse(document.getElementById("data").textContent);
  var xs = d.minutes.map(function (m) { return m[0] / 1000; });
  var tenStarts = d.tens.map(function (t) { return t[0] / 1000; });
  var marks = xs.map(function (x) { return tenStarts.indexOf(x) >= 0 ? 0 : null; });
  var picked = document.getElementById("picked");
  ${String(formatStreamTime)}
  var fmt = function (s) { return formatStreamTime(s * 1000); };
  var opts = {
    width: Math.min(1060, document.getElementById("chart").clientWidth), height: 320,
    scales: { x: { time: false }, msgs: {} },
    axes: [{ values: function (u, vals) { return vals.map(fmt); } }, {}, { side: 1, scale: "msgs", grid: { show: false } }],
    series: [{ value: function (u, v) { return v == null ? "" : fmt(v); } }, { label: "net", stroke: "#16a34a", width: 2 }, { label: "msgs/min", scale: "msgs", stroke: "#3b82f6" }, { label: "10 min headline", stroke: "#a855f7", points: { size: 9 }, paths: function () { return null; } }],
    hooks: { ready: [function (u) { u.over.addEventListener("click", function () { var i = u.cursor.idx; if (i == null) return; var m = d.minutes[i]; picked.textContent = fmt(m[0] / 1000) + " — " + m[3]; var ti = tenStarts.indexOf(m[0] / 1000); if (ti >= 0) picked.textContent += " | 10 min: " + d.tens[ti][1]; }); }] }
  };
  new uPlot(opts, [xs, d.minutes.map(function (m) { return m[1]; }), d.minutes.map(function (m) { return m[2]; }), marks], document.getElementById("chart"));
})();
</script>
</body></html>
`;
}

class CollectingSink implements Sink {
  readonly name = "collect";
  readonly records: OutputRecord[] = [];
  write(record: OutputRecord): void {
    if (record.type === "rollup" && record.level !== "5s") this.records.push(record);
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** `chatstream report`: replays a recording at full speed and writes one self-contained HTML report. */
export async function reportCommand(options: ReportCommandOptions, io: CommandIO): Promise<number> {
  assertWritableFile(options.out, "--out");
  const models = setUpModels(options);
  const input = await openChatInput({ path: options.input, format: options.format, channel: options.channel, maxMessageLength: options.maxMessageLength, maxGapMs: options.maxGapMs, arrivalTime: () => 0, stdin: io.stdin });
  const llm = superviseSummarizer(models.summarizer, (l) => io.stderr.write(`chatstream: ${l}\n`));
  const sink = new CollectingSink();
  const router = new PipelineRouter({ summarizer: () => models.summarizer, emit: (r) => sink.write(r), isEmote: (name) => models.emotes.emote(name) !== undefined });
  const source = { name: `file:${input.format}`, canWait: true, timed: true, batches: () => input.batches() };
  await runPipeline({ source, processor: models.processor, router, sink, clock: new VirtualClock(0, true), speed: "max", maxGapMs: options.maxGapMs });
  await llm.stop();
  const channel = router.channels()[0]?.channel ?? input.channel;
  const rollups = sink.records.filter((r): r is Rollup => r.type === "rollup" && r.channel === channel);
  const html = buildReportHtml({ title: `chatstream report: ${channel}`, channel, minutes: rollups.filter((r) => r.level === "1m"), tens: rollups.filter((r) => r.level === "10m") });
  writeFileAtomic(options.out, html);
  io.stderr.write(formatInputReport(input.report) + "\n");
  io.stderr.write(`wrote ${options.out} (${router.channels().length > 1 ? `channel ${channel} of ${router.channels().length}; ` : ""}${rollups.length} roll-ups)\n`);
  return 0;
}
