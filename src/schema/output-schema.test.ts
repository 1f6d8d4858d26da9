import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { outputSchemaDocument } from "./output-schema.js";

describe("output schema", () => {
  it("matches the committed schema/chatstream-output.schema.json (run `npm run schema` after changing it)", () => {
    const committed: unknown = JSON.parse(readFileSync(new URL("../../schema/chatstream-output.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(outputSchemaDocument());
  });
});
