import type { WebSocket } from "ws";
import type { OutputRecord, Snapshot } from "../schema/output-schema.js";
import { MAX_CONTROL_BYTES, type SubscribeControl } from "./api-schemas.js";

export type StreamLevel = "snapshot" | "5s" | "1m" | "10m";
export const STREAM_LEVELS: readonly StreamLevel[] = ["snapshot", "5s", "1m", "10m"];
export const DEFAULT_STREAM_LEVELS: readonly StreamLevel[] = ["snapshot", "1m", "10m"];
/** RFC 6455: "a message that is too big for it to process". */
const CLOSE_TOO_BIG = 1009;
/** Channels remembered as known, and how many of them a hello names. */
const MAX_KNOWN_CHANNELS = 10_000;
const HELLO_KNOWN_CHANNELS = 50;

export interface StreamHubOptions {
  /** Above this many bytes waiting in a client's socket, its snapshots go to a latest-only slot. */
  maxBufferedBytes?: number;
  /** Ping every this many ms; a client that has not answered the previous ping is dropped. */
  pingIntervalMs?: number;
  onSkipped?: (n: number) => void;
  onClients?: (n: number) => void;
  onDropped?: () => void;
}

interface Client {
  socket: WebSocket;
  channels: Set<string>;
  levels: Set<StreamLevel>;
  alive: boolean;
  /** Latest snapshot per channel not yet sent because the socket was backed up. */
  pending: Map<string, Snapshot>;
  skipped: number;
  skippedReported: number;
}

/** Parses `a,b` lists from the query string; unknown levels are an error. */
export function parseLevels(value: string | undefined): StreamLevel[] {
  if (value === undefined || value === "") return [...DEFAULT_STREAM_LEVELS];
  const out: StreamLevel[] = [];
  for (const v of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!(STREAM_LEVELS as readonly string[]).includes(v)) throw new Error(`unknown level "${v}" (use ${STREAM_LEVELS.join(",")})`);
    out.push(v as StreamLevel);
  }
  return out;
}

export function parseChannels(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * Fans records out to WebSocket clients without ever waiting for them. A client whose socket has more than
 * `maxBufferedBytes` queued gets no more snapshots until it drains: the newest snapshot per channel waits in
 * a one-item slot (older ones are skipped and counted), and is sent when the previous send completes.
 * Roll-ups are rare and always queued. Dead clients are found by ping/pong and terminated.
 */
export class StreamHub {
  private readonly clients = new Set<Client>();
  private readonly maxBuffered: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private skippedTotal = 0;
  /** Channels that have published, so a hello can tell a client that asked for another one which exist. */
  private readonly known = new Set<string>();

  constructor(private readonly options: StreamHubOptions = {}) {
    this.maxBuffered = options.maxBufferedBytes ?? 256 * 1024;
    const every = options.pingIntervalMs ?? 30_000;
    this.timer = setInterval(() => this.ping(), every);
    this.timer.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  get skipped(): number {
    return this.skippedTotal;
  }

  /** Registers a connected socket; `initial` (the latest snapshots) is sent right after the hello. */
  add(socket: WebSocket, channels: string[], levels: StreamLevel[], initial: Snapshot[] = []): void {
    for (const s of initial) this.noteChannel(s.channel);
    const client: Client = { socket, channels: new Set(channels), levels: new Set(levels), alive: true, pending: new Map(), skipped: 0, skippedReported: 0 };
    this.clients.add(client);
    this.options.onClients?.(this.clients.size);
    socket.on("pong", () => (client.alive = true));
    socket.on("close", () => {
      this.clients.delete(client);
      this.options.onClients?.(this.clients.size);
    });
    socket.on("message", (data, isBinary) => {
      // The server's frame limit is ingest's (512 KiB, one WebSocket server for every route); the stream's is its own.
      const bytes = Buffer.isBuffer(data) ? data.length : Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
      if (bytes > MAX_CONTROL_BYTES) {
        socket.send(JSON.stringify({ type: "error", detail: `control message of ${bytes} bytes is over the limit of ${MAX_CONTROL_BYTES}` }));
        socket.close(CLOSE_TOO_BIG, "control message too big");
        return;
      }
      this.control(client, isBinary ? "" : String(data));
    });
    this.sendHello(client);
    if (client.levels.has("snapshot")) for (const s of initial) if (client.channels.size === 0 || client.channels.has(s.channel)) this.send(client, JSON.stringify(s));
  }

  /** Sends one event (not a record) to every client, e.g. a model swap. */
  broadcast(message: object): void {
    const text = JSON.stringify(message);
    for (const c of this.clients) if (c.socket.readyState === c.socket.OPEN) c.socket.send(text);
  }

  publish(record: OutputRecord): void {
    this.noteChannel(record.channel);
    if (this.clients.size === 0) return;
    const level: StreamLevel = record.type === "snapshot" ? "snapshot" : record.level;
    let text: string | undefined;
    for (const c of this.clients) {
      if (!c.levels.has(level) || (c.channels.size > 0 && !c.channels.has(record.channel))) continue;
      if (c.socket.readyState !== c.socket.OPEN) continue;
      if (record.type === "snapshot" && c.socket.bufferedAmount > this.maxBuffered) {
        if (c.pending.has(record.channel)) this.skip(c);
        c.pending.set(record.channel, record);
        continue;
      }
      text ??= JSON.stringify(record);
      this.send(c, text);
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
  }

  private send(c: Client, text: string): void {
    c.socket.send(text, () => this.flush(c));
  }

  private skip(c: Client): void {
    c.skipped++;
    this.skippedTotal++;
    this.options.onSkipped?.(1);
  }

  /** After a send completed: hand a backed-up client its pending latest snapshots once it has room. */
  private flush(c: Client): void {
    if (c.pending.size === 0 || c.socket.readyState !== c.socket.OPEN || c.socket.bufferedAmount > this.maxBuffered) return;
    if (c.skipped > c.skippedReported) {
      c.socket.send(JSON.stringify({ type: "skipped", count: c.skipped - c.skippedReported, total: c.skipped }));
      c.skippedReported = c.skipped;
    }
    const pending = [...c.pending.values()];
    c.pending.clear();
    for (const s of pending) this.send(c, JSON.stringify(s));
  }

  private control(c: Client, text: string): void {
    let msg: SubscribeControl;
    try {
      msg = JSON.parse(text) as SubscribeControl;
      if (typeof msg !== "object" || msg === null || msg.type !== "subscribe") throw new Error('expected {"type":"subscribe","channels"?:[...],"levels"?:[...]}');
      if (msg.channels !== undefined && (!Array.isArray(msg.channels) || !msg.channels.every((ch) => typeof ch === "string"))) throw new Error("channels must be an array of strings");
      if (msg.levels !== undefined) parseLevels(Array.isArray(msg.levels) ? msg.levels.join(",") : "?");
    } catch (err) {
      c.socket.send(JSON.stringify({ type: "error", detail: `bad control message: ${(err as Error).message}` }));
      return;
    }
    if (msg.channels !== undefined) c.channels = new Set(msg.channels);
    if (msg.levels !== undefined) c.levels = new Set(msg.levels);
    this.sendHello(c);
  }

  private noteChannel(channel: string): void {
    if (this.known.size < MAX_KNOWN_CHANNELS) this.known.add(channel);
  }

  /**
   * `known`: channels that have published (the first 50); `unknown`: the subscribed ones that have not, so an
   * overlay with a mistyped channel can say so (the subscription stays: the channel may still start).
   */
  private sendHello(c: Client): void {
    const known: string[] = [];
    for (const ch of this.known) {
      if (known.length === HELLO_KNOWN_CHANNELS) break;
      known.push(ch);
    }
    const unknown = [...c.channels].filter((ch) => !this.known.has(ch));
    c.socket.send(JSON.stringify({ type: "hello", channels: [...c.channels], levels: [...c.levels], known, unknown }));
  }

  private ping(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        this.clients.delete(c);
        this.options.onDropped?.();
        this.options.onClients?.(this.clients.size);
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }
}
