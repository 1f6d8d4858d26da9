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
