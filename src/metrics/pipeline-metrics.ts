import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { QueueStats } from "../core/bounded-queue.js";
import type { SentimentModel } from "../models/sentiment/sentiment-model.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import type { RouterStats } from "../pipeline/pipeline-router.js";
import type { PipelineObserver } from "../pipeline/run-pipeline.js";
import type { OutputRecord, RollupLevel, Snapshot } from "../schema/output-schema.js";
import type { IngestStats } from "../sources/live/ingest/ingest-source.js";
import type { SourceStatus } from "../sources/live/source-status.js";
import { isAsyncSummarizer, type AsyncSummarizer } from "../models/summarizer/llm/async-summarizer.js";
import { LLM_REQUEST_OUTCOMES, type LlmEventListener } from "../models/summarizer/llm/llm-events.js";

const NS_PER_S = 1e9;

/** What the metrics read from an input's report (src/sources/input-report.ts) at scrape time. */
export interface InputCounts {
  malformed: number;
  /** Lines that were not UTF-8; malformed too, counted apart in the report. */
  invalidUtf8?: number;
  skipped: Record<string, number>;
}

/** What /metrics reports per channel about its records (see PipelineMetrics.channelSeries). */
interface ChannelSeries {
  snapshots: number;
  latest: Snapshot | undefined;
  rollups: Map<RollupLevel, number>;
}

/** Counts with a label set, cached per channel so the hot path does no label lookups. */
type Child = { inc(n?: number): void };

/**
 * Every chatstream metric, on its own Registry (never the global one, so servers and tests are isolated).
 * It observes the pipeline (PipelineObserver), the published records, the models (wrapped by `instrument*`)
 * and the WebSocket hub.
 */
export class PipelineMetrics implements PipelineObserver {
  readonly registry = new Registry();
  private source = "unknown";
  private queueStats: (() => QueueStats) | undefined;
  private readonly receivedCount = new Counter({ name: "chatstream_messages_received_total", help: "Chat messages read from the source", labelNames: ["source", "channel"], registers: [this.registry] });
  private readonly processedCount = new Counter({ name: "chatstream_messages_processed_total", help: "Chat messages through the per-message stage and the channel pipeline", labelNames: ["source", "channel"], registers: [this.registry] });
  private readonly shedCount = new Counter({ name: "chatstream_messages_shed_total", help: "Chat messages dropped by the full queue (live sources)", labelNames: ["source", "channel"], registers: [this.registry] });
  private inputReport: (() => InputCounts) | undefined;
  // The two histograms have no channel label: 13 series each per channel would make /metrics megabytes with thousands of channels.
  private readonly latency = new Histogram({ name: "chatstream_message_processing_seconds", help: "Per-message processing latency (tokenize, sentiment, windows)", buckets: [1e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 5e-3, 0.025], registers: [this.registry] });
  private readonly assembly = new Histogram({ name: "chatstream_snapshot_assembly_seconds", help: "Time to assemble one snapshot (ranking, headline)", buckets: [1e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.05], registers: [this.registry] });
  /**
   * Per channel: records published and the latest snapshot's figures, written by `record` (a Map lookup and a few
   * fields per record) and turned into series only when /metrics is scraped. Setting five labelled series per
   * snapshot cost about 7 µs (prom-client hashes the label values on every call): at 10,000 channels and 2 Hz,
   * 14 % of a core for numbers read every 15 s.
   */
  private readonly channelSeries = new Map<string, ChannelSeries>();
  private readonly modelCalls = new Counter({ name: "chatstream_model_calls_total", help: "Calls into a model slot: sentiment once per message, summarizer once per headline asked for (not HTTP requests: see chatstream_llm_requests_total)", labelNames: ["role", "model"], registers: [this.registry] });
  private readonly modelLatency = new Histogram({ name: "chatstream_model_latency_seconds", help: "Time a call into a model slot takes (an LLM summarizer answers at once; its requests are timed by chatstream_llm_request_seconds)", labelNames: ["role", "model"], buckets: [1e-6, 5e-6, 2.5e-5, 1e-4, 5e-4, 2.5e-3, 0.01, 0.05, 0.25, 1], registers: [this.registry] });
  private readonly headlineRequests = new Counter({ name: "chatstream_headline_requests_total", help: "Headlines the pipeline asked the summarizer for, by who answered: model (a local summarizer), cache (an LLM headline already written for this content), fallback (the embedded headline while the LLM has none), quiet (no chat to summarize)", labelNames: ["model", "source"], registers: [this.registry] });
  private readonly llmRequests = new Counter({ name: "chatstream_llm_requests_total", help: "HTTP requests sent to the LLM (each retry is one), by outcome: ok, rejected (answer refused by the validator), error, timeout, aborted (the run ended)", labelNames: ["model", "outcome"], registers: [this.registry] });
  private readonly llmTokens = new Counter({ name: "chatstream_llm_tokens_total", help: "LLM tokens, from the responses' usage (counted with gpt-tokenizer when a server sends none)", labelNames: ["model", "direction"], registers: [this.registry] });
  private readonly llmSeconds = new Histogram({ name: "chatstream_llm_request_seconds", help: "Time from sending an LLM request to its answer, error or timeout", labelNames: ["model"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16], registers: [this.registry] });
  private readonly llmSkipped = new Counter({ name: "chatstream_llm_requests_skipped_total", help: "LLM requests not sent: breaker open, token budget spent, too soon after the last one, or the same content refused before", labelNames: ["model", "reason"], registers: [this.registry] });
  private readonly llmBreakerOpen = new Gauge({ name: "chatstream_llm_breaker_open", help: "1 while the LLM's circuit breaker is open (the embedded headline answers), else 0", labelNames: ["model"], registers: [this.registry] });
  readonly modelSwaps = new Counter({ name: "chatstream_model_swaps_total", help: "Hot-swaps of a model slot", labelNames: ["role", "result"], registers: [this.registry] });
  readonly wsClients = new Gauge({ name: "chatstream_websocket_clients", help: "Connected WebSocket clients", registers: [this.registry] });
  readonly wsSkipped = new Counter({ name: "chatstream_websocket_skipped_snapshots_total", help: "Snapshots not sent to slow WebSocket clients (they got the latest instead)", registers: [this.registry] });
  readonly wsDropped = new Counter({ name: "chatstream_websocket_dropped_clients_total", help: "WebSocket clients dropped after a missed pong", registers: [this.registry] });
  readonly alerts = new Counter({ name: "chatstream_alerts_total", help: "Alerts fired", labelNames: ["rule"], registers: [this.registry] });
  readonly httpRefused = new Counter({
    name: "chatstream_http_refused_total",
    help: "Requests refused before they reached their route: reason=host (not a loopback name on a loopback bind: DNS rebinding), origin (a WebSocket from a page the Origin policy does not allow), unauthorized (missing or wrong token)",
    labelNames: ["route", "reason"],
    registers: [this.registry],
  });
  private readonly receivedByChannel = new Map<string, Child>();
  private readonly processedByChannel = new Map<string, Child>();

  constructor() {
    // prom-client calls collect() with the metric as `this`; the readers below close over these getters instead.
    const channels = (): ReadonlyMap<string, ChannelSeries> => this.channelSeries;
    new Counter({ name: "chatstream_snapshots_published_total", help: "Snapshots published (rate() gives the publish rate)", labelNames: ["channel"], registers: [this.registry], collect() {
      this.reset();
      for (const [channel, s] of channels()) if (s.snapshots > 0) this.labels(channel).inc(s.snapshots);
    } });
    new Counter({ name: "chatstream_rollups_published_total", help: "Roll-up records published", labelNames: ["channel", "level"], registers: [this.registry], collect() {
      this.reset();
      for (const [channel, s] of channels()) for (const [level, n] of s.rollups) this.labels(channel, level).inc(n);
    } });
    const latest = (set: (channel: string, s: Snapshot) => void) => {
      for (const [channel, s] of channels()) if (s.latest !== undefined) set(channel, s.latest);
    };
    new Gauge({ name: "chatstream_sentiment_share", help: "Current sentiment share of the latest snapshot (0..1)", labelNames: ["channel", "sentiment"], registers: [this.registry], collect() {
      this.reset();
      latest((channel, s) => {
        this.labels(channel, "pos").set(s.sentiment.pos);
        this.labels(channel, "neu").set(s.sentiment.neu);
        this.labels(channel, "neg").set(s.sentiment.neg);
      });
    } });
    new Gauge({ name: "chatstream_sentiment_net_points", help: "Net sentiment of the latest snapshot, 100 × (pos − neg)", labelNames: ["channel"], registers: [this.registry], collect() {
      this.reset();
      latest((channel, s) => this.labels(channel).set(s.sentiment.net));
    } });
    new Gauge({ name: "chatstream_confidence", help: "Confidence of the latest snapshot (0..1)", labelNames: ["channel"], registers: [this.registry], collect() {
      this.reset();
      latest((channel, s) => this.labels(channel).set(s.confidence));
    } });
    const queue = (): QueueStats | undefined => this.queueStats?.();
    const input = (): InputCounts | undefined => this.inputReport?.();
    const source = (): string => this.source;
    new Gauge({
      name: "chatstream_queue_depth",
      help: "Messages waiting in the bounded queue",
      registers: [this.registry],
      collect() {
        this.set(queue()?.depth ?? 0);
      },
    });
    new Gauge({
      name: "chatstream_queue_high_water",
      help: "Highest queue depth seen",
      registers: [this.registry],
      collect() {
        this.set(queue()?.highWater ?? 0);
      },
    });
    new Gauge({
      name: "chatstream_queue_capacity",
      help: "Queue capacity",
      registers: [this.registry],
      collect() {
        this.set(queue()?.capacity ?? 0);
      },
    });
    new Counter({
      name: "chatstream_messages_malformed_total",
      help: "Malformed input records skipped, invalid UTF-8 included (reported by the source)",
      labelNames: ["source"],
      registers: [this.registry],
      collect() {
        const report = input();
        this.reset();
        this.labels(source()).inc((report?.malformed ?? 0) + (report?.invalidUtf8 ?? 0));
      },
    });
    new Counter({
      name: "chatstream_records_skipped_total",
      help: "Well-formed input records that are not chat, by reason",
      labelNames: ["source", "reason"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(input()?.skipped ?? {})) this.labels(source(), reason).inc(n);
      },
    });
  }

  start(source: string, queueStats: () => QueueStats): void {
    this.source = source;
    this.queueStats = queueStats;
  }

  /** The input's live report (malformed and skipped counts are read on scrape). */
  /** Live sources' state, read at scrape time: up (1 when connected), reconnects, seconds since the last message. */
  trackSources(statuses: () => readonly SourceStatus[]): void {
    const read = (set: (s: SourceStatus) => void): void => {
      for (const s of statuses()) set(s);
    };
    new Gauge({ name: "chatstream_source_up", help: "1 when the live source is connected, else 0", labelNames: ["source", "state"], registers: [this.registry], collect() {
      this.reset();
      read((s) => this.labels(s.name, s.state).set(s.state === "connected" ? 1 : 0));
    } });
    new Gauge({ name: "chatstream_source_reconnects", help: "Reconnects of the live source since start", labelNames: ["source"], registers: [this.registry], collect() {
      read((s) => this.labels(s.name).set(s.reconnects));
    } });
    new Gauge({ name: "chatstream_source_last_message_timestamp_seconds", help: "Clock time of the last message or event from the live source", labelNames: ["source"], registers: [this.registry], collect() {
      read((s) => {
        if (s.lastMessageAt !== undefined) this.labels(s.name).set(s.lastMessageAt / 1000);
      });
    } });
  }

  trackInput(report: () => InputCounts): void {
    this.inputReport = report;
  }

  /** The WebSocket ingest's totals, read at scrape time: frames by answer, items by fate. */
  trackIngest(stats: () => IngestStats): void {
    new Counter({
      name: "chatstream_ingest_frames_total",
      help: "Frames pushed to /v1/ingest, by answer: ok, or the error (refused connections are in chatstream_http_refused_total)",
      labelNames: ["result"],
      registers: [this.registry],
      collect() {
        const s = stats();
        this.reset();
        const refused = s.invalid + s.tooLarge + s.queueFull + s.closed;
        for (const [result, n] of [["ok", s.frames - refused], ["invalid", s.invalid], ["too-large", s.tooLarge], ["queue-full", s.queueFull], ["closed", s.closed]] as const) this.labels(result).inc(n);
      },
    });
    new Counter({
      name: "chatstream_ingest_items_total",
      help: "Items of /v1/ingest frames: accepted (messages), event, rejected (a frame refused unread counts as one)",
      labelNames: ["result"],
      registers: [this.registry],
      collect() {
        const s = stats();
        this.reset();
        for (const [result, n] of [["accepted", s.accepted], ["event", s.events], ["rejected", s.rejected]] as const) this.labels(result).inc(n);
      },
    });
  }

  /** The router's channel accounting, read on scrape: channels kept, evicted (--max-channels), waiting events dropped. */
  trackChannels(stats: () => RouterStats): void {
    new Gauge({ name: "chatstream_channels", help: "Channels with a pipeline (at most --max-channels)", registers: [this.registry], collect() {
      this.set(stats().channels);
    } });
    new Counter({ name: "chatstream_channels_evicted_total", help: "Least recently active channels evicted to stay within --max-channels", registers: [this.registry], collect() {
      this.reset();
      this.inc(stats().evicted);
    } });
    new Counter({ name: "chatstream_events_dropped_total", help: "Events for channels without a message yet, dropped when they expired or overflowed their bound", registers: [this.registry], collect() {
      this.reset();
      this.inc(stats().eventsDropped);
    } });
  }

  /** Removes every label set of an evicted channel, so /metrics stays as small as the channels kept. */
  forgetChannel(channel: string): void {
    this.receivedByChannel.delete(channel);
    this.processedByChannel.delete(channel);
    for (const counter of [this.receivedCount, this.processedCount, this.shedCount]) counter.remove(this.source, channel);
    this.channelSeries.delete(channel);
  }

  received(channel: string): void {
    let c = this.receivedByChannel.get(channel);
    if (c === undefined) {
      c = this.receivedCount.labels(this.source, channel);
      this.receivedByChannel.set(channel, c);
    }
    c.inc();
  }

  shed(channel: string): void {
    this.shedCount.labels(this.source, channel).inc();
  }

  processed(channel: string, latencyNs: number): void {
    let c = this.processedByChannel.get(channel);
    if (c === undefined) {
      c = this.processedCount.labels(this.source, channel);
      this.processedByChannel.set(channel, c);
    }
    c.inc();
    this.latency.observe(latencyNs / NS_PER_S);
  }

  /**
   * The assembly histogram's one series, bound once: observe() on the histogram itself makes a closure and two
   * label objects per call, and 10,000 quiet channels call it 20,000 times a second.
   */
  private readonly assemblySeries = this.assembly.labels();

  /** Hook for PipelineRouter's `onSnapshotAssembled`. */
  readonly snapshotAssembled = (_channel: string, ns: number): void => {
    this.assemblySeries.observe(ns / NS_PER_S);
  };

  record(r: OutputRecord): void {
    let s = this.channelSeries.get(r.channel);
    if (s === undefined) this.channelSeries.set(r.channel, (s = { snapshots: 0, latest: undefined, rollups: new Map() }));
    if (r.type === "snapshot") {
      s.snapshots++;
      s.latest = r;
    } else {
      s.rollups.set(r.level, (s.rollups.get(r.level) ?? 0) + 1);
    }
  }

  /** Wraps a sentiment model so its calls and latency are counted under its name. */
  instrumentSentiment(model: SentimentModel): SentimentModel {
    const calls = this.modelCalls.labels("sentiment", model.name);
    const latency = this.modelLatency.labels("sentiment", model.name);
    return {
      name: model.name,
      score(text, tokens) {
        const t0 = process.hrtime.bigint();
        const s = model.score(text, tokens);
        latency.observe(Number(process.hrtime.bigint() - t0) / NS_PER_S);
        calls.inc();
        return s;
      },
    };
  }

  instrumentSummarizer(summarizer: Summarizer): Summarizer {
    const calls = this.modelCalls.labels("summarizer", summarizer.name);
    const latency = this.modelLatency.labels("summarizer", summarizer.name);
    // An LLM summarizer says who answered each headline (and what its requests did); a local one answers itself.
    const llm = isAsyncSummarizer(summarizer) && summarizer.onEvent !== undefined;
    if (llm) summarizer.onEvent?.(this.llmListener(summarizer.name));
    const answeredItself = llm ? undefined : this.headlineRequests.labels(summarizer.name, "model");
    const timed = <T>(f: () => T): T => {
      const t0 = process.hrtime.bigint();
      const out = f();
      latency.observe(Number(process.hrtime.bigint() - t0) / NS_PER_S);
      calls.inc();
      answeredItself?.inc();
      return out;
    };
    const wrapped: Summarizer = {
      name: summarizer.name,
      summarizeWindow: (d, context) => timed(() => summarizer.summarizeWindow(d, context)),
      summarizePeriod: (d, parts) => timed(() => summarizer.summarizePeriod(d, parts)),
    };
    // An LLM summarizer's late answers are looked up by the pipeline: the timing wrapper must not hide them.
    return isAsyncSummarizer(summarizer) ? Object.assign(Object.create(summarizer) as AsyncSummarizer, wrapped) : wrapped;
  }

  /** Counts what an LLM summarizer reports; every label set starts at 0, so a dashboard sees the series at once. */
  private llmListener(model: string): LlmEventListener {
    for (const outcome of LLM_REQUEST_OUTCOMES) this.llmRequests.labels(model, outcome).inc(0);
    for (const direction of ["prompt", "completion"]) this.llmTokens.labels(model, direction).inc(0);
    this.llmBreakerOpen.labels(model).set(0);
    const prompt = this.llmTokens.labels(model, "prompt");
    const completion = this.llmTokens.labels(model, "completion");
    const seconds = this.llmSeconds.labels(model);
    return (e) => {
      if (e.type === "headline") this.headlineRequests.labels(model, e.source).inc();
      else if (e.type === "request") {
        this.llmRequests.labels(model, e.outcome).inc();
        prompt.inc(e.promptTokens);
        completion.inc(e.completionTokens);
        seconds.observe(e.seconds);
      } else if (e.type === "skipped") this.llmSkipped.labels(model, e.reason).inc();
      else this.llmBreakerOpen.labels(model).set(e.state === "open" ? 1 : 0);
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
