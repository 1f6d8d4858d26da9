import { cleanText } from "../core/text-cleaning.js";
import type { EmoteDictionary, EmoteDocument, EmoteMeaning } from "./emote-dictionary.js";

/**
 * Third-party emote sets a channel uses (BetterTTV, FrankerFaceZ, 7TV), fetched from their public APIs only when a
 * user asks (`chatstream emotes --twitch CHANNEL`), and written as a `chatstream-emotes/1` document for `--emotes FILE`.
 * Without it a channel's own emotes read as words: "nepuHeh" becomes a topic and its mood is guessed from its letters.
 */
export type EmoteProvider = "bttv" | "ffz" | "7tv";
export const EMOTE_PROVIDERS: readonly EmoteProvider[] = ["bttv", "ffz", "7tv"];

export interface EmoteApiBases {
  bttv: string;
  ffz: string;
  "7tv": string;
}

export const PUBLIC_EMOTE_APIS: EmoteApiBases = {
  bttv: "https://api.betterttv.net/3",
  ffz: "https://api.frankerfacez.com/v1",
  "7tv": "https://7tv.io/v3",
};

export interface FetchEmotesOptions {
  /** Twitch login of the channel ("riotgames"). */
  channel: string;
  providers?: readonly EmoteProvider[];
  /** Also each provider's global set. */
  includeGlobal?: boolean;
  bases?: EmoteApiBases;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

export interface FetchedEmotes {
  document: EmoteDocument;
  /** Emotes found per provider (channel and global together). */
  counts: Record<EmoteProvider, number>;
  /** One line per provider or set that failed; the others are still returned. */
  problems: string[];
}

interface Named {
  name: string;
  provider: EmoteProvider;
}

/**
 * Fetches the channel's emote sets from each provider. The Twitch user id the BTTV and 7TV APIs need is resolved
 * through FFZ's room lookup, which takes the login. A provider that fails is reported and skipped, never fatal.
 */
export async function fetchChannelEmotes(options: FetchEmotesOptions, dictionary: EmoteDictionary): Promise<FetchedEmotes> {
  const bases = options.bases ?? PUBLIC_EMOTE_APIS;
  const providers = options.providers ?? EMOTE_PROVIDERS;
  const get = jsonGetter(options.fetch ?? globalThis.fetch, options.timeoutMs ?? 10_000);
  const login = options.channel.replace(/^#/, "").toLowerCase();
  const problems: string[] = [];
  const found: Named[] = [];
  const attempt = async (what: string, run: () => Promise<unknown>): Promise<void> => {
    try {
      await run();
    } catch (err) {
      // A JSON parse error quotes the server's body, and these lines go to stderr.
      problems.push(cleanText(`${what}: ${(err as Error).message}`));
    }
  };

  let twitchId: string | undefined;
  await attempt("ffz room (Twitch id lookup)", async () => {
    const room = await get(`${bases.ffz}/room/${encodeURIComponent(login)}`);
    const id = field(field(room, "room"), "twitch_id");
    if (typeof id === "number" || typeof id === "string") twitchId = String(id);
    if (providers.includes("ffz")) found.push(...ffzSetNames(room).map((name) => ({ name, provider: "ffz" as const })));
  });

  if (providers.includes("bttv")) {
    if (twitchId !== undefined) {
      await attempt("bttv channel", async () => {
        const user = await get(`${bases.bttv}/cached/users/twitch/${twitchId}`);
        for (const list of [field(user, "channelEmotes"), field(user, "sharedEmotes")]) found.push(...codes(list, "code").map((name) => ({ name, provider: "bttv" as const })));
      });
    } else problems.push("bttv channel: no Twitch id for the channel");
    if (options.includeGlobal === true) await attempt("bttv global", async () => found.push(...codes(await get(`${bases.bttv}/cached/emotes/global`), "code").map((name) => ({ name, provider: "bttv" as const }))));
  }
  if (providers.includes("ffz") && options.includeGlobal === true) {
    await attempt("ffz global", async () => found.push(...ffzSetNames(await get(`${bases.ffz}/set/global`)).map((name) => ({ name, provider: "ffz" as const }))));
  }
  if (providers.includes("7tv")) {
    if (twitchId !== undefined) {
      await attempt("7tv channel", async () => {
        const user = await get(`${bases["7tv"]}/users/twitch/${twitchId}`);
        found.push(...codes(field(field(user, "emote_set"), "emotes"), "name").map((name) => ({ name, provider: "7tv" as const })));
      });
    } else problems.push("7tv channel: no Twitch id for the channel");
    if (options.includeGlobal === true) {
      await attempt("7tv global", async () => found.push(...codes(field(await get(`${bases["7tv"]}/emote-sets/global`), "emotes"), "name").map((name) => ({ name, provider: "7tv" as const }))));
    }
  }
  return { ...emoteDocumentOf(found, dictionary, login), problems };
}

/** The document for `--emotes FILE`: known emotes keep the built-in meaning, others get one read from their name. */
export function emoteDocumentOf(found: readonly Named[], dictionary: EmoteDictionary, channel: string): Omit<FetchedEmotes, "problems"> {
  const counts: Record<EmoteProvider, number> = { bttv: 0, ffz: 0, "7tv": 0 };
  // Collected in a Map: an emote named "constructor" or "__proto__" is an emote like any other, and
  // Object.fromEntries makes each an own entry of the document.
  const emotes = new Map<string, NonNullable<EmoteDocument["emotes"]>[string]>();
  for (const { name, provider } of found) {
    if (!/^\S{2,64}$/u.test(name) || emotes.has(name)) continue;
    counts[provider]++;
    const meaning = dictionary.emote(name) ?? meaningFromName(name, dictionary);
    emotes.set(name, { meaning: meaning.meaning, polarity: meaning.polarity, source: provider });
  }
  return {
    document: {
      format: "chatstream-emotes/1",
      about: `Emotes of the Twitch channel ${channel} from ${EMOTE_PROVIDERS.filter((p) => counts[p] > 0).join(", ") || "no provider"}, written by chatstream emotes.`,
      emotes: Object.fromEntries(emotes),
    },
    counts,
  };
}

// What the name part of a channel emote says ("nepuLove", "archHYPE", "catJAM"), by stem: emote authors name them
// after the reaction. Unknown names stay neutral, which is what an unrecognised emote is to a reader.
const NAME_STEMS: readonly [RegExp, EmoteMeaning][] = [
  [/^(lul|lol|kek|lmao|haha|heh|laugh|giggle|omegalul)/, { meaning: "laughter", polarity: 0.7 }],
  [/^(love|heart|hug|kiss|cute|blush|comfy|pat)/, { meaning: "love", polarity: 0.8 }],
  [/^(hype|pog|yay|wow|clap|gg|win|party|dance|jam|vibe|happy|cheer|hyper)/, { meaning: "hype", polarity: 0.8 }],
  [/^(sad|cry|tear|rip|sob|pain)/, { meaning: "sadness", polarity: -0.6 }],
  [/^(rage|mad|angry|salt|tilt|madge)/, { meaning: "anger", polarity: -0.7 }],
  [/^(wut|scared|fear|monka)/, { meaning: "fear", polarity: -0.4 }],
  [/^(hi|hey|wave|hello|bye)/, { meaning: "a greeting", polarity: 0.3 }],
  [/^(sleep|bored|zzz)/, { meaning: "boredom", polarity: -0.5 }],
];

function meaningFromName(name: string, dictionary: EmoteDictionary): EmoteMeaning {
  // A channel prefix is the lower-case run before the first capital ("nepu" in "nepuLove"); names without one are read whole.
  const cut = name.search(/\p{Lu}/u);
  const rest = cut > 0 ? name.slice(cut) : name;
  const known = dictionary.emote(rest);
  if (known !== undefined) return { meaning: known.meaning, polarity: known.polarity };
  const lower = rest.toLowerCase();
  for (const [stem, meaning] of NAME_STEMS) if (stem.test(lower)) return meaning;
  return { meaning: "a channel emote", polarity: 0 };
}

function jsonGetter(fetchFn: typeof globalThis.fetch, timeoutMs: number): (url: string) => Promise<unknown> {
  return async (url) => {
    const res = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
    return (await res.json()) as unknown;
  };
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  const object = value as Record<string, unknown>;
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** `key` of every object in a list (BTTV `code`, 7TV `name`); anything else is ignored. */
function codes(list: unknown, key: string): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => field(item, key)).filter((name): name is string => typeof name === "string");
}

/** Emote names of every set in an FFZ room or global-set answer: `{ sets: { id: { emoticons: [{ name }] } } }`. */
function ffzSetNames(answer: unknown): string[] {
  const sets = field(answer, "sets");
  if (typeof sets !== "object" || sets === null) return [];
  return Object.values(sets as Record<string, unknown>).flatMap((set) => codes(field(set, "emoticons"), "name"));
}
