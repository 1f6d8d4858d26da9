// Token spend of the LLM summarizer against the naive policy, on the English recordings, on stream time.
//
//   npm run bench:token-spend [-- FILE…]     (default: every English recording in ../shared/data/chat)
//   npm run bench:token-spend -- --prompt-style structured   (the prompt before issue 15; its own report, docs untouched)
//
// Each recording is replayed through the real per-message stage (setUpModels().processor), a SlidingWindow
// and a HeadlineGate, one snapshot per 500 ms of stream time. When the gate says the content changed, the
// OpenAI summarizer is asked (a local fake server answers deterministically, without `usage`, so prompt and
// completion are counted with gpt-tokenizer). The naive policy — one call per snapshot with the same
// instructions plus every raw message of the snapshot's window — is built and counted, not sent. The same
// recording with every message posted ten times (new users, same texts) is replayed to check it costs no
// more calls. The summarizer asks with its default prompt (the window's distinct lines, up to 1,200 tokens) unless
// told otherwise. Writes benchmarks/reports/token-spend.json and the table in docs/llm.md.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { HeadlineGate } from "../src/aggregation/content-change.js";
import { DEFAULT_WINDOW_POLICY, SlidingWindow, type WindowPolicy } from "../src/aggregation/sliding-window.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { VirtualClock } from "../src/core/clock.js";
import type { ChatMessage } from "../src/core/message.js";
import { OpenAiSummarizer } from "../src/models/summarizer/llm/openai-summarizer.js";
import { DEFAULT_PROMPT_STYLE, naivePrompt, PROMPT_STYLES, type PromptStyle } from "../src/models/summarizer/llm/prompt.js";
import { promptTokens, textTokens } from "../src/models/summarizer/llm/tokens.js";
import { openChatInput } from "../src/sources/file-source.js";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../test/llm/fake-openai-server.js";

const CHAT_DIR = new URL("../../shared/data/chat/", import.meta.url).pathname;
const REPORT = new URL("./reports/token-spend.json", import.meta.url).pathname;
const DOC = new URL("../docs/llm.md", import.meta.url).pathname;
const NON_ENGLISH = ["yt-rocketbeanstv-de", "yt-anonim-id"];
const STEP = 500;
const TARGET_SAVING = 90;

async function readAll(path: string): Promise<ChatMessage[]> {
  const input = await openChatInput({ path, arrivalTime: () => 0 });
  const all: ChatMessage[] = [];
  for await (const batch of input.batches()) for (const m of batch) all.push(m);
  return all.sort((a, b) => a.t - b.t);
}

function tenfold(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.flatMap((m) => Array.from({ length: 10 }, (_, k) => (k === 0 ? m : { ...m, userId: `${m.userId}~${k}`, user: `${m.user}~${k}` })));
}

interface PolicyRun {
  snapshots: number;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  cacheHits: number;
  rejected: number;
  naiveCalls: number;
  naivePromptTokens: number;
}

let promptStyle: PromptStyle = DEFAULT_PROMPT_STYLE;

async function replay(messages: readonly ChatMessage[], server: FakeOpenAiServer, countNaive: boolean, policy: WindowPolicy = DEFAULT_WINDOW_POLICY): Promise<PolicyRun> {
  const models = setUpModels({});
  const first = messages[0] as ChatMessage;
  const last = messages[messages.length - 1] as ChatMessage;
  const clock = new VirtualClock(first.t);
  const summarizer = new OpenAiSummarizer({ model: "fake", baseURL: server.baseURL, clock, minRequestIntervalMs: 0, periods: false, promptStyle });
  const window = new SlidingWindow(policy);
  const gate = new HeadlineGate();
  // Naive prompts: the instructions plus one line per raw message; per-line tokens counted once per distinct text.
  const naiveBase = promptTokens(naivePrompt([]));
  const lineTokens = new Map<string, number>();
  const prefix: number[] = [0];
  if (countNaive) {
    for (const m of messages) {
      let n = lineTokens.get(m.text);
      if (n === undefined) lineTokens.set(m.text, (n = textTokens(`${m.text}\n`)));
      prefix.push((prefix[prefix.length - 1] as number) + n);
    }
  }
  const times = messages.map((m) => m.t);
  const firstAfter = (t: number): number => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((times[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let next = 0;
  let snapshots = 0;
  let naiveCalls = 0;
  let naivePromptTokens = 0;
  for (let t = Math.ceil(first.t / STEP) * STEP; t <= last.t + STEP; t += STEP) {
    while (next < messages.length && (messages[next] as ChatMessage).t <= t) window.push(models.processor.process(messages[next++] as ChatMessage));
    await clock.advanceTo(t);
    const { start, span, spanDigest } = window.select(t);
    snapshots++;
    // As ChannelPipeline does for an LLM summarizer: asked about the strict span when the gate opens.
    gate.headlineAt(t, span, () => summarizer.summarizeWindow(spanDigest()));
    if (summarizer.inFlightCount > 0) await summarizer.whenIdle();
    if (countNaive) {
      const from = firstAfter(start);
      const to = firstAfter(t);
      if (to > from) {
        naiveCalls++;
        naivePromptTokens += naiveBase + (prefix[to] as number) - (prefix[from] as number);
      }
    }
  }
  const st = summarizer.stats();
  return { snapshots, calls: st.calls, promptTokens: st.promptTokens, completionTokens: st.completionTokens, cacheHits: st.cacheHits, rejected: st.rejected, naiveCalls, naivePromptTokens };
}

async function benchFile(path: string, server: FakeOpenAiServer): Promise<Record<string, unknown>> {
  const messages = await readAll(path);
  const minutes = ((messages[messages.length - 1] as ChatMessage).t - (messages[0] as ChatMessage).t) / 60_000;
  const llm = await replay(messages, server, true);
  const ten = await replay(tenfold(messages), server, false);
  // Control: the window's reach-back counts messages (minMessages), so a ten times busier chat reaches back less
  // and sees shorter windows. With minMessages scaled too, the windows are the same and so must be the calls.
  const tenSameWindows = await replay(tenfold(messages), server, false, { ...DEFAULT_WINDOW_POLICY, minMessages: DEFAULT_WINDOW_POLICY.minMessages * 10 });
  const meanCompletion = llm.calls > 0 ? llm.completionTokens / llm.calls : 0;
  const naiveCompletion = Math.round(llm.naiveCalls * meanCompletion);
  const llmTotal = llm.promptTokens + llm.completionTokens;
  const naiveTotal = llm.naivePromptTokens + naiveCompletion;
  const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
  return {
    file: basename(path),
    messages: messages.length,
    minutes: round(minutes),
    snapshots: llm.snapshots,
    llm: { calls: llm.calls, callsPerMin: round(llm.calls / minutes, 2), promptTokens: llm.promptTokens, completionTokens: llm.completionTokens, cacheHits: llm.cacheHits, rejected: llm.rejected },
    naive: { calls: llm.naiveCalls, callsPerMin: round(llm.naiveCalls / minutes, 2), promptTokens: llm.naivePromptTokens, completionTokens: naiveCompletion },
    savingPercent: naiveTotal > 0 ? round((100 * (naiveTotal - llmTotal)) / naiveTotal, 2) : 0,
    tenfold: { messages: messages.length * 10, calls: ten.calls, promptTokens: ten.promptTokens, completionTokens: ten.completionTokens, noMoreCalls: ten.calls <= llm.calls, sameWindowsCalls: tenSameWindows.calls, sameWindowsNoMoreCalls: tenSameWindows.calls <= llm.calls },
  };
}

function table(rows: readonly Record<string, unknown>[]): string {
  const lines = [
    "| stream | min | LLM calls/min | LLM prompt / completion tokens | naive calls/min | naive prompt / completion tokens | saving | ×10 calls (vs ×1) | ×10 calls, same windows | ×10 prompt / completion tokens |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const llm = r.llm as Record<string, number>;
    const naive = r.naive as Record<string, number>;
    const ten = r.tenfold as Record<string, number>;
    const n = (x: number | undefined): string => (x ?? 0).toLocaleString("en-US");
    lines.push(
      `| ${String(r.file).replace(/\.jsonl$/, "")} | ${String(r.minutes)} | ${String(llm.callsPerMin)} | ${n(llm.promptTokens)} / ${n(llm.completionTokens)} | ${String(naive.callsPerMin)} | ${n(naive.promptTokens)} / ${n(naive.completionTokens)} | ${String(r.savingPercent)} % | ${n(ten.calls)} (${n(llm.calls)}) | ${n(ten.sameWindowsCalls)} | ${n(ten.promptTokens)} / ${n(ten.completionTokens)} |`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const styleAt = argv.indexOf("--prompt-style");
  if (styleAt >= 0) {
    const style = argv[styleAt + 1];
    if (!PROMPT_STYLES.includes(style as PromptStyle)) throw new Error(`--prompt-style: one of ${PROMPT_STYLES.join(", ")}`);
    promptStyle = style as PromptStyle;
    argv.splice(styleAt, 2);
  }
  const args = argv;
  const files = args.length > 0 ? args : readdirSync(CHAT_DIR).filter((f) => f.endsWith(".jsonl") && !NON_ENGLISH.some((p) => f.startsWith(p))).sort().map((f) => join(CHAT_DIR, f));
  const server = await startFakeOpenAiServer({ usage: false });
  const rows: Record<string, unknown>[] = [];
  try {
    for (const file of files) {
      const t0 = performance.now();
      const row = await benchFile(file, server);
      rows.push(row);
      console.error(`${basename(file)}: saving ${String(row.savingPercent)} %, ${String((row.llm as { calls: number }).calls)} calls (${Math.round(performance.now() - t0)} ms)`);
    }
  } finally {
    await server.close();
  }
  const report = {
    generatedBy: "benchmarks/token-spend.bench.ts",
    tokenizer: "gpt-tokenizer o200k_base (+4 tokens per chat message, +3 reply priming)",
    policy: "HeadlineGate (DEFAULT_CONTENT_CHANGE_POLICY) + content-signature cache; naive = one call per 500 ms snapshot with every raw message of the window",
    promptStyle,
    targetSavingPercent: TARGET_SAVING,
    allMeetTarget: rows.every((r) => (r.savingPercent as number) >= TARGET_SAVING),
    tenfoldNoMoreCalls: rows.every((r) => (r.tenfold as { noMoreCalls: boolean }).noMoreCalls),
    tenfoldSameWindowsNoMoreCalls: rows.every((r) => (r.tenfold as { sameWindowsNoMoreCalls: boolean }).sameWindowsNoMoreCalls),
    streams: rows,
  };
  const reportFile = promptStyle === DEFAULT_PROMPT_STYLE ? REPORT : REPORT.replace(/\.json$/, `-${promptStyle}.json`);
  if (!existsSync(join(reportFile, ".."))) mkdirSync(join(reportFile, ".."), { recursive: true });
  writeFileSync(reportFile, JSON.stringify(report, null, 2) + "\n");
  const md = table(rows);
  console.log(md);
  if (args.length === 0 && promptStyle === DEFAULT_PROMPT_STYLE && existsSync(DOC)) {
    const doc = readFileSync(DOC, "utf8");
    const updated = doc.replace(/(<!-- token-spend:start -->)[\s\S]*?(<!-- token-spend:end -->)/, `$1\n${md}\n$2`);
    writeFileSync(DOC, updated);
  }
}

await main();
