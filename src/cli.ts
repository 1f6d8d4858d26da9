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
import { sinkNames } from "./sinks/registry.js";
import { DEMO_CHAT_PATH } from "./commands/demo-command.js";
import { digestCommand } from "./commands/digest-command.js";
import { labelCommand, type BatchResult } from "./commands/label-command.js";
import { collectList, setUpModels } from "./commands/model-setup.js";
import { parseSpeed, runCommand, type CommandIO, type RunCommandOptions } from "./commands/run-command.js";
import type { Readable } from "node:stream";

const io: CommandIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, clock: new SystemClock(), color: process.stdout.isTTY === true && !process.env.NO_COLOR };

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive whole number");
  return n;
}

function speedArg(value: string): ReturnType<typeof parseSpeed> {
  try {
    return parseSpeed(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

interface RunFlags {
  input: string;
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
  progress: boolean;
}

function addRunOptions(cmd: Command, inputRequired: boolean): Command {
  if (inputRequired) cmd.requiredOption("-i, --input <file>", "chat file to replay, or - for standard input");
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
    .option("--no-progress", "no progress bar on stderr");
}

function toRunOptions(flags: RunFlags): RunCommandOptions {
  return {
    input: flags.input,
    format: flags.format,
    channel: flags.channel,
    speed: flags.speed,
    sinks: flags.sink,
    sentiment: flags.sentiment,
    summarizer: flags.summarizer,
    emotes: flags.emotes,
    ignoreUsers: flags.ignoreUsers,
    queueCapacity: flags.queue,
    shedPolicy: flags.shedPolicy,
    maxMessageLength: flags.maxMessageLength,
    progress: flags.progress,
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

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof InputError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`${message.startsWith("chatstream") ? "" : "chatstream: "}${message}\n`);
  process.exitCode = 2;
});
