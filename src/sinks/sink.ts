import type { OutputRecord } from "../schema/output-schema.js";

/** Where snapshots and roll-ups go. Sinks are registered by name (registry.ts) and chosen with `--sink`. */
export interface Sink {
  readonly name: string;
  /** Called synchronously from the pipeline for every record; must not block. */
  write(record: OutputRecord): void;
  /** Resolves when the sink can take more (output buffers drained); the pipeline waits on it between batches. */
  ready(): Promise<void>;
  /** Flushes and releases resources at end of run. */
  close(): Promise<void>;
}

/** Fans one record stream out to several sinks. */
export class SinkSet implements Sink {
  readonly name = "set";

  constructor(readonly sinks: readonly Sink[]) {}

  write(record: OutputRecord): void {
    for (const s of this.sinks) s.write(record);
  }

  async ready(): Promise<void> {
    for (const s of this.sinks) await s.ready();
  }

  async close(): Promise<void> {
    for (const s of this.sinks) await s.close();
  }
}
