import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { hasChromium, launchChromium } from "./chromium.js";
import { startIngestRun, until, type IngestRun } from "./harness.js";

/**
 * A page an attacker controls: it tries to read the stream and to push 30 fake messages (one new channel each, as in
 * the report), and records what happened in `window.result`.
 */
const ATTACK_PAGE = `<!doctype html><meta charset="utf-8"><title>totally harmless</title><script>
const target = new URLSearchParams(location.search).get("target").replace(/^http/, "ws");
const result = (window.result = { stream: { opened: false, messages: 0, closed: false }, ingest: { opened: false, answers: 0, closed: false } });
const stream = new WebSocket(target + "/v1/stream");
stream.onopen = () => (result.stream.opened = true);
stream.onmessage = () => result.stream.messages++;
stream.onclose = () => (result.stream.closed = true);
const ingest = new WebSocket(target + "/v1/ingest");
ingest.onopen = () => {
  result.ingest.opened = true;
  for (let i = 0; i < 30; i++) ingest.send(JSON.stringify({ user: "fan" + i, text: "visit free-robux.example now", channel: "evil" + i }));
};
ingest.onmessage = () => result.ingest.answers++;
ingest.onclose = () => (result.ingest.closed = true);
</script>`;

interface AttackResult {
  stream: { opened: boolean; messages: number; closed: boolean };
  ingest: { opened: boolean; answers: number; closed: boolean };
}

async function channelNames(url: string): Promise<string[]> {
  const body = (await (await fetch(`${url}/v1/channels`)).json()) as { channels: { name: string }[] };
  return body.channels.map((c) => c.name).sort();
}

/** A producer without a browser (no Origin header): the way chat is meant to come in. */
async function pushFromNode(url: string, message: object): Promise<void> {
  const ws = new WebSocket(url.replace("http", "ws") + "/v1/ingest");
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const answer = await new Promise<string>((resolve) => {
    ws.once("message", (d: Buffer) => resolve(d.toString("utf8")));
    ws.send(JSON.stringify(message));
  });
  ws.close();
  expect(JSON.parse(answer)).toMatchObject({ ok: true, accepted: 1 });
}

describe.skipIf(!hasChromium)("a page on another origin in headless Chromium", () => {
  let run: IngestRun;
  let attacker: Server;
  let attackerUrl: string;
  let browser: BrowserContext;
  let profile: string;
  beforeAll(async () => {
    run = await startIngestRun();
    attacker = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(ATTACK_PAGE));
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    const address = attacker.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    attackerUrl = `http://127.0.0.1:${address.port}/`;
    profile = mkdtempSync(join(tmpdir(), "chatstream-chromium-"));
    browser = await launchChromium(profile);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
    await run?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it("[#14.1] cannot read /v1/stream or push to /v1/ingest, while the server's own overlay still gets snapshots", async () => {
    await pushFromNode(run.url, { user: "streamer", text: "welcome to the stream everyone", channel: "studio" });
    await until(async () => ((await channelNames(run.url)).includes("studio") ? true : undefined), "the studio channel");
    const before = await channelNames(run.url);

    const evil = await browser.newPage();
    await evil.goto(`${attackerUrl}?target=${encodeURIComponent(run.url)}`);
    // Settled: both sockets closed (refused), or something got through.
    await evil.waitForFunction("(result.stream.closed && result.ingest.closed) || result.stream.messages > 0 || result.ingest.answers > 0");
    const result = (await evil.evaluate("result")) as AttackResult;
    expect(result).toEqual({ stream: { opened: false, messages: 0, closed: true }, ingest: { opened: false, answers: 0, closed: true } });
    await evil.close();

    // A marker pushed after the attack is processed after anything the attack could have queued.
    await pushFromNode(run.url, { user: "mod", text: "marker", channel: "marker" });
    const after = await until(async () => {
      const names = await channelNames(run.url);
      return names.includes("marker") ? names : undefined;
    }, "the marker channel");
    expect(after).toEqual([...before, "marker"].sort());

    const overlay = await browser.newPage();
    await overlay.goto(`${run.url}/overlay?channel=studio`);
    await overlay.waitForFunction("document.body.dataset.t !== undefined");
    expect(await overlay.locator("#headline").innerText()).not.toBe("");
    await overlay.close();

    const metrics = await (await fetch(`${run.url}/metrics`)).text();
    expect(metrics).toContain('chatstream_http_refused_total{route="/v1/stream",reason="origin"} 1');
    expect(metrics).toContain('chatstream_http_refused_total{route="/v1/ingest",reason="origin"} 1');
  });
});
