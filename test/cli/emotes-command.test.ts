import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emotesCommand } from "../../src/commands/emotes-command.js";
import { startFakeEmoteApis, type FakeEmoteApis } from "../helpers/fake-emote-apis.js";
import { runCli } from "../helpers/cli-process.js";

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

describe("chatstream emotes --out", () => {
  let apis: FakeEmoteApis;
  let dir: string;
  beforeAll(async () => {
    apis = await startFakeEmoteApis();
    dir = mkdtempSync(join(tmpdir(), "chatstream-emotes-out-"));
  });
  afterAll(async () => {
    await apis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("[#14.19] a failed fetch leaves the old --out file untouched, says so on stderr and exits non-zero", async () => {
    const out = join(dir, "emotes.json");
    const old = JSON.stringify({ format: "chatstream-emotes/1", emotes: { nepuHeh: { meaning: "laughter", polarity: 0.5 } } }, null, 2) + "\n".repeat(200);
    writeFileSync(out, old);
    // Every provider unreachable (a closed loopback port), as when offline.
    const closed = await startFakeEmoteApis();
    const bases = closed.bases;
    await closed.close();
    const stderr = collect();
    const code = await emotesCommand({ twitch: "nepu", out, bases }, new PassThrough(), stderr.stream);
    expect(code).not.toBe(0);
    expect(readFileSync(out, "utf8")).toBe(old);
    expect(stderr.text()).toMatch(/no emotes found for nepu: 0 emotes .*; .*emotes\.json left as it was\n$/);
    expect(readdirSync(dir)).toEqual(["emotes.json"]); // no temporary file left behind
  });

  it("a successful fetch replaces the --out file whole, through a temporary file in the same folder", async () => {
    const out = join(dir, "nepu.json");
    writeFileSync(out, "old");
    const stderr = collect();
    expect(await emotesCommand({ twitch: "nepu", providers: ["7tv"], out, bases: apis.bases }, new PassThrough(), stderr.stream)).toBe(0);
    expect(Object.keys((JSON.parse(readFileSync(out, "utf8")) as { emotes: object }).emotes).sort()).toEqual(["nepuHeh", "nepuSleep", "xyzzyQwop"]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  // Not tagged: on the base commit this would go online before failing.
  it("an --out in a missing folder is refused in one line with exit 2, before anything is fetched", async () => {
    const r = await runCli(["emotes", "--twitch", "nepu", "--out", join(dir, "no-such-folder", "e.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([`chatstream: cannot write "${join(dir, "no-such-folder", "e.json")}" (--out): no such folder ${join(dir, "no-such-folder")}`]);
  });
});
