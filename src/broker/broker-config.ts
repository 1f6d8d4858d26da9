import { readFileSync } from "node:fs";

/** Default stream retention. A rebuild replays from the start of the 10 min period before the current one (the previous period's clusters give growth), so it needs up to 20 min, plus lag. */
export const DEFAULT_RETENTION_MS = 30 * 60_000;
/** Re-sent chat is dropped by JetStream within this window (a reconnecting source re-sends recent history). */
export const DEFAULT_CHAT_DUPLICATE_WINDOW_MS = 10 * 60_000;

export type BrokerAuth = { kind: "none" } | { kind: "token"; token: string } | { kind: "user"; user: string; pass: string } | { kind: "creds"; creds: Uint8Array };

/** One broker connection, from `--broker URL` or `CHATSTREAM_BROKER`, credentials from a file or the environment. */
export interface BrokerConfig {
  /** Server URLs without credentials (safe to print). */
  servers: string[];
  auth: BrokerAuth;
  /** Stream retention (max age) of the chat stream. */
  retentionMs: number;
  duplicateWindowMs: number;
}

export interface BrokerConfigInput {
  /** `--broker URL[,URL…]`; falls back to CHATSTREAM_BROKER. */
  broker?: string;
  /** `--broker-creds FILE`: a NATS .creds file (JWT and NKey seed); falls back to CHATSTREAM_BROKER_CREDS. */
  credsFile?: string;
  env: Readonly<Record<string, string | undefined>>;
  readFile?: (path: string) => Uint8Array;
}

/**
 * Reads and checks the broker settings, or throws an Error whose message names the setting at fault (the CLI
 * turns it into a one-line usage error). A password in the URL (`nats://user:pass@host`) is taken as the
 * credentials and removed from the URL, so nothing printed ever carries it.
 */
export function brokerConfigFrom(input: BrokerConfigInput): BrokerConfig {
  const raw = input.broker ?? input.env.CHATSTREAM_BROKER;
  if (raw === undefined || raw.trim() === "") throw new Error("give the broker with --broker URL or CHATSTREAM_BROKER (e.g. nats://127.0.0.1:4222)");
  let urlAuth: BrokerAuth = { kind: "none" };
  const servers = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      let url: URL;
      try {
        url = new URL(s.includes("://") ? s : `nats://${s}`);
      } catch {
        throw new Error(`--broker: "${s.replace(/\/\/[^@/]*@/, "//…@")}" is not a URL`);
      }
      if (!["nats:", "tls:", "ws:", "wss:"].includes(url.protocol)) throw new Error(`--broker: unsupported scheme ${url.protocol} (nats:, tls:)`);
      if (url.username !== "") {
        const user = decodeURIComponent(url.username);
        urlAuth = url.password === "" ? { kind: "token", token: user } : { kind: "user", user, pass: decodeURIComponent(url.password) };
      }
      return `${url.protocol}//${url.host}`;
    });
  const env = input.env;
  const credsFile = input.credsFile ?? env.CHATSTREAM_BROKER_CREDS;
  let auth: BrokerAuth = urlAuth;
  if (credsFile !== undefined && credsFile !== "") {
    try {
      auth = { kind: "creds", creds: (input.readFile ?? readFileSync)(credsFile) };
    } catch (err) {
      throw new Error(`--broker-creds: cannot read ${credsFile}: ${(err as Error).message}`, { cause: err });
    }
  } else if (env.CHATSTREAM_BROKER_TOKEN) {
    auth = { kind: "token", token: env.CHATSTREAM_BROKER_TOKEN };
  } else if (env.CHATSTREAM_BROKER_USER) {
    auth = { kind: "user", user: env.CHATSTREAM_BROKER_USER, pass: env.CHATSTREAM_BROKER_PASSWORD ?? "" };
  }
  return {
    servers,
    auth,
    retentionMs: positiveMs(env.CHATSTREAM_BROKER_RETENTION_MS, DEFAULT_RETENTION_MS, "CHATSTREAM_BROKER_RETENTION_MS"),
    duplicateWindowMs: positiveMs(env.CHATSTREAM_BROKER_DUPLICATE_WINDOW_MS, DEFAULT_CHAT_DUPLICATE_WINDOW_MS, "CHATSTREAM_BROKER_DUPLICATE_WINDOW_MS"),
  };
}

function positiveMs(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1000) throw new Error(`${name} must be a whole number of milliseconds ≥ 1000, got "${value}"`);
  return n;
}
