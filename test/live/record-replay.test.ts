import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCommand, type RunCommandOptions } from "../../src/commands/run-command.js";
import { VirtualClock } from "../../src/core/clock.js";
import type { Rollup, Snapshot } from "../../src/schema/output-schema.js";
import { Recorder, recordingSource } from "../../src/sources/recorder.js";
import { FakeIrcServer } from "./helpers/fake-irc-server.js";
import { ScriptedLiveSource } from "./helpers/memory.js";
import { captureIO, parseRecords } from "../helpers/command-io.js";

const harness = (clock: VirtualClock): ReturnType<typeof captureIO> => captureIO(clock);

const base: Omit<RunCommandOptions, "speed"> = { sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment: "lexicon" };
const parse = parseRecords;

const LINES = ["what a play Kappa", "LUL LUL", "this is so good", "boring ResidentSleeper", "gg wp", "PogChamp PogChamp", "who is winning?", "nice one"];

const servers: FakeIrcServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe("recording a live session", () => {
  it("replays (--speed max) to the same snapshots and roll-ups it produced live (virtual clock)", async () => {
    const server = new FakeIrcServer();
    servers.push(server);
    const url = await server.listen();
    const dir = mkdtempSync(join(tmpdir(), "chatstream-rec-"));
    const file = join(dir, "session.jsonl");
    const origin = 1_764_280_800_000;
    const clock = new VirtualClock(origin);
    const live = harness(clock);
    const stop = new AbortController();
    const firstPeer = server.nextPeer();
    const run = runCommand({ ...base, speed: 1, live: { twitch: ["QuietCove"], twitchUrl: url, record: file, stop: stop.signal } }, live.io);
    const peer = await firstPeer;
    await peer.waitFor(/^JOIN #quietcove$/);

    // 75 s of chat: a few lines every 250 ms (irregular), a resub, a raid, a gift; each step synced by PING/PONG.
    let n = 0;
    for (let step = 0; step < 300; step++) {
      await clock.advanceTo(origin + 1_000 + step * 250);
      const lines: string[] = [];
      const count = (step * 7) % 5;
      for (let i = 0; i < count; i++, n++) {
        const user = `viewer${(n * 13) % 37}`;
        lines.push(
          `@badges=;display-name=${user};emotes=;id=msg-${n};tmi-sent-ts=${clock.now()};user-id=${1000 + ((n * 13) % 37)} :${user}!${user}@${user}.tmi.twitch.tv PRIVMSG #quietcove :${LINES[n % LINES.length]}`,
        );
      }
      if (step === 40) lines.push(`@display-name=LoyalOtter;id=ev-1;msg-id=resub;msg-param-cumulative-months=7;tmi-sent-ts=${clock.now()} :tmi.twitch.tv USERNOTICE #quietcove :seven months`);
      if (step === 130) lines.push(`@display-name=BigRaider;id=ev-2;msg-id=raid;msg-param-viewerCount=420 :tmi.twitch.tv USERNOTICE #quietcove`);
      if (step === 131) lines.push(`@display-name=Santa;id=ev-3;msg-id=submysterygift;msg-param-mass-gift-count=5 :tmi.twitch.tv USERNOTICE #quietcove`);
      peer.send(...lines, `PING :sync-${step}`);
      await peer.waitFor(new RegExp(`^PONG :sync-${step}$`));
    }
    // Stop right after the last message: the live run then publishes exactly up to it, as the replay will.
    stop.abort();
    expect(await run).toBe(0);
    expect(live.stderr()).toMatch(/twitch:quietcove: \d+ messages, 3 events, 0 reconnects/);
    expect(live.stderr()).toMatch(/recorded \d+ messages and 3 events/);

    const replay = harness(new VirtualClock(0, true));
    expect(await runCommand({ ...base, speed: "max", input: file }, replay.io)).toBe(0);
    const liveOut = parse(live.stdout());
    const replayOut = parse(replay.stdout());
    const snapshots = liveOut.filter((r): r is Snapshot => r.type === "snapshot");
    expect(snapshots.length).toBeGreaterThan(140);
    expect(snapshots.flatMap((s) => s.events ?? []).map((e) => e.kind)).toEqual(["resub", "raid", "gift"]);
    expect(liveOut.filter((r): r is Rollup => r.type === "rollup" && r.level === "1m").length).toBeGreaterThan(0);
    expect(replayOut).toEqual(liveOut);
    expect(replay.stderr()).toMatch(/event/);
  });

  it("rotates by size without splitting lines, and records events of any source", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-rot-"));
    const file = join(dir, "rot.jsonl");
    const recorder = new Recorder(file, 400);
    const clock = new VirtualClock(0);
    const source = new ScriptedLiveSource("s", "chan", clock, 0);
    const wrapped = recordingSource(source, recorder);
    const seen: string[] = [];
    wrapped.onEvent?.((e) => seen.push(e.kind));
    const reading = (async () => {
      for await (const batch of wrapped.batches()) void batch;
    })();
    for (let i = 0; i < 12; i++) {
      await clock.advanceBy(100);
      source.say(`user${i}`, `message number ${i}`, `id-${i}`);
      if (i === 5) source.happen({ kind: "paid", user: "rich", amount: "$5.00" });
      await new Promise((r) => setImmediate(r));
    }
    await source.stop();
    await reading;
    await recorder.close();
    expect(seen).toEqual(["paid"]);
    expect(recorder.files.length).toBeGreaterThan(2);
    const lines = recorder.files.flatMap((f) => readFileSync(f, "utf8").trimEnd().split("\n"));
    for (const f of recorder.files) expect(readFileSync(f).length).toBeLessThanOrEqual(400);
    expect(lines).toHaveLength(13);
    expect(lines.map((l) => JSON.parse(l) as { type?: string; t: number }).filter((r) => r.type === "event")).toEqual([
      { type: "event", kind: "paid", user: "rich", amount: "$5.00", t: 600, platform: "test", channel: "chan" },
    ]);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(() => new Recorder(file, 0)).toThrow(RangeError);
  });
});
