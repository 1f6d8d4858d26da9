/**
 * Which web pages may open the server's WebSockets. Browsers let any page open a WebSocket to any address, cookies
 * and all, and send the page's origin in `Origin`; nothing else stops a page the streamer happens to open from
 * reading the stream or pushing fake chat into /v1/ingest (cross-site WebSocket hijacking). So a WebSocket upgrade
 * is accepted only:
 * - without an `Origin` header: not a browser (OBS's browser source and every browser do send one);
 * - from the server's own origin: the page was served by this server (its host and port are the request's `Host`;
 *   127.0.0.1, localhost and [::1] of the same port count as one);
 * - from an origin listed with `--cors-origin` (the same list that allows HTTP CORS).
 *
 * On a loopback bind, every request's `Host` must also be a loopback name (or the host of a listed origin): a
 * DNS-rebinding page (evil.example resolving to 127.0.0.1) is same-origin with what it reaches, so CORS does not stop
 * it from reading HTTP answers, but its requests say `Host: evil.example`.
 */

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

function isLoopbackName(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export type OriginVerdict = { ok: true } | { ok: false; detail: string };

/** `--cors-origin` values as browsers send them (`scheme://host[:port]`, no path); throws on anything else. */
export function normalizeOrigin(spec: string): string {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new Error(`--cors-origin takes an origin like https://dash.example, got "${spec}"`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username !== "" || url.password !== "" || (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
    throw new Error(`--cors-origin takes an origin like https://dash.example (scheme, host and port only), got "${spec}"`);
  }
  return url.origin;
}

function effectivePort(url: URL): string {
  return url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "80";
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export class OriginPolicy {
  private readonly allowed: Set<string>;
  private readonly allowedHosts: Set<string>;

  /**
   * @param allowed origins from `--cors-origin` (normalized here)
   * @param loopbackBind the server listens on a loopback address only
   */
  constructor(
    allowed: readonly string[],
    private readonly loopbackBind: boolean,
  ) {
    this.allowed = new Set(allowed.map(normalizeOrigin));
    this.allowedHosts = new Set([...this.allowed].map((o) => new URL(o).host));
  }

  /** Whether a request naming this `Host` may be served at all (HTTP and WebSocket alike). */
  hostAllowed(host: string | undefined): boolean {
    if (!this.loopbackBind || host === undefined) return true;
    const server = parse(`http://${host}`);
    return server !== undefined && (isLoopbackName(server.hostname) || this.allowedHosts.has(server.host));
  }

  /** `origin` and `host` are the request's headers; the server speaks plain HTTP (TLS, if any, ends in a proxy). */
  check(origin: string | undefined, host: string | undefined): OriginVerdict {
    if (origin === undefined) return { ok: true };
    const page = parse(origin);
    if (page !== undefined && this.allowed.has(page.origin)) return { ok: true };
    if (page !== undefined && host !== undefined && this.isOwn(page, host)) return { ok: true };
    return { ok: false, detail: `a page from ${JSON.stringify(origin)} may not open this WebSocket: only the server's own pages and the origins listed with --cors-origin may` };
  }

  private isOwn(page: URL, host: string): boolean {
    const server = parse(`http://${host}`);
    if (server === undefined || page.protocol !== "http:" || effectivePort(page) !== effectivePort(server)) return false;
    const serverLoopback = isLoopbackName(server.hostname);
    if (this.loopbackBind && !serverLoopback) return false;
    return page.hostname === server.hostname || (serverLoopback && isLoopbackName(page.hostname));
  }
}
