import { DEFAULT_MAX_MESSAGE_LENGTH } from "../../../core/message.js";
import { DEFAULT_BACKOFF, RateLimiter, backoffDelay, sleepUnless, type BackoffPolicy } from "../backoff.js";
import { openLineConnection, type LineConnection } from "../line-transport.js";
import { RunLoopSource, type LiveSourceBaseOptions } from "../live-source.js";
import { createTwitchLineContext, interpretTwitchLine, type TwitchLineContext } from "./twitch-irc.js";

export const TWITCH_IRC_URL = "ircs://irc.chat.twitch.tv:6697";
export const TWITCH_WS_URL = "wss://irc-ws.chat.twitch.tv:443";

export interface TwitchSourceOptions extends LiveSourceBaseOptions {
  channels: string[];
  /** ircs:// (default), irc://, wss:// or ws:// */
  url?: string;
  /** OAuth token (with or without "oauth:"); anonymous read-only when absent. */
  token?: string;
  nick?: string;
  maxMessageLength?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** JOIN rate limit: `joins` per `windowMs` (anonymous / unverified: 20 per 10 s). */
  joinLimit?: { joins: number; windowMs: number };
  /** Gives up after this many consecutive failed connection attempts (default: never). */
  maxAttempts?: number;
  /**
   * Half-open connection watchdog: after `idleMs` without a line (Twitch PINGs about every 5 min) the reader
   * sends its own PING and reconnects if nothing arrives within `pongTimeoutMs`. Default 360 s / 10 s.
   */
  watchdog?: { idleMs: number; pongTimeoutMs: number };
}

/** Normalizes "#Foo", "foo", "https://twitch.tv/foo" to "foo". */
export function twitchChannelName(value: string): string {
  const trimmed = value.trim().replace(/^https?:\/\/(www\.)?twitch\.tv\//i, "").replace(/^#/, "");
  return trimmed.split(/[/?#]/)[0]?.toLowerCase() ?? "";
}

/** Parses `--twitch a,b,#c`. */
export function parseTwitchChannels(value: string): string[] {
  return [...new Set(value.split(",").map(twitchChannelName).filter((c) => c.length > 0))];
}

/**
 * Twitch chat over IRC (TLS on 6697 by default, or WebSocket): anonymous `justinfan` login unless a token
 * is given, CAP REQ for tags and commands, PING/PONG, server RECONNECT and drops handled with exponential
 * backoff and jitter on the injected clock, JOINs within the rate limit, USERNOTICEs as events. Messages
 * replayed after a reconnect are dropped by id.
 */
export class TwitchSource extends RunLoopSource {
  private conn: LineConnection | undefined;
  private attempt = 0;
  private connectedOnce = false;
  private readonly joinLimiter: RateLimiter;
  private readonly lineCtx: TwitchLineContext;
  private readonly url: string;
  private readonly nick: string;
  private readonly token: string | undefined;

  constructor(private readonly options: TwitchSourceOptions) {
    const channels = options.channels.map(twitchChannelName).filter((c) => c.length > 0);
    super(`twitch:${channels.join(",")}`, "twitch", channels, options);
    this.url = options.url ?? TWITCH_IRC_URL;
    this.token = options.token ? (options.token.startsWith("oauth:") ? options.token : `oauth:${options.token}`) : undefined;
    const random = options.random ?? Math.random;
    this.nick = this.token && options.nick ? options.nick.toLowerCase() : `justinfan${10000 + Math.floor(random() * 80000)}`;
    const limit = options.joinLimit ?? { joins: 20, windowMs: 10_000 };
    this.joinLimiter = new RateLimiter(limit.joins, limit.windowMs);
    this.lineCtx = createTwitchLineContext(options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH);
  }

  /** Connects (in the background) and keeps reconnecting until stop(). */
  protected interrupt(): void {
    this.conn?.close();
  }

  protected async run(): Promise<void> {
    const random = this.options.random ?? Math.random;
    while (!this.stopped) {
      const outcome = await this.connectOnce();
      if (this.stopped) break;
      if (outcome.error) this.lastError = outcome.error;
      if (outcome.fatal) {
        this.state = "closed";
        this.buffer.end(new Error(`twitch: ${outcome.error ?? "connection refused"}`));
        return;
      }
      this.reconnectCount++;
      this.state = "reconnecting";
      if (this.options.maxAttempts !== undefined && this.attempt >= this.options.maxAttempts) {
        this.state = "closed";
        this.buffer.end(new Error(`twitch: gave up after ${this.attempt} failed attempts (${this.lastError ?? "no connection"})`));
        return;
      }
      // A server-asked RECONNECT is not a failure: come back at once. Drops wait, doubling each time.
      if (!outcome.asked) {
        const delay = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, random);
        this.attempt++;
        await sleepUnless(this.options.clock, this.options.clock.now() + delay, () => this.stopped, this.stopSignal);
      }
    }
    this.state = "closed";
  }

  private connectOnce(): Promise<{ asked: boolean; fatal: boolean; error?: string }> {
    if (!this.connectedOnce) this.state = "connecting";
    return new Promise((resolve) => {
      let asked = false;
      let fatal = false;
      let authError: string | undefined;
      let conn: LineConnection;
      let lastLineAt = this.options.clock.now();
      let watchdogError: string | undefined;
      let open = true;
      try {
        conn = openLineConnection(this.url, {
          open: () => {
            conn.send("CAP REQ :twitch.tv/tags twitch.tv/commands");
            if (this.token) conn.send(`PASS ${this.token}`);
            conn.send(`NICK ${this.nick}`);
          },
          line: (raw) => {
            lastLineAt = this.options.clock.now();
            this.lineCtx.t = this.streamTime();
            const line = interpretTwitchLine(raw, this.lineCtx);
            switch (line.kind) {
              case "ping":
                conn.send(`PONG :${line.token}`);
                break;
              case "welcome":
                this.state = "connected";
                this.connectedOnce = true;
                this.attempt = 0;
                void this.joinAll(conn);
                break;
              case "reconnect":
                asked = true;
                conn.close();
                break;
              case "auth-failed":
                fatal = true;
                authError = line.text;
                conn.close();
                break;
              case "message":
                this.emitMessage(line.message);
                break;
              case "event":
                this.emitEvent(line.event);
                break;
              default:
                break;
            }
          },
          closed: (error) => {
            open = false;
            resolve({ asked, fatal, error: authError ?? watchdogError ?? error?.message ?? (asked ? undefined : "connection closed") });
          },
        });
      } catch (err) {
        resolve({ asked: false, fatal: true, error: (err as Error).message });
        return;
      }
      this.conn = conn;
      if (this.stopped) conn.close();
      void this.watch(
        conn,
        () => open,
        () => lastLineAt,
        (why) => {
          watchdogError = why;
          conn.close();
        },
      );
    });
  }

  /** Pings an idle connection and drops it when the ping goes unanswered (a half-open TCP connection). */
  private async watch(conn: LineConnection, isOpen: () => boolean, lastLineAt: () => number, drop: (why: string) => void): Promise<void> {
    const clock = this.options.clock;
    const { idleMs, pongTimeoutMs } = this.options.watchdog ?? { idleMs: 360_000, pongTimeoutMs: 10_000 };
    while (isOpen() && !this.stopped) {
      await sleepUnless(clock, lastLineAt() + idleMs, () => this.stopped || !isOpen(), this.stopSignal);
      if (!isOpen() || this.stopped) return;
      if (clock.now() < lastLineAt() + idleMs) continue;
      const pinged = lastLineAt();
      conn.send("PING :chatstream");
      await sleepUnless(clock, clock.now() + pongTimeoutMs, () => this.stopped || !isOpen(), this.stopSignal);
      if (!isOpen() || this.stopped) return;
      if (lastLineAt() === pinged) {
        drop("no answer to PING");
        return;
      }
    }
  }

  private async joinAll(conn: LineConnection): Promise<void> {
    const clock = this.options.clock;
    for (const channel of this.channels) {
      const at = this.joinLimiter.next(clock.now());
      if (at > clock.now()) await sleepUnless(clock, at, () => this.stopped || this.conn !== conn, this.stopSignal);
      if (this.stopped || this.conn !== conn) return;
      conn.send(`JOIN #${channel}`);
    }
  }
}
