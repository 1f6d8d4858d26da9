import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { settle } from "../../src/core/clock.js";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { parseChannels, parseLevels } from "../../src/server/stream-hub.js";
import { StreamClient, startHarness, twoChannels, type Harness } from "./harness.js";

const wsUrl = (h: Harness, query: string): string => h.server.url.replace("http", "ws") + "/v1/stream" + query;

function fakeSnapshot(channel: string, t: number, pad = 0): Snapshot {
  return {
    type: "snapshot",
    mood: "neu",
    clusters: [],
    channel,
    t,
    window: { start: t - 30_000, end: t },
    count: 1,
    scored: 1,
    chatters: 1,
    rate: 0.03,
    sentiment: { pos: 1, neu: 0, neg: 0, net: 100 },
    confidence: 0.5,
    headline: `headline ${t}`,
    headlineSince: t,
  questions: [],
    topics: [],
    top: [{ text: "x".repeat(pad) || "x", count: 1 }],
    buckets: [],
  };
}

const rawSocket = (c: StreamClient): Socket => Reflect.get(c.ws, "_socket") as Socket;

describe("WebSocket stream", () => {
  let h: Harness | undefined;
  const clients: StreamClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await h?.close();
    h = undefined;
  });
  const connect = async (url: string, headers?: Record<string, string>): Promise<StreamClient> => {
    const c = new StreamClient(url, headers);
    clients.push(c);
    await c.opened;
    return c;
  };

  it("streams subscribed channels and levels, and changes them with a control message", async () => {
    h = await startHarness();
    const alphaOnly = await connect(wsUrl(h, "?channel=alpha&levels=snapshot,1m"));
    const all = await connect(wsUrl(h, "?levels=5s"));
    expect(await alphaOnly.next((m) => m.type === "hello")).toEqual({ type: "hello", channels: ["alpha"], levels: ["snapshot", "1m"], known: [], unknown: ["alpha"] }); // nothing published yet
    await h.feed(twoChannels());
    await alphaOnly.next((m) => m.type === "rollup" && m.level === "1m");
    const lastAlpha = h.records.filter((r) => r.type === "snapshot" && r.channel === "alpha").at(-1) as Snapshot;
    await alphaOnly.next((m) => m.type === "snapshot" && m.t === lastAlpha.t);
    expect(alphaOnly.messages.every((m) => m.type === "hello" || m.type === "skipped" || m.channel === "alpha")).toBe(true);
    expect(alphaOnly.messages.some((m) => m.type === "rollup" && m.level !== "1m")).toBe(false);
    await all.next((m) => m.type === "rollup" && m.channel === "beta" && m.level === "5s");
    expect(all.messages.some((m) => m.type === "snapshot")).toBe(false);

    all.send({ type: "subscribe", channels: ["beta"], levels: ["snapshot"] });
    expect(await all.next((m) => m.type === "hello" && (m.levels as string[])[0] === "snapshot")).toEqual({ type: "hello", channels: ["beta"], levels: ["snapshot"], known: ["alpha", "beta"], unknown: [] });
    h.server.sink.write(fakeSnapshot("beta", 10_000_000));
    h.server.sink.write(fakeSnapshot("alpha", 10_000_000));
    await all.next((m) => m.type === "snapshot" && m.channel === "beta" && m.t === 10_000_000);

    all.send("not json");
    expect(await all.next((m) => m.type === "error")).toMatchObject({ detail: expect.stringContaining("bad control message") as string });
    all.send({ type: "subscribe", levels: ["hourly"] });
    await all.next((m) => m.type === "error" && String(m.detail).includes("hourly"));
    all.send({ type: "subscribe", channels: [1, 2] });
    await all.next((m) => m.type === "error" && String(m.detail).includes("channels"));
  });

  it("sends the latest snapshots on connect, and a model_swap event", async () => {
    h = await startHarness();
    await h.feed(twoChannels());
    const c = await connect(wsUrl(h, ""));
    await c.next((m) => m.type === "snapshot" && m.channel === "alpha");
    await c.next((m) => m.type === "snapshot" && m.channel === "beta");
    await h.server.switcher.swap("sentiment", "afinn");
    expect(await c.next((m) => m.type === "model_swap")).toMatchObject({ role: "sentiment", previous: "lexicon", active: "afinn" });
  });

  it("[#14.10] a control message over 4 KiB gets an error and the connection closes with 1009; one under the limit still works", async () => {
    h = await startHarness();
    const c = await connect(wsUrl(h, ""));
    await c.next((m) => m.type === "hello");
    const channels = (n: number): string[] => Array.from({ length: n }, (_, i) => `channel-${i}`);
    const small = { type: "subscribe", channels: channels(100) };
    expect(JSON.stringify(small).length).toBeLessThan(4096);
    c.send(small);
    await c.next((m) => m.type === "hello" && (m.channels as string[]).length === 100);

    const closed = new Promise<number>((resolve) => c.ws.once("close", (code) => resolve(code)));
    const big = JSON.stringify({ type: "subscribe", channels: channels(30_000) });
    expect(big.length).toBeGreaterThan(400_000);
    c.send(big);
    const error = await c.next((m) => m.type === "error");
    expect(String(error.detail)).toContain("4096");
    expect(await closed).toBe(1009);
    expect(c.messages.filter((m) => m.type === "hello")).toHaveLength(2);
  });

  it("rejects unknown levels", async () => {
    h = await startHarness();
    const c = await connect(wsUrl(h, "?levels=snapshot,weekly"));
    expect(await c.next((m) => m.type === "error")).toMatchObject({ detail: expect.stringContaining("weekly") as string });
    expect(() => parseLevels("5s,1m")).not.toThrow();
    expect(parseChannels(" a, ,b ")).toEqual(["a", "b"]);
  });

  it("needs the bearer token when one is set", async () => {
    h = await startHarness({ token: "tok" });
    await expect(connect(wsUrl(h, ""))).rejects.toThrow(/401/);
    await connect(wsUrl(h, "?token=tok"));
    await connect(wsUrl(h, ""), { authorization: "Bearer tok" });
  });

  it("a slow client gets the latest state and skips stale snapshots without delaying a fast one", async () => {
    h = await startHarness({ hub: { maxBufferedBytes: 64 * 1024 } });
    const slow = await connect(wsUrl(h, "?levels=snapshot"));
    const fast = await connect(wsUrl(h, "?levels=snapshot"));
    await slow.next((m) => m.type === "hello");
    rawSocket(slow).pause();
    const last = 400 * 500;
    for (let t = 500; t <= last; t += 500) {
      h.server.sink.write(fakeSnapshot("alpha", t, 20_000));
      if (t % 2500 === 0) await settle();
    }
    // The fast client reads everything up to the latest snapshot while the slow one is still stalled.
    await fast.next((m) => m.type === "snapshot" && m.t === last);
    expect(slow.messages.some((m) => m.t === last)).toBe(false);
    expect(h.server.hub.skipped).toBeGreaterThan(0);
    rawSocket(slow).resume();
    await slow.next((m) => m.type === "snapshot" && m.t === last, 20_000);
    const skipped = await slow.next((m) => m.type === "skipped");
    expect(skipped.count).toBeGreaterThan(0);
    const received = slow.messages.filter((m) => m.type === "snapshot").length;
    expect(received + (skipped.total as number)).toBeLessThanOrEqual(400);
    expect(received).toBeLessThan(400);
    const metrics = await (await fetch(h.server.url + "/metrics")).text();
    expect(metrics).toMatch(/chatstream_websocket_skipped_snapshots_total [1-9]/);
    expect(metrics).toContain("chatstream_websocket_clients 2");
  });

  it("drops a client that stops answering pings", async () => {
    h = await startHarness({ hub: { pingIntervalMs: 40 } });
    const dead = await connect(wsUrl(h, ""));
    const alive = await connect(wsUrl(h, ""));
    await dead.next((m) => m.type === "hello");
    rawSocket(dead).pause();
    for (let i = 0; i < 200 && h.server.hub.size > 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(h.server.hub.size).toBe(1);
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
    expect(await (await fetch(h.server.url + "/metrics")).text()).toContain("chatstream_websocket_dropped_clients_total 1");
  });
});
