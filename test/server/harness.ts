import { WebSocket } from "ws";
import { setUpModels, type ModelSlots } from "../../src/commands/model-setup.js";
import { runCommand } from "../../src/commands/run-command.js";
import { SystemClock, VirtualClock } from "../../src/core/clock.js";
import type { ChatMessage } from "../../src/core/message.js";
import { PipelineRouter } from "../../src/pipeline/pipeline-router.js";
import { runPipeline, type MessageSource, type RunStats } from "../../src/pipeline/run-pipeline.js";
import type { OutputRecord } from "../../src/schema/output-schema.js";
import { startServer, type RunningServer, type ServeOptions } from "../../src/server/start-server.js";
import { captureIO } from "../helpers/command-io.js";
import { syntheticChat } from "../helpers/pipeline-fixtures.js";

export interface Harness {
  server: RunningServer;
  slots: ModelSlots;
  router: PipelineRouter;
  records: OutputRecord[];
  logs: string[];
  /** Runs the messages through the pipeline (virtual time, full speed) into the server. */
  feed(messages: ChatMessage[]): Promise<RunStats>;
  /** The same through a source of the test's own (one that acts between batches, say). */
  feedSource(source: MessageSource): Promise<RunStats>;
  close(): Promise<void>;
}

export function sourceOf(messages: ChatMessage[], name = "test"): MessageSource {
  return {
    name,
    canWait: true,
    timed: true,
    async *batches() {
      for (let i = 0; i < messages.length; i += 100) yield messages.slice(i, i + 100);
    },
  };
}

export async function startHarness(options: Partial<ServeOptions> = {}): Promise<Harness> {
  const slots = setUpModels({ sentiment: "lexicon", summarizer: "extractive" });
  const logs: string[] = [];
  const server = await startServer({ serve: "127.0.0.1:0", sighup: false, ...options }, { slots, sentimentName: "lexicon", summarizerName: "extractive", log: (l) => logs.push(l) });
  const records: OutputRecord[] = [];
  server.sink.onRecord((r) => records.push(r));
  const router = new PipelineRouter({ summarizer: () => slots.summarizer, emit: (r) => server.sink.write(r), onSnapshotAssembled: server.onSnapshotAssembled });
  server.setChannelStats(() => router.channels().map((c) => ({ name: c.channel, messages: c.messageCount, lastT: c.lastMessageT })));
  server.metrics.trackInput(() => ({ malformed: 2, skipped: { blank: 1 } }));
  server.markStarted();
  return {
    server,
    slots,
    router,
    records,
    logs,
    feed: (messages) => runPipeline({ source: sourceOf(messages), processor: slots.processor, router, sink: server.sink, clock: new VirtualClock(0, true), speed: "max", observer: server.observer }),
    feedSource: (source) => runPipeline({ source, processor: slots.processor, router, sink: server.sink, clock: new VirtualClock(0, true), speed: "max", observer: server.observer }),
    close: () => server.close(),
  };
}

export function twoChannels(): ChatMessage[] {
  const a = syntheticChat(1500, 3, "alpha");
  const b = syntheticChat(800, 5, "beta");
  return [...a, ...b].sort((x, y) => x.t - y.t);
}

/** A WebSocket client that records every JSON message. */
export class StreamClient {
  readonly messages: Record<string, unknown>[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  private waiters: { test: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("error", reject);
      this.ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.ws.on("message", (data) => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  next(test: (m: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const found = this.messages.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms (got ${this.messages.length})`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  send(value: unknown): void {
    this.ws.send(typeof value === "string" ? value : JSON.stringify(value));
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Polls `probe` until it gives a value (every 25 ms, up to `timeoutMs`). */
export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface IngestRun {
  /** The server's base URL, e.g. http://127.0.0.1:PORT. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Ends live reading (as Ctrl-C does) and resolves with the run's exit code. */
  stop(): Promise<number>;
}

/** The real `run --serve 127.0.0.1:0 --ingest` in this process (jsonl records to a captured stdout). */
export async function startIngestRun(server: Partial<ServeOptions> = {}): Promise<IngestRun> {
  const out = captureIO(new SystemClock());
  const stop = new AbortController();
  const done = runCommand(
    { speed: 1, sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment: "lexicon", server: { serve: "127.0.0.1:0", sighup: false, ingest: true, ...server }, live: { stop: stop.signal } },
    out.io,
  );
  const failed = done.then(() => undefined);
  const url = await Promise.race([until(() => /serving on (http:\/\/\S+)/.exec(out.stderr())?.[1], "the server"), failed.then(() => Promise.reject(new Error(`run ended before serving: ${out.stderr()}`)))]);
  return {
    url,
    stdout: out.stdout,
    stderr: out.stderr,
    stop: () => {
      stop.abort();
      return done;
    },
  };
}

export type Handshake = { open: true; ws: WebSocket } | { open: false; status: number; type: string; body: string };

/** Opens a WebSocket with these headers and reports whether the upgrade succeeded, or the HTTP answer that refused it. */
export function handshake(url: string, headers: Record<string, string> = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => resolve({ open: true, ws }));
    ws.once("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ open: false, status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString("utf8") }));
    });
    ws.once("error", reject);
  });
}
