// CPU time per quiet channel snapshot, in one process on virtual time (no server, no network, no wall clock): CHANNELS
// channels each say one line a minute, spread evenly; every 500 ms of stream time each channel publishes a snapshot
// into a JSON-lines sink (discarding) and the server's state (latest snapshot, roll-up history), as `run --serve`
// does. After 2 minutes of stream time (every window reaches back to its steady size) it measures 2 more:
// process.cpuUsage() (all threads: GC included) per snapshot and per channel-second. A figure that does not move with
// the machine's load, unlike the real-time quiet-channels bench, so two builds can be compared while others run.
//
//   npm run bench:quiet-channels-cpu [-- CHANNELS [DIST]]     (default 2000 channels; DIST: another build's dist/ to compare)
//
// Writes benchmarks/reports/quiet-channels-cpu.json (quiet-channels-cpu-other.json for another build).
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Writable } from "node:stream";
import type { ChatMessage } from "../src/core/message.js";
import { loadQuietBuild } from "./quiet-build.js";

const CHANNELS = Number(process.argv[2] ?? 2000);
const other = process.argv[3];
const { PipelineRouter, setUpModels, JsonlSink, ServerSink } = await loadQuietBuild(other);

class DevNull extends Writable {
  override _write(_chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    done();
  }
}

const models = setUpModels({});
const jsonl = new JsonlSink(new DevNull());
const server = new ServerSink();
let snapshots = 0;
const router = new PipelineRouter({
  summarizer: () => models.summarizer,
  maxChannels: Math.max(10_000, CHANNELS),
  emit: (r) => {
    if (r.type === "snapshot") snapshots++;
    jsonl.write(r);
    server.write(r);
  },
});
const texts = ["anyone here?", "hello chat", "LUL"];
const STEPS_PER_MINUTE = 120;
const perStep = CHANNELS / STEPS_PER_MINUTE;
let cpu0: NodeJS.CpuUsage | undefined;
let snapshots0 = 0;
for (let t = 0; t < 240_000; t += 500) {
  if (t === 120_000) {
    cpu0 = process.cpuUsage();
    snapshots0 = snapshots;
  }
  const step = (t / 500) % STEPS_PER_MINUTE;
  for (let k = Math.floor(step * perStep); k < Math.floor((step + 1) * perStep); k++) {
    const m: ChatMessage = { t: t + 1, platform: "twitch", channel: `ch${k}`, userId: `v${k}`, user: `v${k}`, text: texts[k % 3] as string };
    router.ingest(m.channel, models.processor.process(m));
  }
  router.advanceTo(t + 500);
  if (t % 10_000 === 0) await jsonl.ready();
}
const cpu = process.cpuUsage(cpu0);
const n = snapshots - snapshots0;
const cpuMicros = cpu.user + cpu.system;
const result = {
  benchmark: "quiet-channels-cpu",
  node: process.version,
  date: new Date().toISOString(),
  loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  build: other ?? "src",
  channels: CHANNELS,
  snapshots: n,
  cpuMicrosPerSnapshot: Math.round((cpuMicros / n) * 100) / 100,
  cpuMicrosPerChannelSecond: Math.round((cpuMicros / (CHANNELS * 120)) * 10) / 10,
  // What 10,000 such channels would cost at 2 Hz, as a share of one core.
  tenThousandChannelsPercentOfOneCore: Math.round(((cpuMicros / (CHANNELS * 120)) * 10_000) / 1e4 * 10) / 10,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
const dir = new URL("./reports/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL(other === undefined ? "quiet-channels-cpu.json" : "quiet-channels-cpu-other.json", dir), JSON.stringify(result, null, 2) + "\n");
