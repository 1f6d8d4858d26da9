import { createHash } from "node:crypto";

/**
 * Which live worker owns a channel: rendezvous (highest-random-weight) hashing, a form of consistent hashing
 * with no ring to keep. Every worker computes the same answer from the same member list; a worker joining
 * takes only the channels it now scores highest on, and one leaving gives up only its own.
 */
export function ownerOf(channelToken: string, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1n;
  for (const member of members) {
    const score = createHash("sha256").update(member).update("\u0000").update(channelToken).digest().readBigUInt64BE(0);
    if (score > bestScore || (score === bestScore && best !== undefined && member < best)) {
      best = member;
      bestScore = score;
    }
  }
  return best;
}
