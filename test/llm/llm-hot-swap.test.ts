import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAsyncSummarizer } from "../../src/models/summarizer/llm/async-summarizer.js";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { startHarness, twoChannels, type Harness } from "../server/harness.js";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "./fake-openai-server.js";

describe("hot-swap to and from the LLM summarizer through the API", () => {
  let h: Harness;
  let llm: FakeOpenAiServer;
  beforeAll(async () => {
    llm = await startFakeOpenAiServer();
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
    await llm.close();
  });

  const put = async (model: string, options?: Record<string, unknown>) => {
    const res = await fetch(`${h.server.url}/v1/models/summarizer`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ model, ...(options ? { options } : {}) }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("swaps to openai:MODEL on a local OpenAI-compatible server, keeps publishing, and swaps back", async () => {
    const swapped = await put("openai:test-model", { baseURL: llm.baseURL, apiKey: "x", minRequestIntervalMs: 0 });
    expect(swapped).toMatchObject({ status: 200, body: { active: "openai:test-model" } });
    const stats = await h.feed(twoChannels());
    expect(stats.queue.shed).toBe(0);
    const active = h.slots.summarizer;
    expect(isAsyncSummarizer(active)).toBe(true);
    if (isAsyncSummarizer(active)) await active.whenIdle();
    const snaps = h.records.filter((r): r is Snapshot => r.type === "snapshot");
    expect(snaps.length).toBeGreaterThan(100);
    expect(snaps.every((s) => s.headline.length > 0)).toBe(true);
    // The model was asked only when content changed, not once per snapshot.
    expect(llm.requests.length).toBeGreaterThan(0);
    expect(llm.requests.length).toBeLessThan(snaps.length / 5);
    const back = await put("embedded");
    expect(back).toMatchObject({ status: 200, body: { previous: "openai:test-model", active: "embedded" } });
  });

  it("[#15.3] refuses an LLM whose warm-up fails, with a clear error, keeping the old one (a dead endpoint answered 200 before)", async () => {
    // A loopback port nothing listens on (bound, then released).
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const port = (dead.address() as { port: number }).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const before = (await (await fetch(`${h.server.url}/v1/models`)).json()) as { summarizer: { active: string; swaps: number } };
    const refused = await put("ollama:llama3.1", { baseURL: `http://127.0.0.1:${port}/v1` });
    expect(refused.status).toBe(500);
    expect(refused.body).toMatchObject({
      title: "Model failed to warm up",
      detail: `summarizer model "ollama:llama3.1" failed its warm-up at http://127.0.0.1:${port}/v1: connection refused; "${before.summarizer.active}" stays active`,
    });
    // The server has no such model: the server's own words say so.
    const missing = await startFakeOpenAiServer({ flavor: "ollama", models: ["llama3.1:8b"] });
    try {
      const wrong = await put("ollama:llama3", { baseURL: missing.baseURL });
      expect(wrong.status).toBe(500);
      expect(String(wrong.body.detail)).toBe(`summarizer model "ollama:llama3" failed its warm-up at ${missing.baseURL}: HTTP 404: model "llama3" not found, try pulling it first; "${before.summarizer.active}" stays active`);
      // The model it has warms up and is installed.
      expect(await put("ollama:llama3.1:8b", { baseURL: missing.baseURL })).toMatchObject({ status: 200, body: { active: "ollama:llama3.1:8b" } });
      expect(missing.requests.map((r) => r.model)).toEqual(["llama3", "llama3.1:8b"]);
      await put(before.summarizer.active);
    } finally {
      await missing.close();
    }
    const after = (await (await fetch(`${h.server.url}/v1/models`)).json()) as { summarizer: { active: string; swaps: number } };
    expect(after.summarizer).toMatchObject({ active: before.summarizer.active, swaps: before.summarizer.swaps + 2 });
  });

  it("refuses an LLM summarizer it cannot build, keeping the old one", async () => {
    const saved = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
    delete process.env.OPENAI_BASE_URL;
    delete process.env.OPENAI_API_KEY;
    try {
      const refused = await put("openai:test-model");
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(String(refused.body.detail)).toMatch(/OPENAI_API_KEY|OPENAI_BASE_URL/);
    } finally {
      if (saved.base !== undefined) process.env.OPENAI_BASE_URL = saved.base;
      if (saved.key !== undefined) process.env.OPENAI_API_KEY = saved.key;
    }
  });
});
