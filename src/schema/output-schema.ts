import { Type, type Static, type TSchema } from "@sinclair/typebox";

/**
 * The wire shape of everything chatstream writes: snapshot and roll-up lines (jsonl sink, WebSocket, HTTP),
 * and the batch commands' output. One definition serves TypeScript types (Static<>), runtime validation
 * (ajv in tests) and the committed JSON Schema (schema/chatstream-output.schema.json, checked for drift).
 */

const Share = Type.Number({ minimum: 0, maximum: 1 });

export const SentimentBar = Type.Object(
  {
    pos: Share,
    neu: Share,
    neg: Share,
    net: Type.Number({ minimum: -100, maximum: 100, description: "100 × (pos − neg), in points" }),
  },
  { description: "Mean per-message class probabilities over the window or period; all 0 when no message was scored." },
);
export type SentimentBar = Static<typeof SentimentBar>;

const LanguageTag = Type.String({ pattern: "^(?:[a-z]{2}|und)$", description: 'ISO 639-1 code of the message\'s language, or "und" when it has none to tell (emotes, names, chat words)' });

export const LanguageMix = Type.Record(Type.String({ pattern: "^[a-z]{2}$" }), Share, {
  maxProperties: 3,
  description:
    'Shares of the scored messages with a known language, by language (ISO 639-1), at most the three largest, e.g. {"en": 0.8, "de": 0.2}; messages in no language ("LUL", "gg", names) are not counted. Absent when no scored message has a known language.',
});
export type LanguageMix = Static<typeof LanguageMix>;

export const CountedText = Type.Object(
  {
    text: Type.String({ description: "Representative message of a near-duplicate group (spam and emote walls collapse to one)" }),
    count: Type.Integer({ minimum: 1 }),
  },
);
export type CountedText = Static<typeof CountedText>;

export const Topic = Type.Object(
  { label: Type.String(), count: Type.Integer({ minimum: 1, description: "Messages mentioning it" }) },
);
export type Topic = Static<typeof Topic>;

export const TopicCluster = Type.Object(
  {
    label: Type.String({ description: "The content word (or emote) the cluster's lines share that chat uses most in the window" }),
    count: Type.Integer({ minimum: 1, description: "Messages in the cluster (near-duplicates included)" }),
    users: Type.Integer({ minimum: 0, description: "Distinct chatters, summed over the cluster's near-duplicate groups" }),
    share: Share,
    sentiment: SentimentBar,
    top: Type.Array(CountedText, { description: "Representative lines, most repeated first" }),
    growth: Type.Optional(Type.Integer({ description: "Messages more (or fewer) than the same cluster had in the previous window; absent for the first window" })),
    new: Type.Optional(Type.Literal(true, { description: "Absent from the previous window: a newly appearing topic" })),
    dissent: Type.Optional(Type.Literal(true, { description: "A sizeable minority whose sentiment opposes the window's majority" })),
  },
  { description: "A topic cluster: near-duplicate groups joined on a shared content word or emote." },
);
export type TopicCluster = Static<typeof TopicCluster>;

export const Mood = Type.Union([Type.Literal("pos"), Type.Literal("neu"), Type.Literal("neg"), Type.Literal("mixed")], {
  description: "The window's mood: mostly positive, neutral, negative, or mixed (both sides hold a real share)",
});
export type Mood = Static<typeof Mood>;

/** A record's mood: null when the window or period holds too little chat to read one (fewer than 5 scored messages or 3 chatters). */
const MoodOrNone = Type.Union([Mood, Type.Null()], {
  description: "The mood (pos, neu, neg or mixed), or null when there is too little chat to read one: fewer than 5 scored messages or fewer than 3 distinct chatters",
});

const Confidence = Type.Number({
  minimum: 0,
  maximum: 1,
  description: "Calibrated probability that the mood reading is right (docs/confidence-calibration.md); with mood null, that of the reading held back, which is low",
});

const Level = Type.Union([Type.Literal("5s"), Type.Literal("1m"), Type.Literal("10m")]);
export type RollupLevel = Static<typeof Level>;

export const BucketAudit = Type.Object(
  {
    start: Type.Integer({ description: "Stream time (ms), inclusive" }),
    end: Type.Integer({ description: "Stream time (ms), exclusive" }),
    count: Type.Integer({ minimum: 0 }),
    scored: Type.Integer({ minimum: 0, description: "Messages that entered sentiment (count minus bots and !commands)" }),
    sentiment: SentimentBar,
    top: Type.Array(CountedText, { maxItems: 1, description: "The bucket's most repeated line (its 5 s roll-up lists five)" }),
    open: Type.Optional(Type.Boolean({ description: "The bucket is still filling (it holds the snapshot time)" })),
  },
  { description: "A 5 s bucket overlapping the snapshot's window, for auditing the headline; closed buckets without messages are left out." },
);
export type BucketAudit = Static<typeof BucketAudit>;

export const SnapshotEvent = Type.Object(
  {
    kind: Type.String({ description: "sub | resub | gift | raid | paid | membership | announcement | other" }),
    t: Type.Integer({ description: "Stream time (ms) of the event" }),
    platform: Type.String(),
    user: Type.String(),
    text: Type.Optional(Type.String()),
    amount: Type.Optional(Type.String({ description: 'Money attached, e.g. "$5.00" or "tier 1"' })),
    count: Type.Optional(Type.Integer({ minimum: 0, description: "Gifted subs, raiders, cumulative months" })),
  },
  { description: "A non-chat event (never part of sentiment or the headline)." },
);
export type SnapshotEvent = Static<typeof SnapshotEvent>;

const ChangeReason = Type.Union([Type.Literal("first"), Type.Literal("topics"), Type.Literal("new-cluster"), Type.Literal("sentiment")]);

export const Snapshot = Type.Object(
  {
    type: Type.Literal("snapshot"),
    channel: Type.String(),
    t: Type.Integer({ description: "Stream time (ms), a multiple of 500" }),
    ts: Type.Optional(Type.Integer({ description: "Wall-clock epoch ms of t, when the source knows it" })),
    window: Type.Object({ start: Type.Integer({ description: "exclusive" }), end: Type.Integer({ description: "inclusive (= t)" }) }),
    count: Type.Integer({ minimum: 0, description: "Messages in the window, bots and !commands included" }),
    scored: Type.Integer({ minimum: 0 }),
    chatters: Type.Integer({ minimum: 0 }),
    rate: Type.Number({ minimum: 0, description: "Messages per second over the window" }),
    sentiment: SentimentBar,
    languages: Type.Optional(LanguageMix),
    mood: MoodOrNone,
    confidence: Confidence,
    headline: Type.String(),
    headlineSince: Type.Integer({ description: "Stream time (ms) at which this headline was written: it is kept until the window's content changes enough" }),
    changed: Type.Optional(Type.Array(ChangeReason, { description: "Present on the snapshot where the headline was rewritten: what changed in the window's content" })),
    topics: Type.Array(Topic),
    clusters: Type.Array(TopicCluster, { description: "The window's largest topic clusters, with growth against the previous window and new / dissent flags" }),
    top: Type.Array(CountedText),
    questions: Type.Array(CountedText, { description: "The most asked questions in the window (near-duplicates counted together), for producers and moderators" }),
    buckets: Type.Array(BucketAudit, { description: "The 5 s buckets behind the window that hold messages, oldest first, then the open one" }),
    events: Type.Optional(Type.Array(SnapshotEvent, { description: "Events since the previous snapshot (absent when none)" })),
  },
);
export type Snapshot = Static<typeof Snapshot>;

export const Rollup = Type.Object(
  {
    type: Type.Literal("rollup"),
    channel: Type.String(),
    level: Level,
    t: Type.Integer({ description: "= end" }),
    start: Type.Integer({ description: "Stream time (ms), inclusive, a multiple of the period" }),
    end: Type.Integer({ description: "Stream time (ms), exclusive" }),
    partial: Type.Optional(Type.Literal(true, { description: "Flushed at end of input before the period was over" })),
    count: Type.Integer({ minimum: 0 }),
    scored: Type.Integer({ minimum: 0 }),
    sentiment: SentimentBar,
    languages: Type.Optional(LanguageMix),
    mood: MoodOrNone,
    confidence: Confidence,
    headline: Type.String(),
    headlineSince: Type.Integer({
      description: "End (ms) of the period this headline was written for: like a snapshot's, a level's headline is kept until a period's content differs enough from that one's",
    }),
    changed: Type.Optional(Type.Array(ChangeReason, { description: "Present on the record whose headline was written for it: what changed against the period the previous headline was written for" })),
    topics: Type.Array(Topic),
    clusters: Type.Array(TopicCluster, { description: "The period's largest topic clusters, with growth against the previous period of the same level and new / dissent flags" }),
    top: Type.Array(CountedText),
    events: Type.Optional(Type.Integer({ minimum: 1, description: "Events (subs, raids, gifts, paid messages…) in the period; absent when none" })),
  },
);
export type Rollup = Static<typeof Rollup>;

export type OutputRecord = Snapshot | Rollup;

export const LabelOutput = Type.Object(
  {
    id: Type.Union([Type.String(), Type.Number(), Type.Null()]),
    label: Type.Union([Type.Literal("pos"), Type.Literal("neu"), Type.Literal("neg")]),
    scores: Type.Object({ pos: Share, neu: Share, neg: Share }),
    lang: LanguageTag,
  },
);
export type LabelOutput = Static<typeof LabelOutput>;

export const DigestOutput = Type.Object(
  {
    id: Type.Union([Type.String(), Type.Number(), Type.Null()]),
    headline: Type.String(),
    mood: MoodOrNone,
    sentiment: SentimentBar,
    confidence: Confidence,
    topics: Type.Array(Type.Object({ label: Type.String(), count: Type.Integer({ minimum: 1 }), examples: Type.Array(Type.String()) })),
    clusters: Type.Array(TopicCluster),
  },
);
export type DigestOutput = Static<typeof DigestOutput>;

/** Every schema above, as one JSON Schema document with $defs (what schema/chatstream-output.schema.json holds). */
export function outputSchemaDocument(): Record<string, unknown> {
  const defs: Record<string, TSchema> = { SentimentBar, LanguageMix, CountedText, Topic, TopicCluster, Mood, BucketAudit, SnapshotEvent, Snapshot, Rollup, LabelOutput, DigestOutput };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://chatstream.dev/schema/chatstream-output.schema.json",
    title: "chatstream output",
    description: "Lines written by the jsonl sink (snapshot or rollup, told apart by `type`) and by `chatstream label` / `chatstream digest`.",
    oneOf: [{ $ref: "#/$defs/Snapshot" }, { $ref: "#/$defs/Rollup" }],
    $defs: JSON.parse(JSON.stringify(defs)) as Record<string, unknown>,
  };
}
