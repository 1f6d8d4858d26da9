import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import { LLM_SERVERS, LOCAL_BASE_URL_ENV, parseLlmSpec } from "../../src/models/summarizer/llm/llm-servers.js";
import { createLlmSummarizer, OpenAiSummarizer } from "../../src/models/summarizer/llm/openai-summarizer.js";
import { createSummarizer, summarizerNames } from "../../src/models/summarizer/registry.js";
import { startFakeOpenAiServer, type FakeFlavor, type FakeOpenAiServer } from "./fake-openai-server.js";
import { digestOf, HYPE } from "./helpers.js";

const PRESETS: { name: string; flavor: FakeFlavor; port: number }[] = [
  { name: "ollama", flavor: "ollama", port: 11434 },
  { name: "llamacpp", flavor: "llamacpp", port: 8080 },
  { name: "vllm", flavor: "vllm", port: 8000 },
  { name: "lmstudio", flavor: "lmstudio", port: 1234 },
];

let servers: FakeOpenAiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(flavor: FakeFlavor, models?: readonly string[]): Promise<FakeOpenAiServer> {
  const s = await startFakeOpenAiServer({ flavor, models });
  servers.push(s);
  return s;
}

/** A preset summarizer pointed at a fake through the base-URL variable every local preset reads, with a secret OpenAI key in the environment. */
function preset(name: string, server: FakeOpenAiServer, options: Record<string, unknown> = {}): OpenAiSummarizer {
  const spec = parseLlmSpec(`${name}:test-model`);
  if (spec === undefined) throw new Error(name);
  return createLlmSummarizer(spec.server, { clock: new VirtualClock(0), minRequestIntervalMs: 0, maxRetries: 0, ...options }, {}, spec.model, { [LOCAL_BASE_URL_ENV]: server.baseURL, OPENAI_API_KEY: "sk-secret" });
}

describe("[#15.3] local OpenAI-compatible servers: presets", () => {
  it("are registered by name, each on its own default port on loopback, with no key needed", () => {
    for (const p of PRESETS) {
      expect(summarizerNames()).toContain(p.name);
      const s = createSummarizer(`${p.name}:llama3.1:8b`, undefined) as OpenAiSummarizer;
      expect(s).toBeInstanceOf(OpenAiSummarizer);
      expect(s.name).toBe(`${p.name}:llama3.1:8b`);
      expect(s.endpoint).toBe(`http://127.0.0.1:${p.port}/v1`);
      expect(s.stats().model).toBe("llama3.1:8b");
    }
    expect(LLM_SERVERS.map((s) => s.name)).toEqual(["openai", ...PRESETS.map((p) => p.name)]);
    // A base URL given as an option wins; a model must be named.
    expect((createSummarizer("ollama:m", { baseURL: "http://10.0.0.5:11434/v1" }) as OpenAiSummarizer).endpoint).toBe("http://10.0.0.5:11434/v1");
    expect(() => createSummarizer("vllm:", undefined)).toThrow(/name the model/);
    expect(() => createSummarizer("ollama:m", { promptStyle: "prose" })).toThrow(/promptStyle/);
    expect(() => createSummarizer("ollama:m", { promptBudgetTokens: 0 })).toThrow(/promptBudgetTokens/);
  });

  for (const p of PRESETS) {
    describe(p.name, () => {
      it("reads the server's completion, streamed (SSE) and not, and never sends it the OpenAI key", async () => {
        const server = await fake(p.flavor);
        for (const stream of [false, true]) {
          const s = preset(p.name, server, { stream });
          const billed = server.usageSent.prompt;
          const d = digestOf(HYPE);
          const answer = await s.headlineFor(d);
          expect(answer).toMatchObject({ source: "model", cached: false });
          expect(answer.headline).toMatch(/^Chat talks about .*\. Viewers post \d+ messages in \d+ clusters\.$/);
          const st = s.stats();
          expect(st).toMatchObject({ calls: 1, failures: 0, rejected: 0 });
          // Usage as the server sent it (what it billed), streamed in the include_usage chunk.
          expect(st.promptTokens).toBe(server.usageSent.prompt - billed);
          expect(st.promptTokens).toBeGreaterThan(100);
        }
        expect(server.requests.map((r) => [r.model, r.stream])).toEqual([
          ["test-model", false],
          ["test-model", true],
        ]);
        expect(server.authorizations.every((a) => a === "Bearer not-needed")).toBe(true);
      });

      it("an error inside the stream is a failed request, not an empty answer; the fallback answers and says why", async () => {
        const server = await fake(p.flavor);
        server.mode = "stream-error";
        const s = preset(p.name, server, { stream: true });
        const answer = await s.headlineFor(digestOf(HYPE));
        expect(answer).toMatchObject({ source: "fallback", reason: "error" });
        expect(s.stats()).toMatchObject({ calls: 1, failures: 1, rejected: 0 });
        // Not streamed, the same failure is the server's HTTP error.
        const plain = preset(p.name, server);
        expect(await plain.headlineFor(digestOf(HYPE))).toMatchObject({ source: "fallback", reason: "error", detail: "HTTP 500" });
      });

      it("a model the server does not have fails the warm-up with the server's own words where it gives them", async () => {
        const server = await fake(p.flavor, ["other-model"]);
        const s = preset(p.name, server);
        const probe = await s.warmUp(digestOf(HYPE));
        if (p.flavor === "llamacpp") {
          // llama-server answers with the one model it serves, whatever the request names.
          expect(probe).toEqual({ ok: true });
          return;
        }
        expect(probe.ok).toBe(false);
        if (probe.ok) return;
        expect(probe.reason).toMatch(/^HTTP 404/);
        if (p.flavor === "ollama") expect(probe.reason).toBe('HTTP 404: model "test-model" not found, try pulling it first');
        if (p.flavor === "lmstudio") expect(probe.reason).toMatch(/Model "test-model" not found/);
      });

      it("the start-up probe reads the server's model list", async () => {
        const server = await fake(p.flavor);
        expect(await preset(p.name, server).probe()).toEqual({ ok: true });
        expect(server.modelListRequests).toBe(1);
      });
    });
  }

  it("llama-server while it loads the model (503) fails the warm-up, and so does an empty answer", async () => {
    const server = await fake("llamacpp");
    server.mode = "loading";
    expect(await preset("llamacpp", server).warmUp(digestOf(HYPE))).toEqual({ ok: false, reason: "HTTP 503: Loading model" });
    server.mode = "empty";
    const empty = await preset("llamacpp", server).warmUp(digestOf(HYPE));
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.reason).toMatch(/no text/);
  });

  it("a key the local server was started with is read from its own variable", async () => {
    const server = await fake("vllm");
    const spec = parseLlmSpec("vllm:m");
    if (spec === undefined) throw new Error("vllm");
    const s = createLlmSummarizer(spec.server, { clock: new VirtualClock(0), minRequestIntervalMs: 0 }, {}, spec.model, { [LOCAL_BASE_URL_ENV]: server.baseURL, VLLM_API_KEY: "vllm-key", OPENAI_API_KEY: "sk-secret" });
    await s.headlineFor(digestOf(HYPE));
    expect(server.authorizations).toEqual(["Bearer vllm-key"]);
  });
});
