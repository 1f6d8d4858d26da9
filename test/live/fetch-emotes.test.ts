import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand, type RunCommandOptions } from "../../src/commands/run-command.js";
import { VirtualClock } from "../../src/core/clock.js";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { captureIO, parseRecords } from "../helpers/command-io.js";
import { startFakeEmoteApis, type FakeEmoteApis } from "../helpers/fake-emote-apis.js";
import { FakeIrcServer } from "./helpers/fake-irc-server.js";

const base: Omit<RunCommandOptions, "speed"> = { sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment: "lexicon" };

let apis: FakeEmoteApis;
const ircServers: FakeIrcServer[] = [];
beforeAll(async () => {
  apis = await startFakeEmoteApis();
});
afterAll(async () => {
  await apis.close();
  for (const s of ircServers) await s.close();
});

async function liveRun(fetchEmotes: boolean): Promise<{ snapshots: Snapshot[]; stderr: string }> {
  const irc = new FakeIrcServer();
  ircServers.push(irc);
  const url = await irc.listen();
  const origin = 1_764_280_800_000;
  const clock = new VirtualClock(origin);
  const h = captureIO(clock);
  const stop = new AbortController();
  const peerReady = irc.nextPeer();
  const run = runCommand({ ...base, speed: 1, live: { twitch: ["nepu"], twitchUrl: url, stop: stop.signal }, fetchEmotes: fetchEmotes ? { bases: apis.bases } : undefined }, h.io);
  const peer = await peerReady;
  await peer.waitFor(/^JOIN #nepu$/);
  for (let i = 0; i < 8; i++) {
    await clock.advanceTo(origin + 1_000 + i * 500);
    peer.send(`@display-name=v${i};id=m-${i};tmi-sent-ts=${clock.now()};user-id=${100 + i} :v${i}!v${i}@v${i}.tmi.twitch.tv PRIVMSG #nepu :nepuHeh nepuHeh`, `PING :s${i}`);
    await peer.waitFor(new RegExp(`^PONG :s${i}$`));
  }
  stop.abort();
  expect(await run).toBe(0);
  return { snapshots: parseRecords(h.stdout()).filter((r): r is Snapshot => r.type === "snapshot"), stderr: h.stderr() };
}

describe("run --twitch --fetch-emotes", () => {
  it("fetches the channel's BTTV / FFZ / 7TV emotes before reading chat, so its emotes are read as emotes", async () => {
    const fetched = await liveRun(true);
    expect(fetched.stderr).toContain("emotes of nepu: bttv 4, ffz 3, 7tv 3");
    expect(apis.seen).toEqual(expect.arrayContaining(["/ffz/room/nepu", "/bttv/cached/users/twitch/4242", "/7tv/users/twitch/4242", "/7tv/emote-sets/global"]));
    // As an emote the name keeps its case (and its meaning, laughter, drives sentiment); as a word it would be lower-cased.
    const last = fetched.snapshots.at(-1) as Snapshot;
    expect(last.clusters[0]?.label).toBe("nepuHeh");

    const plain = await liveRun(false);
    expect(plain.stderr).not.toContain("emotes of nepu");
    expect((plain.snapshots.at(-1) as Snapshot).clusters[0]?.label).toBe("nepuheh");
    expect(last.sentiment.pos).toBeGreaterThan((plain.snapshots.at(-1) as Snapshot).sentiment.pos + 0.2);
  });
});
