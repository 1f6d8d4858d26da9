import { describe, expect, it } from "vitest";
import { DiscardSink, parseBenchParts, withoutHeadlines } from "./bench-parts.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import type { ChatDigest } from "../aggregation/chat-digest.js";

const real: Summarizer = { name: "real", summarizeWindow: () => "written", summarizePeriod: () => "period" };
const digest = {} as ChatDigest;

describe("bench parts", () => {
  it("reads the comma-separated list and refuses an unknown part", () => {
    expect([...parseBenchParts(" sink, headlines ")]).toEqual(["sink", "headlines"]);
    expect(parseBenchParts(undefined).size).toBe(0);
    expect(parseBenchParts("").size).toBe(0);
    expect(() => parseBenchParts("sink,everything")).toThrow(/unknown part "everything"/);
  });

  it("switches off the roll-ups' headlines only, or every headline", () => {
    expect(withoutHeadlines(real, new Set())).toBe(real);
    const rollupsOff = withoutHeadlines(real, new Set(["rollup-headlines"]));
    expect(rollupsOff.summarizeWindow(digest, { clusters: [] })).toBe("written");
    expect(rollupsOff.summarizeWindow(digest)).not.toBe("written");
    expect(rollupsOff.summarizePeriod(digest, [])).not.toBe("period");
    expect(withoutHeadlines(real, new Set(["headlines"])).summarizeWindow(digest, { clusters: [] })).not.toBe("written");
  });

  it("counts what the discard sink drops", async () => {
    const sink = new DiscardSink();
    sink.write({} as never);
    await sink.ready();
    await sink.close();
    expect(sink.records).toBe(1);
  });
});
