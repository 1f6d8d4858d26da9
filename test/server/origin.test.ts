import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { handshake, startHarness, startIngestRun, until, type Handshake, type Harness, type IngestRun } from "./harness.js";
import { startServingCli, type ServingCli } from "./cli-server.js";

const wsOf = (httpUrl: string, path: string): string => httpUrl.replace("http", "ws") + path;
const portOf = (httpUrl: string): string => new URL(httpUrl).port;

function refused(r: Handshake): { status: number; type: string; body: Record<string, unknown> } {
  if (r.open) {
    r.ws.terminate();
    throw new Error("the WebSocket opened");
  }
  return { status: r.status, type: r.type, body: JSON.parse(r.body) as Record<string, unknown> };
}

function opened(r: Handshake): boolean {
  if (!r.open) return false;
  r.ws.terminate();
  return true;
}

/** Sends one frame on an open ingest socket and resolves with its answer. */
function push(ws: WebSocket, frame: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer")), 5000);
    ws.once("message", (d: Buffer) => {
      clearTimeout(timer);
      resolve(JSON.parse(d.toString("utf8")) as Record<string, unknown>);
    });
    ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  });
}

async function channelNames(url: string): Promise<string[]> {
  const body = (await (await fetch(`${url}/v1/channels`)).json()) as { channels: { name: string }[] };
  return body.channels.map((c) => c.name).sort();
}

describe("Origin policy of the WebSocket routes", () => {
  let h: Harness | undefined;
  let run: IngestRun | undefined;
  let cli: ServingCli | undefined;
  afterEach(async () => {
    await h?.close();
    await run?.stop();
    await cli?.stop();
    h = undefined;
    run = undefined;
    cli = undefined;
  });

  it("[#14.1] /v1/stream refuses a page of another origin with a 403 problem and counts it; no Origin, its own origin, a loopback alias and --cors-origin pass", async () => {
    h = await startHarness({ corsOrigins: ["https://dash.example"] });
    const url = wsOf(h.server.url, "/v1/stream");
    const port = portOf(h.server.url);

    const evil = refused(await handshake(url, { origin: "https://evil.example" }));
    expect(evil.status).toBe(403);
    expect(evil.type).toContain("application/problem+json");
    expect(evil.body).toMatchObject({ status: 403, title: "Origin not allowed", instance: "/v1/stream" });
    expect(String(evil.body.detail)).toContain("https://evil.example");
    // Another port of the same host is another origin.
    expect(refused(await handshake(url, { origin: `http://127.0.0.1:${Number(port) + 1}` })).status).toBe(403);
    expect(refused(await handshake(url, { origin: "null" })).status).toBe(403);

    expect(opened(await handshake(url))).toBe(true);
    expect(opened(await handshake(url, { origin: `http://127.0.0.1:${port}` }))).toBe(true);
    expect(opened(await handshake(url, { origin: `http://localhost:${port}` }))).toBe(true);
    expect(opened(await handshake(url, { origin: `http://[::1]:${port}` }))).toBe(true);
    expect(opened(await handshake(url, { origin: "https://dash.example" }))).toBe(true);

    const metrics = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(metrics).toContain('chatstream_http_refused_total{route="/v1/stream",reason="origin"} 3');
  });

  it("[#14.1] a DNS-rebinding page (Host and Origin both name the attacker) is refused on a loopback bind", async () => {
    h = await startHarness();
    const port = portOf(h.server.url);
    const r = refused(await handshake(wsOf(h.server.url, "/v1/stream"), { origin: `http://rebind.example:${port}`, host: `rebind.example:${port}` }));
    expect(r.status).toBe(403);
  });

  it("[#14.1] on a loopback bind, HTTP requests that name another host (DNS rebinding) are refused; hosts of --cors-origin are served", async () => {
    h = await startHarness({ corsOrigins: ["http://studio.lan:8080"] });
    const { port } = new URL(h.server.url);
    const status = (host: string): Promise<{ status: number; type: string }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: "/v1/channels", headers: { host } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]) });
        });
        req.on("error", reject).end();
      });
    expect(await status(`rebind.example:${port}`)).toEqual({ status: 403, type: expect.stringContaining("application/problem+json") as string });
    expect((await status(`localhost:${port}`)).status).toBe(200);
    expect((await status(`[::1]:${port}`)).status).toBe(200);
    expect((await status("studio.lan:8080")).status).toBe(200);
    const metrics = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(metrics).toContain('chatstream_http_refused_total{route="/v1/channels",reason="host"} 1');
  });

  it("[#14.1] /v1/ingest refuses a page of another origin: nothing it sends reaches a channel", async () => {
    run = await startIngestRun();
    const url = wsOf(run.url, "/v1/ingest");
    const before = await channelNames(run.url);
    expect(refused(await handshake(url, { origin: "https://evil.example" })).status).toBe(403);

    const own = await handshake(url, { origin: `http://localhost:${portOf(run.url)}` });
    if (!own.open) throw new Error(`own origin refused: ${own.status}`);
    expect(await push(own.ws, { user: "ann", text: "from the dashboard", channel: "own" })).toMatchObject({ ok: true, accepted: 1 });
    own.ws.close();
    const after = await until(async () => {
      const names = await channelNames(run!.url);
      return names.includes("own") ? names : undefined;
    }, "the own-origin push to reach a channel");
    expect(after).toEqual([...before, "own"].sort());
    const metrics = await (await fetch(`${run.url}/metrics`)).text();
    expect(metrics).toContain('chatstream_http_refused_total{route="/v1/ingest",reason="origin"} 1');
  });

  it("[#14.1] --ingest-token guards /v1/ingest on its own; CHATSTREAM_TOKEN opens it only when no ingest token is set", async () => {
    run = await startIngestRun({ token: "main-token", ingestToken: "ingest-token" });
    const url = wsOf(run.url, "/v1/ingest");
    expect(refused(await handshake(url)).status).toBe(401);
    expect(refused(await handshake(url, { authorization: "Bearer main-token" })).status).toBe(401);
    const producer = await handshake(url, { authorization: "Bearer ingest-token" });
    expect(opened(producer)).toBe(true);
    expect(opened(await handshake(`${url}?token=ingest-token`))).toBe(true);
    // The stream keeps the main token.
    expect(refused(await handshake(wsOf(run.url, "/v1/stream"), { authorization: "Bearer ingest-token" })).status).toBe(401);
    expect(opened(await handshake(wsOf(run.url, "/v1/stream"), { authorization: "Bearer main-token" }))).toBe(true);
    const metrics = await (await fetch(`${run.url}/metrics`)).text();
    expect(metrics).toContain('chatstream_http_refused_total{route="/v1/ingest",reason="unauthorized"} 2');
    expect(metrics).toContain('chatstream_http_refused_total{route="/v1/stream",reason="unauthorized"} 1');
    await run.stop();

    run = await startIngestRun({ token: "main-token" });
    expect(opened(await handshake(wsOf(run.url, "/v1/ingest"), { authorization: "Bearer main-token" }))).toBe(true);
    expect(refused(await handshake(wsOf(run.url, "/v1/ingest"))).status).toBe(401);
  });

  it("[#14.1] the CLI reads the ingest token from --ingest-token and CHATSTREAM_INGEST_TOKEN", async () => {
    cli = await startServingCli(["run", "--serve", "127.0.0.1:0", "--ingest", "--no-progress"], { CHATSTREAM_INGEST_TOKEN: "from-env" });
    expect(refused(await handshake(wsOf(cli.url, "/v1/ingest"))).status).toBe(401);
    expect(opened(await handshake(wsOf(cli.url, "/v1/ingest"), { authorization: "Bearer from-env" }))).toBe(true);
    await cli.stop();
    cli = await startServingCli(["run", "--serve", "127.0.0.1:0", "--ingest", "--ingest-token", "from-flag", "--no-progress"], { CHATSTREAM_INGEST_TOKEN: "from-env" });
    expect(refused(await handshake(wsOf(cli.url, "/v1/ingest"), { authorization: "Bearer from-env" })).status).toBe(401);
    expect(opened(await handshake(wsOf(cli.url, "/v1/ingest"), { authorization: "Bearer from-flag" }))).toBe(true);
  });
});
