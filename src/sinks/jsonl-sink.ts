import type { Writable } from "node:stream";
import { escapeJsonText } from "../core/text-cleaning.js";
import type { OutputRecord } from "../schema/output-schema.js";
import type { Sink } from "./sink.js";

/** Lines are gathered and written in chunks: one write per record costs more than the serialization itself. */
const CHUNK_BYTES = 64 * 1024;

/**
 * One JSON object per line: {"type":"snapshot",…} and {"type":"rollup",…}, in emission order. C1, DEL and bidi
 * controls are written as \u escapes (JSON.stringify leaves them raw), so `cat`ing the file is safe.
 */
export class JsonlSink implements Sink {
  readonly name = "jsonl";
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly out: Writable,
    private readonly ownsStream = false,
  ) {}

  write(record: OutputRecord): void {
    const line = JSON.stringify(record) + "\n";
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= CHUNK_BYTES) this.flushPending();
  }

  ready(): Promise<void> {
    this.flushPending();
    if (!this.out.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => this.out.once("drain", resolve));
  }

  async close(): Promise<void> {
    this.flushPending();
    if (this.ownsStream) {
      await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } else if (this.out.writableNeedDrain) {
      await new Promise((resolve) => this.out.once("drain", resolve));
    }
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    this.out.write(escapeJsonText(this.pending.join("")));
    this.pending = [];
    this.pendingBytes = 0;
  }
}
