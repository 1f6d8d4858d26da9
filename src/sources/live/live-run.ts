import type { Writable } from "node:stream";
import type { Clock } from "../../core/clock.js";
import type { ChatEvent, ChatEventListener } from "../../core/event.js";
import type { MessageSource } from "../../pipeline/run-pipeline.js";
import { createInputReport } from "../input-report.js";
import type { ChatInput } from "../file-source.js";
import { Recorder, recordingSource } from "../recorder.js";
import type { LiveSourceBase } from "./live-source.js";
import { openLiveSources, type LiveOptions } from "./live-sources.js";
import type { SourceStatus } from "./source-status.js";

export interface LiveRunOptions extends LiveOptions {
  /** `--record FILE`: every received message and event as JSON lines, rotating by size. */
  record?: string;
  recordMaxBytes?: number;
  /** Aborting stops every live source; the run then finishes and flushes (Ctrl-C). */
  stop?: AbortSignal;
}

/** What `run` needs around its sources: live readers, the recorder, event fan-in from a recording being replayed. */
export interface LiveRun {
  /** Live sources, already wrapped for recording. */
  readonly sources: MessageSource[];
  /** Connection state of each live source (for /readyz and metrics). */
  statuses(): SourceStatus[];
  /** Hand to openChatInput's onEvent: events read back from a recording. */
  fileEvents: (event: ChatEvent) => void;
  /** Gives the file source event support (and recording). */
  wrap(source: MessageSource): MessageSource;
  /** Records what another live source (the WebSocket ingest) receives, with --record; the source itself without. */
  record(source: MessageSource): MessageSource;
  close(): Promise<void>;
  /** One stderr line per live source, and the recording's files. */
  report(): void;
}

/** Sets up live reading for `run`; with no live options and no --record it is inert. */
export async function liveRunSetup(options: LiveRunOptions | undefined, io: { clock: Clock; stderr: Writable }, origin: number, maxMessageLength?: number): Promise<LiveRun> {
  const o = options ?? {};
  const live: LiveSourceBase[] = await openLiveSources({ maxMessageLength, ...o }, io.clock, () => io.clock.now() - origin);
  const recorder = o.record === undefined ? undefined : new Recorder(o.record, o.recordMaxBytes);
  const fileListeners: ChatEventListener[] = [];
  const stopAll = (): void => {
    for (const s of live) void s.stop();
  };
  o.stop?.addEventListener("abort", stopAll, { once: true });
  if (o.stop?.aborted === true) stopAll();
  const maybeRecord = (s: MessageSource): MessageSource => (recorder === undefined ? s : recordingSource(s, recorder));
  return {
    sources: live.map(maybeRecord),
    statuses: () => live.map((s) => s.status()),
    fileEvents: (event) => {
      for (const l of fileListeners) l(event);
    },
    wrap: (source) => maybeRecord({ ...pick(source), onEvent: (listener) => fileListeners.push(listener) }),
    record: maybeRecord,
    close: async () => {
      o.stop?.removeEventListener("abort", stopAll);
      await Promise.all(live.map((s) => s.stop()));
      await recorder?.close();
    },
    report: () => {
      for (const s of live.map((x) => x.status())) {
        io.stderr.write(`${s.name}: ${s.messages} messages, ${s.events} events, ${s.reconnects} reconnects${s.lastError ? ` (last error: ${s.lastError})` : ""}\n`);
      }
      if (recorder !== undefined) io.stderr.write(`recorded ${recorder.messages} messages and ${recorder.events} events to ${recorder.files.join(", ") || o.record}\n`);
    },
  };
}

function pick(source: MessageSource): MessageSource {
  return { name: source.name, canWait: source.canWait, timed: source.timed, batches: () => source.batches(), stop: () => source.stop?.() };
}

/** Stands in for the file input when only live sources are read. */
export function noInput(): ChatInput {
  return {
    format: "jsonl",
    channel: "",
    report: createInputReport("jsonl", "line"),
    // eslint-disable-next-line require-yield
    async *batches() {
      return;
    },
    progress: () => 0,
    close: () => Promise.resolve(),
  };
}
