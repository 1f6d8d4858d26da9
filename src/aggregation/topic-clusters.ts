import type { TopicCluster } from "../schema/output-schema.js";
import type { ChatDigest, MessageGroup } from "./chat-digest.js";
import { sentimentBar } from "./record-fields.js";

/** Cluster sizes by label: what a later window compares itself with to tell growth and new topics. */
export type ClusterSizes = ReadonlyMap<string, number>;

export interface ClusterPolicy {
  /** Clusters listed, largest first. */
  top: number;
  /** Representative messages per cluster. */
  examples: number;
  /** A cluster needs this many messages and this share of the window to be flagged new (a stray line is not a topic). */
  newMinCount: number;
  newMinShare: number;
  /** The window leans one way when its mean P(pos) − P(neg) is beyond this… */
  majorityLean: number;
  /** …and a cluster dissents when it leans the other way by at least this… */
  dissentLean: number;
  /** …while holding at least this share of the window: a sizeable minority, not one grumble. */
  dissentShare: number;
}

export const DEFAULT_CLUSTER_POLICY: ClusterPolicy = { top: 5, examples: 2, newMinCount: 3, newMinShare: 0.05, majorityLean: 0.05, dissentLean: 0.25, dissentShare: 0.08 };

interface Forming {
  label: string;
  groups: MessageGroup[];
  count: number;
  users: number;
  scored: number;
  pos: number;
  neu: number;
  neg: number;
}

/**
 * The window's topic clusters: near-duplicate groups joined on the content word they share that chat uses most
 * in the window (an emote when the group has no such word; the group's own line when it has neither). Each
 * cluster has its size, distinct chatters, sentiment mix and representative lines; against the previous window's
 * sizes it gets its growth and, when it was not there before, a `new` flag; a sizeable cluster leaning against
 * the window's majority is flagged `dissent`. Pure and cheap: it reads only the digest's top groups and terms.
 */
export function clustersOf(d: ChatDigest, previous: ClusterSizes | undefined, policy: ClusterPolicy = DEFAULT_CLUSTER_POLICY): { clusters: TopicCluster[]; sizes: Map<string, number> } {
  const windowCount = new Map<string, number>();
  for (const t of d.terms) windowCount.set(t.term, t.count);
  const forming = new Map<string, Forming>();
  for (const g of d.groups) {
    const label = anchorOf(g, windowCount);
    let c = forming.get(label);
    if (c === undefined) forming.set(label, (c = { label, groups: [], count: 0, users: 0, scored: 0, pos: 0, neu: 0, neg: 0 }));
    c.groups.push(g);
    c.count += g.count;
    c.users += g.users;
    c.scored += g.scored;
    c.pos += g.sentiment.pos;
    c.neu += g.sentiment.neu;
    c.neg += g.sentiment.neg;
  }
  const sizes = new Map<string, number>();
  for (const c of forming.values()) sizes.set(c.label, c.count);

  const active = Math.max(1, d.count - d.ignored);
  const lean = d.scored > 0 ? (d.sentiment.pos - d.sentiment.neg) / d.scored : 0;
  const majority = lean > policy.majorityLean ? 1 : lean < -policy.majorityLean ? -1 : 0;
  // Groups arrive largest first, so the first group of each cluster breaks ties in size by prominence.
  const ranked = [...forming.values()].sort((a, b) => b.count - a.count).slice(0, policy.top);
  const clusters = ranked.map((c): TopicCluster => {
    const cluster: TopicCluster = {
      label: c.label,
      count: c.count,
      users: c.users,
      share: Math.round((c.count / active) * 1000) / 1000,
      sentiment: sentimentBar({ pos: c.pos, neu: c.neu, neg: c.neg }, c.scored),
      top: c.groups.slice(0, policy.examples).map((g) => ({ text: g.text, count: g.count })),
    };
    if (previous !== undefined) {
      const before = previous.get(c.label) ?? 0;
      cluster.growth = c.count - before;
      if (before === 0 && c.count >= policy.newMinCount && c.count / active >= policy.newMinShare) cluster.new = true;
    }
    const clusterLean = c.scored > 0 ? (c.pos - c.neg) / c.scored : 0;
    if (majority !== 0 && clusterLean * majority <= -policy.dissentLean && c.count / active >= policy.dissentShare) cluster.dissent = true;
    return cluster;
  });
  return { clusters, sizes };
}

/** The group's term chat uses most in the window: a word before an emote, so clusters are about topics. */
function anchorOf(g: MessageGroup, windowCount: ReadonlyMap<string, number>): string {
  const words = g.terms.length - g.emoteTerms;
  const pickFrom = (from: number, to: number): string | undefined => {
    let best: string | undefined;
    let bestCount = 1; // a word no other line shares anchors nothing
    for (let i = from; i < to; i++) {
      const term = g.terms[i] as string;
      const n = windowCount.get(term) ?? 0;
      if (n > bestCount) [best, bestCount] = [term, n];
    }
    return best;
  };
  return pickFrom(0, words) ?? pickFrom(words, g.terms.length) ?? g.terms[0] ?? g.signature;
}
