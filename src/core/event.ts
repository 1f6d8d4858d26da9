/**
 * Something that happened in a channel that is not chat: a subscription, a raid, a gift, a paid message, a
 * membership. Events are shown and counted next to chat but never enter sentiment or the headline.
 */
export type ChatEventKind = "sub" | "resub" | "gift" | "raid" | "paid" | "membership" | "announcement" | "other";

export interface ChatEvent {
  kind: ChatEventKind;
  /** Stream time, integer ms (same scale as ChatMessage.t). */
  t: number;
  /** Wall-clock epoch ms, when known. */
  ts?: number;
  platform: string;
  channel: string;
  /** Display name of the user the event is about (the subscriber, the raider, the gifter). */
  user: string;
  /** Platform event id, when it has one. */
  id?: string;
  /** Message attached to the event, or the platform's system text. */
  text?: string;
  /** Money attached ("$5.00", "500 bits"). */
  amount?: string;
  /** How many (gifted subs, raiders, cumulative months). */
  count?: number;
}

/** Receives events from a source. */
export type ChatEventListener = (event: ChatEvent) => void;
