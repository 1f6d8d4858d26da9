// What one consumer costs nats-server 2.9 (docs/scale-out.md, "one owner per partition"): publishes N messages over
// 1,000 subjects with 256 in flight to a stream, beside K pull consumers (AckAll, acknowledged when their buffer
// empties) that read them all, and reports publishes per second and the server's CPU per message (/proc/PID/stat).
//
//   npx tsx benchmarks/broker-consumers.bench.ts [--messages 20000] [--consumers none,1000,16,32,64,256]
//
// 1000 is one consumer per subject (`chat.t.ch<c>`, the first design), the others one per partition (`chat.p<k>.>`).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { spawnSync } from "node:child_process";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { procStatCpuSeconds } from "../src/bench/broker-bench.js";
import { startNatsServer } from "../test/broker/nats-fixture.js";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(flag("--messages") ?? 20_000);
const SUBJECTS = 1000;
const CASES = (flag("--consumers") ?? "none,1000,16,32,64,256").split(",");
const encoder = new TextEncoder();

async function probe(kind: string): Promise<{ consumers: string; publishesPerSecond: number; delivered: number; serverCpuUsPerMessage: number }> {
  const server = await startNatsServer();
  const port = new URL(server.url).port;
  const pid = Number(spawnSync("pgrep", ["-f", `nats-server -js -a 127.0.0.1 -p ${port} `], { encoding: "utf8" }).stdout.trim().split("\n")[0]);
  const cpu = (): number => procStatCpuSeconds(readFileSync(`/proc/${pid}/stat`, "utf8"));
  const nc = await connect({ servers: server.url, noAsyncTraces: true });
  const reader = await connect({ servers: server.url, noAsyncTraces: true });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "PROBE", subjects: ["chat.>"], duplicate_window: 600e9 });
    const partitions = kind === "none" || kind === "1000" ? 0 : Number(kind);
    const subject = (i: number): string => (partitions > 0 ? `chat.p${(i % SUBJECTS) % partitions}.t.ch${i % SUBJECTS}` : `chat.t.ch${i % SUBJECTS}`);
    let delivered = 0;
    const consumers = kind === "none" ? 0 : partitions > 0 ? partitions : SUBJECTS;
    const readers: Promise<void>[] = [];
    for (let c = 0; c < consumers; c++) {
      await jsm.consumers.add("PROBE", { durable_name: `c${c}`, filter_subject: partitions > 0 ? `chat.p${c}.>` : `chat.t.ch${c}`, deliver_policy: DeliverPolicy.All, ack_policy: AckPolicy.All, max_ack_pending: 20_000 });
      const messages = await (await jetstream(reader).consumers.get("PROBE", `c${c}`)).consume({ max_messages: 500 });
      readers.push(
        (async () => {
          for await (const m of messages) {
            delivered++;
            if (messages.getPending() === 0) m.ack();
            if (delivered >= N) break;
          }
        })(),
      );
    }
    const js = jetstream(nc);
    const cpu0 = cpu();
    const t0 = performance.now();
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < N; i++) {
      while (inFlight.size >= 256) await Promise.race(inFlight);
      const p: Promise<unknown> = js.publish(subject(i), encoder.encode(`{"kind":"message","i":${i},"text":"hello world this is chat"}`), { msgID: `m${i}` }).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - t0) / 1000;
    const deadline = Date.now() + 30_000;
    while (consumers > 0 && delivered < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return { consumers: kind, publishesPerSecond: Math.round(N / seconds), delivered, serverCpuUsPerMessage: Math.round(((cpu() - cpu0) * 1e6) / N) };
  } finally {
    await reader.close();
    await nc.close();
    await server.stop();
  }
}

const load0 = loadavg()[0] ?? 0;
for (const kind of CASES) process.stdout.write(`${JSON.stringify(await probe(kind))}\n`);
process.stdout.write(`load average ${load0.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)}\n`);
