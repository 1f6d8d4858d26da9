import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** Modules reached from `file` through static value imports (type-only imports and `await import()` are not loaded at start). */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+"([^"]+)"/gms)) {
    const spec = m[1] as string;
    if (spec.startsWith(".")) staticGraph(resolve(dirname(file), spec.replace(/\.js$/, ".ts")), seen);
    else seen.add(spec);
  }
  return seen;
}

describe("the single-process mode needs no broker", () => {
  it("[#18] starting chatstream loads no NATS client and no broker role: they are imported when `ingest` or `worker` runs", () => {
    const graph = [...staticGraph(resolve(SRC, "cli.ts"))];
    expect(graph.filter((m) => m.startsWith("@nats-io/"))).toEqual([]);
    expect(graph.filter((m) => /broker[/\\](nats-broker|channel-worker)\.ts$|commands[/\\](ingest|worker|serve)-command\.ts$/.test(m))).toEqual([]);
    // The walk itself works: run's own modules are in it.
    expect(graph.some((m) => m.endsWith("run-command.ts"))).toBe(true);
    expect(staticGraph(resolve(SRC, "broker/channel-worker.ts"))).toContain("@nats-io/jetstream");
  });
});
