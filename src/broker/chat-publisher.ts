import type { ChatEvent } from "../core/event.js";
import type { ChatMessage } from "../core/message.js";
import { encodeChatRecord, type ChatRecord } from "./chat-record.js";
import { MessageIdAssigner, watermarkId } from "./message-id.js";
import { channelTokenOf, chatSubject } from "./subjects.js";
import { boundedToken } from "./subject-token.js";

/** Live channels given watermarks through silence at most (the pipeline's own default channel bound is 10,000). */
const MAX_LIVE_CHANNELS = 100_000;

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
  /** Watermarks sent through silence (a live channel's stream time, so its snapshots keep their 2 Hz). */
  watermarks: number;
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
 * `chatstream ingest`'s sink: every message and event to `chat.<partition>.<platform>.<channel>` with a de-duplication id,
 * at most `maxInFlight` publishes unacknowledged (then the source waits), each retried with backoff while the
 * broker is away and counted as failed only after the last attempt.
 */
export class ChatPublisher {
  private readonly ids = new MessageIdAssigner();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly channels = new Set<string>();
  /** Subjects by platform and channel: a subject is two encodings and a hash (the partition), made once per channel. */
  private readonly subjects = new Map<string, string | undefined>();
  /** Latest stream time per channel, for the closing watermark. */
  private readonly latestT = new Map<string, { platform: string; t: number }>();
  /**
   * Channels of arrival-stamped (live) sources, with the stream time their last record lets a worker publish up to:
   * a message at t carries the channel's snapshots before t, a watermark at t those at or before t.
   */
  private readonly liveCoverage = new Map<string, { platform: string; coveredTo: number }>();
  private readonly maxInFlight: number;
  private readonly attempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly stats: PublisherStats = { stored: 0, duplicates: 0, failed: 0, refused: 0, inFlight: 0, inFlightHighWater: 0, retries: 0, watermarks: 0 };

  constructor(
    private readonly writer: ChatStreamWriter,
    options: ChatPublisherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 256;
    this.attempts = options.attempts ?? 8;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** `live`: an arrival-stamped message (a live source, the WebSocket ingest): its channel gets watermarks through silence. */
  async message(m: ChatMessage, live = false): Promise<void> {
    await this.send(m.platform, m.channel, m.t, { kind: "message", message: m }, () => this.ids.idFor(m), true, live);
  }

  /**
   * The ingest's 2 Hz ticker, as `run`'s: stream time reached `now` (the snapshot boundary `boundary` ≤ now passed).
   * Every live channel whose last record does not already carry its stream time to the boundary gets a watermark
   * at `now`, a record in the channel's subject like its messages, so a worker publishes the channel's snapshots
   * and closes its roll-up periods through silence, and a replay after failover sees the same records in the same
   * order. A busy channel whose message after the boundary came first needs none.
   */
  async watermarkSilent(now: number, boundary: number): Promise<void> {
    for (const [channel, c] of this.liveCoverage) {
      if (c.coveredTo >= boundary) continue;
      c.coveredTo = now;
      this.stats.watermarks++;
      await this.send(c.platform, channel, now, { kind: "watermark", t: now }, () => watermarkId(channel, now), false);
    }
  }

  private cover(platform: string, channel: string, to: number): void {
    const c = this.liveCoverage.get(channel);
    if (c === undefined) {
      // Bounded like the id assigner: beyond it the oldest live channel stops getting watermarks.
      if (this.liveCoverage.size >= MAX_LIVE_CHANNELS) this.liveCoverage.delete(this.liveCoverage.keys().next().value as string);
      this.liveCoverage.set(channel, { platform, coveredTo: to });
    } else if (to > c.coveredTo) c.coveredTo = to;
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

  private async send(platform: string, channel: string, t: number, record: ChatRecord, id: () => string, track = true, live = false): Promise<void> {
    const subject = this.subjectOf(platform, channel);
    if (subject === undefined) {
      this.stats.refused++;
      return;
    }
    const channelToken = channelTokenOf(subject) as string;
    if (live) this.cover(platform, channel, t - 1);
    if (track) {
      const latest = this.latestT.get(channel);
      if (latest === undefined || t > latest.t) this.latestT.set(channel, { platform, t });
    }
    if (!this.channels.has(channelToken)) {
      this.channels.add(channelToken);
      await this.writer.registerChannel(channelToken, channel);
    }
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    const p = this.publishWithRetry(subject, encodeChatRecord(record), id()).finally(() => {
      this.inFlight.delete(p);
      this.stats.inFlight = this.inFlight.size;
    });
    this.inFlight.add(p);
    this.stats.inFlight = this.inFlight.size;
    if (this.inFlight.size > this.stats.inFlightHighWater) this.stats.inFlightHighWater = this.inFlight.size;
  }

  private subjectOf(platform: string, channel: string): string | undefined {
    const key = `${platform}\u0000${channel}`;
    if (this.subjects.has(key)) return this.subjects.get(key);
    const platformToken = boundedToken(platform);
    const channelToken = boundedToken(channel);
    const subject = platformToken === undefined || channelToken === undefined ? undefined : chatSubject(platformToken, channelToken);
    // Bounded like the live channels: past it the cache starts again (a cost, never a wrong subject).
    if (this.subjects.size >= MAX_LIVE_CHANNELS) this.subjects.clear();
    this.subjects.set(key, subject);
    return subject;
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
