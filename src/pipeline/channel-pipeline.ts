import type { ChatDigest } from "../aggregation/chat-digest.js";
import { languageMix } from "../aggregation/language-mix.js";
import { moodFields, questionsOf, sentimentBar, topicsOf, topOf } from "../aggregation/record-fields.js";
import { RollupChain, BUCKET_MS, TEN_MINUTES_MS, type ClosedPeriod } from "../aggregation/rollup-chain.js";
import { DEFAULT_WINDOW_POLICY, SlidingWindow, type WindowPolicy } from "../aggregation/sliding-window.js";
import type { ChatEvent } from "../core/event.js";
import { markReusedParts } from "../core/record-marks.js";
import type { Summarizer } from "../models/summarizer/summarizer.js";
import { isAsyncSummarizer } from "../models/summarizer/llm/async-summarizer.js";
import { clustersOf, type ClusterSizes } from "../aggregation/topic-clusters.js";
import { builtinEmoteDictionary } from "../processing/emote-dictionary.js";
import { labelForAir } from "../models/summarizer/synthesizer/safe-for-air.js";
import { DEFAULT_CONTENT_CHANGE_POLICY, HeadlineGate, type ChangeReason, type ContentFingerprint, type HeadlineGateState } from "../aggregation/content-change.js";
import type { ProcessedMessage } from "../processing/message-processor.js";
import { isQuietPeriod, isQuietSpan, quietPeriodHeadline, quietSnapshotHeadline } from "./quiet-chat.js";
import type { BucketAudit, CountedText, LanguageMix, Mood, OutputRecord, Rollup, RollupLevel, SentimentBar, Snapshot, SnapshotEvent, Topic, TopicCluster } from "../schema/output-schema.js";

export const SNAPSHOT_EVERY_MS = 500;
/**
 * A bucket audit names its most repeated line (the dashboard shows it); the 5 s roll-up of the same bucket lists
 * five. Three made the audits half of every snapshot line (day 2: 1.6 of 3.1 KB), repeated in 7–25 snapshots.
 */
const AUDIT_TOP = 1;

export interface ChannelPipelineOptions {
  channel: string;
  /** Read on every headline, so a hot-swapped summarizer takes effect at the next snapshot. */
  summarizer: () => Summarizer;
  emit: (record: OutputRecord) => void;
  window?: WindowPolicy;
  /** Optional metrics hook: nanoseconds spent assembling each snapshot (timed only when set). */
  onSnapshotAssembled?: (channel: string, ns: number) => void;
  /**
   * Stream time the other channels are already published to (the router's last step), read at the first message:
   * an older first message is late, so a channel that starts behind the others never steps through the difference.
   */
  publishedUpTo?: () => number;
  /** Which labels are emotes, shown as they are; every other topic and thread label is masked for air (default: the built-in emotes). */
  isEmote?: (name: string) => boolean;
  /**
   * false: every snapshot is assembled from its window, never re-published from the previous one (see republished).
   * The output is the same either way; the tests compare the two.
   */
  republish?: boolean;
}

/**
 * What a snapshot reads from its window's digest. Rebuilt only when a message entered or left the window: a quiet
 * channel's snapshot reuses it (the same objects, so the JSON-lines sink reuses their serialization too).
 */
interface WindowContent {
  version: number;
  digest: ChatDigest;
  sentiment: SentimentBar;
  languages: LanguageMix | undefined;
  topics: Topic[];
  top: CountedText[];
  questions: CountedText[];
}

/** The parts of a roll-up record for a period without messages, per level (see emitEmptyPeriod). */
interface EmptyPeriodParts {
  sentiment: SentimentBar;
  mood: Mood | null;
  confidence: number;
  headline: string;
  topics: Topic[];
  clusters: TopicCluster[];
  sizes: ClusterSizes;
  top: CountedText[];
  languages: LanguageMix | undefined;
}
const EMPTY_PERIOD_PARTS = new Map<RollupLevel, EmptyPeriodParts>();

const builtinEmotes = builtinEmoteDictionary();
const isBuiltinEmote = (name: string): boolean => builtinEmotes.emote(name) !== undefined;

/**
 * Everything one channel needs on stream time: the sliding window, the 5 s → 1 min → 10 min roll-ups and
 * the 500 ms snapshot schedule. It is driven by two calls only: `ingest` (messages in time order) and
 * `advanceTo` (a watermark: no message at or before it is still to come). Output depends on nothing else,
 * so the same messages give the same lines at any replay speed.
 */
export class ChannelPipeline {
  private readonly window: SlidingWindow;
  private rollups: RollupChain | undefined;
  private nextSnapshotT = 0;
  private lastT = -Infinity;
  private tsOffset: number | undefined;
  private messages = 0;
  private late = 0;
  private readonly shedByBucket = new Map<number, number>();
  private readonly gate = new HeadlineGate();
  private gateSummarizer: Summarizer | undefined;
  private keptKey: string | undefined;
  /** Events not yet shown in a snapshot, in arrival order; and the times of recent ones, for roll-up counts. */
  private pendingEvents: ChatEvent[] = [];
  private eventTimes: number[] = [];
  /**
   * Cluster sizes of the last window-length of snapshots, one slot per snapshot: the slot about to be overwritten
   * holds the snapshot one window ago, whose window is the previous, non-overlapping one.
   */
  private readonly clusterHistory: (ClusterSizes | undefined)[];
  private clusterSlot = 0;
  /** The last closed period's cluster sizes per level, for roll-up growth. */
  private readonly previousPeriodClusters = new Map<string, ClusterSizes>();
  /** Roll-up headlines are held like snapshots' (one gate per level): the summarizer runs when a period's content changed. */
  private readonly periodGates = new Map<RollupLevel, HeadlineGate>();
  private periodSummarizer: Summarizer | undefined;
  /** Memos of the last snapshot's parts, keyed on what they depend on (see snapshotAt). */
  private content: WindowContent | undefined;
  private clustersMemo: { version: number; previous: ClusterSizes | undefined; clusters: TopicCluster[]; sizes: ClusterSizes } | undefined;
  private moodMemo: { version: number; shed: number; value: { mood: Mood | null; confidence: number } } | undefined;
  /** Audits by bucket digest, closed and open apart (a bucket that closes unchanged keeps its digest object). */
  private readonly audits = new WeakMap<ChatDigest, BucketAudit>();
  private readonly openAudits = new WeakMap<ChatDigest, BucketAudit>();
  private lastBuckets: BucketAudit[] = [];
  /** What the last snapshot's stable fields were made of (see stableToken); itself the token. */
  private stable: { content: WindowContent; mood: { mood: Mood | null; confidence: number }; headline: string; since: number; clusters: TopicCluster[] } | undefined;
  /** The last snapshot published, what republished() repeats, and the stable-fields token it was marked with. */
  private last: Snapshot | undefined;
  private lastToken: object | undefined;
  /** What the last audit list was built from: the roll-ups' version and the first recent bucket in the window. */
  private auditKey: { version: number; from: number; open: boolean } | undefined;
  /** The gate's last answer, while the span it compared stays the same object (see headlineAt). */
  private gateMemo: { span: ContentFingerprint; summarizer: Summarizer; kept: { headline: string; since: number; changed: ChangeReason[] } } | undefined;

  constructor(private readonly options: ChannelPipelineOptions) {
    this.window = new SlidingWindow(options.window ?? DEFAULT_WINDOW_POLICY);
    this.clusterHistory = new Array<ClusterSizes | undefined>(Math.max(1, Math.round(this.window.policy.spanMs / SNAPSHOT_EVERY_MS))).fill(undefined);
  }

  get channel(): string {
    return this.options.channel;
  }

  /** Messages ingested so far. */
  get messageCount(): number {
    return this.messages;
  }

  /** Messages that arrived with a time before one already processed; they were counted at the latest time. */
  get lateCount(): number {
    return this.late;
  }

  /** Stream time of the latest message, or -Infinity before the first. */
  get lastMessageT(): number {
    return this.lastT;
  }

  ingest(m: ProcessedMessage): void {
    // Steps of 500 ms never reach a time beyond ±2^53; sources check times (src/pipeline/stream-time.ts) before this.
    if (!Number.isSafeInteger(m.t)) throw new RangeError(`stream time must be a safe integer, got ${m.t}`);
    if (this.rollups === undefined) {
      const published = this.options.publishedUpTo?.() ?? -Infinity;
      if (m.t <= published) {
        this.late++;
        m = { ...m, t: published + 1 };
      }
      this.nextSnapshotT = Math.floor(m.t / SNAPSHOT_EVERY_MS) * SNAPSHOT_EVERY_MS;
      this.rollups = new RollupChain(Math.floor(m.t / TEN_MINUTES_MS) * TEN_MINUTES_MS, (p) => this.emitPeriod(p));
      this.auditKey = undefined;
    }
    // A message older than what was already published is counted at the current time rather than
    // rewriting history: snapshots and roll-ups already sent stay true.
    const floor = Math.max(this.lastT, this.nextSnapshotT - SNAPSHOT_EVERY_MS + 1);
    if (m.t < floor) {
      this.late++;
      m = { ...m, t: floor };
    }
    this.advanceTo(m.t - 1);
    this.rollups.closeUpTo(m.t);
    this.rollups.add(m);
    this.window.push(m);
    this.lastT = m.t;
    this.messages++;
    if (m.ts !== undefined && Number.isSafeInteger(m.ts)) this.tsOffset = m.ts - m.t;
  }

  /**
   * An event (sub, raid, gift, paid message…). It is listed in the first snapshot at or after its time (one
   * already published is never rewritten) and counted in the roll-up period holding that time.
   */
  noteEvent(e: ChatEvent): void {
    const floor = this.rollups === undefined ? -Infinity : this.nextSnapshotT - SNAPSHOT_EVERY_MS + 1;
    const t = Math.max(e.t, floor);
    this.pendingEvents.push(t === e.t ? e : { ...e, t });
    this.eventTimes.push(t);
  }

  /** A message for this channel was shed under load at stream time t (lowers confidence). */
  noteShed(t: number): void {
    const bucket = Math.floor(t / BUCKET_MS) * BUCKET_MS;
    this.shedByBucket.set(bucket, (this.shedByBucket.get(bucket) ?? 0) + 1);
  }

  /** Emits every snapshot (and every roll-up period that closes) at or before the watermark. */
  advanceTo(watermark: number): void {
    const rollups = this.rollups;
    if (rollups === undefined) return;
    if (!(Math.abs(watermark) <= 2 ** 53)) throw new RangeError(`watermark must be within ±2^53, got ${watermark}`);
    while (this.nextSnapshotT <= watermark) {
      const t = this.nextSnapshotT;
      rollups.closeUpTo(t);
      const hook = this.options.onSnapshotAssembled;
      if (hook === undefined) {
        this.options.emit((this.last = this.republished(t, rollups) ?? this.snapshotAt(t, rollups)));
      } else {
        const t0 = process.hrtime.bigint();
        const snapshot = (this.last = this.republished(t, rollups) ?? this.snapshotAt(t, rollups));
        hook(this.options.channel, Number(process.hrtime.bigint() - t0));
        this.options.emit(snapshot);
      }
      this.nextSnapshotT = t + SNAPSHOT_EVERY_MS;
    }
  }

  /** End of input: publishes everything up to the last message, then the open periods as partial records. */
  finish(): void {
    if (this.rollups === undefined) return;
    this.advanceTo(this.lastT);
    this.rollups.flush();
    this.rollups = undefined;
  }

  /** The headline gate's kept state (headline, since, fingerprint): what a broker worker persists with each snapshot. */
  headlineState(): HeadlineGateState {
    return this.gate.state();
  }

  /** Restores the gate after a rebuild, for the current summarizer (no rewrite at the next snapshot unless content changed). */
  restoreHeadline(state: HeadlineGateState): void {
    this.gate.restore(state);
    this.gateSummarizer = this.options.summarizer();
    this.keptKey = undefined;
    this.gateMemo = undefined;
  }

  /**
   * The roll-up levels' headline gates (a 10 min headline may be held since long before a rebuild's replay starts):
   * persisted beside the snapshot gate's state.
   */
  periodHeadlineStates(): [RollupLevel, HeadlineGateState][] {
    return [...this.periodGates].map(([level, gate]) => [level, gate.state()]);
  }

  /** Restores the roll-up levels' gates after a rebuild, for the current summarizer. */
  restorePeriodHeadlines(states: readonly (readonly [RollupLevel, HeadlineGateState])[]): void {
    const summarizer = this.options.summarizer();
    for (const [level, state] of states) this.periodGate(level, summarizer).restore(state);
  }

  /** Topics and clusters keep their raw labels for growth; what is published carries labels fit for air. */
  private forAir<T extends { label: string }>(items: T[]): T[] {
    const isEmote = this.options.isEmote ?? isBuiltinEmote;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as T;
      const label = labelForAir(item.label, isEmote);
      if (label !== item.label) items[i] = { ...item, label };
    }
    return items;
  }

  /**
   * Each part is rebuilt only when what it depends on changed: the digest-derived fields when a message entered or
   * left the window, the clusters when that or the window one span back did, the bucket audits when a bucket
   * closed or filled. A window nobody wrote to re-publishes its previous snapshot's parts with new times.
   */
  private snapshotAt(t: number, rollups: RollupChain): Snapshot {
    const selection = this.window.select(t);
    const { start, withLines, version, span, spanDigest } = selection;
    const reused = this.content?.version === version;
    // Equal versions hold equal counts and groups: a window nothing entered or left reads the digest it was built from.
    const digest = reused ? (this.content as WindowContent).digest : selection.digest;
    const content = this.contentOf(digest, version);
    const shed = this.shedSince(start);
    const clusters = this.clustersAt(digest, version);
    const kept = this.headlineAt(t, digest, withLines, span, spanDigest, clusters);
    const mood = this.moodAt(digest, version, shed);
    const snapshot: Snapshot = {
      type: "snapshot",
      channel: this.options.channel,
      t,
      window: { start, end: t },
      count: digest.count,
      scored: digest.scored,
      chatters: digest.chatters,
      rate: Math.round((digest.count / ((t - start) / 1000)) * 100) / 100,
      sentiment: content.sentiment,
      mood: mood.mood,
      confidence: mood.confidence,
      headline: kept.headline,
      headlineSince: kept.since,
      topics: content.topics,
      clusters,
      top: content.top,
      questions: content.questions,
      buckets: this.audit(start, t, rollups),
    };
    if (content.languages !== undefined) snapshot.languages = content.languages;
    if (kept.changed.length > 0) snapshot.changed = kept.changed;
    this.lastToken = reused ? this.stableToken(content, mood, kept, clusters) : undefined;
    if (this.lastToken !== undefined) markReusedParts(snapshot, this.lastToken);
    if (this.tsOffset !== undefined) snapshot.ts = t + this.tsOffset;
    if (this.pendingEvents.length > 0) this.attachEvents(snapshot, t);
    return snapshot;
  }

  /**
   * The last snapshot again with new times (t, window, rate, ts) and the bucket audits of t, when snapshotAt(t) would
   * give exactly that: nothing entered or left the window or its span (SlidingWindow.unchangedStart), the clusters'
   * memo holds for the span-back slot, the gate's kept answer holds for the same summarizer, no message was shed and
   * no event is waiting. Undefined otherwise. A quiet channel's snapshot is then one object and its window, with no
   * selection, no memo lookups and the same stable-fields token, so its line is the template's (record-json.ts).
   */
  private republished(t: number, rollups: RollupChain): Snapshot | undefined {
    const last = this.last;
    const stable = this.stable;
    if (this.options.republish === false || last === undefined || stable === undefined || this.lastToken !== stable || last.t !== t - SNAPSHOT_EVERY_MS) return undefined;
    if (this.pendingEvents.length > 0 || this.shedByBucket.size > 0 || this.keptKey !== undefined) return undefined;
    const memo = this.clustersMemo;
    const gate = this.gateMemo;
    if (memo === undefined || memo.clusters !== stable.clusters || memo.previous !== this.clusterHistory[this.clusterSlot]) return undefined;
    if (gate === undefined || gate.summarizer !== this.gateSummarizer || gate.summarizer !== this.options.summarizer() || gate.kept.headline !== stable.headline) return undefined;
    const start = this.window.unchangedStart(t);
    if (start === undefined) return undefined;
    this.clusterHistory[this.clusterSlot] = memo.sizes;
    this.clusterSlot = (this.clusterSlot + 1) % this.clusterHistory.length;
    const snapshot: Snapshot = {
      type: "snapshot",
      channel: last.channel,
      t,
      window: { start, end: t },
      count: last.count,
      scored: last.scored,
      chatters: last.chatters,
      rate: Math.round((last.count / ((t - start) / 1000)) * 100) / 100,
      sentiment: last.sentiment,
      mood: last.mood,
      confidence: last.confidence,
      headline: last.headline,
      headlineSince: last.headlineSince,
      topics: last.topics,
      clusters: last.clusters,
      top: last.top,
      questions: last.questions,
      buckets: this.audit(start, t, rollups),
    };
    if (last.languages !== undefined) snapshot.languages = last.languages;
    markReusedParts(snapshot, stable);
    if (this.tsOffset !== undefined) snapshot.ts = t + this.tsOffset;
    return snapshot;
  }

  /**
   * The same object for as long as the fields record-json.ts calls stable (counts, sentiment, mood, confidence,
   * headline, topics, clusters, top lines, questions, languages) hold the same values in this channel's snapshots.
   */
  private stableToken(content: WindowContent, mood: { mood: Mood | null; confidence: number }, kept: { headline: string; since: number }, clusters: TopicCluster[]): object {
    const last = this.stable;
    if (last !== undefined && last.content === content && last.mood === mood && last.headline === kept.headline && last.since === kept.since && last.clusters === clusters) return last;
    this.stable = { content, mood, headline: kept.headline, since: kept.since, clusters };
    return this.stable;
  }

  private contentOf(digest: ChatDigest, version: number): WindowContent {
    if (this.content?.version === version) return this.content;
    this.content = {
      version,
      digest,
      sentiment: sentimentBar(digest.sentiment, digest.scored),
      languages: languageMix(digest.languages),
      topics: this.forAir(topicsOf(digest)),
      top: topOf(digest),
      questions: questionsOf(digest),
    };
    return this.content;
  }

  /** Clusters depend on the window and on the sizes one span back (the history slot about to be overwritten). */
  private clustersAt(digest: ChatDigest, version: number): TopicCluster[] {
    const previous = this.clusterHistory[this.clusterSlot];
    let memo = this.clustersMemo;
    if (memo === undefined || memo.version !== version || memo.previous !== previous) {
      const { clusters, sizes } = clustersOf(digest, previous);
      // A window that did not change keeps its sizes object, so a quiet channel's history holds one map, not sixty.
      const same = memo !== undefined && memo.version === version ? memo.sizes : sizes;
      memo = this.clustersMemo = { version, previous, clusters: this.forAir(clusters), sizes: same };
    }
    this.clusterHistory[this.clusterSlot] = memo.sizes;
    this.clusterSlot = (this.clusterSlot + 1) % this.clusterHistory.length;
    return memo.clusters;
  }

  /** Mood and confidence depend on the window and on the messages shed since its start. */
  private moodAt(digest: ChatDigest, version: number, shed: number): { mood: Mood | null; confidence: number } {
    const memo = this.moodMemo;
    if (memo !== undefined && memo.version === version && memo.shed === shed) return memo.value;
    const value = moodFields(digest, "window", shed / Math.max(1, shed + digest.count));
    this.moodMemo = { version, shed, value };
    return value;
  }

  /**
   * The headline is rewritten only when the window's content has changed enough (HeadlineGate), so it does not
   * flicker at 2 Hz and an expensive summarizer is called per change, not per snapshot. An LLM summarizer answers
   * with its fallback at once; its own headline replaces the kept one at the first snapshot after it arrives.
   */
  private headlineAt(t: number, digest: ChatDigest, withLines: () => ChatDigest, span: ContentFingerprint, spanDigest: () => ChatDigest, clusters: readonly TopicCluster[]): { headline: string; since: number; changed: ChangeReason[] } {
    const summarizer = this.options.summarizer();
    if (summarizer !== this.gateSummarizer) {
      // A swapped-in summarizer writes afresh at its first snapshot.
      this.gate.reset();
      this.gateSummarizer = summarizer;
      this.keptKey = undefined;
    }
    const kept = this.gatedHeadline(t, span, summarizer, () => {
      // No viewer in the strict span: the reach-back window would only retell the last burst (quiet-chat.ts). A window
      // with nothing at all in it (before the first message) is left to the summarizer's own quiet line.
      if (isQuietSpan(span) && !isQuietPeriod(digest)) {
        this.keptKey = undefined;
        return quietSnapshotHeadline(this.window.policy.spanMs);
      }
      if (!isAsyncSummarizer(summarizer)) {
        this.keptKey = undefined;
        return summarizer.summarizeWindow(withLines(), { clusters });
      }
      // A model is asked about the strict 30 s span (the same content the gate compared), so its calls and
      // cache hits depend on what chat says, not on how many say it.
      const asked = spanDigest();
      this.keptKey = summarizer.keyOf(asked);
      return summarizer.summarizeWindow(asked);
    });
    const late = this.keptKey !== undefined && isAsyncSummarizer(summarizer) ? summarizer.latestForKey(this.keptKey) : undefined;
    return late === undefined ? kept : { ...kept, headline: late };
  }

  /**
   * The gate compares the kept fingerprint with the span's, a pure function of both: once it has compared them (past
   * the hold) and kept its headline, the same span object (nothing entered or left the span) keeps it again, so a
   * quiet channel's snapshot skips the comparison.
   */
  private gatedHeadline(t: number, span: ContentFingerprint, summarizer: Summarizer, write: () => string): { headline: string; since: number; changed: ChangeReason[] } {
    const memo = this.gateMemo;
    if (memo !== undefined && memo.span === span && memo.summarizer === summarizer) return memo.kept;
    const kept = this.gate.headlineAt(t, span, write);
    this.gateMemo = kept.changed.length === 0 && t - kept.since >= DEFAULT_CONTENT_CHANGE_POLICY.minHoldMs ? { span, summarizer, kept } : undefined;
    return kept;
  }

  private attachEvents(snapshot: Snapshot, t: number): void {
    const due = this.pendingEvents.filter((e) => e.t <= t);
    if (due.length === 0) return;
    this.pendingEvents = this.pendingEvents.filter((e) => e.t > t);
    snapshot.events = due.map((e) => {
      const out: SnapshotEvent = { kind: e.kind, t: e.t, platform: e.platform, user: e.user };
      if (e.text !== undefined) out.text = e.text;
      if (e.amount !== undefined) out.amount = e.amount;
      if (e.count !== undefined) out.count = e.count;
      return out;
    });
  }

  private eventsIn(start: number, end: number): number {
    let n = 0;
    for (const t of this.eventTimes) if (t >= start && t < end) n++;
    // Times older than the longest roll-up period still open are no longer needed.
    if (this.eventTimes.length > 0 && (this.eventTimes[0] as number) < end - TEN_MINUTES_MS) this.eventTimes = this.eventTimes.filter((x) => x >= end - TEN_MINUTES_MS);
    return n;
  }

  /**
   * The 5 s buckets behind a snapshot that hold messages, and the open one: a quiet window reaching back 120 s
   * overlaps 25 buckets, mostly empty. Each audit is built once per bucket state, the list reused while it holds.
   */
  private audit(start: number, t: number, rollups: RollupChain): BucketAudit[] {
    // Recent buckets are in time order, so those ending after the window's start are a suffix: where it begins, the
    // roll-ups' version and whether the open bucket is in decide the list. A quiet channel rebuilds it every 5 s.
    const recent = rollups.recentBuckets();
    let from = 0;
    while (from < recent.length && (recent[from] as ChatDigest).end <= start) from++;
    const open = rollups.openBucketStart <= t;
    const key = this.auditKey;
    if (key !== undefined && key.version === rollups.version && key.from === from && key.open === open) return this.lastBuckets;
    this.auditKey = { version: rollups.version, from, open };
    const out: BucketAudit[] = [];
    for (let i = from; i < recent.length; i++) {
      const b = recent[i] as ChatDigest;
      if (b.count > 0) out.push(this.auditOf(b, false));
    }
    if (open) out.push(this.auditOf(rollups.openBucket(), true));
    const last = this.lastBuckets;
    if (out.length === last.length && out.every((a, i) => a === last[i])) return last;
    this.lastBuckets = out;
    return out;
  }

  private auditOf(d: ChatDigest, open: boolean): BucketAudit {
    const memo = open ? this.openAudits : this.audits;
    let audit = memo.get(d);
    if (audit === undefined) {
      audit = { start: d.start, end: d.end, count: d.count, scored: d.scored, sentiment: sentimentBar(d.sentiment, d.scored), top: topOf(d, AUDIT_TOP) };
      if (open) audit.open = true;
      memo.set(d, audit);
    }
    return audit;
  }

  private shedSince(start: number): number {
    let shed = 0;
    for (const [bucket, n] of this.shedByBucket) {
      if (bucket + BUCKET_MS <= start - 120_000) this.shedByBucket.delete(bucket);
      else if (bucket + BUCKET_MS > start) shed += n;
    }
    return shed;
  }

  private emitPeriod(p: ClosedPeriod): void {
    const d = p.digest;
    if (d.count === 0 && !p.partial && this.eventTimes.length === 0) {
      this.emitEmptyPeriod(p.level, d);
      return;
    }
    const active = this.options.summarizer();
    // A record is published once: a late model answer could not be used, so roll-ups use the immediate fallback.
    const summarizer = isAsyncSummarizer(active) ? active.fallback : active;
    const { clusters: raw, sizes } = clustersOf(d, this.previousPeriodClusters.get(p.level));
    const clusters = this.forAir(raw);
    this.previousPeriodClusters.set(p.level, sizes);
    const gate = this.periodGate(p.level, summarizer);
    // A quiet period says so whatever was kept; the level's next period with chat in it writes afresh.
    const quiet = isQuietPeriod(d);
    if (quiet) gate.reset();
    const kept = quiet
      ? { headline: quietPeriodHeadline(p.level, d), since: d.end, changed: [] }
      : gate.headlineAt(d.end, d, () => (p.level === "5s" ? summarizer.summarizeWindow(d) : summarizer.summarizePeriod(d, p.parts)));
    const record: Rollup = {
      type: "rollup",
      channel: this.options.channel,
      level: p.level,
      t: d.end,
      start: d.start,
      end: d.end,
      count: d.count,
      scored: d.scored,
      sentiment: sentimentBar(d.sentiment, d.scored),
      ...moodFields(d, p.level),
      headline: kept.headline,
      headlineSince: kept.since,
      topics: this.forAir(topicsOf(d)),
      clusters,
      top: topOf(d),
    };
    if (kept.changed.length > 0) record.changed = kept.changed;
    const languages = languageMix(d.languages);
    if (languages !== undefined) record.languages = languages;
    if (p.partial) record.partial = true;
    if (this.eventTimes.length > 0) {
      const events = this.eventsIn(d.start, d.end);
      if (events > 0) record.events = events;
    }
    this.options.emit(record);
  }

  /**
   * A period without a single message (most of a quiet channel's: 12 of every minute's 5 s periods, and more) says so,
   * with parts that depend on its level only: built once per level and shared (their JSON text too: markReusedParts).
   * The same record emitPeriod would write: its gate is reset, the clusters have no previous sizes to grow from.
   */
  private emitEmptyPeriod(level: RollupLevel, d: ChatDigest): void {
    const active = this.options.summarizer();
    this.periodGate(level, isAsyncSummarizer(active) ? active.fallback : active).reset();
    let parts = EMPTY_PERIOD_PARTS.get(level);
    if (parts === undefined) {
      const { clusters, sizes } = clustersOf(d, undefined);
      parts = { sentiment: sentimentBar(d.sentiment, d.scored), ...moodFields(d, level), headline: quietPeriodHeadline(level, d), topics: topicsOf(d), clusters, sizes, top: topOf(d), languages: languageMix(d.languages) };
      EMPTY_PERIOD_PARTS.set(level, parts);
    }
    this.previousPeriodClusters.set(level, parts.sizes);
    const record: Rollup = {
      type: "rollup",
      channel: this.options.channel,
      level,
      t: d.end,
      start: d.start,
      end: d.end,
      count: 0,
      scored: 0,
      sentiment: parts.sentiment,
      mood: parts.mood,
      confidence: parts.confidence,
      headline: parts.headline,
      headlineSince: d.end,
      topics: parts.topics,
      clusters: parts.clusters,
      top: parts.top,
    };
    if (parts.languages !== undefined) record.languages = parts.languages;
    markReusedParts(record);
    this.options.emit(record);
  }

  /** The level's headline gate; a swapped-in summarizer writes afresh at every level. */
  private periodGate(level: RollupLevel, summarizer: Summarizer): HeadlineGate {
    if (summarizer !== this.periodSummarizer) {
      this.periodSummarizer = summarizer;
      for (const gate of this.periodGates.values()) gate.reset();
    }
    let gate = this.periodGates.get(level);
    if (gate === undefined) {
      // Consecutive 5 s periods hold different lines, so their content reads as changed at nearly every period (1,117
      // of 1,937 on the day-2 replay, a millisecond each): a 5 s headline is held for the window's span, as long as
      // a snapshot's headline reads back, and changes at most every sixth period. Longer levels keep the default hold.
      const minHoldMs = level === "5s" ? Math.max(DEFAULT_CONTENT_CHANGE_POLICY.minHoldMs, this.window.policy.spanMs) : DEFAULT_CONTENT_CHANGE_POLICY.minHoldMs;
      this.periodGates.set(level, (gate = new HeadlineGate({ ...DEFAULT_CONTENT_CHANGE_POLICY, minHoldMs })));
    }
    return gate;
  }
}
