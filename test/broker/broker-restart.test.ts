import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_STREAM } from "../../src/broker/subjects.js";
import { ingestCommand } from "../../src/commands/ingest-command.js";
import { SystemClock } from "../../src/core/clock.js";
import { captureIO } from "../helpers/command-io.js";
import { NATS_SERVER, SKIP_MESSAGE, startNatsServer, type NatsServer } from "./nats-fixture.js";

if (NATS_SERVER === undefined) console.warn(SKIP_MESSAGE);

describe.skipIf(NATS_SERVER === undefined)("a broker restart during ingest", () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("[#18] the ingest waits and retries through the outage: every message stored once, none failed, the retries counted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-restart-"));
    const lines = Array.from({ length: 1500 }, (_, i) => JSON.stringify({ t: 1_000 + i * 40, platform: "twitch", channel: `c${i % 3}`, user: `u${i % 17}`, text: `line ${i}` }));
    const path = join(dir, "chat.jsonl");
    writeFileSync(path, lines.join("\n") + "\n");
    const io = captureIO(new SystemClock());
    // 60 s of chat at 20×: about 3 s of publishing, with the broker away for a second in the middle of it.
    const ingesting = ingestCommand({ broker: server.url, input: path, speed: 20, maxInFlight: 64, maxMessageLength: 2000 }, io.io, {});
    await new Promise((r) => setTimeout(r, 1_000));
    await server.restart(1_000);
    expect(await ingesting, io.stderr()).toBe(0);
    const stats = /stored ([\d,]+), duplicates ([\d,]+), failed (\d+), refused (\d+), retries (\d+)/.exec(io.stderr());
    expect(stats, io.stderr()).not.toBeNull();
    const [stored, duplicates, failed, , retries] = (stats as RegExpExecArray).slice(1).map((x) => Number(x.replace(/,/g, "")));
    console.info(`[#18] broker restart (1 s down) during ingest: ${stats?.[0] ?? ""}`);
    expect(failed).toBe(0);
    expect(retries).toBeGreaterThan(0);
    // A publish stored before the restart but not acked is sent again and answered as a duplicate: counted, not lost.
    expect((stored as number) + (duplicates as number)).toBe(1500 + 3);
    const nc = await connect({ servers: server.url });
    const info = await (await jetstreamManager(nc)).streams.info(CHAT_STREAM);
    await nc.close();
    expect(info.state.messages).toBe(1500 + 3);
  }, 60_000);
});
