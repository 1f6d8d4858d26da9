import { createReadStream, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { cleanText, escapeJsonText } from "../core/text-cleaning.js";
import { DigestBuilder, type ChatDigest } from "../aggregation/chat-digest.js";
import { moodFields, sentimentBar } from "../aggregation/record-fields.js";
import { clustersOf } from "../aggregation/topic-clusters.js";
import { isAsyncSummarizer } from "../models/summarizer/llm/async-summarizer.js";
import { AnswerBook, headlineFromAnswer, VerdictTally } from "../models/summarizer/llm/answers.js";
import { parseLlmSpec } from "../models/summarizer/llm/llm-servers.js";
import { chatRequestBody, DEFAULT_MAX_COMPLETION_TOKENS, type ModelAnswer, type OpenAiSummarizer } from "../models/summarizer/llm/openai-summarizer.js";
import { buildPrompt, DEFAULT_PROMPT_LIMITS, DEFAULT_PROMPT_STYLE, type PromptLimits, type PromptStyle } from "../models/summarizer/llm/prompt.js";
import { promptTokens } from "../models/summarizer/llm/tokens.js";
import { createSummarizer } from "../models/summarizer/registry.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import type { DigestOutput } from "../schema/output-schema.js";
import type { BatchResult } from "./label-command.js";
import { setUpModels, type ModelOptions, type ModelSlots } from "./model-setup.js";
import { assertReadableFile, UsageError } from "./usage-error.js";

interface WindowMessage {
  t?: unknown;
  user?: unknown;
  text?: unknown;
}

const MAX_TOPICS = 5;
const MAX_EXAMPLES = 3;

/** The digest of one window, used whole whatever its length, with its distinct lines (what an LLM reads). */
export function readWindow(models: ModelSlots, messages: readonly WindowMessage[], channel = "window"): ChatDigest {
  const builder = new DigestBuilder();
  let first = Infinity;
  let last = -Infinity;
  for (const m of messages) {
    if (typeof m.text !== "string") continue;
    const t = typeof m.t === "number" && Number.isFinite(m.t) ? Math.round(m.t) : 0;
    first = Math.min(first, t);
    last = Math.max(last, t);
    // The run cleans what enters it (core/text-cleaning.ts); a digest reads its own input, so it cleans it here.
    const user = typeof m.user === "string" ? cleanText(m.user) : "";
    builder.add(models.processor.process({ t, platform: "unknown", channel, userId: user, user, text: cleanText(m.text) }));
  }
  return builder.build(Number.isFinite(first) ? first - 1 : 0, Number.isFinite(last) ? last : 0);
}

/** A window's output line but its id, with the headline given. */
export function windowOutput(digest: ChatDigest, headline: string): Omit<DigestOutput, "id"> {
  return {
    headline,
    ...moodAndSentiment(digest),
    topics: topicsWithExamples(digest),
    clusters: clustersOf(digest, undefined).clusters,
  };
}

/** Mood, sentiment and confidence in the order `digest` has always written them. */
function moodAndSentiment(d: ChatDigest): Pick<DigestOutput, "mood" | "sentiment" | "confidence"> {
  const { mood, confidence } = moodFields(d);
  return { mood, sentiment: sentimentBar(d.sentiment, d.scored), confidence };
}

/** Digest of one window with the models' headline. Exported for the evaluation harness. */
export function digestWindow(models: ModelSlots, messages: readonly WindowMessage[], channel = "window"): { digest: ChatDigest; output: Omit<DigestOutput, "id"> } {
  const digest = readWindow(models, messages, channel);
  // An LLM summarizer would start a request it does not wait for: `digest` asks it through headlineFor instead.
  const summarizer = isAsyncSummarizer(models.summarizer) ? models.summarizer.fallback : models.summarizer;
  return { digest, output: windowOutput(digest, summarizer.summarizeWindow(digest)) };
}

function topicsWithExamples(d: ChatDigest): DigestOutput["topics"] {
  const topics: DigestOutput["topics"] = [];
  for (const term of d.terms) {
    if (topics.length === MAX_TOPICS || term.count < 2) break;
    const key = term.term.toLowerCase();
    const examples = d.groups.filter((g) => g.signature.split(" ").includes(key)).slice(0, MAX_EXAMPLES).map((g) => g.text);
    topics.push({ label: term.term, count: term.count, examples });
  }
  return topics;
}

/** The flags of `chatstream digest` (src/cli.ts). */
export interface DigestFlags extends ModelOptions {
  /** Requests kept in flight with an LLM summarizer (default: the server's, 4 for openai, 1 for a local server). */
  concurrency?: number;
  /** Clock ms one LLM request may take. */
  timeout?: number;
  promptStyle?: PromptStyle;
  /** Prompt tokens of the window style at most. */
  promptBudget?: number;
  /** Base URL of the LLM server (instead of OPENAI_BASE_URL or the preset's port). */
  baseUrl?: string;
  /** Write each window's request to DIR/<line>.json; no model is called. */
  promptsOut?: string;
  /** Answers written elsewhere, one {"id", "text"} per line. */
  answers?: string;
}

/** How `digest` writes the headline of each window. */
export type DigestPlan =
  | { mode: "summarizer" }
  | { mode: "llm"; summarizer: OpenAiSummarizer; concurrency: number }
  | { mode: "prompts-out"; dir: string; model: string; style: PromptStyle; limits: PromptLimits }
  | { mode: "answers"; file: string };

/**
 * The models and the plan a `digest` command line asks for, checked before any input is read: flags that need an
 * LLM summarizer without one, `--prompts-out` and `--answers` together, a non-empty `--prompts-out` folder.
 */
export function setUpDigest(flags: DigestFlags): { models: ModelSlots; plan: DigestPlan } {
  const spec = flags.summarizer === undefined ? undefined : parseLlmSpec(flags.summarizer);
  const llmFlags = [
    flags.concurrency !== undefined ? "--concurrency" : undefined,
    flags.timeout !== undefined ? "--timeout" : undefined,
    flags.promptStyle !== undefined ? "--prompt-style" : undefined,
    flags.promptBudget !== undefined ? "--prompt-budget" : undefined,
    flags.baseUrl !== undefined ? "--base-url" : undefined,
    flags.promptsOut !== undefined ? "--prompts-out" : undefined,
  ].filter((f) => f !== undefined);
  if (spec === undefined && llmFlags.length > 0) throw new UsageError(`${llmFlags.join(", ")} ${llmFlags.length > 1 ? "need" : "needs"} --summarizer openai:MODEL (or ollama:, llamacpp:, vllm:, lmstudio:MODEL)`);
  if (flags.answers !== undefined && (spec !== undefined || flags.promptsOut !== undefined)) {
    throw new UsageError("--answers reads answers written elsewhere: it takes no --summarizer LLM and no --prompts-out (the fallback is the embedded headline)");
  }
  if (flags.answers !== undefined) assertReadableFile(flags.answers, "--answers");
  if (spec !== undefined && spec.model.length === 0) throw new UsageError(`--summarizer ${spec.server.name}: name the model, e.g. ${spec.server.name}:${spec.server.name === "openai" ? "gpt-4o-mini" : "llama3.1:8b"}`);
  const style = flags.promptStyle ?? DEFAULT_PROMPT_STYLE;
  const limits: PromptLimits = { ...DEFAULT_PROMPT_LIMITS, ...(flags.promptBudget !== undefined ? { budgetTokens: flags.promptBudget } : {}) };
  // The embedded headline (or the named non-LLM summarizer) answers wherever the model does not.
  const models = setUpModels({ ...flags, summarizer: spec === undefined ? flags.summarizer : undefined });
  if (flags.answers !== undefined) return { models, plan: { mode: "answers", file: flags.answers } };
  if (spec === undefined) return { models, plan: { mode: "summarizer" } };
  if (flags.promptsOut !== undefined) {
    assertEmptyFolder(flags.promptsOut);
    return { models, plan: { mode: "prompts-out", dir: flags.promptsOut, model: spec.model, style, limits } };
  }
  const options: Record<string, unknown> = { promptStyle: style, promptBudgetTokens: limits.budgetTokens, minRequestIntervalMs: 0 };
  if (flags.timeout !== undefined) options.timeoutMs = flags.timeout;
  if (flags.baseUrl !== undefined) options.baseURL = flags.baseUrl;
  const summarizer = createSummarizer(flags.summarizer as string, options, { emotes: models.emotes }) as OpenAiSummarizer;
  models.summarizer = summarizer;
  return { models, plan: { mode: "llm", summarizer, concurrency: flags.concurrency ?? spec.server.concurrency } };
}

function assertEmptyFolder(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new UsageError(`cannot use "${dir}" (--prompts-out): ${(err as NodeJS.ErrnoException).code === "ENOTDIR" ? "not a folder" : (err as Error).message}`);
  }
  // Requests of an earlier run would be read as this run's.
  if (entries.length > 0) throw new UsageError(`--prompts-out "${dir}" is not empty (${entries.length} entries): give a new or empty folder`);
}

type LineResult = { line: string } | { error: string };

const WRITE_CHUNK = 256;
const MAX_ERROR_SAMPLES = 10;

/**
 * Reads JSON lines and writes one output line per input line, in input order, with up to `concurrency`
 * transforms in flight (an LLM answers in seconds). A line that cannot be handled yields {"id", "error"} in its
 * place. `lineNumber` counts every physical line from 1, blank ones too, so it finds the line in the file.
 */
export async function mapJsonLinesInOrder(
  input: Readable,
  output: Writable,
  concurrency: number,
  transform: (value: unknown, lineNumber: number) => LineResult | Promise<LineResult>,
): Promise<BatchResult> {
  const result: BatchResult = { lines: 0, errors: 0, errorSamples: [] };
  const pending: { id: unknown; out: Promise<LineResult> }[] = [];
  let chunk: string[] = [];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const ok = output.write(chunk.join(""));
    chunk = [];
    if (!ok) await new Promise((resolve) => output.once("drain", resolve));
  };
  const settle = async (): Promise<void> => {
    const next = pending.shift();
    if (next === undefined) return;
    const out = await next.out;
    if ("error" in out) {
      const error = cleanText(out.error);
      result.errors++;
      if (result.errorSamples.length < MAX_ERROR_SAMPLES) result.errorSamples.push(`line ${result.lines - pending.length}: ${error}`);
      chunk.push(escapeJsonText(JSON.stringify({ id: typeof next.id === "string" || typeof next.id === "number" ? next.id : null, error })) + "\n");
    } else chunk.push(escapeJsonText(out.line) + "\n");
    if (chunk.length >= WRITE_CHUNK) await flush();
  };
  let lineNumber = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (raw.trim().length === 0) continue;
    result.lines++;
    let id: unknown = null;
    let out: Promise<LineResult>;
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === "object" && value !== null && "id" in value) id = (value as { id: unknown }).id;
      out = Promise.resolve(transform(value, lineNumber)).catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
    } catch (err) {
      out = Promise.resolve({ error: `not valid JSON (${(err as Error).message})` });
    }
    pending.push({ id, out });
    while (pending.length >= concurrency) await settle();
  }
  while (pending.length > 0) await settle();
  await flush();
  return result;
}

/** The window's messages, or why the line is not a window. */
function windowRow(value: unknown): { id: DigestOutput["id"]; messages: WindowMessage[] } | { error: string } {
  const row = value as { id?: unknown; messages?: unknown };
  if (typeof row !== "object" || row === null || !Array.isArray(row.messages)) return { error: 'expected {"id", "messages": [...]}' };
  return { id: typeof row.id === "string" || typeof row.id === "number" ? row.id : null, messages: row.messages as WindowMessage[] };
}

const outputLine = (id: DigestOutput["id"], out: Omit<DigestOutput, "id">): { line: string } => ({ line: JSON.stringify({ id, ...out } satisfies DigestOutput) });

/** Request files are named by line number, never by id (ids are untrusted); six digits sort up to 999,999 lines. */
export function requestFileName(lineNumber: number): string {
  return `${String(lineNumber).padStart(6, "0")}.json`;
}

/** What a digest run did besides its lines: the summary lines for stderr. */
export interface DigestReport extends BatchResult {
  notes: string[];
}

const n = (x: number): string => x.toLocaleString("en-US");

/**
 * `chatstream digest`: {"id", "messages": [{"t", "user", "text"}]} → {"id", "headline", "mood", "sentiment",
 * "confidence", "topics", "clusters"}, one line per input line, in order. With an LLM summarizer each window waits
 * for the model's answer (`--concurrency` at a time); with `--prompts-out` the requests are written instead and no
 * model is called; with `--answers` the headlines are answers written elsewhere, validated.
 */
export async function digestCommand(models: ModelSlots, input: Readable, output: Writable, plan: DigestPlan = { mode: "summarizer" }): Promise<DigestReport> {
  switch (plan.mode) {
    case "summarizer": {
      const result = await mapJsonLinesInOrder(input, output, 1, (value) => {
        const row = windowRow(value);
        return "error" in row ? row : outputLine(row.id, digestWindow(models, row.messages).output);
      });
      return { ...result, notes: [] };
    }
    case "llm":
      return digestWithModel(models, input, output, plan.summarizer, plan.concurrency);
    case "prompts-out":
      return writePrompts(models, input, output, plan);
    case "answers":
      return digestWithAnswers(models, input, output, plan.file);
  }
}

async function digestWithModel(models: ModelSlots, input: Readable, output: Writable, llm: OpenAiSummarizer, concurrency: number): Promise<DigestReport> {
  const answers: ModelAnswer[] = [];
  const result = await mapJsonLinesInOrder(input, output, concurrency, async (value) => {
    const row = windowRow(value);
    if ("error" in row) return row;
    const digest = readWindow(models, row.messages);
    const answer = await llm.headlineFor(digest);
    answers.push(answer);
    return outputLine(row.id, windowOutput(digest, answer.headline));
  });
  const model = answers.filter((a) => a.source === "model");
  const cached = model.filter((a) => a.source === "model" && a.cached).length;
  const reasons = new Map<string, number>();
  for (const a of answers) {
    if (a.source !== "fallback") continue;
    const reason = a.reason === "rejected" ? `rejected: ${a.rejection ?? "?"}` : a.reason;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const fallbacks = answers.length - model.length;
  const why = [...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([r, k]) => `${r} ${k}`).join(", ");
  const st = llm.stats();
  return {
    ...result,
    notes: [
      `${n(answers.length)} windows, ${llm.name} at ${llm.endpoint}: ${n(model.length)} model headlines${cached > 0 ? ` (${n(cached)} from the cache)` : ""}, ${n(fallbacks)} embedded${fallbacks > 0 ? ` (${why})` : ""}; ${n(st.calls)} requests, ${n(st.promptTokens)} prompt + ${n(st.completionTokens)} completion tokens`,
    ],
  };
}

async function writePrompts(models: ModelSlots, input: Readable, output: Writable, plan: Extract<DigestPlan, { mode: "prompts-out" }>): Promise<DigestReport> {
  mkdirSync(plan.dir, { recursive: true });
  let written = 0;
  let tokens = 0;
  let most = 0;
  const result = await mapJsonLinesInOrder(input, output, 1, (value, lineNumber) => {
    const row = windowRow(value);
    if ("error" in row) return row;
    const digest = readWindow(models, row.messages);
    // Windows are read on their own: no previous headline, as `digest --summarizer` asks them.
    const messages = buildPrompt("window", digest, models.emotes, undefined, [], plan.limits, plan.style);
    const request = chatRequestBody({ model: plan.model, maxCompletionTokens: DEFAULT_MAX_COMPLETION_TOKENS }, messages);
    writeFileSync(join(plan.dir, requestFileName(lineNumber)), escapeJsonText(JSON.stringify({ id: row.id, request })) + "\n");
    written++;
    const count = promptTokens(messages);
    tokens += count;
    most = Math.max(most, count);
    return outputLine(row.id, windowOutput(digest, models.summarizer.summarizeWindow(digest)));
  });
  return {
    ...result,
    notes: [`wrote ${n(written)} requests (${plan.style} prompt, model ${cleanText(plan.model)}) to ${cleanText(plan.dir)}: prompt tokens mean ${n(Math.round(tokens / Math.max(1, written)))}, max ${n(most)}; no model was called`],
  };
}

async function readAnswers(file: string): Promise<AnswerBook> {
  const book = new AnswerBook();
  let lineNumber = 0;
  for await (const raw of createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity })) book.add(raw, ++lineNumber);
  return book;
}

async function digestWithAnswers(models: ModelSlots, input: Readable, output: Writable, file: string): Promise<DigestReport> {
  const book = await readAnswers(file).catch((err: unknown) => {
    throw new UsageError(`cannot read "${file}" (--answers): ${(err as Error).message}`);
  });
  const fallback: Summarizer = models.summarizer;
  const tally = new VerdictTally();
  const result = await mapJsonLinesInOrder(input, output, 1, (value) => {
    const row = windowRow(value);
    if ("error" in row) return row;
    const digest = readWindow(models, row.messages);
    const verdict = headlineFromAnswer(digest, book.take(row.id), fallback);
    tally.add(verdict);
    return outputLine(row.id, windowOutput(digest, verdict.headline));
  });
  const embedded = tally.windows - tally.accepted;
  const notes = [
    `answers for ${n(tally.windows)} windows: ${n(tally.accepted)} accepted${tally.repaired > 0 ? ` (${n(tally.repaired)} repaired)` : ""}, ${tally.rejectedText(["missing", "quiet"])}, ${n(tally.count("missing"))} missing${tally.count("quiet") > 0 ? `, ${n(tally.count("quiet"))} quiet` : ""}${embedded > 0 ? `; those ${n(embedded)} carry the embedded headline` : ""}`,
  ];
  const extras = [
    book.unused > 0 ? `${n(book.unused)} answers matched no window` : undefined,
    book.repeated > 0 ? `${n(book.repeated)} repeated an id (the first was used)` : undefined,
    book.badLines > 0 ? `${n(book.badLines)} lines could not be read (${book.errors.join("; ")})` : undefined,
  ].filter((x) => x !== undefined);
  if (extras.length > 0) notes.push(`${cleanText(file)}: ${extras.join(", ")}`);
  return { ...result, notes };
}
