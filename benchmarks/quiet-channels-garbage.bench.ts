// What survives a young collection in quiet channels: CHANNELS channels each say one line a minute (virtual time, in
// one process, into a JSON-lines sink that discards and the server's state, as quiet-channels-cpu.bench.ts). After 2
// minutes of stream time, V8's sampling heap profiler runs for 2 more with includeObjectsCollectedByMajorGC: it then
// counts what was promoted to the old generation (or is still live), the garbage a major collection pays for, by the
// function that allocated it.
//
//   npx tsx benchmarks/quiet-channels-garbage.bench.ts [CHANNELS [DIST]]     (default 2000; DIST: another build's dist/)
//
// Writes benchmarks/reports/quiet-channels-garbage.json.
import { Session } from "node:inspector/promises";
import { mkdirSync, writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import { loadQuietBuild } from "./quiet-build.js";

const CHANNELS = Number(process.argv[2] ?? 2000);
const other = process.argv[3];
const { PipelineRouter, setUpModels, JsonlSink, ServerSink } = await loadQuietBuild(other);

const models = setUpModels({});
const server = new ServerSink();
const jsonl = new JsonlSink(new Writable({ write: (_chunk, _encoding, done) => done() }));
const router = new PipelineRouter({
  summarizer: () => models.summarizer,
  maxChannels: CHANNELS + 1,
  emit: (r) => {
    jsonl.write(r);
    server.write(r);
  },
});
const texts = ["anyone here?", "hello chat", "LUL"];
let t = 0;
const runTo = (until: number): void => {
  for (; t < until; t += 500) {
    const step = (t / 500) % 120;
    for (let k = Math.floor((step * CHANNELS) / 120); k < Math.floor(((step + 1) * CHANNELS) / 120); k++) {
      const channel = `ch${k}`;
      router.ingest(channel, models.processor.process({ t: t + 1, platform: "twitch", channel, userId: `v${k}`, user: `v${k}`, text: texts[k % 3] as string, ts: 1_700_000_000_000 + t }));
    }
    router.advanceTo(t + 500);
  }
};

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}
runTo(120_000);
const session = new Session();
session.connect();
await session.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false } as { samplingInterval: number });
runTo(240_000);
const { profile } = (await session.post("HeapProfiler.stopSampling")) as unknown as { profile: { head: ProfileNode } };
session.disconnect();

const bySite = new Map<string, number>();
const stack: ProfileNode[] = [profile.head];
for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
  const site = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/.*\/(dist|src|node_modules)\//, "$1/")}:${node.callFrame.lineNumber + 1}`;
  bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  stack.push(...node.children);
}
const totalMB = [...bySite.values()].reduce((a, b) => a + b, 0) / 1048576;
const report = {
  benchmark: "quiet-channels-garbage",
  node: process.version,
  date: new Date().toISOString(),
  build: other ?? "src",
  channels: CHANNELS,
  streamMinutes: 2,
  snapshots: CHANNELS * 240,
  promotedOrLiveMB: Math.round(totalMB * 10) / 10,
  bytesPerSnapshot: Math.round((totalMB * 1048576) / (CHANNELS * 240)),
  topSites: [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([site, bytes]) => ({ site, MB: Math.round((bytes / 1048576) * 100) / 100 })),
};
mkdirSync(new URL("./reports/", import.meta.url), { recursive: true });
writeFileSync(new URL("./reports/quiet-channels-garbage.json", import.meta.url), JSON.stringify(report, null, 2) + "\n");
console.log(JSON.stringify({ ...report, topSites: report.topSites.slice(0, 5) }));
