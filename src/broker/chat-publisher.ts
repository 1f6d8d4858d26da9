import type { ChatEvent } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";
import { encodeChatRecord, type ChatRecord } from "./chat-record.js";
import { MessageIdAssigner, watermarkId } from "./message-id.js";
import { chatSubject } from "./subjects.js";
import { boundedToken } from "./subject-token.js";

/** What the ingest side needs from JetStream: a publish that resolves with its ack (or rejects). */
export interface ChatStreamWriter {
  publish(subject: string, data: Uint8Array, msgId: string): Promise<{ duplicate: boolean }>;
  /** Called once per new channel token, so workers learn the channel (an existing key is not an error). */
  registerChannel(token: string, channel: string): Promise<void>;
}

export interface PublisherStats {
  /** Stored by JetStream (acked, not a duplicate). */
  stored: number;
  /** Acked as a duplicate: a re-sent message JetStream already had. */
  duplicates: number;
  /** Given up after every retry: counted, never silent. */
  failed: number;
  /** Refused before publishing: a channel or platform name too long for a subject. */
  refused: number;
  /** Publishes awaiting their ack right now, and the most there ever were. */
  inFlight: number;
  inFlightHighWater: number;
  retries: number;
}

export interface ChatPublisherOptions {
  /** Publishes awaiting an ack at once; a source waits for room beyond it (default 256). */
  maxInFlight?: number;
  /** Attempts per record before it is counted failed (default 8; the id makes retrying safe). */
  attempts?: number;
  /** Waits between attempts (ms, doubled each time up to 2 s); injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * `chatstream ingest`'s sink: every message and event to `chat.<platform>.<channel>` with a de-duplication id,
 * at most `maxInFlight` publishes unacknowledged (then the source waits), each retried with backoff while the
 * broker is away and counted as failed only after the last attempt.
 */
export class ChatPublisher {
  private readonly ids = new MessageIdAssigner();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly channels = new Set<string>();
  /** Latest stream time per channel, for the closing watermark. */
  private readonly latestT = new Map<string, { platform: string; t: number }>();
  private readonly maxInFlight: number;
  private readonly attempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly stats: PublisherStats = { stored: 0, duplicates: 0, failed: 0, refused: 0, inFlight: 0, inFlightHighWater: 0, retries: 0 };

  constructor(
    private readonly writer: ChatStreamWriter,
    options: ChatPublisherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 256;
    this.attempts = options.attempts ?? 8;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async message(m: ChatMessage): Promise<void> {
    await this.send(m.platform, m.channel, m.t, { kind: "message", message: m }, () => this.ids.idFor(m));
  }

  async event(e: ChatEvent): Promise<void> {
    await this.send(e.platform, e.channel, e.t, { kind: "event", event: e }, () => `e${this.ids.idFor({ t: e.t, platform: e.platform, channel: e.channel, userId: e.user, user: e.user, text: `${e.kind}\u0000${e.id ?? ""}\u0000${e.text ?? ""}`, id: e.id === undefined ? undefined : `${e.kind}:${e.id}` })}`);
  }

  /**
   * End of a finite input: a watermark per channel at the 10 min boundary after its last time, so every roll-up
   * period holding a message closes and is published (nothing is left open waiting for chat that never comes).
   */
  async closeChannels(periodMs: number): Promise<void> {
    for (const [channel, { platform, t }] of this.latestT) {
      const mark = (Math.floor(t / periodMs) + 1) * periodMs;
      await this.send(platform, channel, mark, { kind: "watermark", t: mark }, () => watermarkId(channel, mark), false);
    }
  }

  /** Waits for every publish in flight. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async send(platform: string, channel: string, t: number, record: ChatRecord, id: () => string, track = true): Promise<void> {
    const platformToken = boundedToken(platform);
    const channelToken = boundedToken(channel);
    if (platformToken === undefined || channelToken === undefined) {
      this.stats.refused++;
      return;
    }
    if (track) {
      const latest = this.latestT.get(channel);
      if (latest === undefined || t > latest.t) this.latestT.set(channel, { platform, t });
    }
    if (!this.channels.has(channelToken)) {
      this.channels.add(channelToken);
      await this.writer.registerChannel(channelToken, channel);
    }
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    const p = this.publishWithRetry(chatSubject(platformToken, channelToken), encodeChatRecord(record), id()).finally(() => {
      this.inFlight.delete(p);
      this.stats.inFlight = this.inFlight.size;
    });
    this.inFlight.add(p);
    this.stats.inFlight = this.inFlight.size;
    if (this.inFlight.size > this.stats.inFlightHighWater) this.stats.inFlightHighWater = this.inFlight.size;
  }

  private async publishWithRetry(subject: string, data: Uint8Array, msgId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.writer.publish(subject, data, msgId);
        if (ack.duplicate) this.stats.duplicates++;
        else this.stats.stored++;
        return;
      } catch {
        if (attempt >= this.attempts) {
          this.stats.failed++;
          return;
        }
        this.stats.retries++;
        await this.sleep(Math.min(2000, 100 * 2 ** (attempt - 1)));
      }
    }
  }
}
