import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chat } from "../helpers/pipeline-fixtures.js";
import { startHarness, type Harness } from "./harness.js";

describe("an unknown channel on a server that follows many", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.feed(Array.from({ length: 30 }, (_, i) => chat(1_000 + i, "hello chat", `u${i}`, `channel${String(i).padStart(2, "0")}`)));
  });
  afterAll(() => h.close());

  it("names a few known channels and how many more, not all of them", async () => {
    const r = await fetch(`${h.server.url}/v1/snapshot?channel=nope`);
    expect(r.status).toBe(404);
    const body = (await r.json()) as { detail: string };
    expect(body.detail).toMatch(/^no channel "nope" \(known: channel00, channel01, .*channel19 and 10 more; see \/v1\/channels\)$/);
  });
});
