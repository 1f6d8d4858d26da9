import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/core/clock.js";
import type { ChatMessage } from "../../src/core/message.js";
import { runPipeline, type MessageSource } from "../../src/pipeline/run-pipeline.js";
import { chat } from "../helpers/pipeline-fixtures.js";
import { startHarness } from "./harness.js";

const HOUR = 3_600_000;
const CHANNELS = ["a", "b", "c", "d", "e", "f", "g", "h"];

describe("a long silence in a replay at --speed max", () => {
  it("[#14.6] an hour's gap publishes all its snapshots in slices: /healthz answers while they are still coming", async () => {
    const h = await startHarness();
    try {
      let gapSnapshots = 0;
      h.server.sink.onRecord((r) => {
        if (r.type === "snapshot" && r.t > 0 && r.t < HOUR) gapSnapshots++;
      });
      // How many of the silence's snapshots were out when each /healthz answer arrived.
      const answeredAt: number[] = [];
      let polling = true;
      let firstAnswer: () => void = () => undefined;
      const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
      const poll = (async () => {
        while (polling) {
          const res = await fetch(`${h.server.url}/healthz`);
          expect(res.status).toBe(200);
          await res.text();
          answeredAt.push(gapSnapshots);
          firstAnswer();
        }
      })();
      const batch = (t: number): ChatMessage[] => CHANNELS.map((c) => chat(t, "hello chat", `u${c}`, c));
      const source: MessageSource = {
        name: "replay",
        canWait: true,
        timed: true,
        async *batches() {
          yield batch(0);
          await answered; // the server is answering before the silence is published
          yield batch(HOUR);
        },
      };
      const stats = await runPipeline({ source, processor: h.slots.processor, router: h.router, sink: h.server.sink, clock: new VirtualClock(0, true), speed: "max", observer: h.server.observer });
      polling = false;
      await poll;
      const total = CHANNELS.length * (HOUR / 500 - 1);
      expect(stats.messages).toBe(2 * CHANNELS.length);
      expect(gapSnapshots).toBe(total);
      const during = answeredAt.filter((n) => n > 0 && n < total);
      expect(during.length, `answers at ${answeredAt.join(", ")}`).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });
});
