import { PassThrough, Readable } from "node:stream";
import type { CommandIO } from "../../src/commands/run-command.js";
import type { Clock } from "../../src/core/clock.js";
import type { OutputRecord } from "../../src/schema/output-schema.js";
import type { Sink } from "../../src/sinks/sink.js";

/** Command I/O whose stdout and stderr are captured in memory. */
export function captureIO(clock: Clock, stdin: Readable = Readable.from([])): { io: CommandIO; stdout: () => string; stderr: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on("data", (c: Buffer) => o.push(c));
  err.on("data", (c: Buffer) => e.push(c));
  return { io: { stdin, stdout: out, stderr: err, clock, color: false }, stdout: () => Buffer.concat(o).toString("utf8"), stderr: () => Buffer.concat(e).toString("utf8") };
}

/** JSON lines as written by the jsonl sink. */
export function parseRecords(text: string): OutputRecord[] {
  return text.trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l) as OutputRecord);
}

/** A sink that keeps every record. */
export class MemorySink implements Sink {
  readonly name = "memory";
  readonly records: OutputRecord[] = [];
  write(r: OutputRecord): void {
    this.records.push(r);
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
