import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import type { ModelSlots } from "../commands/model-setup.js";
import { DEFAULT_SENTIMENT_MODEL } from "../models/sentiment/registry.js";
import { DEFAULT_SUMMARIZER } from "../models/summarizer/registry.js";
import { PipelineMetrics } from "../metrics/pipeline-metrics.js";
import type { PipelineObserver } from "../pipeline/run-pipeline.js";
import type { Sink } from "../sinks/sink.js";
import type { SourceStatus } from "../sources/live/source-status.js";
import { AlertDispatcher, DEFAULT_ALERT_RULES, parseAlertRules } from "./alerts.js";
import type { ModelRole } from "./api-schemas.js";
import { buildApp, type ChannelStats } from "./app.js";
import { ModelSwitcher } from "./model-switcher.js";
import { changedSettings, readConfigFile, type ConfigFile } from "../config/config-file.js";
import { MODEL_KEYS } from "../config/settings.js";
import { ServerSink } from "./server-sink.js";
import { StreamHub, type StreamHubOptions } from "./stream-hub.js";

export interface ServeOptions {
  /** `[HOST:]PORT`; HOST defaults to 127.0.0.1. */
  serve: string;
  corsOrigins?: string[];
  /** `webhook:URL` specs. */
  alerts?: string[];
  alertRules?: string;
  /**
   * The config file (YAML or JSON, src/config): validated whole and its models part (`sentiment`, `summarizer`,
   * `sentimentOptions`, `summarizerOptions`) applied at start and again on SIGHUP.
   */
  config?: string;
  /** Models a flag or a variable set (role → `--sentiment`, `CHATSTREAM_SENTIMENT`): the file does not swap them (flag > env > file). */
  pinnedModels?: ReadonlyMap<ModelRole, string>;
  /** CHATSTREAM_TOKEN. */
  token?: string;
  /** --ingest-token or CHATSTREAM_INGEST_TOKEN: what producers present at /v1/ingest instead of `token`. */
  ingestToken?: string;
  hub?: StreamHubOptions;
  /** Install a SIGHUP handler (off in tests that call reloadConfig directly). */
  sighup?: boolean;
}

export interface ServerContext {
  slots: ModelSlots;
  /** Connection state of the live sources, for /readyz and metrics. */
  sourceStatuses?: () => readonly SourceStatus[];
  /** Extra routes registered before the server listens (the WebSocket ingest of live sources). */
  routes?: (app: FastifyInstance, bind: RouteBinding) => void;
  sentimentName?: string;
  summarizerName?: string;
  log: (line: string) => void;
}

/** What extra routes need from the server: where it listens, its tokens, and where to count refused requests. */
export interface RouteBinding {
  host: string;
  token: string | undefined;
  ingestToken: string | undefined;
  /** Counts a request refused by `route` (in chatstream_http_refused_total). */
  refused: (route: string, reason: "unauthorized") => void;
}

export interface RunningServer {
  app: FastifyInstance;
  /** The base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  sink: Sink & ServerSink;
  observer: PipelineObserver;
  metrics: PipelineMetrics;
  switcher: ModelSwitcher;
  hub: StreamHub;
  alerts: AlertDispatcher | undefined;
  /** Hook for PipelineRouter's onSnapshotAssembled. */
  onSnapshotAssembled: (channel: string, ns: number) => void;
  /** Where /v1/channels gets message counts (the PipelineRouter's channels). */
  setChannelStats(stats: () => ChannelStats[]): void;
  markStarted(): void;
  reloadConfig(): Promise<void>;
  close(): Promise<void>;
}

export function parseListen(spec: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(spec.trim());
  const port = Number(m?.[2]);
  if (m === null || !Number.isInteger(port) || port > 65535) throw new Error(`--serve takes [HOST:]PORT, got "${spec}"`);
  return { host: m[1]?.replace(/^\[|\]$/g, "") ?? "127.0.0.1", port };
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Starts the HTTP/WebSocket server of `chatstream run --serve`: a ServerSink for the pipeline's records, the
 * metrics observer, the model switcher (PUT /v1/models, SIGHUP + --config) and the alert dispatcher.
 * Refuses a non-loopback bind without a token.
 */
export async function startServer(options: ServeOptions, ctx: ServerContext): Promise<RunningServer> {
  const { host, port } = parseListen(options.serve);
  if (!isLoopback(host) && (options.token === undefined || options.token.length === 0)) {
    throw new Error(`refusing to serve on ${host}: binding beyond loopback needs a bearer token in CHATSTREAM_TOKEN`);
  }
  const token = options.token !== undefined && options.token.length > 0 ? options.token : undefined;
  const metrics = new PipelineMetrics();
  const sink = new ServerSink();
  const hub = new StreamHub({
    ...options.hub,
    onSkipped: (n) => metrics.wsSkipped.inc(n),
    onClients: (n) => metrics.wsClients.set(n),
    onDropped: () => metrics.wsDropped.inc(),
  });
  const webhooks = (options.alerts ?? []).map((spec) => {
    if (!spec.startsWith("webhook:")) throw new Error(`--alert takes webhook:URL, got "${spec}"`);
    const url = new URL(spec.slice("webhook:".length));
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--alert webhook must be http(s), got "${url.protocol}"`);
    return url.toString();
  });
  const rules = options.alertRules === undefined ? DEFAULT_ALERT_RULES : parseAlertRules(JSON.parse(readFileSync(options.alertRules, "utf8")));
  const alerts = webhooks.length > 0 ? new AlertDispatcher(webhooks, rules, (a) => metrics.alerts.labels(a.rule).inc(), (m) => ctx.log(m)) : undefined;

  const { slots } = ctx;
  slots.sentiment = metrics.instrumentSentiment(slots.sentiment);
  slots.summarizer = metrics.instrumentSummarizer(slots.summarizer);
  const switcher = new ModelSwitcher({
    slots,
    sentimentName: ctx.sentimentName ?? DEFAULT_SENTIMENT_MODEL,
    summarizerName: ctx.summarizerName ?? DEFAULT_SUMMARIZER,
    wrapSentiment: (m) => metrics.instrumentSentiment(m),
    wrapSummarizer: (s) => metrics.instrumentSummarizer(s),
    latestT: () => sink.latestT,
    onSwap: (swap) => {
      metrics.modelSwaps.labels(swap.role, "ok").inc();
      hub.broadcast({ type: "model_swap", role: swap.role, previous: swap.previous, active: swap.active, atT: swap.atT });
      ctx.log(`${swap.role} model: ${swap.previous} → ${swap.active} (warm-up ${swap.warmupMs} ms)`);
    },
    onFailure: (role, err) => {
      metrics.modelSwaps.labels(role, "refused").inc();
      ctx.log(`${role} swap refused: ${err.message}`);
    },
  });

  sink.onRecord((r) => {
    metrics.record(r);
    hub.publish(r);
    if (r.type === "snapshot") alerts?.snapshot(r);
  });

  let channelStats: () => ChannelStats[] = () => [];
  let started = false;
  const app = await buildApp({ sink, hub, metrics, switcher, channelStats: () => channelStats(), token, corsOrigins: options.corsOrigins, loopbackBind: isLoopback(host), started: () => started, sourceStatuses: ctx.sourceStatuses });
  if (ctx.sourceStatuses !== undefined) metrics.trackSources(ctx.sourceStatuses);
  const ingestToken = options.ingestToken !== undefined && options.ingestToken.length > 0 ? options.ingestToken : undefined;
  ctx.routes?.(app, { host, token, ingestToken, refused: (route, reason) => metrics.httpRefused.labels(route, reason).inc() });

  // What the file said when last read: a SIGHUP that changed other settings than the models says they wait for a restart.
  let previous: ConfigFile | undefined;
  const reloadConfig = async (): Promise<void> => {
    if (options.config === undefined) return;
    let config: ConfigFile;
    try {
      config = await readConfigFile(options.config);
    } catch (err) {
      ctx.log(`config not reloaded: ${(err as Error).message}`);
      return;
    }
    const restartOnly = previous === undefined ? [] : changedSettings(previous, config).filter((k) => !(MODEL_KEYS as readonly string[]).includes(k));
    if (restartOnly.length > 0) ctx.log(`config: ${restartOnly.join(", ")} changed in the file; only the models are hot-swapped, the rest takes effect at the next start`);
    previous = config;
    for (const role of ["sentiment", "summarizer"] as ModelRole[]) {
      const name = config.get(role);
      if (name === undefined || name === switcher.activeName(role)) continue;
      const pinnedBy = options.pinnedModels?.get(role);
      if (pinnedBy !== undefined) {
        ctx.log(`config: ${role} "${name}" not applied: ${pinnedBy} wins over the config file ("${switcher.activeName(role)}" stays)`);
        continue;
      }
      await switcher.swap(role, name, role === "sentiment" ? config.get("sentimentOptions") : config.get("summarizerOptions")).catch(() => undefined);
    }
  };
  const onHup = (): void => void reloadConfig();
  if (options.config !== undefined) {
    await reloadConfig();
    if (options.sighup !== false) process.on("SIGHUP", onHup);
  }

  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === "object" && address !== null ? address.port : port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  ctx.log(`serving on ${url} (dashboard ${url}/, overlay ${url}/overlay, metrics ${url}/metrics)`);

  return {
    app,
    url,
    sink,
    observer: metrics,
    metrics,
    switcher,
    hub,
    alerts,
    onSnapshotAssembled: metrics.snapshotAssembled,
    setChannelStats: (s) => (channelStats = s),
    markStarted: () => (started = true),
    reloadConfig,
    close: async () => {
      process.off("SIGHUP", onHup);
      hub.close();
      await alerts?.idle();
      await app.close();
    },
  };
}

/** Resolves on SIGINT or SIGTERM (lets `run --serve` keep serving after a replay ends). */
export function waitForStop(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
