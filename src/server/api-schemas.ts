import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { BucketAudit, CountedText, Rollup, SentimentBar, Snapshot, Topic } from "../schema/output-schema.js";
import { IngestAnswer, IngestEvent, IngestMessage, MAX_INGEST_DEPTH } from "../sources/live/ingest/ingest-frame.js";
import { DEFAULT_INGEST_FRAME_BYTES, DEFAULT_INGEST_FRAME_ITEMS } from "../sources/live/ingest/ingest-source.js";

/**
 * Request and response schemas of the HTTP API and the WebSocket stream. The fastify routes validate with
 * them and @fastify/swagger turns them into docs/openapi.yaml; the WebSocket messages are documented in
 * docs/asyncapi.yaml from the same definitions. Snapshot and Rollup come from src/schema/output-schema.ts.
 */

export const Problem = Type.Object(
  {
    type: Type.String({ description: "URI reference identifying the problem type" }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
  },
  { $id: "Problem", description: "RFC 9457 problem details (application/problem+json)" },
);
export type Problem = Static<typeof Problem>;

export const ChannelInfo = Type.Object({
  name: Type.String(),
  messages: Type.Integer({ minimum: 0, description: "Messages ingested so far" }),
  rate: Type.Number({ minimum: 0, description: "Messages per second in the latest snapshot's window" }),
  lastT: Type.Union([Type.Integer(), Type.Null()], { description: "Stream time (ms) of the latest message, null before the first" }),
});
export const ChannelList = Type.Object({ channels: Type.Array(ChannelInfo) });
export type ChannelList = Static<typeof ChannelList>;

export const ChannelQuery = Type.Object({ channel: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Default: the only channel, or the first one seen" })) });

export const HistoryLevel = Type.Union([Type.Literal("5s"), Type.Literal("1m"), Type.Literal("10m")]);
export const HistoryQuery = Type.Object({
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  level: Type.Optional(HistoryLevel),
  since: Type.Optional(Type.Integer({ description: "Stream time (ms): only records with t > since" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: "Newest records, at most this many" })),
});
export const HistoryResponse = Type.Object({
  channel: Type.String(),
  level: HistoryLevel,
  records: Type.Array(Rollup),
});

export const ModelRole = Type.Union([Type.Literal("sentiment"), Type.Literal("summarizer")]);
export type ModelRole = Static<typeof ModelRole>;
export const RoleModels = Type.Object({
  active: Type.String(),
  available: Type.Array(Type.String()),
  swaps: Type.Integer({ minimum: 0 }),
});
export const ModelsResponse = Type.Object({ sentiment: RoleModels, summarizer: RoleModels });
export type ModelsResponse = Static<typeof ModelsResponse>;
export const ModelRoleParams = Type.Object({ role: ModelRole });
export const ModelSwapRequest = Type.Object(
  {
    model: Type.String({ minLength: 1, maxLength: 100 }),
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type ModelSwapRequest = Static<typeof ModelSwapRequest>;
export const ModelSwapResponse = Type.Object({
  role: ModelRole,
  previous: Type.String(),
  active: Type.String(),
  warmupMs: Type.Number({ minimum: 0 }),
  atT: Type.Union([Type.Integer(), Type.Null()], { description: "Stream time of the last snapshot published before the swap" }),
});
export type ModelSwapResponse = Static<typeof ModelSwapResponse>;

export const Health = Type.Object({ status: Type.Literal("ok") });
export const SourceState = Type.Object({
  name: Type.String({ description: 'e.g. "twitch:foo,bar"' }),
  platform: Type.String(),
  state: Type.Union([Type.Literal("connecting"), Type.Literal("connected"), Type.Literal("reconnecting"), Type.Literal("closed")]),
  reconnects: Type.Integer({ minimum: 0 }),
  messages: Type.Integer({ minimum: 0 }),
  events: Type.Integer({ minimum: 0 }),
  lastMessageAt: Type.Optional(Type.Number({ description: "Clock time (epoch ms) of the last message or event" })),
  lastError: Type.Optional(Type.String()),
});
export const Readiness = Type.Object({
  status: Type.Union([Type.Literal("ready"), Type.Literal("starting"), Type.Literal("degraded")], { description: "degraded: a live source is (re)connecting" }),
  channels: Type.Integer({ minimum: 0 }),
  sources: Type.Array(SourceState, { description: "Live sources (empty for file replays)" }),
});

// WebSocket messages (server → client, and client → server control).
export const HelloMessage = Type.Object({
  type: Type.Literal("hello"),
  channels: Type.Array(Type.String(), { description: "Subscribed channels; empty = all" }),
  levels: Type.Array(Type.String()),
  known: Type.Optional(Type.Array(Type.String(), { description: "Channels that have published (at most 50 named)" })),
  unknown: Type.Optional(Type.Array(Type.String(), { description: "Subscribed channels that have published nothing yet: a wrong name, or a channel still to start (the subscription stays)" })),
});
export const SkippedMessage = Type.Object({
  type: Type.Literal("skipped"),
  count: Type.Integer({ minimum: 1, description: "Snapshots this client missed because it read too slowly (it got the latest instead)" }),
  total: Type.Integer({ minimum: 1 }),
});
export const ModelSwapMessage = Type.Object({ type: Type.Literal("model_swap"), role: ModelRole, previous: Type.String(), active: Type.String(), atT: Type.Union([Type.Integer(), Type.Null()]) });
export const ErrorMessage = Type.Object({ type: Type.Literal("error"), detail: Type.String() });
export const StreamMessage = Type.Union([Snapshot, Rollup, HelloMessage, SkippedMessage, ModelSwapMessage, ErrorMessage]);
export type StreamMessage = Static<typeof StreamMessage>;
/** Largest client → server message on the stream (a subscription needs far less); larger ones close with 1009. */
export const MAX_CONTROL_BYTES = 4096;
export const SubscribeControl = Type.Object(
  {
    type: Type.Literal("subscribe"),
    channels: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
    levels: Type.Optional(Type.Array(Type.Union([Type.Literal("snapshot"), HistoryLevel]), { maxItems: 4 })),
  },
  { additionalProperties: false, description: `At most ${MAX_CONTROL_BYTES} bytes: a larger message gets an error and the connection is closed with 1009 (message too big)` },
);
export type SubscribeControl = Static<typeof SubscribeControl>;
export const StreamQuery = Type.Object({
  channel: Type.Optional(Type.String({ maxLength: 2000, description: "Comma-separated channels (default: all)" })),
  levels: Type.Optional(Type.String({ maxLength: 100, description: "Comma-separated: snapshot,5s,1m,10m (default: snapshot,1m,10m)" })),
  token: Type.Optional(Type.String({ description: "Bearer token for browsers that cannot set headers (non-loopback binds)" })),
});

/** Shared component schemas, referenced from the routes and listed in the OpenAPI document. */
export const COMPONENTS: Record<string, TSchema> = { SentimentBar, CountedText, Topic, BucketAudit, Snapshot, Rollup };

/** The WebSocket protocol as an AsyncAPI 3 document (docs/asyncapi.yaml), built from the schemas above. */
export function asyncApiDocument(): Record<string, unknown> {
  const plain = (s: TSchema): unknown => JSON.parse(JSON.stringify(s));
  const browsers = "Browsers may connect from the server's own pages and the origins listed with --cors-origin; other pages are refused (HTTP 403) before the upgrade.";
  return {
    asyncapi: "3.0.0",
    info: {
      title: "chatstream stream",
      version: "1.0.0",
      description: `Live snapshots, roll-ups and events over a WebSocket at /v1/stream, and chat pushed in at /v1/ingest. Every stream message is a JSON object with a \`type\`. ${browsers}`,
    },
    channels: {
      stream: {
        address: "/v1/stream",
        parameters: {},
        messages: {
          snapshot: { payload: plain(Snapshot) },
          rollup: { payload: plain(Rollup) },
          hello: { payload: plain(HelloMessage) },
          skipped: { payload: plain(SkippedMessage) },
          model_swap: { payload: plain(ModelSwapMessage) },
          error: { payload: plain(ErrorMessage) },
          subscribe: { payload: plain(SubscribeControl) },
        },
      },
      ingest: {
        address: "/v1/ingest",
        description: `With run --ingest. A frame is one item or an array of them (at most ${DEFAULT_INGEST_FRAME_BYTES / 1024} KiB, ${DEFAULT_INGEST_FRAME_ITEMS} items, items nested at most ${MAX_INGEST_DEPTH} deep); each frame gets one answer. Token: --ingest-token / CHATSTREAM_INGEST_TOKEN, else CHATSTREAM_TOKEN.`,
        parameters: {},
        messages: {
          message: { payload: plain(IngestMessage) },
          event: { payload: plain(IngestEvent) },
          answer: { payload: plain(IngestAnswer) },
        },
      },
    },
    operations: {
      receive: { action: "send", channel: { $ref: "#/channels/stream" }, summary: "Server to client", messages: ["snapshot", "rollup", "hello", "skipped", "model_swap", "error"].map((m) => ({ $ref: `#/channels/stream/messages/${m}` })) },
      control: { action: "receive", channel: { $ref: "#/channels/stream" }, summary: "Client to server: change the subscription", messages: [{ $ref: "#/channels/stream/messages/subscribe" }] },
      push: { action: "receive", channel: { $ref: "#/channels/ingest" }, summary: "Producer to server: chat messages and events", messages: ["message", "event"].map((m) => ({ $ref: `#/channels/ingest/messages/${m}` })) },
      answer: { action: "send", channel: { $ref: "#/channels/ingest" }, summary: "Server to producer: one answer per frame", messages: [{ $ref: "#/channels/ingest/messages/answer" }] },
    },
  };
}
