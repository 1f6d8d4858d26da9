import Assembler from "stream-json/assembler.js";
import { jsonParser, type Token } from "stream-json/parser.js";

/**
 * stream-chain's "no value" marker, a registered symbol; the tokenizer takes it as "input ended".
 * Reached through the registry so we depend on stream-json alone, not on its dependency.
 */
const END_OF_INPUT = Symbol.for("object-stream.none") as unknown as string;

/**
 * Text is fed to the tokenizer in pieces this long: a syntax error discards the tokens of the piece
 * it is found in, so small pieces keep the records just before the error (and cost no speed).
 */
const PIECE_CHARS = 512;

/** Top-level keys of a Twitch VOD dump that name the channel; small objects, assembled whole. */
const META_KEYS = new Set(["streamer", "video"]);
/** Keys a Twitch comment opens with, and a VOD dump never does: a document made of one comment. */
const COMMENT_KEYS = new Set(["_id", "created_at", "updated_at", "channel_id", "content_type", "content_id", "content_offset_seconds", "commenter", "message"]);

/**
 * - "array": a JSON array whose elements are the records (chat-downloader); a lone object is one record.
 * - "comments": an object whose `comments` array holds the records, with `streamer`/`video`
 *   metadata beside it (Twitch VOD dumps); a bare array of comments, and a lone comment, are accepted too.
 */
export type DocumentShape = "array" | "comments";

export type DocumentEvent =
  | { type: "record"; value: unknown }
  | { type: "meta"; key: string; value: unknown }
  | { type: "error"; reason: string };

/**
 * Pulls records out of one large JSON document fed in pieces, holding only the record being
 * assembled: everything else (a Twitch dump's embedded emote images, say) is skipped token by
 * token, so memory does not grow with the document.
 */
export class JsonDocumentReader {
  // Values one after another are documents one after another: comments saved one per line read like a dump.
  private readonly tokenize = jsonParser({ streamValues: false, jsonStreaming: true });
  private depth = 0;
  private topIsArray = false;
  private topKey: string | undefined;
  private recordDepth = -1;
  private capture: { assembler: Assembler; key: string | undefined } | undefined;
  private failed = false;
  /** Text not yet fed: less than one piece. */
  private carry = "";
  /** The top-level object of a "comments" document, until its first key tells a dump from a lone comment. */
  private opening: Token | undefined;
  /** Whether the document had a place for records (an array, the `comments` array, a lone record). */
  private hasRecords = false;

  constructor(private readonly shape: DocumentShape) {}

  push(text: string): DocumentEvent[] {
    return this.run(text);
  }

  end(): DocumentEvent[] {
    const events = this.run(END_OF_INPUT);
    if (!this.failed && (this.depth > 0 || this.capture)) {
      this.failed = true;
      events.push({ type: "error", reason: "JSON document ends early (truncated)" });
    } else if (!this.failed && !this.hasRecords && this.shape === "comments") {
      this.failed = true;
      events.push({ type: "error", reason: 'no "comments" array: not a Twitch VOD chat dump' });
    }
    return events;
  }

  private run(text: string): DocumentEvent[] {
    const events: DocumentEvent[] = [];
    if (this.failed) return events;
    // Pieces are cut at fixed offsets of the whole text, not of each push: what a syntax error costs then depends
    // on the document alone, never on how its bytes happened to arrive.
    const pieces: string[] = [];
    if (text !== END_OF_INPUT) {
      this.carry += text;
      let at = 0;
      for (; this.carry.length - at >= PIECE_CHARS; at += PIECE_CHARS) pieces.push(this.carry.slice(at, at + PIECE_CHARS));
      if (at > 0) this.carry = this.carry.slice(at);
    } else if (this.carry.length > 0) {
      pieces.push(this.carry);
      this.carry = "";
    }
    try {
      for (const piece of pieces) this.feed(piece, events);
    } catch (error) {
      return this.fail(events, `invalid JSON: ${(error as Error).message}`);
    }
    if (text !== END_OF_INPUT) return events;
    try {
      this.feed(END_OF_INPUT, events);
    } catch (error) {
      return this.fail(events, `JSON document ends early (truncated): ${(error as Error).message}`);
    }
    return events;
  }

  private fail(events: DocumentEvent[], reason: string): DocumentEvent[] {
    this.failed = true;
    events.push({ type: "error", reason });
    return events;
  }

  private feed(piece: string, events: DocumentEvent[]): void {
    const output = this.tokenize(piece);
    if (typeof output !== "symbol") for (const token of output.values) this.take(token, events);
  }

  private take(token: Token, events: DocumentEvent[]): void {
    if (this.capture) {
      this.capture.assembler.consume(token);
      if (this.capture.assembler.done) {
        const { assembler, key } = this.capture;
        this.capture = undefined;
        events.push(key === undefined ? { type: "record", value: assembler.current } : { type: "meta", key, value: assembler.current });
      }
      return;
    }
    switch (token.name) {
      case "startObject":
      case "startArray":
        this.open(token);
        return;
      case "endObject":
      case "endArray":
        this.depth -= 1;
        if (this.depth < this.recordDepth) this.recordDepth = -1;
        return;
      case "keyValue":
        if (this.depth === 1 && !this.topIsArray) {
          if (this.opening && this.startsLoneComment(token)) return;
          this.topKey = token.value;
        }
        return;
      case "stringValue":
      case "trueValue":
      case "falseValue":
      case "nullValue":
        this.scalar(token.value, events);
        return;
      case "numberValue":
        this.scalar(Number(token.value), events);
        return;
      default:
        return;
    }
  }

  private open(token: Token): void {
    const isArray = token.name === "startArray";
    if (this.depth === 0) {
      this.topIsArray = isArray;
      if (isArray) {
        this.recordDepth = 1;
        this.hasRecords = true;
      } else if (this.shape === "array") {
        this.hasRecords = true;
        return this.startCapture(token, undefined); // a single item
      } else {
        this.opening = token;
      }
    } else if (this.depth === this.recordDepth) {
      return this.startCapture(token, undefined);
    } else if (this.depth === 1 && !this.topIsArray) {
      this.opening = undefined;
      if (this.topKey !== undefined && META_KEYS.has(this.topKey) && !isArray) return this.startCapture(token, this.topKey);
      if (this.topKey === "comments" && isArray && this.shape === "comments") {
        this.recordDepth = 2;
        this.hasRecords = true;
      }
    }
    this.depth += 1;
  }

  /** At the first key of a "comments" document: a comment's own key makes the whole document that one record. */
  private startsLoneComment(firstKey: Extract<Token, { name: "keyValue" }>): boolean {
    const opening = this.opening as Token;
    this.opening = undefined;
    if (!COMMENT_KEYS.has(firstKey.value)) return false;
    this.depth = 0;
    this.hasRecords = true;
    this.startCapture(opening, undefined);
    this.capture?.assembler.consume(firstKey);
    return true;
  }

  private startCapture(token: Token, key: string | undefined): void {
    const assembler = new Assembler();
    assembler.consume(token);
    this.capture = { assembler, key };
  }

  private scalar(value: unknown, events: DocumentEvent[]): void {
    if (this.depth === this.recordDepth) events.push({ type: "record", value });
    else if (this.depth === 0) {
      this.failed = true;
      events.push({ type: "error", reason: "expected a JSON array or object" });
    }
  }
}
