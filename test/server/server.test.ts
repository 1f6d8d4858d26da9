import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { registerSentimentModel } from "../../src/models/sentiment/registry.js";
import type { Rollup, Snapshot } from "../../src/schema/output-schema.js";
import { startHarness, twoChannels, type Harness } from "./harness.js";

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };

const committed = parse(readFileSync(new URL("../../docs/openapi.yaml", import.meta.url), "utf8")) as Doc;
const ajv = new Ajv2020({ strict: false });

/** Validates a response body against the committed OpenAPI document's schema for that route and status. */
function conforms(path: string, method: string, status: number, contentType: string, body: unknown): void {
  const response = committed.paths[path]?.[method]?.responses[String(status)];
  const schema = response?.content?.[contentType]?.schema;
  expect(schema, `${method} ${path} ${status} ${contentType} documented`).toBeDefined();
  const validate = ajv.compile(schema as object);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

registerSentimentModel("broken-for-test", () => {
  throw new Error("weights file is corrupt");
});

describe("server on loopback", () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness({ token: "s3cret", corsOrigins: ["https://dash.example"] });
    base = h.server.url;
    await h.feed(twoChannels());
  });
  afterAll(async () => {
    await h.close();
  });

  const get = async (path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: unknown; headers: Headers }> => {
    const res = await fetch(base + path, { headers });
    const type = res.headers.get("content-type") ?? "";
    const body: unknown = type.includes("json") ? await res.json() : await res.text();
    return { status: res.status, type, body, headers: res.headers };
  };
  const put = async (path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: Record<string, unknown> }> => {
    const res = await fetch(base + path, { method: "PUT", body, headers: { "content-type": "application/json", authorization: "Bearer s3cret", ...headers } });
    return { status: res.status, type: res.headers.get("content-type") ?? "", body: (await res.json()) as Record<string, unknown> };
  };

  it("GET /healthz and /readyz", async () => {
    const health = await get("/healthz");
    expect(health).toMatchObject({ status: 200, body: { status: "ok" } });
    conforms("/healthz", "get", 200, "application/json", health.body);
    const ready = await get("/readyz");
    expect(ready).toMatchObject({ status: 200, body: { status: "ready", channels: 2 } });
  });

  it("GET /v1/channels lists both channels with counts, rate and last time", async () => {
    const r = await get("/v1/channels");
    expect(r.status).toBe(200);
    conforms("/v1/channels", "get", 200, "application/json", r.body);
    const channels = (r.body as { channels: { name: string; messages: number; rate: number; lastT: number }[] }).channels;
    expect(channels.map((c) => c.name).sort()).toEqual(["alpha", "beta"]);
    const alpha = channels.find((c) => c.name === "alpha");
    expect(alpha?.messages).toBe(1500);
    expect(alpha?.lastT).toBe(h.router.channel("alpha").lastMessageT);
  });

  it("GET /v1/snapshot returns the latest snapshot of a channel, schema-valid", async () => {
    const r = await get("/v1/snapshot?channel=beta");
    expect(r.status).toBe(200);
    conforms("/v1/snapshot", "get", 200, "application/json", r.body);
    const lastBeta = h.records.filter((x): x is Snapshot => x.type === "snapshot" && x.channel === "beta").at(-1);
    expect(r.body).toEqual(lastBeta);
    const dflt = await get("/v1/snapshot");
    expect((dflt.body as Snapshot).channel).toBe("alpha");
  });

  it("GET /v1/history filters by level, since and limit", async () => {
    const all = h.records.filter((x): x is Rollup => x.type === "rollup" && x.channel === "alpha" && x.level === "1m");
    const r = await get("/v1/history?channel=alpha&level=1m&limit=1000");
    expect(r.status).toBe(200);
    conforms("/v1/history", "get", 200, "application/json", r.body);
    expect((r.body as { records: Rollup[] }).records).toEqual(all);
    const since = all[2]?.t ?? 0;
    const later = await get(`/v1/history?channel=alpha&level=1m&since=${since}&limit=2`);
    const recs = (later.body as { records: Rollup[] }).records;
    expect(recs).toEqual(all.filter((x) => x.t > since).slice(-2));
    const tens = await get("/v1/history?channel=alpha&level=10m");
    expect((tens.body as { level: string }).level).toBe("10m");
  });

  it("answers validation errors and unknown things with RFC 9457 problem+json", async () => {
    for (const [path, status] of [
      ["/v1/history?level=2m", 400],
      ["/v1/history?limit=0", 400],
      ["/v1/history?since=abc", 400],
      ["/v1/snapshot?channel=nope", 404],
      ["/v1/nothing", 404],
    ] as const) {
      const r = await get(path);
      expect(r.status, path).toBe(status);
      expect(r.type).toContain("application/problem+json");
      expect(r.body).toMatchObject({ status, title: expect.any(String) as string, detail: expect.any(String) as string });
    }
    conforms("/v1/snapshot", "get", 404, "application/problem+json", (await get("/v1/snapshot?channel=nope")).body);
  });

  it("GET /v1/models lists roles with active and available models", async () => {
    const r = await get("/v1/models");
    conforms("/v1/models", "get", 200, "application/json", r.body);
    expect(r.body).toMatchObject({ sentiment: { active: "lexicon" }, summarizer: { active: "extractive" } });
    expect((r.body as { sentiment: { available: string[] } }).sentiment.available).toEqual(expect.arrayContaining(["lexicon", "vader", "afinn"]));
  });

  it("PUT /v1/models/{role} swaps, refuses unknown or failing models, validates and size-limits the body, needs the token", async () => {
    const ok = await put("/v1/models/sentiment", JSON.stringify({ model: "vader" }));
    expect(ok.status).toBe(200);
    conforms("/v1/models/{role}", "put", 200, "application/json", ok.body);
    expect(ok.body).toMatchObject({ role: "sentiment", previous: "lexicon", active: "vader" });
    expect(h.slots.sentiment.name).toBe("vader");

    const unknown = await put("/v1/models/sentiment", JSON.stringify({ model: "gpt-17" }));
    expect(unknown.status).toBe(422);
    expect(unknown.type).toContain("application/problem+json");
    const broken = await put("/v1/models/sentiment", JSON.stringify({ model: "broken-for-test" }));
    expect(broken.status).toBe(500);
    expect(String(broken.body.detail)).toContain("weights file is corrupt");
    expect(h.slots.sentiment.name).toBe("vader");

    expect((await put("/v1/models/colour", JSON.stringify({ model: "vader" }))).status).toBe(400);
    expect((await put("/v1/models/sentiment", JSON.stringify({ model: "vader", extra: 1 }))).status).toBe(400);
    expect((await put("/v1/models/sentiment", "{not json")).status).toBe(400);
    expect((await put("/v1/models/sentiment", JSON.stringify({ model: "x".repeat(20_000) }))).status).toBe(413);
    const noToken = await put("/v1/models/sentiment", JSON.stringify({ model: "afinn" }), { authorization: "Bearer wrong" });
    expect(noToken.status).toBe(401);
    expect(noToken.type).toContain("application/problem+json");
    // A token in the query string is never echoed back in the problem's instance.
    const queryToken = await put("/v1/models/sentiment?token=s3cret-guess", JSON.stringify({ model: "afinn" }), { authorization: "Bearer wrong" });
    expect(queryToken.body).toMatchObject({ status: 401, instance: "/v1/models/sentiment" });
    expect(JSON.stringify(queryToken.body)).not.toContain("s3cret-guess");

    const models = await get("/v1/models");
    expect(models.body).toMatchObject({ sentiment: { active: "vader", swaps: 1 } });
  });

  it("GET /metrics exposes Prometheus metrics from a per-server registry", async () => {
    const r = await get("/metrics");
    expect(r.status).toBe(200);
    const text = String(r.body);
    for (const name of [
      'chatstream_messages_received_total{source="test",channel="alpha"} 1500',
      'chatstream_messages_processed_total{source="test",channel="beta"} 800',
      'chatstream_messages_malformed_total{source="test"} 2',
      "chatstream_queue_depth",
      "chatstream_queue_high_water",
      "chatstream_message_processing_seconds_bucket",
      "chatstream_snapshot_assembly_seconds_bucket",
      'chatstream_snapshots_published_total{channel="alpha"}',
      'chatstream_sentiment_share{channel="alpha",sentiment="pos"}',
      'chatstream_confidence{channel="beta"}',
      'chatstream_model_calls_total{role="sentiment",model="lexicon"}',
      'chatstream_model_latency_seconds_count{role="summarizer",model="extractive"}',
      'chatstream_headline_requests_total{model="extractive",source="model"}',
      'chatstream_model_swaps_total{role="sentiment",result="ok"} 1',
      "chatstream_websocket_clients",
      "chatstream_websocket_skipped_snapshots_total",
    ]) {
      expect(text).toContain(name);
    }
  });

  it("GET /openapi.json is the committed docs/openapi.yaml (run `npm run openapi` after changing routes)", async () => {
    const r = await get("/openapi.json");
    expect(r.body).toEqual(committed);
    expect((r.body as { openapi: string }).openapi).toBe("3.1.0");
  });

  it("CORS is answered for allow-listed origins only", async () => {
    const allowed = await get("/v1/channels", { origin: "https://dash.example" });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://dash.example");
    const other = await get("/v1/channels", { origin: "https://evil.example" });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves the dashboard, the overlay and uPlot", async () => {
    const dash = await get("/");
    expect(dash.type).toContain("text/html");
    expect(String(dash.body)).toContain("/assets/uplot.js");
    expect(String((await get("/overlay")).body)).toContain("background: transparent");
    expect(String((await get("/assets/uplot.js")).body)).toContain("uPlot");
    expect((await get("/assets/uplot.css")).type).toContain("text/css");
  });
});

describe("server without CORS or token", () => {
  it("sends no CORS headers and accepts PUT without a token on loopback", async () => {
    const h = await startHarness();
    try {
      const res = await fetch(h.server.url + "/healthz", { headers: { origin: "https://dash.example" } });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      const swap = await fetch(h.server.url + "/v1/models/summarizer", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "extractive" }) });
      expect(swap.status).toBe(200);
      const snap = await fetch(h.server.url + "/v1/snapshot");
      expect(snap.status).toBe(404);
      const hist = await fetch(h.server.url + "/v1/history");
      expect(hist.status).toBe(404);
      expect(await (await fetch(h.server.url + "/v1/channels")).json()).toEqual({ channels: [] });
    } finally {
      await h.close();
    }
  });

  it("refuses to bind beyond loopback without CHATSTREAM_TOKEN, and rejects bad --serve and --alert values", async () => {
    await expect(startHarness({ serve: "0.0.0.0:0" })).rejects.toThrow(/CHATSTREAM_TOKEN/);
    await expect(startHarness({ serve: "nonsense" })).rejects.toThrow(/HOST/);
    await expect(startHarness({ alerts: ["slack:x"] })).rejects.toThrow(/webhook:URL/);
    await expect(startHarness({ alerts: ["webhook:file:///etc/passwd"] })).rejects.toThrow(/http/);
  });
});
