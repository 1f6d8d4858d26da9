import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { PipelineRouter } from "../../src/pipeline/pipeline-router.js";
import { runPipeline } from "../../src/pipeline/run-pipeline.js";
import type { Rollup, Snapshot } from "../../src/schema/output-schema.js";
import { TwitchSource } from "../../src/sources/live/twitch/twitch-source.js";
import { MemorySink } from "../helpers/command-io.js";
import { extractive, processor } from "../helpers/pipeline-fixtures.js";
import { FakeIrcServer, until, type IrcPeer } from "../live/helpers/fake-irc-server.js";

const TEXTS = ["what a play", "LUL", "is baron up?", "GG", "PogChamp"];
const privmsg = (i: number): string => `@display-name=Viewer${i % 7};id=msg-${String(i).padStart(4, "0")};user-id=${1000 + (i % 7)} :viewer${i % 7}!viewer${i % 7}@viewer${i % 7}.tmi.twitch.tv PRIVMSG #quietcove :${TEXTS[i % TEXTS.length]} ${i}`;

const servers: FakeIrcServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe("a live source that dies mid-stream and comes back (virtual time)", () => {
  it("[#17.6] reconnects after its backoff, counts the reconnect, drops what the server replays, and the snapshots never stop", async () => {
    const server = new FakeIrcServer();
    servers.push(server);
    const url = await server.listen();
    const clock = new VirtualClock(0);
    const source = new TwitchSource({ channels: ["quietcove"], url, clock, streamTime: () => clock.now(), random: () => 0.5, backoff: { baseMs: 1000, maxMs: 30_000, jitter: 0.5 } });
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const first = server.nextPeer();
    const running = runPipeline({ source, processor, router, sink, clock, speed: 1, arrivalOrigin: 0 });

    /** Sends messages [from, to) on `peer`, one every 250 ms of virtual time. */
    const chat = async (peer: IrcPeer, from: number, to: number, counted: number): Promise<void> => {
      for (let i = from; i < to; i++) {
        peer.send(privmsg(i));
        await until(() => source.status().messages === counted + (i - from) + 1);
        await clock.advanceBy(250);
      }
    };

    const p1 = await first;
    await p1.waitFor(/^JOIN #quietcove$/);
    await chat(p1, 0, 40, 0); // 0 … 10 s
    const second = server.nextPeer();
    p1.drop();
    // The outage: the reader waits 1000 ms × (0.5 + 0.5 × 0.5) = 750 ms on the virtual clock, in state "reconnecting".
    await until(() => source.status().state === "reconnecting" && clock.pending > 0);
    expect(source.status().reconnects).toBe(1);
    await clock.advanceBy(749);
    expect(server.peers).toHaveLength(1);
    await clock.advanceBy(1);
    const p2 = await second;
    await p2.waitFor(/^JOIN #quietcove$/);
    // The server replays the last ten lines from before the drop (their ids were seen), then chat goes on.
    for (let i = 30; i < 40; i++) p2.send(privmsg(i));
    await chat(p2, 40, 80, 40); // 10.75 … 20.75 s
    expect(source.status()).toMatchObject({ state: "connected", reconnects: 1, messages: 80 });
    await clock.advanceBy(1_000);
    await source.stop();
    for (let i = 0; i < 100 && clock.pending > 0; i++) await clock.advanceBy(500);
    const stats = await running;

    expect(stats.messages).toBe(80);
    expect(stats.queue.shed).toBe(0);
    const rollups = sink.records.filter((r): r is Rollup => r.type === "rollup");
    for (const level of ["5s", "1m", "10m"] as const) expect(rollups.filter((r) => r.level === level).reduce((n, r) => n + r.count, 0)).toBe(80);
    const snapshots = sink.records.filter((r): r is Snapshot => r.type === "snapshot");
    // A snapshot every 500 ms through the outage too, in order, none twice.
    const times = snapshots.map((s) => s.t);
    expect(times).toEqual(Array.from({ length: times.length }, (_, k) => k * 500));
    expect(times.at(-1)).toBeGreaterThanOrEqual(21_000);
    // The last snapshot's window (30 s) holds every message once.
    expect((snapshots.at(-1) as Snapshot).count).toBe(80);
    expect(source.status().state).toBe("closed");
  });
});
