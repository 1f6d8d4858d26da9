import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmoteApiBases } from "../../src/processing/emote-providers.js";

// The answer shapes of the BTTV, FFZ and 7TV public APIs for one channel ("nepu", Twitch id 4242), served on
// loopback: nothing in tests reaches the internet.
const ROUTES: Record<string, unknown> = {
  "/ffz/room/nepu": { room: { twitch_id: 4242, set: 7 }, sets: { "7": { emoticons: [{ name: "nepuHeh" }, { name: "nepuLove" }] } } },
  "/ffz/set/global": { default_sets: [3], sets: { "3": { emoticons: [{ name: "ZreknarF" }] } } },
  "/bttv/cached/users/twitch/4242": { channelEmotes: [{ code: "nepuRage" }, { code: "nepuJam" }], sharedEmotes: [{ code: "KEKW" }, { code: 17 }] },
  "/bttv/cached/emotes/global": [{ code: "FeelsBadMan" }],
  "/7tv/users/twitch/4242": { emote_set: { emotes: [{ name: "nepuSleep" }, { name: "nepuHeh" }, { name: "xyzzyQwop" }] } },
  "/7tv/emote-sets/global": { emotes: [{ name: "EZ" }] },
};

export interface FakeEmoteApis {
  bases: EmoteApiBases;
  /** Paths requested so far. */
  seen: string[];
  close(): Promise<void>;
}

export async function startFakeEmoteApis(): Promise<FakeEmoteApis> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.url ?? "");
    const body = ROUTES[req.url ?? ""];
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { message: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    bases: { bttv: `${base}/bttv`, ffz: `${base}/ffz`, "7tv": `${base}/7tv` },
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
