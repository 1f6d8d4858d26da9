import { SHED_POLICIES, type ShedPolicy } from "../core/bounded-queue.js";
import { DEFAULT_MAX_MESSAGE_LENGTH } from "../core/message.js";
import { DEFAULT_MAX_CHANNELS } from "../pipeline/pipeline-router.js";
import { CHAT_FORMATS, type ChatFormat } from "../sources/decoder.js";
import { DEFAULT_MAX_GAP_MS } from "../sources/time-guard.js";
import {
  booleanValue,
  choiceValue,
  durationValue,
  listValue,
  modelOptionsValue,
  speedValue,
  textValue,
  wholeNumberValue,
  type SettingDefinition,
  type SettingScope,
} from "./setting.js";

/**
 * Every setting of `chatstream run` / `demo` (and the program's `--plugin`), resolved: a flag, else an environment
 * variable, else the config file, else the default. Keys are the config file's keys and commander's attribute names.
 */
export interface Settings {
  input: string | undefined;
  twitch: string[];
  youtube: string[];
  kick: string[];
  fetchEmotes: boolean;
  record: string | undefined;
  recordMaxBytes: number | undefined;
  format: ChatFormat | undefined;
  channel: string | undefined;
  speed: number | "max";
  sink: string[];
  sentiment: string | undefined;
  summarizer: string | undefined;
  sentimentOptions: Record<string, unknown> | undefined;
  summarizerOptions: Record<string, unknown> | undefined;
  emotes: string[];
  ignoreUsers: string[];
  queue: number;
  shedPolicy: ShedPolicy;
  maxMessageLength: number;
  maxGap: number;
  maxChannels: number;
  progress: boolean;
  serve: string | undefined;
  token: string | undefined;
  ingest: boolean;
  ingestToken: string | undefined;
  corsOrigin: string[];
  alert: string[];
  alertRules: string | undefined;
  config: string | undefined;
  plugin: string[];
  twitchToken: string | undefined;
  twitchNick: string | undefined;
  openaiApiKey: string | undefined;
  openaiBaseUrl: string | undefined;
  twitchUrl: string | undefined;
  youtubeUrl: string | undefined;
  kickUrl: string | undefined;
  kickWsUrl: string | undefined;
  broker: string | undefined;
  brokerCreds: string | undefined;
  brokerToken: string | undefined;
  brokerUser: string | undefined;
  brokerPassword: string | undefined;
  brokerRetentionMs: number | undefined;
  brokerDuplicateWindowMs: number | undefined;
}

export type SettingKey = keyof Settings;

const RUN: readonly SettingScope[] = ["run"];
const RUN_AND_DEMO: readonly SettingScope[] = ["run", "demo"];
/** The scale-out roles: read by src/broker/broker-config.ts (flag, else variable); not in the config file. */
const BROKER_ROLES: readonly SettingScope[] = ["ingest", "worker", "serve"];

/**
 * The one table of settings: the commander options of `run` and `demo` are built from it (src/config/cli-options.ts),
 * the config file is validated against it, and docs/configuration.md is rendered from it (`npm run docs`; a test
 * fails when the committed copy drifts). Order: the order of `--help` and of the reference.
 */
export const SETTINGS: { readonly [K in SettingKey]: SettingDefinition<Settings[K]> } = {
  input: { flag: "-i, --input <file>", env: ["CHATSTREAM_INPUT"], scopes: RUN, type: textValue("file"), description: "chat file to replay, or - for standard input (may be combined with live sources)" },
  twitch: { flag: "--twitch <channels>", env: ["CHATSTREAM_TWITCH"], scopes: RUN, type: listValue(true), default: [], defaultText: "none", description: "read Twitch chat live: CHANNEL[,CHANNEL…] (anonymous; TWITCH_TOKEN/TWITCH_NICK to log in); repeatable" },
  youtube: { flag: "--youtube <video>", env: ["CHATSTREAM_YOUTUBE"], scopes: RUN, type: listValue(false), default: [], defaultText: "none", description: "read a YouTube live chat: VIDEO_ID or URL (no API key); repeatable" },
  kick: { flag: "--kick <channel>", env: ["CHATSTREAM_KICK"], scopes: RUN, type: listValue(false), default: [], defaultText: "none", description: "read a Kick chat live; repeatable" },
  fetchEmotes: { flag: "--fetch-emotes", env: ["CHATSTREAM_FETCH_EMOTES"], scopes: RUN, type: booleanValue(), default: false, description: "before starting, fetch the --twitch channels' BTTV / FFZ / 7TV emotes (goes online)" },
  record: { flag: "--record <file>", env: ["CHATSTREAM_RECORD"], scopes: RUN, type: textValue("file"), description: "write every received message and event as JSON lines (replay with -i FILE)" },
  recordMaxBytes: { flag: "--record-max-bytes <n>", env: ["CHATSTREAM_RECORD_MAX_BYTES"], scopes: RUN, type: wholeNumberValue(1), defaultText: "100 MB", description: "rotate the recording at this size: FILE, FILE.1, …" },
  format: { flag: "-f, --format <format>", env: ["CHATSTREAM_FORMAT"], scopes: RUN_AND_DEMO, type: choiceValue(CHAT_FORMATS), defaultText: "detected from the content", description: "input format" },
  channel: { flag: "-c, --channel <name>", env: ["CHATSTREAM_CHANNEL"], scopes: RUN_AND_DEMO, type: textValue("name"), defaultText: "the file name", description: "channel name when the input does not say" },
  speed: { flag: "-s, --speed <speed>", env: ["CHATSTREAM_SPEED"], scopes: RUN_AND_DEMO, type: speedValue(), default: 1, description: 'replay speed: 1 = real time, N = N× faster, "max" = as fast as possible' },
  sink: { flag: "--sink <sink>", env: ["CHATSTREAM_SINK"], scopes: RUN_AND_DEMO, type: listValue(true), default: [], defaultText: "hud on a terminal, else jsonl", description: "output, repeatable; jsonl:FILE writes to a file" },
  sentiment: { flag: "--sentiment <model>", env: ["CHATSTREAM_SENTIMENT"], scopes: RUN_AND_DEMO, type: textValue("model name"), defaultText: "embedded", description: "sentiment model by name; hot-swapped on SIGHUP from the config file" },
  summarizer: { flag: "--summarizer <name>", env: ["CHATSTREAM_SUMMARIZER"], scopes: RUN_AND_DEMO, type: textValue("summarizer name"), defaultText: "embedded", description: "headline summarizer by name (an LLM as NAME:MODEL, docs/llm.md); hot-swapped on SIGHUP from the config file" },
  sentimentOptions: { env: ["CHATSTREAM_SENTIMENT_OPTIONS"], scopes: RUN_AND_DEMO, type: modelOptionsValue(), defaultText: "none", description: "options of the sentiment model in effect; re-read on SIGHUP with a changed sentiment" },
  summarizerOptions: { env: ["CHATSTREAM_SUMMARIZER_OPTIONS"], scopes: RUN_AND_DEMO, type: modelOptionsValue(), defaultText: "none", description: "options of the summarizer in effect (temperature, timeoutMs, apiKey, baseURL … docs/llm.md); re-read on SIGHUP with a changed summarizer" },
  emotes: { flag: "--emotes <file>", env: ["CHATSTREAM_EMOTES"], scopes: RUN_AND_DEMO, type: listValue(true), default: [], defaultText: "none", description: "extra emote dictionary (chatstream-emotes/1 JSON), repeatable" },
  ignoreUsers: { flag: "--ignore-users <names>", env: ["CHATSTREAM_IGNORE_USERS"], scopes: RUN_AND_DEMO, type: listValue(true), default: [], defaultText: "none", description: "users to count but keep out of sentiment and headline (comma-separated, repeatable)" },
  queue: { flag: "--queue <n>", env: ["CHATSTREAM_QUEUE"], scopes: RUN_AND_DEMO, type: wholeNumberValue(1), default: 1000, description: "bounded queue capacity (messages)" },
  shedPolicy: { flag: "--shed-policy <policy>", env: ["CHATSTREAM_SHED_POLICY"], scopes: RUN_AND_DEMO, type: choiceValue(SHED_POLICIES), default: "drop-newest", description: "what a full queue drops for live sources" },
  maxMessageLength: { flag: "--max-message-length <n>", env: ["CHATSTREAM_MAX_MESSAGE_LENGTH"], scopes: RUN_AND_DEMO, type: wholeNumberValue(1), default: DEFAULT_MAX_MESSAGE_LENGTH, description: "longer messages are cut (and counted)" },
  maxGap: { flag: "--max-gap <duration>", env: ["CHATSTREAM_MAX_GAP"], scopes: RUN_AND_DEMO, type: durationValue(), default: DEFAULT_MAX_GAP_MS, defaultText: "24h", description: "a recorded time this far past the latest one is a bad line, skipped and reported (24h, 90m, 3600s or ms)" },
  maxChannels: { flag: "--max-channels <n>", env: ["CHATSTREAM_MAX_CHANNELS"], scopes: RUN_AND_DEMO, type: wholeNumberValue(1), default: DEFAULT_MAX_CHANNELS, description: "channels kept at once; a new one evicts the least recently active (counted)" },
  progress: { flag: "--no-progress", env: ["CHATSTREAM_PROGRESS"], scopes: RUN_AND_DEMO, type: booleanValue(), default: true, description: "progress bar on stderr (--no-progress: none)" },
  serve: { flag: "--serve <[host:]port>", env: ["CHATSTREAM_SERVE"], scopes: RUN_AND_DEMO, type: textValue("[host:]port"), defaultText: "off", description: "serve HTTP API, WebSocket stream, metrics, dashboard and overlay (default host 127.0.0.1; other hosts need CHATSTREAM_TOKEN)" },
  token: { env: ["CHATSTREAM_TOKEN"], scopes: RUN_AND_DEMO, type: textValue("token"), secret: true, description: "API bearer token; required to serve beyond loopback (clients send Authorization: Bearer TOKEN)" },
  ingest: { flag: "--ingest", env: ["CHATSTREAM_INGEST"], scopes: RUN_AND_DEMO, type: booleanValue(), default: false, description: "accept chat pushed as JSON over the WebSocket at /v1/ingest (needs --serve; CHATSTREAM_TOKEN off loopback)" },
  ingestToken: { flag: "--ingest-token <token>", env: ["CHATSTREAM_INGEST_TOKEN"], scopes: RUN_AND_DEMO, type: textValue("token"), secret: true, defaultText: "CHATSTREAM_TOKEN", description: "the token producers must present at /v1/ingest" },
  corsOrigin: { flag: "--cors-origin <origin>", env: ["CHATSTREAM_CORS_ORIGIN"], scopes: RUN_AND_DEMO, type: listValue(false), default: [], defaultText: "none", description: "allow pages of this origin to call the API and open its WebSockets (repeatable; by default only the server's own pages)" },
  alert: { flag: "--alert <webhook:URL>", env: ["CHATSTREAM_ALERT"], scopes: RUN_AND_DEMO, type: listValue(false), default: [], defaultText: "none", description: "post alerts to a Discord-compatible webhook (repeatable; needs --serve)" },
  alertRules: { flag: "--alert-rules <file>", env: ["CHATSTREAM_ALERT_RULES"], scopes: RUN_AND_DEMO, type: textValue("file"), defaultText: "built-in", description: "alert rules JSON (see docs/server.md)" },
  config: { flag: "--config <file>", env: ["CHATSTREAM_CONFIG"], inFile: false, scopes: RUN_AND_DEMO, type: textValue("file"), defaultText: "none", description: "config file (YAML or JSON) of these settings; its models part is re-read on SIGHUP (with --serve)" },
  plugin: { flag: "--plugin <file>", env: ["CHATSTREAM_PLUGIN"], scopes: ["program"], type: listValue(true), default: [], defaultText: "none", description: "ES module that registers sentiment models, summarizers or sinks (repeatable; docs/plugins.md)" },
  twitchToken: { env: ["TWITCH_TOKEN"], scopes: RUN, type: textValue("token"), secret: true, description: 'Twitch OAuth token ("oauth:…") to log in to chat; anonymous reading needs none' },
  twitchNick: { env: ["TWITCH_NICK"], scopes: RUN, type: textValue("login"), description: "Twitch login the token belongs to" },
  openaiApiKey: { env: ["OPENAI_API_KEY"], scopes: RUN_AND_DEMO, type: textValue("key"), secret: true, description: "key of the OpenAI API for --summarizer openai:MODEL (never sent to a local server preset)" },
  openaiBaseUrl: { env: ["OPENAI_BASE_URL"], scopes: RUN_AND_DEMO, type: textValue("URL"), description: "base URL of an OpenAI-compatible server for --summarizer openai:MODEL" },
  twitchUrl: { env: ["CHATSTREAM_TWITCH_URL"], scopes: RUN, type: textValue("URL"), defaultText: "ircs://irc.chat.twitch.tv:6697", description: "Twitch chat endpoint: ircs://, irc://, wss:// or ws:// (tests, proxies)" },
  youtubeUrl: { env: ["CHATSTREAM_YOUTUBE_URL"], scopes: RUN, type: textValue("URL"), defaultText: "https://www.youtube.com", description: "YouTube endpoint (tests, proxies)" },
  kickUrl: { env: ["CHATSTREAM_KICK_URL"], scopes: RUN, type: textValue("URL"), defaultText: "https://kick.com", description: "Kick API endpoint (tests, proxies)" },
  kickWsUrl: { env: ["CHATSTREAM_KICK_WS_URL"], scopes: RUN, type: textValue("URL"), defaultText: "Kick's Pusher endpoint", description: "Kick chat WebSocket endpoint (tests, proxies)" },
  broker: { flag: "--broker <url>", env: ["CHATSTREAM_BROKER"], inFile: false, scopes: BROKER_ROLES, type: textValue("URL[,URL…]"), defaultText: "none (required)", description: "NATS server URL(s), comma-separated (nats://, tls://); a user and password in the URL are taken out of it as the credentials (docs/scale-out.md)" },
  brokerCreds: { flag: "--broker-creds <file>", env: ["CHATSTREAM_BROKER_CREDS"], inFile: false, scopes: BROKER_ROLES, type: textValue("file"), defaultText: "none", description: "NATS .creds file (JWT and NKey seed); wins over the token and the user below" },
  brokerToken: { env: ["CHATSTREAM_BROKER_TOKEN"], inFile: false, scopes: BROKER_ROLES, type: textValue("token"), secret: true, description: "NATS token (when no .creds file is given)" },
  brokerUser: { env: ["CHATSTREAM_BROKER_USER"], inFile: false, scopes: BROKER_ROLES, type: textValue("user"), description: "NATS user (with CHATSTREAM_BROKER_PASSWORD; when no .creds file or token is given)" },
  brokerPassword: { env: ["CHATSTREAM_BROKER_PASSWORD"], inFile: false, scopes: BROKER_ROLES, type: textValue("password"), secret: true, description: "NATS password of CHATSTREAM_BROKER_USER" },
  brokerRetentionMs: { env: ["CHATSTREAM_BROKER_RETENTION_MS"], inFile: false, scopes: BROKER_ROLES, type: wholeNumberValue(1), defaultText: "1800000 (30 min)", description: "age of the CHAT stream's messages and of roll-up de-duplication, ms ≥ 1000; must cover two 10 min periods plus the lag" },
  brokerDuplicateWindowMs: { env: ["CHATSTREAM_BROKER_DUPLICATE_WINDOW_MS"], inFile: false, scopes: BROKER_ROLES, type: wholeNumberValue(1), defaultText: "600000 (10 min)", description: "how long JetStream recognises a re-sent chat message, ms ≥ 1000" },
};

/** The table by key, for keys that come from outside (a config file): a Map, never a lookup in the object. */
export const SETTING_BY_KEY: ReadonlyMap<string, SettingDefinition<unknown>> = new Map(Object.entries(SETTINGS) as [string, SettingDefinition<unknown>][]);

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The models part of the config file: what SIGHUP re-reads and hot-swaps (with --serve). */
export const MODEL_KEYS = ["sentiment", "summarizer", "sentimentOptions", "summarizerOptions"] as const satisfies readonly SettingKey[];
