#!/usr/bin/env node
import { createReadStream } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { SHED_POLICIES, type ShedPolicy } from "./core/bounded-queue.js";
import { SystemClock } from "./core/clock.js";
import { DEFAULT_MAX_MESSAGE_LENGTH } from "./core/message.js";
import { sentimentModelNames } from "./models/sentiment/registry.js";
import { summarizerNames } from "./models/summarizer/registry.js";
import { CHAT_FORMATS, type ChatFormat } from "./sources/decoder.js";
import { InputError } from "./sources/file-source.js";
import { DEFAULT_MAX_GAP_MS, parseDuration } from "./sources/time-guard.js";
import { DEFAULT_MAX_CHANNELS } from "./pipeline/pipeline-router.js";
import { sinkNames } from "./sinks/registry.js";
import { DEMO_CHAT_PATH } from "./commands/demo-command.js";
import { digestCommand } from "./commands/digest-command.js";
import { emotesCommand, type EmotesCommandOptions } from "./commands/emotes-command.js";
import { labelCommand, type BatchResult } from "./commands/label-command.js";
import { collectList, setUpModels } from "./commands/model-setup.js";
import { reportCommand, type ReportCommandOptions } from "./commands/report-command.js";
import { parseSpeed, runCommand, type CommandIO, type RunCommandOptions } from "./commands/run-command.js";
import type { Readable } from "node:stream";

const io: CommandIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, clock: new SystemClock(), color: process.stdout.isTTY === true && !process.env.NO_COLOR };

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive whole number");
  return n;
}

function durationArg(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function speedArg(value: string): ReturnType<typeof parseSpeed> {
  try {
    return parseSpeed(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

interface RunFlags {
  input?: string;
  twitch?: string[];
  fetchEmotes?: boolean;
  youtube?: string[];
  kick?: string[];
  record?: string;
  recordMaxBytes?: number;
  format?: ChatFormat;
  channel?: string;
  speed: ReturnType<typeof parseSpeed>;
  sink: string[];
  sentiment?: string;
  summarizer?: string;
  emotes: string[];
  ignoreUsers: string[];
  queue: number;
  shedPolicy: ShedPolicy;
  maxMessageLength: number;
  maxGap: number;
  maxChannels: number;
  progress: boolean;
  serve?: string;
  ingest?: boolean;
  corsOrigin: string[];
  alert: string[];
  alertRules?: string;
  config?: string;
}

function addRunOptions(cmd: Command, inputRequired: boolean): Command {
  if (inputRequired) {
    cmd
      .option("-i, --input <file>", "chat file to replay, or - for standard input (may be combined with live sources)")
      .option("--twitch <channels>", "read Twitch chat live: CHANNEL[,CHANNEL…] (anonymous; TWITCH_TOKEN/TWITCH_NICK to log in); repeatable", collectList)
      .option("--youtube <video>", "read a YouTube live chat: VIDEO_ID or URL (no API key); repeatable", (v: string, prev: string[] = []) => [...prev, v])
      .option("--kick <channel>", "read a Kick chat live; repeatable", (v: string, prev: string[] = []) => [...prev, v])
      .option("--fetch-emotes", "before starting, fetch the --twitch channels' BTTV / FFZ / 7TV emotes (goes online)")
      .option("--record <file>", "write every received message and event as JSON lines (replay with -i FILE)")
      .option("--record-max-bytes <n>", "rotate the recording at this size: FILE, FILE.1, … (default 100 MB)", positiveInt);
  }
  return cmd
    .addOption(new Option("-f, --format <format>", "input format (detected when omitted)").choices([...CHAT_FORMATS]))
    .option("-c, --channel <name>", "channel name when the input does not say (default: file name)")
    .option("-s, --speed <speed>", 'replay speed: 1 = real time, N = N× faster, "max" = as fast as possible', speedArg, 1)
    .option("--sink <sink>", `output, repeatable: ${sinkNames().join(", ")}, jsonl:FILE (default: hud on a terminal, else jsonl)`, collectList, [])
    .option("--sentiment <model>", `sentiment model (${sentimentModelNames().join(", ")})`)
    .option("--summarizer <name>", `headline summarizer (${summarizerNames().join(", ")})`)
    .option("--emotes <file>", "extra emote dictionary (chatstream-emotes/1 JSON), repeatable", collectList, [])
    .option("--ignore-users <names>", "users to count but keep out of sentiment and headline (comma-separated, repeatable)", collectList, [])
    .option("--queue <n>", "bounded queue capacity (messages)", positiveInt, 1000)
    .addOption(new Option("--shed-policy <policy>", "what a full queue drops for live sources").choices([...SHED_POLICIES]).default("drop-newest"))
    .option("--max-message-length <n>", "longer messages are cut (and counted)", positiveInt, DEFAULT_MAX_MESSAGE_LENGTH)
    .addOption(new Option("--max-gap <duration>", "a recorded time this far past the latest one is a bad line, skipped and reported (24h, 90m, 3600s or ms)").argParser(durationArg).default(DEFAULT_MAX_GAP_MS, "24h"))
    .option("--max-channels <n>", "channels kept at once; a new one evicts the least recently active (counted)", positiveInt, DEFAULT_MAX_CHANNELS)
    .option("--no-progress", "no progress bar on stderr")
    .option("--serve <[host:]port>", "serve HTTP API, WebSocket stream, metrics, dashboard and overlay (default host 127.0.0.1; other hosts need CHATSTREAM_TOKEN)")
    .option("--ingest", "accept chat pushed as JSON over the WebSocket at /v1/ingest (needs --serve; CHATSTREAM_TOKEN off loopback)")
    .option("--cors-origin <origin>", "allow this origin to call the API from a browser (repeatable; CORS is off by default)", (v: string, prev: string[] = []) => [...prev, v], [])
    .option("--alert <webhook:URL>", "post alerts to a Discord-compatible webhook (repeatable; needs --serve)", (v: string, prev: string[] = []) => [...prev, v], [])
    .option("--alert-rules <file>", "alert rules JSON (see docs/server.md)")
    .option("--config <file>", 'models JSON, e.g. {"sentiment":"lexicon","summarizer":"extractive"}; re-read on SIGHUP (needs --serve)');
}

function toRunOptions(flags: RunFlags): RunCommandOptions {
  return {
    input: flags.input,
    live: liveRunOptions(flags),
    format: flags.format,
    channel: flags.channel,
    speed: flags.speed,
    sinks: flags.sink,
    sentiment: flags.sentiment,
    summarizer: flags.summarizer,
    emotes: flags.emotes,
    ignoreUsers: flags.ignoreUsers,
    fetchEmotes: flags.fetchEmotes === true ? {} : undefined,
    queueCapacity: flags.queue,
    shedPolicy: flags.shedPolicy,
    maxMessageLength: flags.maxMessageLength,
    maxGapMs: flags.maxGap,
    maxChannels: flags.maxChannels,
    progress: flags.progress,
    server:
      flags.serve === undefined
        ? undefined
        : { serve: flags.serve, corsOrigins: flags.corsOrigin, alerts: flags.alert, alertRules: flags.alertRules, config: flags.config, token: process.env.CHATSTREAM_TOKEN, linger: true, ingest: flags.ingest === true },
  };
}

/** --twitch/--youtube/--kick/--record, the Twitch login from the environment, and Ctrl-C as the live stop signal. */
function liveRunOptions(flags: RunFlags): RunCommandOptions["live"] {
  if (!flags.twitch?.length && !flags.youtube?.length && !flags.kick?.length && flags.record === undefined && flags.ingest !== true) return undefined;
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  return {
    twitch: flags.twitch,
    youtube: flags.youtube,
    kick: flags.kick,
    twitchToken: process.env.TWITCH_TOKEN || undefined,
    twitchNick: process.env.TWITCH_NICK || undefined,
    twitchUrl: process.env.CHATSTREAM_TWITCH_URL || undefined,
    youtubeBaseUrl: process.env.CHATSTREAM_YOUTUBE_URL || undefined,
    kickBaseUrl: process.env.CHATSTREAM_KICK_URL || undefined,
    kickWsUrl: process.env.CHATSTREAM_KICK_WS_URL || undefined,
    record: flags.record,
    recordMaxBytes: flags.recordMaxBytes,
    stop: stop.signal,
  };
}

function openBatchInput(path: string | undefined): Readable {
  if (path === undefined || path === "-") return process.stdin;
  const stream = createReadStream(path);
  return stream;
}

function reportBatch(name: string, result: BatchResult): void {
  if (result.errors > 0) {
    process.stderr.write(`${name}: ${result.errors} of ${result.lines} lines could not be read:\n  ${result.errorSamples.join("\n  ")}\n`);
  }
}

// `chatstream run … | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

const program = new Command()
  .name("chatstream")
  .description("Turns a live chat flood into a rolling two-sentence headline with a sentiment bar and a confidence score, twice a second.")
  .version("0.1.0")
  .showHelpAfterError();

addRunOptions(program.command("run").description("replay a recording or read piped chat, publishing a snapshot every 500 ms of stream time"), true).action(
  async (flags: RunFlags) => {
    process.exitCode = await runCommand(toRunOptions(flags), io);
  },
);

addRunOptions(program.command("demo").description("replay the bundled scripted stream in real time into the terminal HUD"), false).action(async (flags: RunFlags) => {
  process.exitCode = await runCommand({ ...toRunOptions({ ...flags, input: DEMO_CHAT_PATH }), channel: flags.channel ?? "demo" }, io);
});

program
  .command("label")
  .description('sentiment per message: {"id","text"} lines in, {"id","label","scores"} lines out')
  .option("-i, --input <file>", "JSON lines (default: standard input)")
  .option("--sentiment <model>", `sentiment model (${sentimentModelNames().join(", ")})`)
  .option("--emotes <file>", "extra emote dictionary, repeatable", collectList, [])
  .action(async (flags: { input?: string; sentiment?: string; emotes: string[] }) => {
    const result = await labelCommand(setUpModels(flags), openBatchInput(flags.input), process.stdout);
    reportBatch("label", result);
  });

program
  .command("digest")
  .description('headline per window: {"id","messages":[{"t","user","text"}]} lines in, {"id","headline","mood","sentiment","confidence","topics"} out')
  .option("-i, --input <file>", "JSON lines (default: standard input)")
  .option("--sentiment <model>", `sentiment model (${sentimentModelNames().join(", ")})`)
  .option("--summarizer <name>", `headline summarizer (${summarizerNames().join(", ")})`)
  .option("--emotes <file>", "extra emote dictionary, repeatable", collectList, [])
  .option("--ignore-users <names>", "users to keep out of sentiment and headline", collectList, [])
  .action(async (flags: { input?: string; sentiment?: string; summarizer?: string; emotes: string[]; ignoreUsers: string[] }) => {
    const result = await digestCommand(setUpModels(flags), openBatchInput(flags.input), process.stdout);
    reportBatch("digest", result);
  });

program
  .command("report")
  .description("replay a recording at full speed and write one self-contained HTML report (timeline, headlines, peaks, clusters)")
  .requiredOption("-i, --input <file>", "chat recording")
  .requiredOption("-o, --out <file>", "HTML file to write")
  .addOption(new Option("-f, --format <format>", "input format (detected when omitted)").choices([...CHAT_FORMATS]))
  .option("-c, --channel <name>", "channel name when the input does not say")
  .addOption(new Option("--max-gap <duration>", "a recorded time this far past the latest one is a bad line (24h, 90m, 3600s or ms)").argParser(durationArg).default(DEFAULT_MAX_GAP_MS, "24h"))
  .option("--sentiment <model>", `sentiment model (${sentimentModelNames().join(", ")})`)
  .option("--summarizer <name>", `headline summarizer (${summarizerNames().join(", ")})`)
  .option("--emotes <file>", "extra emote dictionary, repeatable", collectList, [])
  .option("--ignore-users <names>", "users to keep out of sentiment and headline", collectList, [])
  .action(async (flags: ReportCommandOptions & { maxGap: number }) => {
    process.exitCode = await reportCommand({ ...flags, maxGapMs: flags.maxGap }, io);
  });

program
  .command("emotes")
  .description("fetch a Twitch channel's BTTV / FFZ / 7TV emotes into a chatstream-emotes/1 file for --emotes (goes online)")
  .requiredOption("--twitch <channel>", "Twitch channel login")
  .option("--providers <names>", "bttv, ffz, 7tv (comma-separated; default all)", collectList, [])
  .option("--global", "include each provider's global emotes too")
  .option("-o, --out <file>", "file to write (default: standard output)")
  .action(async (flags: EmotesCommandOptions) => {
    process.exitCode = await emotesCommand(flags, process.stdout, process.stderr);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof InputError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`${message.startsWith("chatstream") ? "" : "chatstream: "}${message}\n`);
  process.exitCode = 2;
  // Reported: what a stopped source may still hold (a pipe being read, a socket) must not keep the process alive.
  setTimeout(() => process.exit(), 1_000).unref();
});
