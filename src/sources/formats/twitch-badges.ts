import type { MessageFlags } from "../../core/message.js";

/**
 * Role flags implied by Twitch badge names ("subscriber/12" → subscriber). Shared by the IRC,
 * VOD-JSON and chat-downloader decoders, which all see the same badge vocabulary.
 */
export function twitchFlagsFromBadges(badges: readonly string[], flags: MessageFlags = {}): MessageFlags {
  for (const badge of badges) {
    const slash = badge.indexOf("/");
    const name = slash === -1 ? badge : badge.slice(0, slash);
    switch (name) {
      case "broadcaster":
        flags.broadcaster = true;
        break;
      case "moderator":
        flags.moderator = true;
        break;
      case "subscriber":
      case "founder":
        flags.subscriber = true;
        break;
      case "vip":
        flags.vip = true;
        break;
      case "partner":
        flags.verified = true;
        break;
    }
  }
  return flags;
}

export function hasAnyFlag(flags: MessageFlags): boolean {
  for (const key in flags) {
    if (flags[key as keyof MessageFlags] === true) return true;
  }
  return false;
}

/** Twitch cheers, written the same way by every Twitch source. */
export function bitsPayment(bits: number): { amount: string; bits: number } {
  return { amount: `${bits} bits`, bits };
}
