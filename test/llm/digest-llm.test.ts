import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { digestCommand, digestWindow, requestFileName, setUpDigest, type DigestFlags } from "../../src/commands/digest-command.js";
import { UsageError } from "../../src/commands/usage-error.js";
import { MAX_ANSWER_CHARS, parseAnswerLine } from "../../src/models/summarizer/llm/answers.js";
import { OpenAiSummarizer } from "../../src/models/summarizer/llm/openai-summarizer.js";
import type { DigestOutput } from "../../src/schema/output-schema.js";
import { runCli } from "../helpers/cli-process.js";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "./fake-openai-server.js";
import { closedPort } from "./helpers.js";

/** A window line as the windows files have it, with reference data a request must never carry. */
function windowLine(id: unknown, texts: readonly string[], tag = "x"): string {
  return JSON.stringify({
    id,
    stream: `secret-stream-${tag}`,
    messages: texts.map((text, i) => ({ t: 1000 * i, user: `u${i % 4}`, text })),
    references: [`REFERENCE-HEADLINE-${tag} must never reach a model.`, `SECOND-REFERENCE-${tag}.`],
    mood: `MOOD-${tag}`,
  });
}

const BARON = ["baron steal by Faker PogChamp", "baron steal by Faker PogChamp", "what a steal", "is baron up?", "LUL the caster", "GG", "!uptime"];
const BORING = ["this is boring ResidentSleeper", "this is boring ResidentSleeper", "when does the game start?", "ads again", "ads again"];
const CLUTCH = ["the clutch in round 14 was insane", "PogChamp PogChamp", "PogChamp", "who is this player?", "Clap"];

async function digest(flags: DigestFlags, lines: readonly string[]): Promise<{ out: DigestOutput[]; notes: string[]; errors: number }> {
  const { models, plan } = setUpDigest(flags);
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (c: Buffer) => chunks.push(c));
  try {
    const result = await digestCommand(models, Readable.from(lines.map((l) => `${l}\n`)), output, plan);
    const out = Buffer.concat(chunks).toString("utf8").trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l) as DigestOutput);
    return { out, notes: result.notes, errors: result.errors };
  } finally {
    if (models.summarizer instanceof OpenAiSummarizer) await models.summarizer.close();
  }
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "chatstream-digest-llm-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let servers: FakeOpenAiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function fake(options: Parameters<typeof startFakeOpenAiServer>[0] = {}): Promise<FakeOpenAiServer> {
  const s = await startFakeOpenAiServer(options);
  servers.push(s);
  return s;
}

describe("[#15.2] digest --prompts-out: each window's exact request, no model called, no key needed", () => {
  const HOSTILE_IDS: unknown[] = ["../../escaped", "/tmp/absolute", "a/b\\c", "..", ".", "con", "x\u0000y", "  ", 7, null, { toString: "x" }, "__proto__"];

  it("names files by input line number, never by id, and writes requests that hold no reference data", async () => {
    const parent = join(scratch, "traversal");
    mkdirSync(parent);
    const dir = join(parent, "requests");
    const lines = HOSTILE_IDS.map((id, i) => windowLine(id, i % 2 === 0 ? BARON : BORING, `t${i}`));
    // A blank line is counted: the next window is line 3 of the file.
    lines.splice(2, 0, "");
    const r = await runCli(["digest", "--summarizer", "openai:the-model", "--prompts-out", dir], { stdin: lines.join("\n") + "\n", env: { OPENAI_API_KEY: "", OPENAI_BASE_URL: "" } });
    expect(r.code).toBe(0);
    expect(readdirSync(parent)).toEqual(["requests"]);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([1, 2, ...HOSTILE_IDS.slice(2).map((_, i) => i + 4)].map(requestFileName));
    expect(files.every((f) => /^\d{6}\.json$/.test(f))).toBe(true);
    for (const [k, file] of files.entries()) {
      const text = readFileSync(join(dir, file), "utf8");
      const written = JSON.parse(text) as { id: unknown; request: { model: string; messages: { role: string; content: string }[]; max_tokens: number; stream: boolean } };
      const id = HOSTILE_IDS[k];
      expect(written.id).toEqual(typeof id === "string" || typeof id === "number" ? id : null);
      expect(Object.keys(written.request).sort()).toEqual(["max_tokens", "messages", "model", "stream"]);
      expect(written.request).toMatchObject({ model: "the-model", max_tokens: 120, stream: false });
      expect(written.request.messages.map((m) => m.role)).toEqual(["system", "user"]);
      expect(text).not.toMatch(/REFERENCE-HEADLINE|SECOND-REFERENCE|MOOD-t|secret-stream/);
    }
    // stdout answers every line with the embedded headline; stderr says what was written.
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(HOSTILE_IDS.length);
    expect(r.stderr).toMatch(new RegExp(`chatstream digest: wrote ${HOSTILE_IDS.length} requests \\(window prompt, model the-model\\) to .*requests: prompt tokens mean \\d+, max \\d+; no model was called`));
  });

  it("writes what the summarizer would POST for the same window, in either prompt style", async () => {
    const server = await fake();
    for (const promptStyle of ["window", "structured"] as const) {
      const dir = join(scratch, `same-${promptStyle}`);
      await digest({ summarizer: "openai:m", promptsOut: dir, promptStyle }, [windowLine("w1", BARON)]);
      const written = JSON.parse(readFileSync(join(dir, "000001.json"), "utf8")) as { request: unknown };
      const before = server.requests.length;
      await digest({ summarizer: "openai:m", baseUrl: server.baseURL, promptStyle }, [windowLine("w1", BARON)]);
      expect(server.requests.length).toBe(before + 1);
      expect(server.requests.at(-1)).toEqual(written.request);
    }
    expect(server.requests[0]?.messages?.[1]?.content).toContain('"lines":[');
    expect(server.requests[1]?.messages?.[1]?.content).toContain('"clusters":[');
  });

  it("refuses a folder that is not empty, and LLM flags without an LLM summarizer", () => {
    const dir = join(scratch, "full");
    mkdirSync(dir);
    writeFileSync(join(dir, "000001.json"), "{}");
    expect(() => setUpDigest({ summarizer: "openai:m", promptsOut: dir })).toThrow(/not empty/);
    expect(() => setUpDigest({ promptsOut: join(scratch, "new") })).toThrow(UsageError);
    expect(() => setUpDigest({ summarizer: "embedded", concurrency: 2 })).toThrow(/--concurrency needs --summarizer openai:MODEL/);
    expect(() => setUpDigest({ summarizer: "ollama:" })).toThrow(/name the model/);
  });
});

describe("[#15.2] digest --answers: answers written elsewhere, through the same validator and fallback", () => {
  it("accepts valid answers (repaired where needed), falls back where one is missing or refused, and counts each by reason", async () => {
    const file = join(scratch, "answers.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ id: "ok", text: "Chat celebrates a baron steal by the star player. Others mock the caster." }),
        JSON.stringify({ id: "markup", text: '**Headline:** "Viewers are bored by the long break. Some ask when the game starts."' }),
        JSON.stringify({ id: "short", text: "Chat is bored" }),
        JSON.stringify({ id: 4, text: "Chat says the clutch in round 14 was insane. Others cheer the player loudly." }),
        JSON.stringify({ id: "ok", text: "A second answer for the same id is not used. It would be fine." }),
        JSON.stringify({ id: "nowhere", text: "No window has this id. Nobody reads it." }),
        "{not json",
        JSON.stringify({ id: "x", text: 5 }),
      ].join("\n") + "\n",
    );
    const windows = [windowLine("ok", BARON), windowLine("markup", BORING), windowLine("short", BORING), windowLine(4, CLUTCH), windowLine("missing", BARON)];
    const { out, notes } = await digest({ answers: file }, windows);
    const embedded = (texts: readonly string[]): string => digestWindow(setUpDigest({}).models, JSON.parse(windowLine("e", texts)).messages).output.headline;
    expect(out.map((o) => o.id)).toEqual(["ok", "markup", "short", 4, "missing"]);
    expect(out.map((o) => o.headline)).toEqual([
      "Chat celebrates a baron steal by the star player. Others mock the caster.",
      "Viewers are bored by the long break. Some ask when the game starts.",
      embedded(BORING),
      embedded(CLUTCH),
      embedded(BARON),
    ]);
    expect(notes).toEqual([
      "answers for 5 windows: 2 accepted (1 repaired), 2 rejected (copied-chat 1, one-sentence 1), 1 missing; those 3 carry the embedded headline",
      `${file}: 1 answers matched no window, 1 repeated an id (the first was used), 2 lines could not be read (line 7: not valid JSON; line 8: text must be a string)`,
    ]);
  });

  it("[#15.prop] an answers line never throws and reads back what was written", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        const r = parseAnswerLine(raw);
        expect("error" in r || (typeof r.text === "string" && (typeof r.id === "string" || typeof r.id === "number"))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer()), fc.string({ maxLength: 500 }), (id, text) => {
        expect(parseAnswerLine(JSON.stringify({ id, text, extra: [1] }))).toEqual({ id, text });
      }),
    );
    expect(parseAnswerLine(JSON.stringify({ id: "a", text: "x".repeat(MAX_ANSWER_CHARS + 1) }))).toEqual({ error: `text longer than ${MAX_ANSWER_CHARS} characters` });
    expect(parseAnswerLine('{"__proto__": {"id": "a", "text": "b"}}')).toEqual({ error: "id must be a string or a number" });
    expect(parseAnswerLine("[1]")).toEqual({ error: 'expected {"id", "text"}' });
  });

  it("refuses --answers with an LLM summarizer or --prompts-out, and an answers file it cannot read", () => {
    expect(() => setUpDigest({ answers: join(scratch, "nope.jsonl") })).toThrow(/cannot read/);
    expect(() => setUpDigest({ answers: join(scratch, "answers.jsonl"), summarizer: "openai:m" })).toThrow(/--answers reads answers written elsewhere/);
  });
});

describe("[#15.2] digest --summarizer openai:MODEL waits for each window's answer", () => {
  it("keeps --concurrency requests in flight, answers in input order, and counts the fallbacks by reason", async () => {
    const server = await fake({ mode: "slow", delayMs: 150 });
    const windows = Array.from({ length: 6 }, (_, i) => windowLine(`w${i}`, [...BARON, `round ${i} goes to the blue team`, `blue team ${i} wins`]));
    // The third request fails (404: not retried) and the fifth answers one sentence (rejected); requests start in input order.
    server.queue.push("slow", "slow", "not-found", "slow", "one-sentence", "slow");
    const { out, notes } = await digest({ summarizer: "openai:m", baseUrl: server.baseURL, concurrency: 2 }, windows);
    expect(out.map((o) => o.id)).toEqual(windows.map((_, i) => `w${i}`));
    expect(server.maxConcurrent).toBe(2);
    const modelHeadlines = out.filter((o) => o.headline.startsWith("Chat talks about"));
    expect(modelHeadlines).toHaveLength(4);
    expect(notes[0]).toMatch(new RegExp(`^6 windows, openai:m at ${server.baseURL}: 4 model headlines, 2 embedded \\((error 1, rejected: one-sentence 1|rejected: one-sentence 1, error 1)\\); \\d+ requests, [\\d,]+ prompt \\+ [\\d,]+ completion tokens$`));
  });

  it("a window with the content of one already answered is answered from the cache", async () => {
    const server = await fake();
    const { out, notes } = await digest({ summarizer: "vllm:m", baseUrl: server.baseURL }, [windowLine("a", BARON), windowLine("b", BARON)]);
    expect(out[0]?.headline).toBe(out[1]?.headline);
    expect(server.requests).toHaveLength(1);
    expect(notes[0]).toMatch(/2 model headlines \(1 from the cache\), 0 embedded/);
  });
});

describe("[#15.3] digest with a local preset whose server is down", () => {
  it("says so on stderr at once, before the input has ended, and every window gets the embedded headline", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const cli = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", cli, "digest", "--summarizer", "ollama:llama3.1"], { env: { ...process.env, CHATSTREAM_LLM_BASE_URL: url, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      // stdin stays open: the line must come from the start-up probe, not from the end of the run.
      for (let i = 0; i < 400 && !stderr.includes("unreachable"); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toContain(`chatstream: LLM at ${url} unreachable: connection refused; the embedded headline stays on air`);
      expect(child.exitCode).toBeNull();
      child.stdin.end(windowLine("w", BARON) + "\n");
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    const [line] = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as DigestOutput);
    expect(line?.headline).toBe(digestWindow(setUpDigest({}).models, JSON.parse(windowLine("w", BARON)).messages).output.headline);
    expect(stderr).toMatch(/chatstream digest: 1 windows, ollama:llama3\.1 at .*: 0 model headlines, 1 embedded \(error 1\)/);
  });
});
