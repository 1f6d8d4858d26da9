import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { LabelOutput } from "../schema/output-schema.js";
import { labelCommand } from "./label-command.js";
import { setUpModels } from "./model-setup.js";

async function label(texts: string[]): Promise<LabelOutput[]> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (c: Buffer) => chunks.push(c));
  await labelCommand(setUpModels({}), Readable.from(texts.map((text, id) => JSON.stringify({ id, text }) + "\n")), output);
  return Buffer.concat(chunks).toString("utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as LabelOutput);
}

describe("chatstream label: the language of each message", () => {
  it("writes each line's language, \"und\" for a line in none, and stays valid against the schema", async () => {
    const out = await label(["das ist doch nicht dein ernst", "gak ada yang bisa menang", "what time is it?", "LUL LUL", "que bueno esta el partido"]);
    expect(out.map((o) => o.lang)).toEqual(["de", "id", "en", "und", "es"]);
    for (const o of out) expect(Value.Check(LabelOutput, o), JSON.stringify(o)).toBe(true);
    // A language no model reads: neutral, low confidence.
    expect(out[4]).toMatchObject({ label: "neu", scores: { pos: 0.25, neu: 0.5, neg: 0.25 } });
  });
});

describe("chatstream label: a line's channel", () => {
  it("scores a line in no language in the language of its channel's earlier lines, and keeps `lang` as read", async () => {
    const seen: (string | undefined)[] = [];
    const models = setUpModels({});
    models.sentiment = { name: "spy", score: (_t, _k, language) => (seen.push(language), { pos: 0, neu: 1, neg: 0 }) };
    const rows = [
      ...Array.from({ length: 12 }, (_, i) => ({ id: i, text: "gak ada yang bisa menang", stream: "id-stream" })),
      { id: "a", text: "leshrach", stream: "id-stream" },
      { id: "b", text: "leshrach", channel: "elsewhere" },
      { id: "c", text: "leshrach" },
    ];
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on("data", (c: Buffer) => chunks.push(c));
    await labelCommand(models, Readable.from(rows.map((r) => JSON.stringify(r) + "\n")), output);
    const out = Buffer.concat(chunks).toString("utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as LabelOutput);
    expect(seen.slice(-3)).toEqual(["id", "und", "und"]);
    expect(out.slice(-3).map((o) => o.lang)).toEqual(["und", "und", "und"]);
  });
});
