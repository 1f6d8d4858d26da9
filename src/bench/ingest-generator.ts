import { WebSocket } from "ws";
import { recordingLines, syntheticLines, type ChatLines } from "./chat-lines.js";
import { LoadSchedule, withChannel, type LoadPlan } from "./load-plan.js";
import { MonotonicClock } from "./monotonic-clock.js";

/** What `chatstream bench generate` is told (as one JSON argument): where to push, the plan, and the lines. */
export interface GeneratorSpec {
  /** ws://HOST:PORT/v1/ingest */
  url: string;
  plan: LoadPlan;
  /** A recording to read (as the bench did) or synthetic lines. */
  lines: { input: string } | { synthetic: number; seed: number };
}

/** What the generator reports on stdout (one JSON line) when the load is over and every frame was answered. */
export interface GeneratorReport {
  generated: number;
  frames: number;
  accepted: number;
  rejected: number;
  /** Frames answered with queue-full (the ingest's buffer was full: the pipeline is behind). */
  queueFull: number;
  cpuMs: number;
}

/** The ingest takes at most 1,000 items and 256 KiB in one frame (DEFAULT_INGEST_FRAME_ITEMS, _BYTES). */
const MAX_FRAME_ITEMS = 1000;
const MAX_FRAME_CHARS = 128 * 1024;

export async function linesOf(spec: GeneratorSpec["lines"]): Promise<ChatLines> {
  return "input" in spec ? recordingLines(spec.input) : syntheticLines(spec.synthetic, spec.seed);
}

/**
 * The load generator in its own process: it paces the plan on its own clock and pushes each instant's lines as one
 * frame to /v1/ingest, as a producer would; torn lines go alone (the ingest refuses the rest of a frame after a bad
 * item). Its CPU is its own, so the chatstream process's `process.cpuUsage()` is chatstream's alone.
 */
export async function runIngestGenerator(spec: GeneratorSpec): Promise<GeneratorReport> {
  const lines = await linesOf(spec.lines);
  const schedule = new LoadSchedule(spec.plan, lines);
  const clock = new MonotonicClock();
  const socket = new WebSocket(spec.url);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const report: GeneratorReport = { generated: 0, frames: 0, accepted: 0, rejected: 0, queueFull: 0, cpuMs: 0 };
  let answered = 0;
  let allAnswered: () => void = () => undefined;
  socket.on("message", (data: Buffer) => {
    const answer = JSON.parse(data.toString("utf8")) as { ok: boolean; accepted: number; rejected?: number; error?: string };
    report.accepted += answer.accepted;
    report.rejected += answer.rejected ?? 0;
    if (answer.error === "queue-full") report.queueFull++;
    if (++answered === report.frames) allAnswered();
  });
  const send = (frame: string): void => {
    report.frames++;
    socket.send(frame);
  };
  const cpu0 = process.cpuUsage();
  const origin = clock.now();
  while (!schedule.done) {
    await clock.sleepUntil(origin + schedule.peekDue());
    const now = clock.now() - origin;
    let items: string[] = [];
    let chars = 0;
    while (!schedule.done && schedule.peekDue() <= now) {
      const line = schedule.take();
      report.generated++;
      if (line.malformed) {
        send(line.item);
        continue;
      }
      const item = withChannel(line.item, line.channel);
      items.push(item);
      chars += item.length + 1;
      if (items.length === MAX_FRAME_ITEMS || chars >= MAX_FRAME_CHARS) {
        send(`[${items.join(",")}]`);
        items = [];
        chars = 0;
      }
    }
    if (items.length > 0) send(`[${items.join(",")}]`);
  }
  if (answered < report.frames) await new Promise<void>((resolve) => (allAnswered = resolve));
  const cpu = process.cpuUsage(cpu0);
  report.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  socket.close();
  return report;
}
