import type { Writable } from "node:stream";
import type { OutputRecord } from "../schema/output-schema.js";
import { LineChunks } from "./line-chunks.js";
import { writeRecordJson } from "./record-json.js";
import type { Sink } from "./sink.js";

/**
 * Lines are gathered and written in chunks of about this many bytes: one write per record costs more than the
 * serialization itself. They are encoded into the chunk as they come (LineChunks), not joined and encoded at the write.
 */
const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * One JSON object per line: {"type":"snapshot",…} and {"type":"rollup",…}, in emission order. C1, DEL and bidi
 * controls are written as \u escapes (JSON.stringify leaves them raw), so `cat`ing the file is safe. Parts a
 * record shares with earlier ones are serialized once (record-json.ts).
 */
export class JsonlSink implements Sink {
  readonly name = "jsonl";
  private readonly pending = new LineChunks();
  private failure: Error | undefined;

  constructor(
    private readonly out: Writable,
    private readonly ownsStream = false,
    /** Names the output in an error, e.g. `jsonl:out.jsonl`. */
    private readonly label = "jsonl",
  ) {
    // A file that cannot be written (full disk, gone) fails the run through ready(), instead of an uncaught 'error'.
    if (ownsStream) out.on("error", (err) => (this.failure ??= new Error(`cannot write ${label}: ${err.message}`)));
  }

  write(record: OutputRecord): void {
    writeRecordJson(record, this.pending);
    this.pending.byte(NEWLINE);
    if (this.pending.length >= CHUNK_BYTES) this.flushPending();
  }

  ready(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.flushPending();
    if (!this.out.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        this.out.off("error", onError);
        resolve();
      };
      const onError = (): void => {
        this.out.off("drain", onDrain);
        reject(this.failure);
      };
      this.out.once("drain", onDrain);
      if (this.ownsStream) this.out.once("error", onError);
    });
  }

  async close(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.flushPending();
    if (this.ownsStream) {
      await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } else if (this.out.writableNeedDrain) {
      await new Promise((resolve) => this.out.once("drain", resolve));
    }
  }

  private flushPending(): void {
    if (this.pending.length === 0 || this.failure !== undefined) return;
    for (const chunk of this.pending.take()) this.out.write(chunk);
  }
}
