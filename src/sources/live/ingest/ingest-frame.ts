import { Type, type Static } from "@sinclair/typebox";
import { Ajv, type ErrorObject } from "ajv";

/**
 * Reading one ingest frame safely: its nesting is bounded before JSON.parse builds anything, and each item is
 * checked against a schema before the decoder reads it. A frame is hostile input: a 120 KB frame nested 60,000
 * deep once made `JSON.stringify` overflow the stack and took the server down.
 */

/** Deepest nesting of one item (an object is 1, an array in it 2, …); chat needs 3 (item → emotes → span). */
export const MAX_INGEST_DEPTH = 32;

// Ids are numbers in some producers' data, strings in others.
const Id = Type.Unsafe<string | number>({ type: ["string", "number"], maxLength: 200 });
const Name = Type.String({ maxLength: 200 });

export const IngestMessage = Type.Object(
  {
    type: Type.Optional(Type.String({ description: 'Anything but "event"' })),
    text: Type.String({ description: "Cut to --max-message-length (and counted)" }),
    user: Type.Optional(Id),
    userId: Type.Optional(Id),
    channel: Type.Optional(Name),
    platform: Type.Optional(Type.String({ maxLength: 50 })),
    id: Type.Optional(Id),
    t: Type.Optional(Type.Number({ description: "Ignored: live input is stamped with its arrival time" })),
    ts: Type.Optional(Type.Number({ description: "Platform time (epoch ms), kept" })),
    emotes: Type.Optional(Type.Array(Type.Object({}), { description: "Spans {name, id?, start, end}; spans that do not fit the text are dropped" })),
    badges: Type.Optional(Type.Array(Type.String({ maxLength: 100 }))),
    flags: Type.Optional(Type.Object({}, { description: "broadcaster, moderator, subscriber, vip, member, verified, bot, firstMessage: true" })),
    paid: Type.Optional(Type.Object({ amount: Id, currency: Type.Optional(Type.String({ maxLength: 20 })), bits: Type.Optional(Type.Number()) })),
  },
  { $id: "IngestMessage", description: "A chat message pushed to /v1/ingest (our JSON lines record; unknown fields are ignored)" },
);
export type IngestMessage = Static<typeof IngestMessage>;

export const IngestEvent = Type.Object(
  {
    type: Type.Literal("event"),
    kind: Type.String({ maxLength: 50, description: "sub, resub, gift, raid, paid, membership, announcement; anything else is other" }),
    user: Type.Optional(Id),
    channel: Type.Optional(Name),
    platform: Type.Optional(Type.String({ maxLength: 50 })),
    id: Type.Optional(Id),
    t: Type.Optional(Type.Number({ description: "Ignored: stamped with the arrival time" })),
    ts: Type.Optional(Type.Number()),
    text: Type.Optional(Type.String()),
    amount: Type.Optional(Id),
    count: Type.Optional(Type.Number()),
  },
  { $id: "IngestEvent", description: "An event (sub, raid, paid message…) pushed to /v1/ingest" },
);
export type IngestEvent = Static<typeof IngestEvent>;

const Count = Type.Integer({ minimum: 0 });
export const IngestAnswer = Type.Union(
  [
    Type.Object({ ok: Type.Literal(true), accepted: Count, events: Count }, { additionalProperties: false }),
    Type.Object(
      {
        ok: Type.Literal(false),
        error: Type.Union([Type.Literal("invalid"), Type.Literal("too-large"), Type.Literal("queue-full"), Type.Literal("closed")]),
        reason: Type.String(),
        accepted: Type.Integer({ minimum: 0, description: "Messages taken from the items before the refused one" }),
        events: Type.Integer({ minimum: 0, description: "Events taken from the items before the refused one" }),
        rejected: Type.Integer({ minimum: 1, description: "Items not taken: the refused one and the rest of the frame (a frame refused unread counts as one)" }),
        index: Type.Optional(Type.Integer({ minimum: 0, description: "Position of the refused item in the frame" })),
      },
      { additionalProperties: false },
    ),
  ],
  { $id: "IngestAnswer", description: "The server's answer to one frame: exactly one per frame, in order" },
);

const ajv = new Ajv({ allowUnionTypes: true });
const checkMessage = ajv.compile<IngestMessage>(IngestMessage);
const checkEvent = ajv.compile<IngestEvent>(IngestEvent);

function explain(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (e === undefined) return "does not match the ingest schema";
  if (e.keyword === "required") return `missing "${String((e.params as { missingProperty?: unknown }).missingProperty)}"`;
  const path = e.instancePath.slice(1);
  return `${path === "" ? "item" : `"${path}"`} ${e.message ?? "is invalid"}`;
}

/** An item that may be decoded (`item`), or why it may not (`problem`). */
export type CheckedItem = { item: Record<string, unknown> } | { problem: string };

/** Checks one item of a frame against IngestMessage or IngestEvent (by its `type`). */
export function checkIngestItem(value: unknown): CheckedItem {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { problem: "expected a JSON object" };
  const item = value as Record<string, unknown>;
  if (item.type === "event") return checkEvent(item) ? { item } : { problem: explain(checkEvent.errors) };
  return checkMessage(item) ? { item } : { problem: explain(checkMessage.errors) };
}

/** What one pass over a frame's text found. */
export interface FrameShape {
  /** Items in the frame: the elements of a top-level array, else 1 (0 for an empty array or blank text). */
  items: number;
  /** The first item nested deeper than the limit. */
  tooDeep?: number;
  /** Where the items before `tooDeep` end in the text (the comma after the last of them), when there are any. */
  cut?: number;
}

const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * One pass over the text, before JSON.parse: counts the items and finds the first one nested deeper than
 * `maxDepth`. For valid JSON, bracket depth outside strings is exactly the nesting depth; what is not valid JSON is
 * refused by JSON.parse afterwards. Linear in the text, which the frame size limit bounds.
 */
export function scanFrame(text: string, maxDepth: number): FrameShape {
  let depth = 0;
  let inString = false;
  let array: boolean | undefined;
  let items = 0;
  let expectItem = false;
  let lastComma = -1;
  let tooDeep: number | undefined;
  let cut: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (isJsonSpace(c)) continue;
    if (array === undefined) {
      array = c === OPEN_ARRAY;
      items = array ? 0 : 1;
      expectItem = array;
    } else if (array && depth === 1) {
      if (c === COMMA) {
        expectItem = true;
        lastComma = i;
        continue;
      }
      if (expectItem && c !== CLOSE_ARRAY) {
        items++;
        expectItem = false;
      }
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth++;
      if (tooDeep === undefined && (array ? depth - 1 : depth) > maxDepth) {
        tooDeep = array ? items - 1 : 0;
        if (tooDeep > 0) cut = lastComma;
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  const shape: FrameShape = { items };
  if (tooDeep !== undefined) shape.tooDeep = tooDeep;
  if (cut !== undefined) shape.cut = cut;
  return shape;
}

/** A frame read as items: the ones to take, how many it holds in all, and why reading stopped before the rest. */
export interface FrameItems {
  items: unknown[];
  total: number;
  stop?: string;
}

/**
 * Parses a frame (one item or an array of them) without ever building an item nested deeper than `maxDepth`: when
 * one is, only the items before it are parsed, and `stop` says why the rest is refused. Undefined: not JSON.
 */
export function readFrame(text: string, shape: FrameShape, maxDepth = MAX_INGEST_DEPTH): FrameItems | undefined {
  if (shape.tooDeep !== undefined) {
    const stop = `item nested deeper than ${maxDepth} levels`;
    if (shape.cut === undefined) return { items: [], total: Math.max(1, shape.items), stop };
    const before = parse(text.slice(0, shape.cut) + "]");
    return Array.isArray(before) ? { items: before, total: shape.items, stop } : undefined;
  }
  const value = parse(text);
  if (value === NOT_JSON) return undefined;
  return Array.isArray(value) ? { items: value, total: value.length } : { items: [value], total: 1 };
}

const NOT_JSON = Symbol("not JSON");

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}
