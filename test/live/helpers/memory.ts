import type { Clock } from "../../../src/core/clock.js";
import type { ChatEvent } from "../../../src/core/event.js";
import type { ChatMessage } from "../../../src/core/message.js";
import { LiveSourceBase } from "../../../src/sources/live/live-source.js";

export { MemorySink } from "../../helpers/command-io.js";

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
