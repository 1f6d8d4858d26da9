// Headline stability on live output: replays each English recording (virtual time, --speed max) through the
// pipeline and counts, per minute of stream, how often the headline is rewritten next to how often a new
// cluster (a near-duplicate group that was not in the previous snapshot's top three) appears, and how often a
// topic cluster starts being flagged `new` (absent from the previous window). The same
// recording with every message duplicated tenfold (new users, same texts) must rewrite no more often.
//
//   npm run bench:headline-stability      → benchmarks/reports/headline-stability.json
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setUpModels } from "../src/commands/model-setup.js";
import type { ChatMessage } from "../src/core/message.js";
import { PipelineRouter } from "../src/pipeline/pipeline-router.js";
import type { Snapshot } from "../src/schema/output-schema.js";
import { openChatInput } from "../src/sources/file-source.js";

const CHAT_DIR = new URL("../../shared/data/chat/", import.meta.url).pathname;
const NON_ENGLISH = ["yt-rocketbeanstv-de", "yt-anonim-id"];

async function readAll(path: string): Promise<ChatMessage[]> {
  const input = await openChatInput({ path, arrivalTime: () => 0 });
  const all: ChatMessage[] = [];
  for await (const batch of input.batches()) for (const m of batch) all.push(m);
  return all;
}

function replay(messages: readonly ChatMessage[]): { rewrites: number; newClusters: number; newTopics: number; snapshots: number } {
  const models = setUpModels({});
  let rewrites = 0;
  let newClusters = 0;
  let snapshots = 0;
  let previousTop = new Set<string>();
  let previousNew = new Set<string>();
  let newTopics = 0;
  const router = new PipelineRouter({
    summarizer: () => models.summarizer,
    emit: (r) => {
      if (r.type !== "snapshot") return;
      const s = r as Snapshot;
      snapshots++;
      if (s.changed !== undefined && !s.changed.includes("first")) rewrites++;
      const top = new Set(s.top.slice(0, 3).map((g) => g.text.toLowerCase()));
      for (const text of top) if (!previousTop.has(text) && previousTop.size > 0) newClusters++;
      previousTop = top;
      // Counted at its onset: a cluster stays flagged for as long as the previous window lacked it.
      const flagged = new Set(s.clusters.filter((c) => c.new === true).map((c) => c.label));
      for (const label of flagged) if (!previousNew.has(label)) newTopics++;
      previousNew = flagged;
    },
  });
  for (const m of messages) router.ingest(m.channel, models.processor.process(m));
  router.finish();
  return { rewrites, newClusters, newTopics, snapshots };
}

function tenfold(messages: readonly ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) for (let k = 0; k < 10; k++) out.push(k === 0 ? m : { ...m, userId: `${m.userId}~${k}`, user: `${m.user}~${k}` });
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(CHAT_DIR)) {
    process.stderr.write("bench:headline-stability: ../shared/data/chat not found\n");
    return;
  }
  const files = readdirSync(CHAT_DIR).filter((f) => f.endsWith(".jsonl") && !NON_ENGLISH.some((p) => f.startsWith(p))).sort();
  const results = [];
  for (const file of files) {
    const messages = await readAll(join(CHAT_DIR, file));
    const minutes = ((messages.at(-1)?.t ?? 0) - (messages[0]?.t ?? 0)) / 60_000;
    const once = replay(messages);
    const ten = replay(tenfold(messages));
    const row = {
      stream: file.replace(/\.jsonl$/, ""),
      minutes: Math.round(minutes * 10) / 10,
      headlineChangesPerMinute: Math.round((once.rewrites / minutes) * 100) / 100,
      newClustersPerMinute: Math.round((once.newClusters / minutes) * 100) / 100,
      newTopicsFlaggedPerMinute: Math.round((once.newTopics / minutes) * 100) / 100,
      snapshotsPerMinute: Math.round((once.snapshots / minutes) * 10) / 10,
      tenfoldHeadlineChanges: ten.rewrites,
      headlineChanges: once.rewrites,
      tenfoldNoMoreOften: ten.rewrites <= once.rewrites,
    };
    results.push(row);
    process.stdout.write(JSON.stringify(row) + "\n");
  }
  const dir = new URL("./reports/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL("headline-stability.json", dir), JSON.stringify({ benchmark: "headline-stability", node: process.version, date: new Date().toISOString(), results }, null, 2) + "\n");
}

await main();
