import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DigestBuilder, mergeDigests } from "../../src/aggregation/chat-digest.js";
import { pluginApi } from "../../src/plugin.js";
import { processed } from "../helpers/pipeline-fixtures.js";
import { loadPlugins } from "../../src/commands/plugins.js";
import { UsageError } from "../../src/commands/usage-error.js";
import type { ChatMessage } from "../../src/core/message.js";
import { createSentimentModel, sentimentModelNames } from "../../src/models/sentiment/registry.js";
import { createSummarizer, summarizerNames } from "../../src/models/summarizer/registry.js";
import type { MessageSource } from "../../src/pipeline/run-pipeline.js";
import { builtinEmoteDictionary } from "../../src/processing/emote-dictionary.js";
import { tokenize } from "../../src/processing/tokenizer.js";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { startHarness, twoChannels, type Harness } from "../server/harness.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLE = fileURLToPath(new URL("../../examples/plugins/keyword-sentiment.mjs", import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe("plugins", () => {
  beforeAll(async () => {
    await loadPlugins([EXAMPLE]);
  });

  it("the example registers a sentiment model and a summarizer under new names", () => {
    expect(sentimentModelNames()).toContain("keywords");
    expect(summarizerNames()).toContain("busiest-line");
    const emotes = builtinEmoteDictionary();
    const model = createSentimentModel("keywords", { emotes });
    const text = "gg love this clutch";
    const s = model.score(text, tokenize(text, emotes));
    expect(s.pos).toBeGreaterThan(s.neg);
    expect(s.pos + s.neu + s.neg).toBeCloseTo(1, 9);
  });

  it("a plugin's headlines are masked for air like the built-ins' words from chat", async () => {
    await loadPlugins([fixture("quotes-chat.mjs")]);
    const summarizer = createSummarizer("quotes-chat");
    const headline = summarizer.summarizeWindow(mergeDigests([], 0, 30_000));
    expect(headline).not.toContain("free-robux.club");
    expect(headline).not.toMatch(/fuck/i);
  });

  it.each([
    ["throws-on-load.mjs", /^plugin ".*throws-on-load\.mjs" failed to load: cannot find my weights file$/],
    ["no-default.mjs", /^plugin ".*no-default\.mjs" has no default export function/],
    ["takes-builtin-name.mjs", /^plugin ".*takes-builtin-name\.mjs" failed to register: sentiment model "embedded" is already registered$/],
    ["missing.mjs", /^cannot read ".*missing\.mjs" \(--plugin\)/],
  ])("%s: a clear error naming the file", async (name, message) => {
    const err = await loadPlugins([fixture(name)]).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });

  it("a plugin's model that throws or answers nonsense does not end the run: the embedded one answers, the first failure said once", () => {
    const said: string[] = [];
    const api = pluginApi("/plugins/broken.mjs", (m) => said.push(m));
    let calls = 0;
    api.registerSummarizer("throws-sometimes", () => ({
      name: "throws-sometimes",
      summarizeWindow: () => {
        calls++;
        if (calls === 1) throw new Error("boom \u001b[31mred\u001b[0m\nsecond line");
        return calls === 2 ? "" : "Chat is fine with the plugin now, and a few say hello to everyone.";
      },
      summarizePeriod: () => {
        throw new Error("no periods");
      },
    }));
    api.registerSentimentModel("nan-scores", () => ({ name: "nan-scores", score: () => ({ pos: Number.NaN, neu: 0.5, neg: 0.5 }) }));
    const b = new DigestBuilder();
    for (let i = 0; i < 12; i++) b.add(processed(i * 1_000, i % 2 === 0 ? "what a save by the keeper" : "LUL he slipped"));
    const digest = b.build(0, 30_000);
    const embedded = createSummarizer("embedded").summarizeWindow(digest);
    const plugin = createSummarizer("throws-sometimes");
    expect(plugin.summarizeWindow(digest)).toBe(embedded); // threw
    expect(plugin.summarizeWindow(digest)).toBe(embedded); // answered nothing
    expect(plugin.summarizeWindow(digest)).toBe("Chat is fine with the plugin now, and a few say hello to everyone.");
    expect(plugin.summarizePeriod(digest, [digest])).toBe(createSummarizer("embedded").summarizePeriod(digest, [digest]));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^chatstream: plugin "\/plugins\/broken\.mjs": summarizer "throws-sometimes" failed \(boom/);
    expect([...(said[0] ?? "")].filter((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toEqual([]);
    const emotes = builtinEmoteDictionary();
    const text = "what a save";
    const scores = createSentimentModel("nan-scores", { emotes }).score(text, tokenize(text, emotes), "en");
    expect(scores).toEqual(createSentimentModel("embedded", { emotes }).score(text, tokenize(text, emotes), "en"));
    expect(said).toHaveLength(2);
    expect(said[1]).toContain('sentiment model "nan-scores" failed');
  });

  it("loading the example twice is refused (names are never silently replaced)", async () => {
    await expect(loadPlugins([EXAMPLE])).rejects.toThrow(/sentiment model "keywords" is already registered/);
  });

  it("the CLI loads --plugin before the command and exits 2 in one line when a plugin throws", () => {
    const tsx = `${ROOT}node_modules/.bin/tsx`;
    const ok = spawnSync(tsx, ["src/cli.ts", "label", "--plugin", EXAMPLE, "--sentiment", "keywords"], { cwd: ROOT, input: '{"id":1,"text":"gg love it"}\n', encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout) as { label: string }).toMatchObject({ id: 1, label: "pos" });
    const bad = spawnSync(tsx, ["src/cli.ts", "label", "--plugin", fixture("throws-on-load.mjs")], { cwd: ROOT, input: "", encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("throws-on-load.mjs");
  }, 60_000);
});

describe("hot-swapping to a plugin's models and back under load", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const put = async (role: string, model: string): Promise<number> =>
    (await fetch(`${h.server.url}/v1/models/${role}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ model }) })).status;

  it("snapshots continue on every 500 ms step while the models swap mid-stream", async () => {
    const chat = twoChannels();
    const third = Math.floor(chat.length / 3);
    const statuses: number[] = [];
    // The swaps happen through the HTTP API while the run is between batches: the queue and the pipelines are live.
    const source: MessageSource = {
      name: "test",
      canWait: true,
      timed: true,
      async *batches() {
        for (let i = 0; i < chat.length; i += 50) {
          if (i === Math.floor(third / 50) * 50) statuses.push(await put("sentiment", "keywords"), await put("summarizer", "busiest-line"));
          if (i === Math.floor((2 * third) / 50) * 50) statuses.push(await put("sentiment", "lexicon"), await put("summarizer", "extractive"));
          yield chat.slice(i, i + 50);
        }
      },
    };
    const first = chat[0] as ChatMessage;
    const last = chat[chat.length - 1] as ChatMessage;
    await h.feedSource(source);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const alpha = h.records.filter((r): r is Snapshot => r.type === "snapshot" && r.channel === "alpha");
    expect(alpha.length).toBeGreaterThan(100);
    // No missed snapshot: consecutive 500 ms steps from the first to the last.
    const steps = alpha.slice(1).map((s, i) => s.t - (alpha[i] as Snapshot).t);
    expect(steps.every((d) => d === 500)).toBe(true);
    expect((alpha[0] as Snapshot).t).toBeLessThanOrEqual(first.t + 500);
    expect((alpha[alpha.length - 1] as Snapshot).t).toBeGreaterThanOrEqual(last.t - 500);
    // The plugin's summarizer wrote headlines in the middle third, the built-in one before and after.
    const byPlugin = alpha.filter((s) => s.headline.startsWith("Chat's most repeated line"));
    expect(byPlugin.length).toBeGreaterThan(0);
    expect(alpha[0]?.headline.startsWith("Chat's most repeated line")).toBe(false);
    expect(alpha[alpha.length - 1]?.headline.startsWith("Chat's most repeated line")).toBe(false);
    const metrics = await (await fetch(`${h.server.url}/metrics`)).text();
    const calls = /chatstream_model_calls_total\{role="sentiment",model="keywords"\} (\d+)/.exec(metrics)?.[1];
    expect(Number(calls)).toBeGreaterThan(100);
    const models = (await (await fetch(`${h.server.url}/v1/models`)).json()) as Record<string, { active: string; swaps: number }>;
    expect(models.sentiment).toMatchObject({ active: "lexicon", swaps: 2 });
    expect(models.summarizer).toMatchObject({ active: "extractive", swaps: 2 });
  });
});
