import { DEFAULT_MAX_MESSAGE_LENGTH } from "../../../core/message.js";
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from "../backoff.js";
import { HttpError, retryAfterMs } from "../http-retry.js";
import { RunLoopSource, type LiveSourceBaseOptions } from "../live-source.js";
import { parseChatResponse, parseLiveChatPage, youtubeVideoId, type InnertubeConfig } from "./youtube-chat.js";

export const YOUTUBE_BASE_URL = "https://www.youtube.com";
const DEFAULT_POLL_MS = 5000;
const MIN_POLL_MS = 250;
const MAX_POLL_MS = 60_000;

export interface YouTubeSourceOptions extends LiveSourceBaseOptions {
  /** Video id or URL. */
  video: string;
  /** Default https://www.youtube.com (tests point it at loopback). */
  baseUrl?: string;
  maxMessageLength?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Gives up after this many consecutive failures (default 20). */
  maxAttempts?: number;
  fetch?: typeof fetch;
}

/**
 * YouTube live chat without an API key, as the maintained open-source readers do it: the live-chat page gives
 * the innertube key, client version and first continuation; `youtubei/v1/live_chat/get_live_chat` is then
 * polled with each response's continuation, waiting the `timeoutMs` the server asks for. HTTP 429 waits for
 * Retry-After; server errors and drops back off exponentially with jitter (on the injected clock).
 */
export class YouTubeSource extends RunLoopSource {
  private readonly abort = new AbortController();
  private readonly videoId: string;
  private readonly baseUrl: string;

  constructor(private readonly options: YouTubeSourceOptions) {
    const id = youtubeVideoId(options.video);
    if (id === undefined) throw new Error(`--youtube: not a video id or URL: "${options.video}"`);
    super(`youtube:${id}`, "youtube", [id], options);
    this.videoId = id;
    this.baseUrl = (options.baseUrl ?? YOUTUBE_BASE_URL).replace(/\/$/, "");
  }

  protected interrupt(): void {
    this.abort.abort();
  }

  protected async run(): Promise<void> {
    const random = this.options.random ?? Math.random;
    const maxAttempts = this.options.maxAttempts ?? 20;
    let config: InnertubeConfig | undefined;
    let attempt = 0;
    let wasConnected = false;
    while (!this.stopped) {
      try {
        config ??= await this.fetchConfig();
        const body = await this.fetchJson(config);
        const page = parseChatResponse(body, this.videoId, this.streamTime(), this.options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH);
        this.state = "connected";
        wasConnected = true;
        attempt = 0;
        for (const m of page.messages) this.emitMessage(m);
        for (const e of page.events) this.emitEvent(e);
        if (page.next === undefined) {
          this.lastError = "live chat ended";
          break;
        }
        config = { ...config, continuation: page.next.continuation };
        await this.sleep(Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, page.next.timeoutMs ?? DEFAULT_POLL_MS)));
      } catch (err) {
        if (this.stopped) break;
        const error = err as Error;
        this.lastError = error.message;
        if (err instanceof FatalError || attempt >= maxAttempts) {
          this.state = "closed";
          this.buffer.end(new Error(`youtube:${this.videoId}: ${attempt >= maxAttempts ? `gave up after ${attempt} attempts: ` : ""}${error.message}`));
          return;
        }
        this.state = wasConnected ? "reconnecting" : "connecting";
        this.reconnectCount++;
        // A continuation the server no longer knows (4xx) is renewed from the page.
        if (err instanceof HttpError && err.status >= 400 && err.status < 500 && err.status !== 429) config = undefined;
        const delay = err instanceof HttpError && err.retryAfter !== undefined ? err.retryAfter : backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF, random);
        attempt++;
        await this.sleep(delay);
      }
    }
    this.state = "closed";
    this.buffer.end();
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const f = this.options.fetch ?? fetch;
    const response = await f(url, { ...init, signal: this.abort.signal });
    if (!response.ok) {
      await response.body?.cancel();
      throw new HttpError(response.status, retryAfterMs(response.headers.get("retry-after"), Date.now()), `HTTP ${response.status} from ${new URL(url).pathname}`);
    }
    return response;
  }

  private async fetchConfig(): Promise<InnertubeConfig> {
    const response = await this.request(`${this.baseUrl}/live_chat?is_popout=1&v=${encodeURIComponent(this.videoId)}`, {
      headers: { "user-agent": "Mozilla/5.0 (chatstream)", "accept-language": "en-US,en;q=0.9" },
    });
    const config = parseLiveChatPage(await response.text());
    if (config === undefined) throw new FatalError(`no live chat for ${this.videoId} (not live, or chat disabled)`);
    return config;
  }

  private async fetchJson(config: InnertubeConfig): Promise<unknown> {
    const response = await this.request(`${this.baseUrl}/youtubei/v1/live_chat/get_live_chat?key=${encodeURIComponent(config.apiKey)}&prettyPrint=false`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ context: { client: { clientName: "WEB", clientVersion: config.clientVersion } }, continuation: config.continuation }),
    });
    return (await response.json()) as unknown;
  }
}

class FatalError extends Error {}
