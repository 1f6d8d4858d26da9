import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { VirtualClock } from "../../src/core/clock.js";
import type { ChatMessage } from "../../src/core/message.js";
import { hasLiveSources, openLiveSources } from "../../src/sources/live/live-sources.js";
import { liveRunSetup } from "../../src/sources/live/live-run.js";
import { isStatusReporter } from "../../src/sources/live/source-status.js";
import { TwitchSource } from "../../src/sources/live/twitch/twitch-source.js";
import { openLineConnection } from "../../src/sources/live/line-transport.js";
import { PushBuffer } from "../../src/sources/live/push-buffer.js";
import { until } from "./helpers/fake-irc-server.js";
import { createServer, type Socket } from "node:net";
import { PassThrough } from "node:stream";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function wsServer(onLine: (send: (text: string) => void, line: string) => void): Promise<string> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("connection", (ws) => {
    ws.on("message", (d: Buffer) => {
      for (const line of d.toString().split("\r\n").filter(Boolean)) onLine((t) => ws.send(t), line);
    });
  });
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  );
  return new Promise((resolve) => wss.on("listening", () => resolve(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`)));
}

describe("live source plumbing", () => {
  it("reads Twitch over WebSocket (several lines per frame)", async () => {
    const url = await wsServer((send, line) => {
      if (line.startsWith("NICK")) send(":tmi.twitch.tv 001 justinfan :Welcome\r\n");
      if (line.startsWith("JOIN"))
        send("@id=a;display-name=A;user-id=1 :a!a@a.tmi.twitch.tv PRIVMSG #room :one\r\n@id=b;display-name=B;user-id=2 :b!b@b.tmi.twitch.tv PRIVMSG #room :two");
    });
    const source = new TwitchSource({ channels: ["room"], url, clock: new VirtualClock(0) });
    const got: ChatMessage[] = [];
    const done = (async () => {
      for await (const b of source.batches()) got.push(...b);
    })();
    await until(() => got.length === 2);
    await source.stop();
    await done;
    expect(got.map((m) => m.text)).toEqual(["one", "two"]);
    expect(isStatusReporter(source)).toBe(true);
    expect(isStatusReporter({})).toBe(false);
  });

  it("closes on an over-long line and rejects unknown schemes", async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on("error", () => undefined);
      socket.write("x".repeat(100));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    });
    const port = (server.address() as { port: number }).port;
    const closed = new Promise<string | undefined>((resolve) => {
      const conn = openLineConnection(`irc://127.0.0.1:${port}`, { open: () => conn.send("hi"), line: () => undefined, closed: (e) => resolve(e?.message) }, 50);
    });
    expect(await closed).toBe("line too long");
    expect(() => openLineConnection("ftp://x", { open: () => undefined, line: () => undefined, closed: () => undefined })).toThrow(/unsupported/);
  });

  it("opens one Twitch connection for all Twitch channels and one reader per YouTube video / Kick channel", async () => {
    const clock = new VirtualClock(0);
    expect(hasLiveSources(undefined)).toBe(false);
    expect(hasLiveSources({ twitch: [] })).toBe(false);
    expect(hasLiveSources({ kick: ["x"] })).toBe(true);
    const sources = await openLiveSources({ twitch: ["a,b", "#A"], youtube: ["dQw4w9WgXcQ"], kick: ["somebody"] }, clock, () => 0);
    expect(sources.map((s) => [s.name, s.channels])).toEqual([
      ["twitch:a,b", ["a", "b"]],
      ["youtube:dQw4w9WgXcQ", ["dQw4w9WgXcQ"]],
      ["kick:somebody", ["somebody"]],
    ]);
    expect(sources.map((s) => s.status().state)).toEqual(["connecting", "connecting", "connecting"]);
    for (const s of sources) await s.stop();
  });

  it("stops live sources when the stop signal fires, and reports on stderr", async () => {
    const stderr = new PassThrough();
    const text: string[] = [];
    stderr.on("data", (c: Buffer) => text.push(c.toString()));
    const stop = new AbortController();
    stop.abort();
    const run = await liveRunSetup({ kick: ["x"], kickBaseUrl: "http://127.0.0.1:9", stop: stop.signal }, { clock: new VirtualClock(0), stderr }, 0);
    expect(run.statuses()).toHaveLength(1);
    await run.close();
    run.report();
    expect(text.join("")).toMatch(/^kick:x: 0 messages, 0 events, 0 reconnects/);
    const buffer = new PushBuffer();
    buffer.end(new Error("boom"));
    buffer.push({ t: 0, platform: "p", channel: "c", userId: "u", user: "u", text: "late" });
    expect(buffer.isEnded).toBe(true);
    await expect((async () => { for await (const _ of buffer.batches()) void _; })()).rejects.toThrow("boom");
  });
});
