import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { DigestOutput, LabelOutput } from "../schema/output-schema.js";
import { digestCommand } from "./digest-command.js";
import { labelCommand } from "./label-command.js";
import { setUpModels } from "./model-setup.js";

const models = setUpModels({ sentiment: "lexicon", summarizer: "extractive" });

async function run(command: typeof labelCommand, lines: string[]): Promise<{ out: unknown[]; errors: number; samples: string[] }> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (c: Buffer) => chunks.push(c));
  const result = await command(models, Readable.from(lines.map((l) => l + "\n")), output);
  const out = Buffer.concat(chunks).toString("utf8").trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l) as unknown);
  return { out, errors: result.errors, samples: result.errorSamples };
}

describe("chatstream label", () => {
  it("answers one line per input line, in order, errors in place", async () => {
    const { out, errors, samples } = await run(labelCommand, [
      JSON.stringify({ id: "a", text: "LUL LUL LUL" }),
      "{not json",
      JSON.stringify({ id: 7, text: "BibleThump" }),
      JSON.stringify({ id: "c" }),
      JSON.stringify({ id: "d", text: "what time is it?" }),
    ]);
    expect(out).toHaveLength(5);
    const [a, bad, b, missing, d] = out as [LabelOutput, { error: string }, LabelOutput, { id: string; error: string }, LabelOutput];
    expect(a).toMatchObject({ id: "a", label: "pos" });
    expect(a.scores.pos + a.scores.neu + a.scores.neg).toBeCloseTo(1, 3);
    expect(bad.error).toMatch(/not valid JSON/);
    expect(b).toMatchObject({ id: 7, label: "neg" });
    expect(missing).toMatchObject({ id: "c" });
    expect(d.label).toBe("neu");
    expect(errors).toBe(2);
    expect(samples[0]).toMatch(/^line 2:/);
  });
});

describe("chatstream digest", () => {
  it("digests each window whole into headline, mood, sentiment, confidence and topics with examples", async () => {
    const messages = [
      ...Array.from({ length: 12 }, (_, i) => ({ t: i * 1000, user: `u${i}`, text: i % 2 ? "baron steal LUL" : "LUL what a baron steal" })),
      { t: 13_000, user: "x", text: "who is playing?" },
    ];
    const { out } = await run(digestCommand, [JSON.stringify({ id: "w1", messages }), JSON.stringify({ id: "w2", messages: [] }), JSON.stringify({ id: "w3" })]);
    const [w1, w2, w3] = out as [DigestOutput, DigestOutput, { error: string }];
    expect(w1.id).toBe("w1");
    expect(w1.headline.split(/(?<=[.!?])\s+/)).toHaveLength(2);
    expect(w1.mood).toBe("pos");
    expect(w1.topics.map((t) => t.label)).toEqual(expect.arrayContaining(["baron", "steal", "LUL"]));
    expect(w1.topics.find((t) => t.label === "baron")?.examples.length).toBeGreaterThan(0);
    expect(w1.confidence).toBeGreaterThan(0);
    // No chat is no evidence, not neutrality.
    expect(w2).toMatchObject({ id: "w2", mood: null, confidence: 0, topics: [] });
    expect(w3.error).toMatch(/expected/);
  });
});

describe("list options", () => {
  it("accepts comma-separated and repeated values", async () => {
    const { collectList } = await import("./model-setup.js");
    expect(collectList("a, b,,c", collectList("z"))).toEqual(["z", "a", "b", "c"]);
  });
});
