#!/usr/bin/env node
import { Readable } from "node:stream";
import { formatCount } from "./core/count-format.js";
import { Command, InvalidArgumentError, Option, type CommanderError } from "commander";
import { SystemClock } from "./core/clock.js";
import { cleanText } from "./core/text-cleaning.js";
import { sentimentModelNames } from "./models/sentiment/registry.js";
import { DEFAULT_PROMPT_LIMITS, PROMPT_STYLES } from "./models/summarizer/llm/prompt.js";
import { summarizerNames } from "./models/summarizer/registry.js";
import { CHAT_FORMATS, type ChatFormat } from "./sources/decoder.js";
import { DEFAULT_MAX_MESSAGE_LENGTH } from "./core/message.js";
import { openByteSource } from "./sources/byte-source.js";
import { DEFAULT_MAX_GAP_MS, parseDuration } from "./sources/time-guard.js";
import { sinkNames } from "./sinks/registry.js";
import { DEMO_CHAT_PATH } from "./commands/demo-command.js";
import type { DigestFlags } from "./commands/digest-command.js";
import type { BenchLoadFlags } from "./commands/bench-command.js";
import { parseRate } from "./bench/load-plan.js";
import type { EmotesCommandOptions } from "./commands/emotes-command.js";
import type { BatchResult } from "./commands/label-command.js";
import { collectList, setUpModels, superviseSummarizer } from "./commands/model-setup.js";
import type { ReportCommandOptions } from "./commands/report-command.js";
import { parseSpeed, runCommand, type CommandIO, type RunCommandOptions } from "./commands/run-command.js";
import { assertReadableFile, UsageError } from "./commands/usage-error.js";
import { addSettingOptions, flagsGiven, type SettingNames } from "./config/cli-options.js";
import type { ConfigFile } from "./config/config-file.js";
import { resolveSetting, resolveSettings } from "./config/resolve-settings.js";
import type { Settings } from "./config/settings.js";
import type { ModelRole } from "./server/api-schemas.js";

const io: CommandIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, clock: new SystemClock(), color: process.stdout.isTTY === true && !process.env.NO_COLOR };

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive whole number");
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number");
  return n;
}

function durationArg(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** `chatstream ingest --speed` (run and demo read theirs through the settings table). */
function speedArg(value: string): ReturnType<typeof parseSpeed> {
  try {
    return parseSpeed(value);
  } catch {
    throw new InvalidArgumentError('expected a positive number or "max"');
  }
}

/** What `run` or `demo` runs with, resolved from flags, environment and config file, and who gave the models. */
interface RunSettings {
  values: Settings;
  /** Models set by a flag or a variable: SIGHUP leaves them be (flag > env > file), saying so. */
  pinnedModels: Map<ModelRole, string>;
}

/**
 * Resolves `run` / `demo`'s settings: flag > environment variable > --config file > default (docs/configuration.md).
 * The file is validated whole before any of it is used; a problem in it, or in a variable, is one line and exit 2.
 */
async function resolveRunSettings(cmd: Command, scope: "run" | "demo"): Promise<RunSettings> {
  const flags = flagsGiven(cmd, scope);
  for (const [key, value] of flagsGiven(program, "program")) flags.set(key, value);
  const config = resolveSetting("config", flags, process.env, undefined);
  let file: ConfigFile | undefined;
  if (config.value !== undefined) {
    assertReadableFile(config.value, config.givenBy);
    // Loaded only for a config file: a run without one keeps its start-up (docs/performance.md#start-up).
    file = await (await import("./config/config-file.js")).readConfigFile(config.value);
  }
  const { values, origins, givenBy } = resolveSettings(scope, flags, process.env, file);
  // The preAction hook loaded the plugins of a flag or a variable; the file's come here, before any model is built.
  if (origins.get("plugin") === "file" && values.plugin.length > 0) await (await import("./commands/plugins.js")).loadPlugins(values.plugin);
  // The LLM client reads its key and base URL from the environment when it is built (also on a hot-swap): a value
  // from the file joins the environment only where the variable is unset, so the variable still wins.
  if (origins.get("openaiApiKey") === "file" && values.openaiApiKey !== undefined) process.env.OPENAI_API_KEY = values.openaiApiKey;
  if (origins.get("openaiBaseUrl") === "file" && values.openaiBaseUrl !== undefined) process.env.OPENAI_BASE_URL = values.openaiBaseUrl;
  const pinnedModels = new Map<ModelRole, string>();
  for (const role of ["sentiment", "summarizer"] as const) {
    const origin = origins.get(role);
    if (origin === "flag" || origin === "env") pinnedModels.set(role, givenBy.get(role) ?? role);
  }
  return { values, pinnedModels };
}

/** Settings that only mean something with --serve: given without it, they would be ignored silently. */
function refuseServerFlagsWithoutServe(settings: Settings): void {
  if (settings.serve !== undefined) return;
  const given = [
    settings.ingest ? "--ingest" : undefined,
    settings.corsOrigin.length > 0 ? "--cors-origin" : undefined,
    settings.alert.length > 0 ? "--alert" : undefined,
    settings.alertRules !== undefined ? "--alert-rules" : undefined,
  ].filter((f) => f !== undefined);
  if (given.length > 0) throw new UsageError(`${given.join(", ")} ${given.length > 1 ? "need" : "needs"} --serve [HOST:]PORT`);
}

function toRunOptions({ values: s, pinnedModels }: RunSettings, stop: AbortSignal): RunCommandOptions & { stop: AbortSignal } {
  refuseServerFlagsWithoutServe(s);
  return {
    input: s.input,
    stop,
    live: liveRunOptions(s, stop),
    format: s.format,
    channel: s.channel,
    speed: s.speed,
    sinks: s.sink,
    sentiment: s.sentiment,
    summarizer: s.summarizer,
    sentimentOptions: s.sentimentOptions,
    summarizerOptions: s.summarizerOptions,
    emotes: s.emotes,
    ignoreUsers: s.ignoreUsers,
    fetchEmotes: s.fetchEmotes ? {} : undefined,
    queueCapacity: s.queue,
    shedPolicy: s.shedPolicy,
    maxMessageLength: s.maxMessageLength,
    maxGapMs: s.maxGap,
    maxChannels: s.maxChannels,
    progress: s.progress,
    server:
      s.serve === undefined
        ? undefined
        : { serve: s.serve, corsOrigins: s.corsOrigin, alerts: s.alert, alertRules: s.alertRules, config: s.config, pinnedModels, token: s.token, ingestToken: s.ingestToken, linger: true, ingest: s.ingest },
  };
}

/** --twitch/--youtube/--kick/--record, the Twitch login, the endpoints, and the run's stop signal. */
function liveRunOptions(s: Settings, stop: AbortSignal): RunCommandOptions["live"] {
  if (s.twitch.length === 0 && s.youtube.length === 0 && s.kick.length === 0 && s.record === undefined && !s.ingest) return undefined;
  return {
    twitch: s.twitch,
    youtube: s.youtube,
    kick: s.kick,
    twitchToken: s.twitchToken,
    twitchNick: s.twitchNick,
    twitchUrl: s.twitchUrl,
    youtubeBaseUrl: s.youtubeUrl,
    kickBaseUrl: s.kickUrl,
    kickWsUrl: s.kickWsUrl,
    record: s.record,
    recordMaxBytes: s.recordMaxBytes,
    stop,
  };
}

/**
 * SIGINT (Ctrl-C) or SIGTERM (a supervisor) during `run`: the first stops every source, publishes what was read,
 * flushes the open roll-ups and exits 0; a second exits at once (130 or 143, as the signal would have).
 */
function stopOnSignal(): AbortSignal {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) process.exit(signal === "SIGINT" ? 130 : 143);
    io.stderr.write(`chatstream: ${signal}: stopping (again to quit at once)\n`);
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return stop.signal;
}

/** Runs `run` (or `demo`) until its input ends or a signal stops it. */
async function runUntilStopped(options: RunCommandOptions & { stop: AbortSignal }): Promise<void> {
  process.exitCode = await runCommand(options, io);
  // Stopped: a source that cannot end by itself (a pipe its producer holds open) must not keep the process alive.
  if (options.stop.aborted) setTimeout(() => process.exit(), 1_000).unref();
}

/** The batch commands' input: a file (gzipped or not) or stdin; a file that cannot be opened is an InputError. */
async function openBatchInput(path: string | undefined): Promise<Readable> {
  const source = await openByteSource(path ?? "-", process.stdin);
  return Readable.from(source.chunks);
}

/**
 * Bad lines are answered in place and counted; the run keeps exit 0 while some line could be read. When none
 * could, the input is not what the command reads (a labels file given to digest): one line, exit 2.
 */
function reportBatch(name: string, result: BatchResult, expected: string): number {
  if (result.lines > 0 && result.errors === result.lines) {
    process.stderr.write(`chatstream ${name}: none of the ${formatCount(result.lines)} lines could be read (${result.errorSamples[0] ?? ""}); expected one ${expected} per line\n`);
    return 2;
  }
  if (result.errors > 0) {
    process.stderr.write(`${name}: ${result.errors} of ${result.lines} lines could not be read:\n  ${result.errorSamples.join("\n  ")}\n`);
  }
  return 0;
}

// `chatstream run … | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

/** A command-line mistake found by commander, with the command it belongs to (for the "see … --help" hint). */
class CommandLineError extends Error {
  constructor(
    readonly commander: CommanderError,
    readonly command: string,
  ) {
    super(commander.message);
  }
}

/**
 * Commander's own errors become one line and exit 2 (see the catch at the end) instead of its message and the
 * whole help; --help and --version still print in full and exit 0.
 */
function oneLineErrors(cmd: Command): Command {
  const name = cmd.parent === null ? cmd.name() : `${cmd.parent.name()} ${cmd.name()}`;
  return cmd.configureOutput({ outputError: () => undefined }).exitOverride((err) => {
    throw new CommandLineError(err, name);
  });
}

/** "error: unknown option '--sped'\n(Did you mean --speed?)" → "unknown option '--sped' (did you mean --speed?)". */
function oneLine(message: string): string {
  const joined = message
    .replace(/^error: /, "")
    .replace(/^option '(?:-\w, )?(--[\w-]+)[^']*' argument '([^']*)' is invalid\. /, "$1 '$2': ")
    .replace(/\n\(Did you mean ([^)]*)\)/, " (did you mean $1)")
    .replace(/\s*\n\s*/g, "; ");
  // A file name or a flag value may carry terminal escapes: never print them raw.
  return cleanText(joined);
}

const program = oneLineErrors(
  new Command()
    .name("chatstream")
    .description("Turns a live chat flood into a rolling two-sentence headline with a sentiment bar and a confidence score, twice a second.")
    .version("0.1.0"),
);
// A program option, so it is read before or after any command name (commander's default).
addSettingOptions(program, "program");
// Plugins register before the command's action builds its models and sinks (run and demo: a config file's too, there).
program.hook("preAction", async () => {
  const plugins = resolveSetting("plugin", flagsGiven(program, "program"), process.env, undefined);
  if (plugins.value.length > 0) await (await import("./commands/plugins.js")).loadPlugins(plugins.value);
});

/** Registered names the options of `run` and `demo` list in --help. */
const REGISTERED_NAMES: SettingNames = new Map([
  ["sentiment", sentimentModelNames],
  ["summarizer", summarizerNames],
  ["sink", sinkNames],
]);
const SETTINGS_HELP = "\nEvery option can also be set by an environment variable or in the --config file (YAML or JSON);\na flag wins over a variable, a variable over the file: docs/configuration.md.\n";

for (const scope of ["run", "demo"] as const) {
  const description = scope === "run" ? "replay a recording or read piped chat, publishing a snapshot every 500 ms of stream time" : "replay the bundled scripted stream in real time into the terminal HUD";
  const cmd = addSettingOptions(oneLineErrors(program.command(scope).description(description)), scope, REGISTERED_NAMES).addHelpText("after", SETTINGS_HELP);
  cmd.action(async (_flags: unknown, self: Command) => {
    const settings = await resolveRunSettings(self, scope);
    if (scope === "demo") settings.values = { ...settings.values, input: DEMO_CHAT_PATH, channel: settings.values.channel ?? "demo" };
    await runUntilStopped(toRunOptions(settings, stopOnSignal()));
  });
}

oneLineErrors(program.command("label"))
  .description('sentiment per message: {"id","text"} lines in, {"id","label","scores"} lines out')
  .option("-i, --input <file>", "JSON lines (default: standard input)")
  .option("--sentiment <model>", `sentiment model (${sentimentModelNames().join(", ")})`)
  .option("--emotes <file>", "extra emote dictionary, repeatable", collectList, [])
  .action(async (flags: { input?: string; sentiment?: string; emotes: string[] }) => {
    const { labelCommand } = await import("./commands/label-command.js");
    const models = setUpModels(flags);
    const result = await labelCommand(models, await openBatchInput(flags.input), process.stdout);
    process.exitCode = reportBatch("label", result, '{"id", "text"} object');
  });

oneLineErrors(program.command("digest"))
  .description('headline per window: {"id","messages":[{"t","user","text"}]} lines in, {"id","headline","mood","sentiment","confidence","topics"} out')
  .option("-i, --input <file>", "JSON lines (default: standard input)")
  .option("--sentiment <model>", `sentiment model (${sentimentModelNames().join(", ")})`)
  .option("--summarizer <name>", `headline summarizer (${summarizerNames().join(", ")}); with an LLM each window waits for its answer`)
  .option("--emotes <file>", "extra emote dictionary, repeatable", collectList, [])
  .option("--ignore-users <names>", "users to keep out of sentiment and headline", collectList, [])
  .option("--concurrency <n>", "LLM requests in flight at once (default 4 for openai, 1 for a local server)", positiveInt)
  .addOption(new Option("--timeout <duration>", "how long one LLM request may take before it is retried or given up (8s for openai, 30s for a local server)").argParser(durationArg))
  .addOption(new Option("--prompt-style <style>", "what the LLM reads: the window's distinct lines, or the structured summary of before").choices([...PROMPT_STYLES]))
  .option("--prompt-budget <tokens>", `prompt tokens the window style fills at most (default ${String(DEFAULT_PROMPT_LIMITS.budgetTokens)})`, positiveInt)
  .option("--base-url <url>", "the LLM server's base URL (instead of OPENAI_BASE_URL or the local server's default port)")
  .option("--prompts-out <dir>", "write each window's request to DIR/<line number>.json as {id, request}; no model is called, no key is needed")
  .option("--answers <file>", 'headlines from {"id","text"} answers written elsewhere, validated; the embedded headline where one is missing or refused')
  .action(async (flags: DigestFlags & { input?: string }) => {
    const { digestCommand, setUpDigest } = await import("./commands/digest-command.js");
    const { models, plan } = setUpDigest(flags);
    const input = await openBatchInput(flags.input);
    const llm = superviseSummarizer(models.summarizer, (l) => process.stderr.write(`chatstream: ${l}\n`));
    const result = await digestCommand(models, input, process.stdout, plan).finally(() => llm.stop());
    for (const note of result.notes) process.stderr.write(`chatstream digest: ${note}\n`);
    process.exitCode = reportBatch("digest", result, '{"id", "messages": [{"t", "user", "text"}, …]} window');
  });

oneLineErrors(program.command("report"))
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
    const { reportCommand } = await import("./commands/report-command.js");
    process.exitCode = await reportCommand({ ...flags, maxGapMs: flags.maxGap }, io);
  });

oneLineErrors(program.command("emotes"))
  .description("fetch a Twitch channel's BTTV / FFZ / 7TV emotes into a chatstream-emotes/1 file for --emotes (goes online)")
  .requiredOption("--twitch <channel>", "Twitch channel login")
  .option("--providers <names>", "bttv, ffz, 7tv (comma-separated; default all)", collectList, [])
  .option("--global", "include each provider's global emotes too")
  .option("-o, --out <file>", "file to write (default: standard output)")
  .action(async (flags: EmotesCommandOptions) => {
    const { emotesCommand } = await import("./commands/emotes-command.js");
    process.exitCode = await emotesCommand(flags, process.stdout, process.stderr);
  });

function rateArg(value: string): ReturnType<typeof parseRate> {
  try {
    return parseRate(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** A duration flag that may also be 0 (no warm-up). */
function durationOrZeroArg(value: string): number {
  return value.trim() === "0" ? 0 : durationArg(value);
}

const benchIO = { stdout: process.stdout, stderr: process.stderr };
const bench = oneLineErrors(program.command("bench")).description("measure chatstream under load: the load harness (default), the whole `run` process, start-up (docs/performance.md)");

oneLineErrors(bench.command("load", { isDefault: true }))
  .description("one load through the whole pipeline: throughput, latencies, event-loop delay, gaps, memory, CPU; a JSON report and a table")
  .option("-i, --input <file>", "recording to loop (default: ../shared/data/chat/twitch-riotgames-lolworlds2016-day2.jsonl when present, else the bundled demo)")
  .option("--synthetic", "synthetic chat instead of a recording")
  .option("--rate <n>", 'messages per second per busy channel, "max" (as fast as it goes) or "recorded" (the recording\'s own pace)', rateArg, 1000)
  .option("--channels <k>", "busy channels", nonNegativeInt, 1)
  .option("--quiet-channels <q>", "quiet channels, one line each every --quiet-every", nonNegativeInt, 0)
  .addOption(new Option("--quiet-every <duration>", "how often each quiet channel says something").argParser(durationArg).default(60_000, "60s"))
  .addOption(new Option("--duration <duration>", "length of the load (a fixed or recorded rate)").argParser(durationArg).default(60_000, "60s"))
  .addOption(new Option("--warmup <duration>", "left out of the figures (0 for none)").argParser(durationOrZeroArg).default(10_000, "10s"))
  .option("--messages <n>", 'with --rate max: busy messages in all (default: one pass over the recording per channel)', positiveInt)
  .addOption(new Option("--clock <clock>", "real time, or virtual (stream time jumps; CPU and counts only)").choices(["real", "virtual"]).default("real"))
  .addOption(new Option("--generator <where>", "in this process, or a separate process pushing over /v1/ingest (the server then runs here)").choices(["in-process", "process"]).default("in-process"))
  .option("--queue <n>", "bounded queue capacity (messages)", positiveInt, 1000)
  .option("--sink <sink>", 'output: jsonl:FILE or "none"', "jsonl:/dev/null")
  .addOption(new Option("--sample-every <duration>", "RSS, heap and queue sampling interval").argParser(durationArg).default(1_000, "1s"))
  .option("--malformed-every <n>", "send every Nth line torn (0: none)", nonNegativeInt, 0)
  .option("--sentiment <model>", `sentiment model (${sentimentModelNames().join(", ")})`)
  .option("--summarizer <name>", `headline summarizer (${summarizerNames().join(", ")})`)
  .option("--max-channels <n>", "channels kept at once", positiveInt)
  .option("--no-event-loop-delay", "do not measure the event loop (its 1 ms monitor costs about 2 % of a core: for CPU figures of quiet loads)")
  .option("-o, --out <file>", "JSON report (- for standard output)", "chatstream-bench.json")
  .action(async (flags: BenchLoadFlags) => {
    const { benchLoadCommand } = await import("./commands/bench-command.js");
    process.exitCode = await benchLoadCommand(flags, benchIO);
  });

oneLineErrors(bench.command("cli"))
  .description("time `chatstream run -i FILE --speed max --sink jsonl:/dev/null` as its own process, against the parse-only floor")
  .option("-i, --input <file>", "recording (default as for bench load)")
  .option("--runs <n>", "runs; the best counts", positiveInt, 3)
  .option("--sink <sink>", "the run's --sink", "jsonl:/dev/null")
  .option("-o, --out <file>", "JSON report (- for standard output)", "chatstream-bench-cli.json")
  .action(async (flags: { input?: string; runs: number; sink: string; out: string }) => {
    const { benchCliCommand } = await import("./commands/bench-command.js");
    process.exitCode = await benchCliCommand(flags, benchIO);
  });

oneLineErrors(bench.command("startup"))
  .description("time start-up: `run` on a 10-message file against bare node, min of N")
  .option("--runs <n>", "runs of each", positiveInt, 10)
  .option("-o, --out <file>", "JSON report (- for standard output)", "chatstream-bench-startup.json")
  .action(async (flags: { runs: number; out: string }) => {
    const { benchStartupCommand } = await import("./commands/bench-command.js");
    process.exitCode = await benchStartupCommand(flags, benchIO);
  });

oneLineErrors(bench.command("generate", { hidden: true }))
  .description("the load generator `bench --generator process` starts: pushes a load to /v1/ingest")
  .requiredOption("--spec <json>", "what to push, where (GeneratorSpec)")
  .action(async (flags: { spec: string }) => {
    const { benchGenerateCommand } = await import("./commands/bench-command.js");
    process.exitCode = await benchGenerateCommand(flags.spec, benchIO);
  });

// Scale-out roles (docs/scale-out.md): their modules, and the NATS client, load only when one of them runs.
oneLineErrors(program.command("ingest"))
  .description("publish a recording, piped chat or live channels to the NATS JetStream stream CHAT (subjects chat.<platform>.<channel>)")
  .option("--broker <url>", "NATS server URL(s), comma-separated (default: CHATSTREAM_BROKER); credentials: CHATSTREAM_BROKER_CREDS, _TOKEN or _USER/_PASSWORD")
  .option("--broker-creds <file>", "NATS .creds file (default: CHATSTREAM_BROKER_CREDS)")
  .option("-i, --input <file>", "chat file to publish, or - for standard input")
  .option("--twitch <channels>", "read Twitch chat live: CHANNEL[,CHANNEL…]; repeatable", collectList)
  .option("--youtube <video>", "read a YouTube live chat; repeatable", (v: string, prev: string[] = []) => [...prev, v])
  .option("--kick <channel>", "read a Kick chat live; repeatable", (v: string, prev: string[] = []) => [...prev, v])
  .addOption(new Option("-f, --format <format>", "input format (detected when omitted)").choices([...CHAT_FORMATS]))
  .option("-c, --channel <name>", "channel name when the input does not say (default: file name)")
  .option("-s, --speed <speed>", 'replay speed for recordings: 1 = real time, N, "max"', speedArg, "max")
  .option("--max-in-flight <n>", "publishes awaiting their ack at once; the source waits beyond it", positiveInt, 256)
  .option("--max-message-length <n>", "longer messages are cut (and counted)", positiveInt, DEFAULT_MAX_MESSAGE_LENGTH)
  .addOption(new Option("--max-gap <duration>", "a recorded time this far past the latest one is a bad line").argParser(durationArg).default(DEFAULT_MAX_GAP_MS, "24h"))
  .option("--no-close-periods", "at the end of a recording, leave the channels' roll-up periods open (no closing watermark)")
  .action(async (flags: { broker?: string; brokerCreds?: string; input?: string; twitch?: string[]; youtube?: string[]; kick?: string[]; format?: ChatFormat; channel?: string; speed: ReturnType<typeof parseSpeed>; maxInFlight: number; maxMessageLength: number; maxGap: number; closePeriods: boolean }) => {
    const { ingestCommand } = await import("./commands/ingest-command.js");
    const live = flags.twitch?.length || flags.youtube?.length || flags.kick?.length ? { twitch: flags.twitch, youtube: flags.youtube, kick: flags.kick, twitchToken: process.env.TWITCH_TOKEN || undefined, twitchNick: process.env.TWITCH_NICK || undefined, stop: stopOnSignal() } : undefined;
    process.exitCode = await ingestCommand({ ...flags, maxGapMs: flags.maxGap, live }, io, process.env);
  });

oneLineErrors(program.command("worker"))
  .description("process a share of the channels from NATS JetStream: snapshots to snap.<channel> and the KV bucket, roll-ups to rollup.<level>.<channel>")
  .option("--broker <url>", "NATS server URL(s) (default: CHATSTREAM_BROKER)")
  .option("--broker-creds <file>", "NATS .creds file (default: CHATSTREAM_BROKER_CREDS)")
  .option("--worker-id <id>", "member name (default: host-pid-random)")
  .option("--sentiment <model>", `sentiment model (${sentimentModelNames().join(", ")})`)
  .option("--summarizer <name>", `headline summarizer (${summarizerNames().join(", ")})`)
  .option("--emotes <file>", "extra emote dictionary, repeatable", collectList, [])
  .option("--ignore-users <names>", "users to count but keep out of sentiment and headline", collectList, [])
  .option("--max-message-length <n>", "longer messages are cut", positiveInt, DEFAULT_MAX_MESSAGE_LENGTH)
  .option("--stats-every <duration>", "print the worker's stats as a JSON line on stderr this often", durationArg)
  .option("--metrics <[host:]port>", "serve Prometheus /metrics and /readyz (broker connectivity) for this worker (default host 127.0.0.1)")
  .action(async (flags: { broker?: string; brokerCreds?: string; workerId?: string; sentiment?: string; summarizer?: string; emotes: string[]; ignoreUsers: string[]; maxMessageLength: number; statsEvery?: number; metrics?: string }) => {
    const { workerCommand } = await import("./commands/worker-command.js");
    process.exitCode = await workerCommand({ ...flags, statsEveryMs: flags.statsEvery, stop: stopOnSignal() }, io, process.env);
  });

oneLineErrors(program.command("serve"))
  .description("the HTTP API, WebSocket stream, overlay, dashboard and metrics, fed by the workers through the broker (any number behind a load balancer)")
  .requiredOption("--serve <[host:]port>", "where to listen (default host 127.0.0.1; other hosts need CHATSTREAM_TOKEN)")
  .option("--broker <url>", "NATS server URL(s) (default: CHATSTREAM_BROKER)")
  .option("--broker-creds <file>", "NATS .creds file (default: CHATSTREAM_BROKER_CREDS)")
  .option("--cors-origin <origin>", "allow pages of this origin to call the API (repeatable)", (v: string, prev: string[] = []) => [...prev, v], [])
  .action(async (flags: { serve: string; broker?: string; brokerCreds?: string; corsOrigin: string[] }) => {
    const { serveCommand } = await import("./commands/serve-command.js");
    process.exitCode = await serveCommand({ broker: flags.broker, brokerCreds: flags.brokerCreds, server: { serve: flags.serve, corsOrigins: flags.corsOrigin, token: process.env.CHATSTREAM_TOKEN }, stop: stopOnSignal() }, io, process.env);
  });

// Every error that reaches here is told in one line, exit 2: command-line mistakes, inputs that cannot be read
// (InputError), flags that cannot work together or files that cannot be written (UsageError).
program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommandLineError) {
    // --help, --version: printed in full by commander; a bare `chatstream` printed the help to stderr.
    if (err.commander.exitCode === 0 || err.commander.code === "commander.help") {
      process.exitCode = err.commander.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`chatstream: ${oneLine(err.message)}; see ${err.command} --help\n`);
  } else {
    // Messages echo what the user or the input gave (a file name, a bad value): never a control sequence to the terminal.
    const message = oneLine(err instanceof Error ? err.message : String(err));
    process.stderr.write(`${message.startsWith("chatstream") ? "" : "chatstream: "}${message}\n`);
  }
  process.exitCode = 2;
  // Reported: what a stopped source may still hold (a pipe being read, a socket) must not keep the process alive.
  setTimeout(() => process.exit(), 1_000).unref();
});
