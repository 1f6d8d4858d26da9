import { describe, expect, it } from "vitest";
import { PipelineRouter } from "../src/pipeline/pipeline-router.js";
import type { Snapshot } from "../src/schema/output-schema.js";
import { chat, extractive, processor } from "./helpers/pipeline-fixtures.js";

/** The last snapshot of a window where chat spams a profanity, an emote and a bare link. */
function lastSnapshot(): Snapshot {
  const records: Snapshot[] = [];
  const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => (r.type === "snapshot" ? records.push(r) : undefined) });
  const lines = ["fuck fuck", "Kreygasm", "https://scam.site/free", "fuck fuck", "Kreygasm", "https://scam.site/free"];
  for (let i = 0; i < 60; i++) {
    const m = chat(1_000 + i * 200, lines[i % lines.length] as string, `viewer${i % 20}`);
    router.ingest(m.channel, processor.process(m));
  }
  router.finish();
  return records.at(-1) as Snapshot;
}

describe("topic chips and thread labels on air", () => {
  it("[#14.3] carry no unmasked profanity and no link, while emotes keep their names", () => {
    const s = lastSnapshot();
    const labels = [...s.topics.map((t) => t.label), ...s.clusters.map((c) => c.label)];
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) {
      expect(label).not.toMatch(/fuck/i);
      expect(label).not.toMatch(/scam\.site|https?:/);
    }
    expect(labels).toContain("Kreygasm");
    expect(labels.some((l) => l.startsWith("f*"))).toBe(true);
  });
});
