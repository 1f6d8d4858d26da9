import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { asyncApiDocument } from "../../src/server/api-schemas.js";
import { openApiDocument } from "../../src/server/openapi.js";

const read = (name: string): unknown => parse(readFileSync(new URL(`../../docs/${name}`, import.meta.url), "utf8"));

describe("API documents (run `npm run openapi` after changing routes or schemas)", () => {
  it("docs/openapi.yaml is what @fastify/swagger generates from the route schemas", async () => {
    expect(read("openapi.yaml")).toEqual(await openApiDocument());
  });

  it("docs/asyncapi.yaml documents every WebSocket message from the same schemas", () => {
    const doc = asyncApiDocument();
    expect(read("asyncapi.yaml")).toEqual(doc);
    expect(Object.keys((doc.channels as { stream: { messages: object } }).stream.messages)).toEqual(["snapshot", "rollup", "hello", "skipped", "model_swap", "error", "subscribe"]);
  });
});
