import fc from "fast-check";
import type { ChatEvent } from "../../src/core/event.js";
import type { ChatMessage } from "../../src/core/message.js";

/**
 * Characters that mean something to one of the line parsers (IRC atoms and tag escapes, log stamps and ranks,
 * Kick's emote tokens, JSON) or that break naive string handling (NUL, a lone surrogate, U+2028, an astral emoji).
 */
const SPECIAL = ["@", ":", ";", "=", "\\", " ", "  ", "\r", "\u0001", "[", "]", "<", ">", "~", "%", "$", "*", "#", "!", ",", "-", "/", '"', "{", "}", "\u0000", "\u2028", "😂", "\uD800", "[emote:", "\\s"];

type Mutation = { op: "insert" | "delete" | "replace" | "duplicate" | "truncate"; at: number; length: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom("insert", "delete", "replace", "duplicate", "truncate"),
  at: fc.nat(),
  length: fc.nat({ max: 24 }),
  text: fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: "binary", maxLength: 8 })),
});

function apply(line: string, m: Mutation): string {
  const at = m.at % (line.length + 1);
  const end = Math.min(line.length, at + m.length);
  switch (m.op) {
    case "insert":
      return line.slice(0, at) + m.text + line.slice(at);
    case "delete":
      return line.slice(0, at) + line.slice(end);
    case "replace":
      return line.slice(0, at) + m.text + line.slice(end);
    case "duplicate":
      return line.slice(0, end) + line.slice(at, end) + line.slice(end);
    case "truncate":
      return line.slice(0, at);
  }
}

/** A real line (one of `seeds`) with up to eight random edits: what a damaged file or a hostile peer sends. */
export function mutatedLine(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 8 })).map(([seed, edits]) => edits.reduce(apply, seed));
}

/** Arbitrary text, real lines and damaged real lines, in one arbitrary. */
export function hostileLine(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.constantFrom(...seeds), mutatedLine(seeds));
}

const FLAG_NAMES = new Set(["broadcaster", "moderator", "subscriber", "vip", "member", "verified", "bot", "firstMessage"]);

/**
 * What is wrong with a decoded message, for property tests: an empty list means every field has its type,
 * `t` is a safe integer, and every emote span lies inside the text and spells its name.
 */
export function messageProblems(m: ChatMessage): string[] {
  const problems: string[] = [];
  if (!Number.isSafeInteger(m.t)) problems.push(`t ${m.t}`);
  if (m.ts !== undefined && !Number.isFinite(m.ts)) problems.push(`ts ${m.ts}`);
  for (const key of ["platform", "channel", "userId", "user", "text"] as const) if (typeof m[key] !== "string") problems.push(`${key} not a string`);
  for (const span of m.emotes ?? []) {
    if (!(Number.isInteger(span.start) && span.start >= 0 && span.start < span.end && span.end <= m.text.length)) problems.push(`span ${span.start}-${span.end}`);
    else if (m.text.slice(span.start, span.end) !== span.name) problems.push(`span ${span.start}-${span.end} is not "${span.name}"`);
  }
  for (const [flag, value] of Object.entries(m.flags ?? {})) if (!FLAG_NAMES.has(flag) || typeof value !== "boolean") problems.push(`flag ${flag}`);
  if (m.badges !== undefined && !m.badges.every((b) => typeof b === "string")) problems.push("badges");
  return problems;
}

const EVENT_KINDS = new Set<string>(["sub", "resub", "gift", "raid", "paid", "membership", "announcement", "other"]);

/** The same for an event: a known kind, a safe-integer time, a positive whole count. */
export function eventProblems(e: ChatEvent): string[] {
  const problems: string[] = [];
  if (typeof e.kind !== "string" || !EVENT_KINDS.has(e.kind)) problems.push(`kind ${String(e.kind)}`);
  if (!Number.isSafeInteger(e.t)) problems.push(`t ${e.t}`);
  if (typeof e.user !== "string" || typeof e.channel !== "string") problems.push("user or channel");
  if (e.count !== undefined && !(Number.isSafeInteger(e.count) && e.count > 0)) problems.push(`count ${e.count}`);
  for (const key of ["text", "amount", "id"] as const) if (e[key] !== undefined && typeof e[key] !== "string") problems.push(`${key} not a string`);
  return problems;
}
