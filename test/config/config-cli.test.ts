import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";
import { startServingCli, type ServingCli } from "../server/cli-server.js";

// The config file, the environment and the flags as a user meets them: the real `chatstream` process. Each case costs
// a process start (about 1.3 s of CPU), so one process stands for each rule.

const dir = mkdtempSync(join(tmpdir(), "chatstream-config-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CHAT = join(dir, "chat.jsonl");
writeFileSync(CHAT, Array.from({ length: 40 }, (_, i) => JSON.stringify({ t: i * 250, user: `u${i % 7}`, text: ["PogChamp", "gg", "what a play", "LUL"][i % 4] })).join("\n") + "\n");

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The queue capacity the run's summary line reports: "queue high-water H/CAPACITY". */
function capacity(stderr: string): number | undefined {
  const m = /queue high-water \d+\/(\d+)/.exec(stderr);
  return m === null ? undefined : Number(m[1]);
}

async function activeModels(cli: ServingCli): Promise<{ sentiment: string; summarizer: string }> {
  const body = (await (await fetch(`${cli.url}/v1/models`)).json()) as { sentiment: { active: string }; summarizer: { active: string } };
  return { sentiment: body.sentiment.active, summarizer: body.summarizer.active };
}

async function until(what: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.concurrent("chatstream run with --config, variables and flags (real process)", () => {
  const config = file("queue.yaml", `input: ${CHAT}\nspeed: max\nsink: [jsonl]\nqueue: 7\n`);
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(["run", "--config", config, ...args], { env: { CHATSTREAM_QUEUE: "", ...env }, timeoutMs: 30_000 });

  it("[#19.2] the file gives what no flag or variable gives; a variable wins over it, a flag over both", async () => {
    const [fromFile, fromEnv, fromFlag, byDefault] = await Promise.all([
      run([]),
      run([], { CHATSTREAM_QUEUE: "8" }),
      run(["--queue", "9"], { CHATSTREAM_QUEUE: "8" }),
      runCli(["run", "-i", CHAT, "--speed", "max", "--sink", "jsonl"], { env: { CHATSTREAM_QUEUE: "" } }),
    ]);
    for (const r of [fromFile, fromEnv, fromFlag, byDefault]) expect(r.code, r.stderr).toBe(0);
    expect([fromFile, fromEnv, fromFlag, byDefault].map((r) => capacity(r.stderr))).toEqual([7, 8, 9, 1000]);
    // The input, speed and sink came from the file: every snapshot on stdout.
    expect(fromFile.stdout.trimEnd().split("\n").length).toBeGreaterThan(10);
  });

  it("[#19.2] CHATSTREAM_CONFIG names the file when --config does not", async () => {
    const r = await runCli(["run"], { env: { CHATSTREAM_CONFIG: config, CHATSTREAM_QUEUE: "" } });
    expect(r.code, r.stderr).toBe(0);
    expect(capacity(r.stderr)).toBe(7);
  });

  it("[#19.2] an unknown key, a bad value or a bad variable: one line naming it and where, exit 2, nothing run", async () => {
    const typo = file("typo.yaml", `input: ${CHAT}\nmax_channel: 5\n`);
    const bad = file("bad.json", `{\n  "input": "${CHAT}",\n  "shedPolicy": "drop-all"\n}\n`);
    const [unknown, value, variable] = await Promise.all([
      runCli(["run", "--config", typo]),
      runCli(["run", "--config", bad]),
      runCli(["run", "-i", CHAT], { env: { CHATSTREAM_SPEED: "fast" } }),
    ]);
    expect(unknown.stderr).toBe(`chatstream: ${typo}:2:1: unknown key "max_channel" (did you mean "maxChannels"?)\n`);
    expect(value.stderr).toBe(`chatstream: ${bad}:3:17: shedPolicy: expected one of drop-newest, drop-oldest, got "drop-all"\n`);
    expect(variable.stderr).toBe('chatstream: CHATSTREAM_SPEED: expected a positive number or "max", got "fast"\n');
    for (const r of [unknown, value, variable]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
    }
  });

  it("[#19.2] plugins can come from the config file, loaded before the models it names are built", async () => {
    const plugin = new URL("../plugins/fixtures/quotes-chat.mjs", import.meta.url).pathname;
    const yaml = file("plugin.yaml", `input: ${CHAT}\nspeed: max\nsink: [jsonl]\nplugin: [${plugin}]\nsummarizer: quotes-chat\n`);
    const r = await runCli(["run", "--config", yaml]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Chat says");
  });

  it("[#19.2] the LLM's base URL can come from the file; without it or the variables the openai summarizer refuses to start", async () => {
    const llm = file("llm.yaml", `input: ${CHAT}\nspeed: max\nsink: [jsonl]\nsummarizer: openai:fake\nopenaiBaseUrl: http://127.0.0.1:9/v1\n`);
    const noUrl = file("no-url.yaml", `input: ${CHAT}\nspeed: max\nsink: [jsonl]\nsummarizer: openai:fake\n`);
    const env = { OPENAI_API_KEY: "", OPENAI_BASE_URL: "" };
    const [withUrl, without] = await Promise.all([runCli(["run", "--config", llm], { env }), runCli(["run", "--config", noUrl], { env })]);
    expect(withUrl.code, withUrl.stderr).toBe(0);
    expect(withUrl.stderr).toContain("127.0.0.1:9");
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/set OPENAI_API_KEY, or OPENAI_BASE_URL/);
  });

  it("[#19.2] a models-only JSON of before still works: applied at start, hot-swapped on SIGHUP; a model given by a flag stays", async () => {
    const models = file("models.json", JSON.stringify({ sentiment: "afinn", summarizer: "embedded" }));
    const cli = await startServingCli(["run", "-i", CHAT, "--speed", "max", "--sink", "jsonl:/dev/null", "--serve", "127.0.0.1:0", "--config", models, "--sentiment", "lexicon"]);
    try {
      expect(await activeModels(cli)).toEqual({ sentiment: "lexicon", summarizer: "embedded" });
      expect(cli.stderr()).toContain('config: sentiment "afinn" not applied: --sentiment wins over the config file ("lexicon" stays)');
      writeFileSync(models, JSON.stringify({ sentiment: "vader", summarizer: "extractive" }));
      cli.signal("SIGHUP");
      await until(async () => (await activeModels(cli)).summarizer === "extractive");
      expect((await activeModels(cli)).sentiment).toBe("lexicon");
      // A file that no longer validates is not applied; the models on air stay.
      writeFileSync(models, JSON.stringify({ summarizer: "embedded", queue: 0 }));
      cli.signal("SIGHUP");
      await until(async () => cli.stderr().includes("config not reloaded"));
      expect(cli.stderr()).toMatch(/config not reloaded: .*models\.json:1:\d+: queue: expected a positive whole number/);
      expect(await activeModels(cli)).toEqual({ sentiment: "lexicon", summarizer: "extractive" });
      expect(cli.alive()).toBe(true);
    } finally {
      expect((await cli.stop()).code).toBe(0);
    }
  });

  it("[#19.2] everything from a YAML file, --serve included; its models hot-swap on SIGHUP", async () => {
    const yaml = file("serve.yaml", `# the whole run\ninput: ${CHAT}\nspeed: max\nsink: jsonl:/dev/null\nserve: 127.0.0.1:0\nsentiment: afinn\n`);
    const cli = await startServingCli(["run", "--config", yaml]);
    try {
      expect((await activeModels(cli)).sentiment).toBe("afinn");
      writeFileSync(yaml, `input: ${CHAT}\nserve: 127.0.0.1:0\nsentiment: vader\n`);
      cli.signal("SIGHUP");
      await until(async () => (await activeModels(cli)).sentiment === "vader");
      expect(cli.stderr()).toContain("sentiment model: afinn → vader");
    } finally {
      expect((await cli.stop()).code).toBe(0);
    }
  });
});
