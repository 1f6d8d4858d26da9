import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../core/message.js";
import type { OutputRecord, Snapshot } from "../schema/output-schema.js";
import { extractive, processor } from "../../test/helpers/pipeline-fixtures.js";
import { BrokeredChannel, parsePersistedChannel, replayStartFor, type PersistedChannel } from "./channel-state.js";
import type { ChatRecord } from "./chat-record.js";

const MINUTE = 60_000;
const message = (t: number, text: string, user: string): ChatRecord => ({ kind: "message", message: { t, platform: "twitch", channel: "c", userId: user, user, text } satisfies ChatMessage });

/** 26 minutes of chat that says the same thing throughout (the headline is kept from the first minute on), then a burst of something new. */
function steadyChat(): ChatRecord[] {
  const out: ChatRecord[] = [];
  for (let t = 1_000; t < 26 * MINUTE; t += 1_500) out.push(message(t, "that was a clean baron steal", `u${(t / 1_500) % 9}`));
  for (let t = 26 * MINUTE; t < 27 * MINUTE; t += 400) out.push(message(t, (t / 400) % 2 === 0 ? "drake fight now" : "drake is lost", `v${(t / 400) % 13}`));
  out.push({ kind: "watermark", t: 30 * MINUTE });
  return out;
}

const channel = (resume?: PersistedChannel): BrokeredChannel => new BrokeredChannel({ channel: "c", processor, summarizer: () => extractive, resume });

function runAll(records: readonly ChatRecord[], c = channel()): { out: OutputRecord[]; persistedAt: Map<number, PersistedChannel> } {
  const out: OutputRecord[] = [];
  const persistedAt = new Map<number, PersistedChannel>();
  records.forEach((r, i) => {
    const published = c.apply(r, i + 1);
    out.push(...published);
    const p = c.persisted;
    if (p !== undefined && published.some((x) => x.type === "snapshot")) persistedAt.set(p.snapshot.t, structuredClone(p));
  });
  out.push(...c.caughtUp());
  return { out, persistedAt };
}

describe("a channel rebuilt from the stream and the snapshot bucket", () => {
  const records = steadyChat();
  const full = runAll(records);
  const resumeT = 23 * MINUTE + 500;
  // What the previous owner persisted last: the snapshot at 23:00.5 and its gate, taken the moment it was published.
  const persisted = [...full.persistedAt.values()].filter((p) => p.snapshot.t <= resumeT).at(-1) as PersistedChannel;
  const after = full.out.filter((r) => (r.type === "snapshot" ? r.t : r.end) > persisted.snapshot.t);

  it("[#18] replays from the start of the 10 min period before the persisted snapshot's", () => {
    expect(replayStartFor(undefined)).toBe(-Infinity);
    expect(replayStartFor(persisted)).toBe(10 * MINUTE);
    // The headline the rebuilt state must keep was written in the first minute: further back than any replay.
    expect(persisted.snapshot.headlineSince).toBeLessThan(MINUTE);
  });

  it("[#18] with only the retained messages and the persisted gate, everything published afterwards is the same as the uninterrupted channel's", () => {
    const retained = records.filter((r) => r.kind !== "message" || r.message.t >= 9 * MINUTE);
    const c = channel(persisted);
    const rebuilt = runAll(retained, c);
    expect(rebuilt.out).toEqual(after);
    expect(c.counts.skipped).toBeGreaterThan(0);
    expect(c.counts.suppressed).toBeGreaterThan(0);
    expect(after.some((r) => r.type === "snapshot" && r.changed !== undefined)).toBe(true);
  });

  it("[#18] without the persisted gate the same replay would say the headline was written at the replay's start: the state that reaches back is real", () => {
    const retained = records.filter((r) => r.kind !== "message" || r.message.t >= 10 * MINUTE);
    const rebuilt = runAll(retained).out.filter((r): r is Snapshot => r.type === "snapshot" && r.t > persisted.snapshot.t);
    expect(rebuilt[0]?.headlineSince).not.toBe(persisted.snapshot.headlineSince);
  });

  it("[#18] a caught-up replay that ends at the persisted snapshot restores the gate for the records to come", () => {
    const upTo = records.filter((r) => r.kind === "message" && r.message.t <= persisted.snapshot.t);
    const c = channel(persisted);
    expect(runAll(upTo, c).out).toEqual([]);
    const rest = records.slice(upTo.length);
    const out = rest.flatMap((r, i) => c.apply(r, upTo.length + i + 1));
    expect(out).toEqual(after);
  });

  it("[#18] a stored entry is validated before it is trusted", () => {
    expect(parsePersistedChannel(JSON.parse(JSON.stringify(persisted)))).toEqual(persisted);
    for (const bad of [null, {}, { ...persisted, v: 2 }, { ...persisted, snapshot: { ...persisted.snapshot, t: 1.5 } }, { ...persisted, headline: { ...persisted.headline, fingerprint: { groupCounts: [["a"]], top: [], net: 0, active: 1 } } }, { ...persisted, headline: { ...persisted.headline, fingerprint: { groupCounts: [], top: [1], net: 0, active: 1 } } }, { ...persisted, headline: { headline: 1, since: 0 } }]) {
      expect(parsePersistedChannel(bad)).toBeUndefined();
    }
  });

  it("[#18] a record whose time jumps past the maximum gap is counted and skipped", () => {
    const c = channel();
    c.apply(message(1_000, "hi", "a"), 1);
    expect(c.apply(message(1_000 + 25 * 3_600_000, "later", "a"), 2)).toEqual([]);
    expect(c.counts.badTimes).toBe(1);
  });
});

describe("a quiet channel through silence: the ingest's watermarks, replayed", () => {
  /** What a live ingest stores for one channel: a burst, then silence with the ticker's watermark every 500 ms (1 ms late, as it wakes). */
  function quietStream(): ChatRecord[] {
    const out: ChatRecord[] = [];
    for (let t = 2_000; t < 40_000; t += 350) out.push(message(t, t % 700 === 0 ? "that ace was insane" : "insane ace", `u${(t / 350) % 7}`));
    for (let b = 40_000; b <= 24 * MINUTE; b += 500) {
      out.push({ kind: "watermark", t: b + 1 });
      if (b === 11 * MINUTE) out.push(message(b + 200, "anyone still here", "late"));
    }
    return out;
  }
  const records = quietStream();
  const full = runAll(records);
  const snapshots = full.out.filter((r): r is Snapshot => r.type === "snapshot");

  it("[#18] keep publishing a snapshot every 500 ms of stream time, and close the roll-up periods, with no message", () => {
    const silent = snapshots.filter((s) => s.t > 40_000 && s.t < 11 * MINUTE);
    expect(silent.length).toBe((11 * MINUTE - 40_000) / 500 - 1);
    expect(silent.every((s, i) => i === 0 || s.t - (silent[i - 1] as Snapshot).t === 500)).toBe(true);
    const rollups = full.out.filter((r) => r.type === "rollup");
    // The 10 min period holding the burst closed at 10:00 through silence, its count the burst's messages.
    const first = rollups.find((r) => r.level === "10m" && r.start === 0);
    expect(first?.count).toBe(records.filter((r) => r.kind === "message" && r.message.t < 10 * MINUTE).length);
    expect(rollups.filter((r) => r.level === "5s" && r.start >= 40_000 && r.end <= 11 * MINUTE).length).toBe((11 * MINUTE - 40_000) / 5_000);
  });

  it("[#18] a worker that takes the channel over mid-silence rebuilds it from the same records to the same output", () => {
    const persisted = [...full.persistedAt.values()].filter((p) => p.snapshot.t <= 22 * MINUTE + 250).at(-1) as PersistedChannel;
    const c = channel(persisted);
    const rebuilt = runAll(records, c);
    expect(rebuilt.out).toEqual(full.out.filter((r) => (r.type === "snapshot" ? r.t : r.end) > persisted.snapshot.t));
    expect(rebuilt.out.length).toBeGreaterThan(100);
    expect(c.counts.skipped).toBeGreaterThan(0);
  });
});
