import WebSocket from "ws";
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from "../backoff.js";
import { HttpError, retryAfterMs } from "../http-retry.js";
import { RunLoopSource, type LiveSourceBaseOptions } from "../live-source.js";
import { KICK_API_URL, KICK_PUSHER_URL, SubscriptionEchoFilter, interpretKickFrame, parseChannelInfo } from "./kick-chat.js";

export interface KickSourceOptions extends LiveSourceBaseOptions {
  /** Channel slug or kick.com URL. */
  channel: string;
  /** Default https://kick.com (public channel API). */
  apiBaseUrl?: string;
  /** Default Kick's public Pusher endpoint. */
  wsUrl?: string;
  maxMessageLength?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Gives up after this many consecutive failures (default 20). */
  maxAttempts?: number;
  fetch?: typeof fetch;
}

export function kickChannelSlug(value: string): string {
  return (value.trim().replace(/^https?:\/\/(www\.)?kick\.com\//i, "").split(/[/?#]/)[0] ?? "").toLowerCase();
}

interface Outcome {
  /** The server asked for an immediate reconnect (Pusher 4200–4299). */
  asked: boolean;
  fatal: boolean;
  error?: string;
}

/**
 * Kick chat through its public Pusher WebSocket: the channel API gives the chatroom id, then the reader
 * subscribes to `chatrooms.{id}.v2` (chat) and `channel.{id}` (subs, gifts, hosts). Pusher pings are
 * answered; drops and server errors reconnect with exponential backoff and jitter on the injected clock;
 * HTTP 429 on the lookup waits for Retry-After. Messages replayed after a reconnect are dropped by id.
 */
export class KickSource extends RunLoopSource {
  private socket: WebSocket | undefined;
  private readonly slug: string;
  private readonly subscriptionEchoes = new SubscriptionEchoFilter();

  constructor(private readonly options: KickSourceOptions) {
    const slug = kickChannelSlug(options.channel);
    if (slug === "") throw new Error(`--kick: not a channel: "${options.channel}"`);
    super(`kick:${slug}`, "kick", [slug], options);
    this.slug = slug;
  }

  protected interrupt(): void {
    this.socket?.terminate();
  }

  protected async run(): Promise<void> {
    const random = this.options.random ?? Math.random;
    const maxAttempts = this.options.maxAttempts ?? 20;
    let info: { channelId: number; chatroomId: number } | undefined;
    let attempt = 0;
    let connectedOnce = false;
    while (!this.stopped) {
      let outcome: Outcome;
      let retryAfter: number | undefined;
      try {
        info ??= await this.lookup();
        outcome = await this.connectOnce(info, () => {
          attempt = 0;
          connectedOnce = true;
        });
      } catch (err) {
        outcome = { asked: false, fatal: err instanceof LookupFailed, error: (err as Error).message };
        if (err instanceof HttpError) retryAfter = err.retryAfter;
      }
      if (this.stopped) break;
      if (outcome.error !== undefined) this.lastError = outcome.error;
      if (outcome.fatal || attempt >= maxAttempts) {
        this.state = "closed";
        this.buffer.end(new Error(`kick:${this.slug}: ${outcome.fatal ? "" : `gave up after ${attempt} attempts: `}${outcome.error ?? "closed"}`));
        return;
      }
      this.reconnectCount++;
      this.state = connectedOnce ? "reconnecting" : "connecting";
      if (!outcome.asked) {
        const delay = retryAfter ?? backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF, random);
        attempt++;
        await this.sleep(delay);
      }
    }
    this.state = "closed";
    this.buffer.end();
  }

  private async lookup(): Promise<{ channelId: number; chatroomId: number }> {
    const f = this.options.fetch ?? fetch;
    const base = (this.options.apiBaseUrl ?? KICK_API_URL).replace(/\/$/, "");
    const response = await f(`${base}/api/v2/channels/${encodeURIComponent(this.slug)}`, { headers: { accept: "application/json", "user-agent": "Mozilla/5.0 (chatstream)" } });
    if (response.status === 404) throw new LookupFailed(`no Kick channel "${this.slug}"`);
    if (!response.ok) {
      await response.body?.cancel();
      throw new HttpError(response.status, retryAfterMs(response.headers.get("retry-after"), Date.now()), `HTTP ${response.status} from the channel API`);
    }
    const info = parseChannelInfo(await response.json());
    if (info === undefined) throw new LookupFailed(`the channel API gave no chatroom for "${this.slug}"`);
    return info;
  }

  private connectOnce(info: { channelId: number; chatroomId: number }, onSubscribed: () => void): Promise<Outcome> {
    return new Promise((resolve) => {
      const chatChannel = `chatrooms.${info.chatroomId}.v2`;
      const ws = new WebSocket(this.options.wsUrl ?? KICK_PUSHER_URL);
      this.socket = ws;
      let asked = false;
      let fatal = false;
      let error: string | undefined;
      const send = (event: string, data: unknown): void => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ event, data }));
      };
      ws.on("message", (data: WebSocket.RawData) => {
        const frame = interpretKickFrame(data.toString(), this.slug, this.streamTime());
        switch (frame.kind) {
          case "established":
            send("pusher:subscribe", { auth: "", channel: chatChannel });
            send("pusher:subscribe", { auth: "", channel: `channel.${info.channelId}` });
            break;
          case "subscribed":
            if (frame.channel === chatChannel) {
              this.state = "connected";
              onSubscribed();
            }
            break;
          case "ping":
            send("pusher:pong", {});
            break;
          case "error":
            // Pusher: 4000–4099 do not reconnect, 4100–4199 reconnect after a while, 4200–4299 reconnect now.
            error = `pusher error ${frame.code}: ${frame.message}`;
            if (frame.code >= 4000 && frame.code < 4100) fatal = true;
            if (frame.code >= 4200 && frame.code < 4300) asked = true;
            ws.close();
            break;
          case "message":
            this.emitMessage(frame.message);
            break;
          case "event":
            if (this.subscriptionEchoes.admit(frame.event)) this.emitEvent(frame.event);
            break;
          default:
            break;
        }
      });
      ws.on("error", (err: Error) => (error ??= err.message));
      ws.on("close", () => resolve({ asked, fatal, error: error ?? "connection closed" }));
      if (this.stopped) ws.terminate();
    });
  }
}

class LookupFailed extends Error {}
