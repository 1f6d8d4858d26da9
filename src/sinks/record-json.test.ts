import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractive, processor, syntheticChat } from "../../test/helpers/pipeline-fixtures.js";
import { escapeJsonText } from "../core/text-cleaning.js";
import { ChannelPipeline } from "../pipeline/channel-pipeline.js";
import type { OutputRecord } from "../schema/output-schema.js";
import { hasReusedParts, markReusedParts, stableFieldsOf } from "../core/record-marks.js";
import { LineChunks } from "./line-chunks.js";
import { recordJson, writeRecordJson } from "./record-json.js";

const reference = (r: unknown): string => escapeJsonText(JSON.stringify(r));
const referenceLines = (records: OutputRecord[]): string => records.map((r) => reference(r) + "\n").join("");

/** The records as JSON lines through writeRecordJson, into chunks of `capacity` bytes, decoded back to text. */
function writtenLines(records: OutputRecord[], capacity: number): string {
  const chunks = new LineChunks(capacity);
  for (const r of records) {
    writeRecordJson(r, chunks);
    chunks.byte(0x0a);
  }
  return Buffer.concat(chunks.take()).toString("utf8");
}

describe("recordJson", () => {
  it("writes every record of a run exactly as JSON.stringify does, shared parts included", () => {
    const out: OutputRecord[] = [];
    const p = new ChannelPipeline({ channel: "c\u202eevil", summarizer: () => extractive, emit: (r) => out.push(r) });
    for (const m of syntheticChat(3000, 11)) p.ingest(processor.process({ ...m, text: m.text === "GG" ? "GG\u0085\u2028" : m.text }));
    p.finish();
    const snapshots = out.filter((r) => r.type === "snapshot");
    // A quiet stretch re-publishes its window's parts (the same objects), marked so their JSON is kept.
    const reused = snapshots.filter((s, i) => hasReusedParts(s) && i > 0);
    expect(reused.length).toBeGreaterThan(0);
    for (const s of reused) expect(s.topics).toBe(snapshots[snapshots.indexOf(s) - 1]?.topics);
    // Runs of them share one token for their stable fields, whose text is then copied rather than written.
    const token = (s: OutputRecord | undefined): object | undefined => (s === undefined ? undefined : stableFieldsOf(s));
    expect(reused.some((s) => token(s) !== undefined && token(s) === token(snapshots[snapshots.indexOf(s) - 1]))).toBe(true);
    // Periods without a message share their parts too.
    expect(out.some((r) => r.type === "rollup" && r.count === 0 && hasReusedParts(r))).toBe(true);
    // Consecutive snapshots share their closed buckets' audits (and a quiet window every part).
    expect(snapshots.some((s, i) => i > 0 && s.buckets[0] === snapshots[i - 1]?.buckets[0])).toBe(true);
    for (const r of out) expect(recordJson(r)).toBe(reference(r));
    // A second pass reads the stored parts.
    for (const r of out) expect(recordJson(r)).toBe(reference(r));
    // Written as UTF-8 into line chunks (templates copied as bytes, numbers digit by digit): the same text.
    expect(writtenLines(out, 4096)).toBe(referenceLines(out));
  });

  it("matches JSON.stringify on any JSON-like record, with parts shared between records", () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.oneof(value, fc.constant(undefined))), { minLength: 1, maxLength: 4 }), fc.array(value, { maxLength: 3 }), (records, shared) => {
        const parts = shared.map((v) => ({ v }));
        for (const [i, r] of records.entries()) {
          // Records share bucket audits (and other parts), and a list may hold anything JSON.stringify takes.
          const withShared = { ...r, buckets: [...parts, undefined, 3, null, "x"], shared: parts[i % Math.max(1, parts.length)], list: [parts[0], undefined, 3] } as unknown as OutputRecord;
          expect(recordJson(withShared)).toBe(reference(withShared));
        }
      }),
    );
  });
});

describe("writeRecordJson", () => {
  it("writes templated records whose bucket lists change, hold odd values or repeat, as JSON.stringify does", () => {
    const token = {};
    const audit = (start: number): object => ({ start, end: start + 5000, count: 1, top: [{ text: "\u202eevil", count: 1 }] });
    const shared = [audit(0), undefined, 3, null, "x", audit(5000)];
    const lists = [shared, shared, [audit(0)], [], shared];
    const records = lists.map((buckets, i) => {
      const r = { type: "snapshot", channel: "c", t: i * 500, window: { start: i * 500 - 30_000, end: i * 500 }, count: 2, rate: i / 100 + 0.01, headline: "h", buckets, languages: { en: 1 }, ts: 1_700_000_000_000 + i } as unknown as OutputRecord;
      markReusedParts(r, token);
      return r;
    });
    expect(writtenLines(records, 64)).toBe(referenceLines(records));
  });

  it("writes a record without a template, holes and odd audit values included, as JSON.stringify does", () => {
    const audit = { start: 0, end: 5000, count: 1, text: "\u202eevil" };
    // eslint-disable-next-line no-sparse-arrays -- a hole is what this case is about
    const record = { type: "snapshot", channel: "c", t: 1, buckets: [, audit, undefined, null, 3, audit] } as unknown as OutputRecord;
    const chunks = new LineChunks(16);
    writeRecordJson(record, chunks);
    writeRecordJson({ ...record } as OutputRecord, chunks);
    const line = reference(record);
    expect(Buffer.concat(chunks.take()).toString("utf8")).toBe(line + line);
    expect(recordJson({ ...record } as OutputRecord)).toBe(line);
  });
});
