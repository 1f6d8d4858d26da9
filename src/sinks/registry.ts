import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import type { Clock } from "../core/clock.js";
import { JsonlSink } from "./jsonl-sink.js";
import type { Sink } from "./sink.js";

export interface SinkContext {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  clock: Clock;
  color: boolean;
}

/**
 * A factory gets the part of `--sink NAME:ARG` after the colon (undefined when absent). It may load its module on
 * demand: the HUD's terminal libraries (about 80 ms) are read only by a run that draws one.
 */
export type SinkFactory = (arg: string | undefined, ctx: SinkContext) => Sink | Promise<Sink>;

const factories = new Map<string, SinkFactory>([
  ["hud", async (_arg, ctx) => new (await import("./hud-sink.js")).HudSink(ctx.stdout, ctx.clock, ctx.color)],
  ["jsonl", (arg, ctx) => (arg === undefined || arg === "-" ? new JsonlSink(ctx.stdout) : new JsonlSink(createWriteStream(arg), true, `jsonl:${arg}`))],
]);

export function registerSink(name: string, factory: SinkFactory): void {
  factories.set(name, factory);
}

export function sinkNames(): string[] {
  return [...factories.keys()];
}

/** Parses `NAME` or `NAME:ARG` (e.g. `jsonl:out.jsonl`) and builds the sink. */
export async function createSink(spec: string, ctx: SinkContext): Promise<Sink> {
  const colon = spec.indexOf(":");
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const arg = colon < 0 ? undefined : spec.slice(colon + 1);
  const factory = factories.get(name);
  if (!factory) throw new Error(`unknown sink "${name}" (available: ${sinkNames().join(", ")})`);
  return factory(arg, ctx);
}

/** `hud` when stdout is a terminal, otherwise `jsonl`: what a user expects without choosing. */
export function defaultSinkSpec(stdout: { isTTY?: boolean }): string {
  return stdout.isTTY ? "hud" : "jsonl";
}
