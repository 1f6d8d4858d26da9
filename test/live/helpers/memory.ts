import type { Clock } from "../../../src/core/clock.js";
import type { ChatEvent } from "../../../src/core/event.js";
import type { ChatMessage } from "../../../src/core/message.js";
import type { OutputRecord } from "../../../src/schema/output-schema.js";
import type { Sink } from "../../../src/sinks/sink.js";
import { LiveSourceBase } from "../../../src/sources/live/live-source.js";

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

/** A live source driven by the test: messages and events stamped with arrival time on the clock. */
export class ScriptedLiveSource extends LiveSourceBase {
  constructor(name: string, channel: string, clock: Clock, origin: number) {
    super(name, "test", [channel], { clock, streamTime: () => clock.now() - origin });
    this.state = "connected";
  }

  say(user: string, text: string, id?: string): ChatMessage {
    const m: ChatMessage = { t: this.streamTime(), platform: "test", channel: this.channels[0] as string, userId: user, user, text };
    if (id !== undefined) m.id = id;
    this.emitMessage(m);
    return m;
  }

  happen(e: Omit<ChatEvent, "t" | "platform" | "channel">): void {
    this.emitEvent({ ...e, t: this.streamTime(), platform: "test", channel: this.channels[0] as string });
  }

  stop(): Promise<void> {
    this.state = "closed";
    this.buffer.end();
    return Promise.resolve();
  }
}
