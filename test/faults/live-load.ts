import type { Clock, VirtualClock } from "../../src/core/clock.js";
import type { ChatMessage } from "../../src/core/message.js";
import { PipelineRouter } from "../../src/pipeline/pipeline-router.js";
import { runPipeline, type MessageSource, type RunStats } from "../../src/pipeline/run-pipeline.js";
import { BotFilter } from "../../src/processing/bot-filter.js";
import { MessageProcessor, type ProcessedMessage } from "../../src/processing/message-processor.js";
import type { OutputRecord, Snapshot } from "../../src/schema/output-schema.js";
import type { Sink } from "../../src/sinks/sink.js";
import { emotes, extractive, lexicon } from "../helpers/pipeline-fixtures.js";

const LINES = ["LUL", "KEKW KEKW", "what game is this?", "GG", "PogChamp", "nice play", "is baron up?", "hello chat"];

/**
 * A processor whose work costs virtual time: each message owes `costMs`, paid when the pipeline next waits on its
 * sink (CostlySink). The pipeline's capacity is then 1000 / costMs messages a second of virtual time, whatever the
 * machine, so "ten times capacity" is a load the test can state exactly.
 */
export class CostlyProcessor extends MessageProcessor {
  owedMs = 0;

  constructor(private readonly costMs: number) {
    super(emotes, new BotFilter(), () => lexicon);
  }

  override process(m: ChatMessage): ProcessedMessage {
    this.owedMs += this.costMs;
    return super.process(m);
  }
}

/** Keeps every record with the clock time it was published at; waiting on it pays what the processor owes. */
export class CostlySink implements Sink {
  readonly name = "costly";
  readonly published: { at: number; record: OutputRecord }[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly processor: CostlyProcessor,
  ) {}

  write(record: OutputRecord): void {
    this.published.push({ at: this.clock.now(), record });
  }

  ready(): Promise<void> {
    const owed = this.processor.owedMs;
    this.processor.owedMs = 0;
    return owed > 0 ? this.clock.sleepUntil(this.clock.now() + owed) : Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  snapshots(): { at: number; snapshot: Snapshot }[] {
    return this.published.flatMap((p) => (p.record.type === "snapshot" ? [{ at: p.at, snapshot: p.record }] : []));
  }
}

/** A live chat pushed by the test: it cannot wait (a full queue sheds) and its messages carry their arrival time. */
export class PushedChat implements MessageSource {
  readonly name = "pushed";
  readonly canWait = false;
  readonly timed = false;
  private pending: ChatMessage[] = [];
  private ended = false;
  private waiter: (() => void) | undefined;
  sent = 0;

  push(t: number, count: number, channel = "c"): void {
    for (let i = 0; i < count; i++, this.sent++) {
      const user = `u${this.sent % 97}`;
      this.pending.push({ t, platform: "twitch", channel, userId: user, user, text: LINES[this.sent % LINES.length] as string });
    }
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  async *batches(): AsyncIterable<ChatMessage[]> {
    for (;;) {
      if (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        yield batch;
      } else if (this.ended) return;
      else await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  stop(): void {
    this.end();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/** What a run under a scripted load saw, each count with the virtual time it happened at. */
export interface LiveLoadRun {
  stats: RunStats;
  shedAt: number[];
  received: number;
  /** Queue depth sampled after every step of the load. */
  depths: { at: number; depth: number }[];
}

export interface LoadPhase {
  /** Messages a second until `untilMs` (virtual time since 0). */
  rate: number;
  untilMs: number;
}

/**
 * Pushes the phases' load in 10 ms steps of virtual time through runPipeline (default queue: 1,000 pending), then
 * lets the run finish. `onStep` runs before each step (a test's fault script).
 */
export async function runLiveLoad(options: { clock: VirtualClock; processor: MessageProcessor; sink: Sink; phases: readonly LoadPhase[]; onStep?: (t: number) => void }): Promise<LiveLoadRun> {
  const { clock, sink } = options;
  const chat = new PushedChat();
  const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
  const shedAt: number[] = [];
  let received = 0;
  let queueDepth: () => number = () => 0;
  const running = runPipeline({
    source: chat,
    processor: options.processor,
    router,
    sink,
    clock,
    speed: 1,
    arrivalOrigin: 0,
    observer: {
      start: (_name, stats) => (queueDepth = () => stats().depth),
      received: () => received++,
      shed: () => shedAt.push(clock.now()),
      processed: () => undefined,
    },
  });
  const depths: { at: number; depth: number }[] = [];
  const STEP = 10;
  let owed = 0;
  for (const phase of options.phases) {
    for (let t = clock.now(); t < phase.untilMs; t += STEP) {
      options.onStep?.(t);
      owed += (phase.rate * STEP) / 1000;
      const whole = Math.floor(owed);
      owed -= whole;
      if (whole > 0) chat.push(t, whole);
      await clock.advanceTo(t + STEP);
      depths.push({ at: clock.now(), depth: queueDepth() });
    }
  }
  chat.end();
  let done = false;
  const finished = running.then((stats) => {
    done = true;
    return stats;
  });
  for (let i = 0; i < 10_000 && !done; i++) await clock.advanceBy(100);
  return { stats: await finished, shedAt, received, depths };
}
