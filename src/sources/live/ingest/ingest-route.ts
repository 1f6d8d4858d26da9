import { timingSafeEqual } from "node:crypto";
import type {} from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { WebSocket } from "ws";
import type { IngestSource } from "./ingest-source.js";

export interface IngestRouteOptions {
  /** Default "/v1/ingest". */
  path?: string;
  /** When set, producers must send `Authorization: Bearer TOKEN` (or `?token=TOKEN`). Required off loopback. */
  token?: string;
  /** Told about every connection refused for a missing or wrong token (for the metrics). */
  onRefused?: (route: string, reason: "unauthorized") => void;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"]);

/** Whether a bind host is loopback-only (then the ingest route may run without a token). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith("127.");
}

/**
 * The ingest route's auth policy for a bind host: the ingest token (--ingest-token, CHATSTREAM_INGEST_TOKEN) when
 * one is set, else the server's token (CHATSTREAM_TOKEN); loopback may run without either, anything else needs one.
 * Throws with a one-line message otherwise.
 */
export function ingestRouteOptionsFor(host: string, token: string | undefined, ingestToken?: string): IngestRouteOptions {
  const required = ingestToken || token;
  if (!isLoopbackHost(host) && !required) throw new Error(`chatstream: /v1/ingest on ${host} needs CHATSTREAM_INGEST_TOKEN or CHATSTREAM_TOKEN`);
  return required ? { token: required } : {};
}

function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === "string" && header.startsWith("Bearer ")) return header.slice(7).trim();
  const query = request.query as { token?: unknown } | undefined;
  return typeof query?.token === "string" ? query.token : undefined;
}

function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Registers the WebSocket ingest route on a fastify app that has @fastify/websocket registered. Every frame
 * gets one JSON answer: `{"ok":true,"accepted":n,"events":k}` or `{"ok":false,"error":"invalid"|"too-large"|
 * "queue-full"|"closed","reason",…}`. The plugin's `maxPayload` must be above `ingest.maxFrameBytes`, or
 * oversized frames close the socket (1009) instead of getting an error frame. Which browser pages may connect is
 * the server's Origin policy (src/server/origin-policy.ts), applied to every WebSocket route of the app.
 */
export function registerIngestRoute(app: FastifyInstance, ingest: IngestSource, options: IngestRouteOptions = {}): void {
  const path = options.path ?? "/v1/ingest";
  app.get(
    path,
    {
      websocket: true,
      preValidation: async (request, reply) => {
        if (options.token !== undefined && !tokenMatches(options.token, presentedToken(request))) {
          options.onRefused?.(path, "unauthorized");
          await reply.code(401).header("www-authenticate", 'Bearer realm="chatstream"').send({ error: "unauthorized" });
        }
      },
    },
    (socket: WebSocket) => {
      socket.on("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        socket.send(JSON.stringify(isBinary ? ingest.pushBinary() : ingest.push(buffer.toString("utf8"))));
      });
    },
  );
}
