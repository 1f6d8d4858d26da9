import { createServer } from "node:net";
import { DigestBuilder, type ChatDigest } from "../../src/aggregation/chat-digest.js";
import { processed } from "../helpers/pipeline-fixtures.js";

/** A window digest of these lines (users u0…u4 unless `users` says otherwise), one message per ms, with its distinct lines as the span digest has them. */
export function digestOf(lines: readonly string[], users = 5, start = 0): ChatDigest {
  const b = new DigestBuilder();
  const messages = lines.map((text, i) => processed(start + i, text, `u${i % users}`));
  for (const m of messages) b.add(m);
  return b.build(start - 1, start + lines.length);
}

/** Waits (in real time, a few ms per turn) until cond holds; for asynchronous HTTP work in tests. */
export async function until(cond: () => boolean, turns = 2000): Promise<void> {
  for (let i = 0; i < turns && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error("condition not reached");
}

export const HYPE = ["PogChamp what a play", "PogChamp what a play", "PogChamp what a play!", "Faker is insane", "Faker is insane", "is baron up?", "is baron up?", "LUL the caster", "LUL the caster", "GG"];
export const BORED = ["this is boring ResidentSleeper", "this is boring ResidentSleeper", "so boring", "when does the game start?", "when does the game start?", "ads again", "ads again", "ads again"];

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
