import { createWriteStream, type WriteStream } from "node:fs";
import type { ChatEvent, ChatEventListener } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";
import type { MessageSource } from "../pipeline/run-pipeline.js";

export const DEFAULT_RECORD_MAX_BYTES = 100 * 1024 * 1024;

/**
 * `--record FILE`: every received message and event, normalized, as our JSON lines (messages in the
 * ChatMessage shape, events with `"type":"event"`), so a live session replays with `run -i FILE`. Files
 * rotate by size in order: FILE, FILE.1, FILE.2, … (a line never straddles two files).
 */
export class Recorder {
  private stream: WriteStream | undefined;
  private bytes = 0;
  private part = 0;
  private failure: Error | undefined;
  private readonly closed: Promise<void>[] = [];
  messages = 0;
  events = 0;

  constructor(
    readonly path: string,
    readonly maxBytes = DEFAULT_RECORD_MAX_BYTES,
  ) {
    if (!Number.isFinite(maxBytes) || maxBytes < 1) throw new RangeError(`--record-max-bytes must be positive, got ${maxBytes}`);
  }

  /** Paths written so far, in order. */
  get files(): string[] {
    return Array.from({ length: this.stream === undefined && this.part === 0 ? 0 : this.part + 1 }, (_, i) => this.partPath(i));
  }

  message(m: ChatMessage): void {
    this.messages++;
    this.write(JSON.stringify(m));
  }

  event(e: ChatEvent): void {
    this.events++;
    this.write(JSON.stringify({ type: "event", ...e }));
  }

  /** Flushes and closes the current file; rejects if any write failed. */
  async close(): Promise<void> {
    if (this.stream !== undefined) this.closed.push(endStream(this.stream));
    this.stream = undefined;
    await Promise.all(this.closed);
    if (this.failure) throw this.failure;
  }

  private partPath(i: number): string {
    return i === 0 ? this.path : `${this.path}.${i}`;
  }

  private write(json: string): void {
    const line = json + "\n";
    const size = Buffer.byteLength(line);
    if (this.stream !== undefined && this.bytes > 0 && this.bytes + size > this.maxBytes) {
      this.closed.push(endStream(this.stream));
      this.stream = undefined;
      this.part++;
    }
    if (this.stream === undefined) {
      const stream = createWriteStream(this.partPath(this.part), { flags: "w" });
      stream.on("error", (err) => (this.failure ??= err));
      this.stream = stream;
      this.bytes = 0;
    }
    this.stream.write(line);
    this.bytes += size;
  }
}

function endStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) return resolve();
    stream.end(() => resolve());
    stream.once("error", () => resolve());
  });
}

/** Wraps a source so everything it yields (before the queue, so shed messages too) and every event it reports is recorded. */
export function recordingSource(source: MessageSource, recorder: Recorder): MessageSource {
  const wrapped: MessageSource = {
    name: source.name,
    canWait: source.canWait,
    timed: source.timed,
    async *batches() {
      for await (const batch of source.batches()) {
        for (const m of batch) recorder.message(m);
        yield batch;
      }
    },
    // A run that fails or is stopped (SIGTERM) must reach the source itself, not only its wrapper.
    stop: () => source.stop?.(),
  };
  if (source.onEvent) {
    const inner = source.onEvent.bind(source);
    wrapped.onEvent = (listener: ChatEventListener) =>
      inner((e) => {
        recorder.event(e);
        listener(e);
      });
  }
  return wrapped;
}
