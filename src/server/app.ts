import { timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import cors from "@fastify/cors";
import swagger from "@fastify/swagger";
import websocket from "@fastify/websocket";
import type { TSchema } from "@sinclair/typebox";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { Snapshot, type RollupLevel } from "../schema/output-schema.js";
import { dashboardPage } from "../web/dashboard-page.js";
import { overlayPage } from "../web/overlay-page.js";
import type { PipelineMetrics } from "../metrics/pipeline-metrics.js";
import {
  ChannelList,
  ChannelQuery,
  Health,
  HistoryQuery,
  HistoryResponse,
  ModelRoleParams,
  ModelsResponse,
  ModelSwapRequest,
  ModelSwapResponse,
  Problem,
  Readiness,
  StreamQuery,
  type ModelRole,
  type ModelSwapRequest as SwapBody,
} from "./api-schemas.js";
import { SwapError, type ModelSwitcher } from "./model-switcher.js";
import { normalizeOrigin, OriginPolicy } from "./origin-policy.js";
import type { ServerSink } from "./server-sink.js";
import { parseChannels, parseLevels, type StreamHub } from "./stream-hub.js";
import type { SourceStatus } from "../sources/live/source-status.js";

export interface ChannelStats {
  name: string;
  messages: number;
  lastT: number;
}

export interface AppOptions {
  sink: ServerSink;
  hub: StreamHub;
  metrics: PipelineMetrics;
  switcher: ModelSwitcher;
  /** Message counts per channel (from the PipelineRouter). */
  channelStats: () => ChannelStats[];
  /** When set, PUT and the WebSocket require `Authorization: Bearer TOKEN` (or `?token=` on the WebSocket). */
  token?: string;
  /** Origins allowed to call the API from a browser (CORS) and to open its WebSockets (see origin-policy.ts). */
  corsOrigins?: string[];
  /** Whether the server listens on loopback only (default true): then every request must name a loopback host (DNS rebinding). */
  loopbackBind?: boolean;
  bodyLimit?: number;
  /** Whether the pipeline has started (for /readyz). */
  started?: () => boolean;
  /** Live sources' connection state (for /readyz). */
  sourceStatuses?: () => readonly SourceStatus[];
  logger?: boolean;
}

const PROBLEM_BASE = "https://chatstream.dev/problems/";
const problemContent = (description: string): { description: string; content: Record<string, { schema: TSchema }> } => ({ description, content: { "application/problem+json": { schema: Problem } } });

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** Channel names for an error message: a few, then how many more (a server may follow thousands). */
function knownList(names: readonly string[], shown = 20): string {
  if (names.length === 0) return "none yet";
  return names.length <= shown ? names.join(", ") : `${names.slice(0, shown).join(", ")} and ${names.length - shown} more; see /v1/channels`;
}

/** `url` becomes the problem's `instance` without its query string, which may hold a `?token=`. */
function sendProblem(reply: FastifyReply, status: number, title: string, detail: string, url?: string): FastifyReply {
  const instance = url?.split("?")[0];
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return reply
    .code(status)
    .type("application/problem+json")
    .send({ type: PROBLEM_BASE + slug, title, status, detail, ...(instance === undefined ? {} : { instance }) });
}

function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (h?.startsWith("Bearer ")) return h.slice(7).trim();
  const q = (request.query as { token?: unknown } | undefined)?.token;
  return typeof q === "string" ? q : undefined;
}

let uplotAssets: { js: string; css: string } | undefined;
function uplot(): { js: string; css: string } {
  if (uplotAssets === undefined) {
    const require = createRequire(import.meta.url);
    const dir = require.resolve("uplot/dist/uPlot.iife.min.js");
    uplotAssets = { js: readFileSync(dir, "utf8"), css: readFileSync(dir.replace("uPlot.iife.min.js", "uPlot.min.css"), "utf8") };
  }
  return uplotAssets;
}

/** The HTTP + WebSocket control plane over a running pipeline (see docs/server.md). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { sink, hub, metrics, switcher } = options;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 16 * 1024, ajv: { customOptions: { removeAdditional: false } } });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "chatstream",
        version: "1.0.0",
        description: "Live chat headline, sentiment and confidence. Times are stream time in ms. Errors are RFC 9457 problem details. The WebSocket stream at /v1/stream is described in docs/asyncapi.yaml.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "CHATSTREAM_TOKEN; required when the server is bound to a non-loopback address" } } },
    },
  });
  const corsOrigins = (options.corsOrigins ?? []).map(normalizeOrigin);
  if (corsOrigins.length > 0) await app.register(cors, { origin: corsOrigins, methods: ["GET", "PUT"] });
  // Room for ingest frames (256 KiB, checked by the ingest route itself, which answers with an error frame).
  await app.register(websocket, { options: { maxPayload: 512 * 1024 } });

  const refused = (request: FastifyRequest, reason: "host" | "origin" | "unauthorized"): void => metrics.httpRefused.labels(request.routeOptions.url ?? "none", reason).inc();
  // Every route, including those registered after buildApp (the ingest route); for a WebSocket, before the upgrade.
  const origins = new OriginPolicy(corsOrigins, options.loopbackBind ?? true);
  app.addHook("onRequest", async (request, reply) => {
    if (!origins.hostAllowed(request.headers.host)) {
      refused(request, "host");
      return sendProblem(reply, 403, "Host not allowed", `this server answers to loopback names only (or the hosts of --cors-origin), not ${JSON.stringify(request.headers.host)}`, request.url);
    }
    if (request.ws !== true) return;
    const verdict = origins.check(request.headers.origin, request.headers.host);
    if (verdict.ok) return;
    refused(request, "origin");
    return sendProblem(reply, 403, "Origin not allowed", verdict.detail, request.url);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem || error instanceof SwapError) return sendProblem(reply, error.status, error.title, error.message, request.url);
    if (error.validation) return sendProblem(reply, 400, "Invalid request", `${error.validationContext ?? "request"} ${error.message.replace(/^(querystring|body|params)\/?/, "")}`.trim(), request.url);
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    const title = status === 413 ? "Payload too large" : status === 415 ? "Unsupported media type" : status < 500 ? "Bad request" : "Internal error";
    return sendProblem(reply, status, title, status < 500 ? error.message : "internal error", request.url);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, "Not found", `no route ${request.method} ${request.url.split("?")[0] ?? ""}`, request.url));

  const requireToken = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (options.token === undefined) return;
    if (!tokenMatches(options.token, bearer(request))) {
      refused(request, "unauthorized");
      reply.header("www-authenticate", 'Bearer realm="chatstream"');
      await sendProblem(reply, 401, "Unauthorized", "this endpoint needs the bearer token from CHATSTREAM_TOKEN", request.url);
    }
  };
  const security = options.token === undefined ? {} : { security: [{ bearer: [] }] };

  const pickChannel = (requested: string | undefined): string => {
    if (requested !== undefined) {
      if (!sink.has(requested)) throw new HttpProblem(404, "Unknown channel", `no channel "${requested}" (known: ${knownList(sink.channelNames())})`);
      return requested;
    }
    const first = sink.channelNames()[0];
    if (first === undefined) throw new HttpProblem(404, "No channel yet", "no snapshot has been published yet");
    return first;
  };

  app.get("/healthz", { schema: { summary: "Liveness", tags: ["ops"], response: { 200: Health } } }, async () => ({ status: "ok" as const }));
  app.get("/readyz", { schema: { summary: "Readiness: the pipeline runs", tags: ["ops"], response: { 200: Readiness, 503: Readiness } } }, async (_req, reply) => {
    const sources = (options.sourceStatuses?.() ?? []).map((x) => ({
      name: x.name,
      platform: x.platform,
      state: x.state,
      reconnects: x.reconnects,
      messages: x.messages,
      events: x.events,
      ...(x.lastMessageAt !== undefined ? { lastMessageAt: x.lastMessageAt } : {}),
      ...(x.lastError !== undefined ? { lastError: x.lastError } : {}),
    }));
    const started = options.started?.() ?? true;
    const degraded = sources.some((x) => x.state === "connecting" || x.state === "reconnecting");
    const status = !started ? "starting" : degraded ? "degraded" : "ready";
    return reply.code(status === "ready" ? 200 : 503).send({ status, channels: sink.channelNames().length, sources });
  });
  app.get("/metrics", { schema: { summary: "Prometheus metrics (text exposition format)", tags: ["ops"] } }, async (_req, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.text());
  });
  app.get("/openapi.json", { schema: { summary: "This OpenAPI 3.1 document", tags: ["ops"] } }, async () => app.swagger());

  app.get(
    "/v1/channels",
    { schema: { summary: "Channels seen so far", tags: ["data"], response: { 200: ChannelList } } },
    async () => {
      const stats = new Map(options.channelStats().map((c) => [c.name, c]));
      const names = [...new Set([...stats.keys(), ...sink.channelNames()])];
      return {
        channels: names.map((name) => {
          const s = stats.get(name);
          return { name, messages: s?.messages ?? 0, rate: sink.latest(name)?.rate ?? 0, lastT: s !== undefined && Number.isFinite(s.lastT) ? s.lastT : null };
        }),
      };
    },
  );

  app.get<{ Querystring: { channel?: string } }>(
    "/v1/snapshot",
    { schema: { summary: "Latest snapshot of a channel", tags: ["data"], querystring: ChannelQuery, response: { 200: Snapshot, 404: problemContent("Unknown channel or nothing published yet"), 400: problemContent("Invalid query") } } },
    async (request) => {
      const channel = pickChannel(request.query.channel);
      const latest = sink.latest(channel);
      if (latest === undefined) throw new HttpProblem(404, "No snapshot yet", `channel "${channel}" has no snapshot yet`);
      return latest;
    },
  );

  app.get<{ Querystring: { channel?: string; level?: RollupLevel; since?: number; limit?: number } }>(
    "/v1/history",
    { schema: { summary: "Roll-up records kept in memory (bounded), oldest first", tags: ["data"], querystring: HistoryQuery, response: { 200: HistoryResponse, 404: problemContent("Unknown channel"), 400: problemContent("Invalid query") } } },
    async (request) => {
      const channel = pickChannel(request.query.channel);
      const level = request.query.level ?? "1m";
      return { channel, level, records: sink.history(channel, level, request.query.since ?? -Infinity, request.query.limit ?? 100) };
    },
  );

  app.get("/v1/models", { schema: { summary: "Active and available models per role", tags: ["models"], response: { 200: ModelsResponse } } }, async () => switcher.describe());

  app.put<{ Params: { role: ModelRole }; Body: SwapBody }>(
    "/v1/models/:role",
    {
      preHandler: requireToken,
      schema: {
        summary: "Hot-swap a model: load and warm the new one beside the old, then switch between two snapshots",
        tags: ["models"],
        ...security,
        params: ModelRoleParams,
        body: ModelSwapRequest,
        response: {
          200: ModelSwapResponse,
          400: problemContent("Invalid body or role"),
          401: problemContent("Missing or wrong bearer token"),
          413: problemContent("Body too large"),
          422: problemContent("Unknown model"),
          500: problemContent("The model failed to load; the old one stays active"),
        },
      },
    },
    async (request) => switcher.swap(request.params.role, request.body.model, request.body.options),
  );

  app.get<{ Querystring: { channel?: string; levels?: string } }>(
    "/v1/stream",
    {
      websocket: true,
      preValidation: requireToken,
      schema: { summary: "WebSocket stream of snapshots, roll-ups and events (see docs/asyncapi.yaml)", tags: ["stream"], ...security, querystring: StreamQuery },
    },
    (socket, request) => {
      let levels;
      try {
        levels = parseLevels(request.query.levels);
      } catch (err) {
        socket.send(JSON.stringify({ type: "error", detail: (err as Error).message }));
        socket.close(1008, "bad levels");
        return;
      }
      const channels = parseChannels(request.query.channel);
      const initial = sink.channelNames().map((c) => sink.latest(c)).filter((s): s is Snapshot => s !== undefined);
      hub.add(socket, channels, levels, initial);
    },
  );

  const html = (page: string) => async (_req: FastifyRequest, reply: FastifyReply) =>
    reply.type("text/html; charset=utf-8").header("content-security-policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:").send(page);
  app.get("/", { schema: { hide: true } }, html(dashboardPage()));
  app.get("/overlay", { schema: { hide: true } }, html(overlayPage()));
  app.get("/assets/uplot.js", { schema: { hide: true } }, async (_req, reply) => reply.type("text/javascript; charset=utf-8").send(uplot().js));
  app.get("/assets/uplot.css", { schema: { hide: true } }, async (_req, reply) => reply.type("text/css; charset=utf-8").send(uplot().css));

  return app;
}
