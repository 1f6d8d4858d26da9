import { DEFAULT_MAX_MESSAGE_LENGTH, type ChatMessage } from "../core/message.js";
import { openByteSource, gunzipIfCompressed, PeekableChunks, type ByteSource } from "./byte-source.js";
import { CHAT_FORMATS, isChatFormat, type ChatFormat, type DecodeContext, type DecodedMessage, type RecordDecoder } from "./decoder.js";
import { channelFromPath, detectFormat, DETECT_HEAD_BYTES, DETECT_MAX_BYTES, detectionHasEnough } from "./detect.js";
import { createDecoder } from "./formats/index.js";
import { asObject, asString } from "./formats/record-fields.js";
import { InputError } from "./input-error.js";
import { createInputReport, InputReportRecorder, type InputReport } from "./input-report.js";
import type { DocumentEvent, DocumentShape } from "./json-document.js";
import { isLineFault, LineSplitter, MAX_LINE_BYTES, type LineFault } from "./line-splitter.js";
import { InputTimeGuard } from "./time-guard.js";

export { InputError } from "./input-error.js";
export { formatInputReport, type InputReport } from "./input-report.js";

/** Most messages handed over at once; a big read chunk is split so the consumer gets a say in between. */
export const MAX_BATCH_MESSAGES = 1000;

export interface ChatInputOptions {
  /** File to read, or "-" for stdin. */
  path: string;
  /** A `--format` name; detected from the first few KB when omitted. */
  format?: string;
  /** Channel for records that name none (and over a VOD dump's own streamer); default: from the file name. */
  channel?: string;
  maxMessageLength?: number;
  /** Stream time (ms) for records without a time of their own, read when their line arrives. */
  arrivalTime: () => number;
  /** Used for "-" instead of process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Receives events read back from a recording (`"type":"event"` lines of our JSON lines). */
  onEvent?: DecodeContext["onEvent"];
  /** `--max-gap`: a record more than this past the latest stream time is a located `badTime` (default 24 h). */
  maxGapMs?: number;
}

/** One opened input: decoded messages in input order, and a live report of what reading found. */
export interface ChatInput {
  readonly format: ChatFormat;
  /** Default channel of this input (a VOD dump's streamer once seen, else --channel or the file name). */
  readonly channel: string;
  readonly report: InputReport;
  /** The messages, batched as read (at most MAX_BATCH_MESSAGES each). Iterate once; awaiting between batches pauses reading. */
  batches(): AsyncIterable<ChatMessage[]>;
  /** Fraction of the input read so far (0 when unknown, as for stdin). */
  progress(): number;
  /** Stops reading and releases the input; called by `batches()` when it ends. */
  close(): Promise<void>;
}

/**
 * Opens an input for reading. Throws InputError when the input cannot be read at all (missing or
 * unreadable file, unknown format); anything wrong inside the input is counted in `report`.
 * Resolves once the format is known: at once with `format`, else when the head decides it.
 */
export async function openChatInput(options: ChatInputOptions): Promise<ChatInput> {
  const requested = options.format === undefined ? undefined : checkedFormat(options.format);
  const bytes = await openByteSource(options.path, options.stdin);
  const chunks = new PeekableChunks(gunzipIfCompressed(bytes.chunks));
  let format = requested;
  let emptyInput = false;
  let headChannel: string | undefined;
  if (format === undefined) {
    const head = (await chunks.peek(detectionHasEnough, DETECT_MAX_BYTES)).toString("utf8");
    format = detectFormat(head, options.path) ?? "text";
    emptyInput = chunks.ended && head.trim().length === 0;
    if (format === "twitch-vod") headChannel = await channelInDocumentHead(head);
  }
  const input = new FileChatInput(options, format, bytes, chunks, headChannel);
  if (emptyInput) input.markEmpty();
  return input;
}

function checkedFormat(name: string): ChatFormat {
  if (isChatFormat(name)) return name;
  throw new InputError(`chatstream: unknown format "${name}" (expected one of: ${CHAT_FORMATS.join(", ")})`);
}

/** The streamer named at the top of a VOD dump, when the head shows it before the first comment. */
async function channelInDocumentHead(head: string): Promise<string | undefined> {
  const { JsonDocumentReader } = await import("./json-document.js");
  const reader = new JsonDocumentReader("comments");
  for (const event of reader.push(head)) {
    if (event.type !== "meta") break;
    const name = documentChannelName(event.key, event.value);
    if (name) return name;
  }
  return undefined;
}

/** TwitchDownloader names the channel in `streamer.name`; rechat-style dumps in `video.user_login`/`user_name`/`channel.name`. */
function documentChannelName(key: string, value: unknown): string | undefined {
  const object = asObject(value);
  const name =
    key === "streamer"
      ? asString(object?.name)
      : asString(object?.user_login) ?? asString(object?.user_name) ?? asString(asObject(object?.channel)?.name);
  return name ? name.toLowerCase() : undefined;
}

/** Text from the input (a parser's message quotes it, a path may hold anything) fit for one line of a terminal. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "?");
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 0x20 && line.trim().length === 0);
}

function firstContentByte(head: Buffer): number | undefined {
  for (let i = 0; i < head.length; i += 1) {
    const byte = head[i] as number;
    // Whitespace and the bytes of a UTF-8 BOM come before the content.
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09 && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) return byte;
  }
  return undefined;
}

function* inBatches(messages: ChatMessage[]): Generator<ChatMessage[]> {
  if (messages.length === 0) return;
  if (messages.length <= MAX_BATCH_MESSAGES) {
    yield messages;
    return;
  }
  for (let start = 0; start < messages.length; start += MAX_BATCH_MESSAGES) yield messages.slice(start, start + MAX_BATCH_MESSAGES);
}

class FileChatInput implements ChatInput {
  readonly report: InputReport;
  private readonly recorder: InputReportRecorder;
  private readonly ctx: DecodeContext;
  private readonly decode: RecordDecoder;
  private readonly explicitChannel: boolean;
  private readonly path: string;
  private readonly times: InputTimeGuard;
  /** Line being decoded, and whether its event was refused for its time (then it is not also counted as skipped). */
  private lineNo = 0;
  private eventRefused = false;
  private channelFromDocument = false;
  private sawContent = false;
  private started = false;

  constructor(
    options: ChatInputOptions,
    readonly format: ChatFormat,
    private readonly bytes: ByteSource,
    private readonly chunks: PeekableChunks,
    headChannel: string | undefined,
  ) {
    this.report = createInputReport(format, format === "twitch-vod" ? "record" : "line");
    this.recorder = new InputReportRecorder(this.report);
    this.decode = createDecoder(format);
    this.explicitChannel = options.channel !== undefined;
    this.path = options.path;
    if (!this.explicitChannel && headChannel) this.channelFromDocument = true;
    this.times = new InputTimeGuard(this.recorder, options.maxGapMs);
    const onEvent = options.onEvent;
    this.ctx = {
      defaultChannel: options.channel ?? headChannel ?? channelFromPath(options.path),
      arrivalTime: options.arrivalTime,
      maxMessageLength: options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
      onEvent:
        onEvent === undefined
          ? undefined
          : (event) => {
              if (this.times.admitEvent(event, this.lineNo)) onEvent(event);
              else this.eventRefused = true;
            },
    };
  }

  get channel(): string {
    return this.ctx.defaultChannel;
  }

  progress(): number {
    return this.bytes.progress();
  }

  async close(): Promise<void> {
    this.bytes.close();
  }

  markEmpty(): void {
    this.recorder.empty();
  }

  async *batches(): AsyncGenerator<ChatMessage[]> {
    if (this.started) throw new Error("ChatInput.batches() can only be iterated once");
    this.started = true;
    try {
      if (this.report.empty) return;
      const shape = await this.documentShape();
      if (shape) {
        this.report.unit = "record";
        yield* this.documentBatches(shape);
      } else {
        this.report.unit = "line";
        yield* this.lineBatches();
      }
      if (!this.sawContent) this.recorder.empty();
      else this.failIfNothingReadable();
    } finally {
      await this.close();
    }
  }

  /**
   * Records there were, and none of them could be read as this format (`-f twitch-vod` on JSON lines,
   * a document whose records are all broken): that is a wrong format or a broken file, not an empty
   * chat, so it fails with the reason instead of passing for a quiet run. Records that were read and
   * are not chat (memberships, pings, events) make a valid file with no messages.
   */
  private failIfNothingReadable(): void {
    const report = this.report;
    const unreadable = report.malformed + report.invalidUtf8;
    if (report.messages > 0 || unreadable === 0) return;
    for (const reason in report.skipped) if (reason !== "blank") return;
    const first = report.issues.find((issue) => issue.kind === "malformed" || issue.kind === "invalid-utf8");
    const why = first === undefined ? "no record could be read" : `${printable(first.reason)} (${report.unit} ${first.line}; ${unreadable} unreadable, no chat messages)`;
    const name = this.path === "-" ? "standard input" : `"${printable(this.path)}"`;
    throw new InputError(`chatstream: cannot read ${name} as ${report.format}: ${why}`);
  }

  /** Twitch dumps are always documents; chat-downloader output is an array or JSON lines, told by the first byte. */
  private async documentShape(): Promise<DocumentShape | undefined> {
    if (this.format === "twitch-vod") return "comments";
    if (this.format !== "chat-downloader") return undefined;
    const head = await this.chunks.peek((bytes) => firstContentByte(bytes) !== undefined, DETECT_HEAD_BYTES);
    return firstContentByte(head) === 0x5b /* [ */ ? "array" : undefined;
  }

  private async *lineBatches(): AsyncGenerator<ChatMessage[]> {
    const splitter = new LineSplitter();
    const iterator: AsyncIterator<Buffer> = this.chunks[Symbol.asyncIterator]();
    try {
      for (let chunk = await this.nextChunk(iterator); chunk; chunk = await this.nextChunk(iterator)) {
        yield* inBatches(this.decodeLines(splitter.push(chunk)));
      }
      yield* inBatches(this.decodeLines(splitter.end()));
    } finally {
      await iterator.return?.();
    }
  }

  private decodeLines(lines: (string | LineFault)[]): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const line of lines) {
      const lineNo = ++this.report.lines;
      if (isLineFault(line)) {
        this.sawContent = true;
        if (line.fault === "invalid-utf8") this.recorder.invalidUtf8(lineNo);
        else this.recorder.malformed(lineNo, `line longer than ${MAX_LINE_BYTES} bytes`);
      } else if (isBlank(line)) {
        this.recorder.skipped(lineNo, "blank");
      } else {
        this.sawContent = true;
        this.decodeRecord(line, lineNo, out);
      }
    }
    return out;
  }

  private async *documentBatches(shape: DocumentShape): AsyncGenerator<ChatMessage[]> {
    // The streaming JSON parser (stream-json) is loaded only for whole-document formats, not for JSON lines.
    const { JsonDocumentReader } = await import("./json-document.js");
    const reader = new JsonDocumentReader(shape);
    // A document cannot drop a line, so bad bytes become U+FFFD: the text comes from a lenient streaming decoder (a
    // character split between two reads stays whole), and a strict one beside it only tells that bytes were bad.
    const lenient = new TextDecoder("utf-8");
    let strict = new TextDecoder("utf-8", { fatal: true });
    // Counted once per record, near the record being read, however the bad bytes were split between reads.
    let countedAt = 0;
    const badBytes = (): void => {
      const recordNo = this.report.lines + 1;
      if (recordNo !== countedAt) this.recorder.invalidUtf8(recordNo);
      countedAt = recordNo;
      strict = new TextDecoder("utf-8", { fatal: true });
    };
    const iterator: AsyncIterator<Buffer> = this.chunks[Symbol.asyncIterator]();
    try {
      for (let chunk = await this.nextChunk(iterator); chunk; chunk = await this.nextChunk(iterator)) {
        try {
          strict.decode(chunk, { stream: true });
        } catch {
          badBytes();
        }
        const text = lenient.decode(chunk, { stream: true });
        if (!this.sawContent && text.trim().length > 0) this.sawContent = true;
        yield* inBatches(this.takeEvents(reader.push(text)));
      }
      // A character cut off by the end of the input is counted and dropped, not turned into text after the document.
      let whole = true;
      try {
        strict.decode();
      } catch {
        whole = false;
        badBytes();
      }
      const rest = lenient.decode();
      const tail = whole ? rest : "";
      if (this.sawContent) yield* inBatches(this.takeEvents([...reader.push(tail), ...reader.end()]));
    } finally {
      await iterator.return?.();
    }
  }

  private takeEvents(events: DocumentEvent[]): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const event of events) {
      if (event.type === "record") {
        const recordNo = ++this.report.lines;
        this.decodeRecord(event.value, recordNo, out);
      } else if (event.type === "meta") {
        this.useDocumentChannel(event.key, event.value);
      } else {
        this.recorder.malformed(this.report.lines + 1, event.reason);
      }
    }
    return out;
  }

  /** A dump's streamer beats the file name; an explicit --channel beats both. */
  private useDocumentChannel(key: string, value: unknown): void {
    if (this.explicitChannel || this.channelFromDocument) return;
    const name = documentChannelName(key, value);
    if (!name) return;
    this.ctx.defaultChannel = name;
    this.channelFromDocument = true;
  }

  private decodeRecord(record: unknown, lineNo: number, out: ChatMessage[]): void {
    this.lineNo = lineNo;
    this.eventRefused = false;
    const result = this.decode(record, lineNo, this.ctx);
    if (result.kind === "message") {
      this.accept(result, lineNo, out);
      if (result.more) for (const extra of result.more) this.accept(extra, lineNo, out);
    } else if (result.kind === "skip") {
      if (!this.eventRefused) this.recorder.skipped(lineNo, result.reason);
    } else {
      this.recorder.malformed(lineNo, result.reason);
    }
  }

  private accept(decoded: DecodedMessage, lineNo: number, out: ChatMessage[]): void {
    if (!this.times.admitMessage(decoded.message, lineNo)) return;
    out.push(decoded.message);
    this.report.messages += 1;
    if (decoded.overlong) this.recorder.overlong(lineNo);
  }

  /** The next chunk, or undefined at the end; a read error (corrupt gzip, I/O) ends the input as a counted issue. */
  private async nextChunk(iterator: AsyncIterator<Buffer>): Promise<Buffer | undefined> {
    try {
      const next = await iterator.next();
      return next.done ? undefined : next.value;
    } catch (error) {
      this.recorder.malformed(this.report.lines + 1, `read error: ${describeReadError(error)}`);
      return undefined;
    }
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const message = (error as Error).message ?? String(error);
  return code.startsWith("Z_") ? `corrupt or truncated gzip data (${message})` : message;
}
