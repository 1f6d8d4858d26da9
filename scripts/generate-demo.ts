/**
 * Generates the bundled demo chat: a scripted, fictional ~14-minute YouTube live stream (an indie-game
 * speedrun with a boss fight) written as a yt-dlp `live_chat.json` replay file, one JSON action per line.
 *
 * Everything is derived from one seed through a small PRNG (mulberry32), so the output is byte-for-byte
 * reproducible; `test/demo-generator.test.ts` checks that the committed `demo/demo.live_chat.json.gz`
 * still equals what this script produces.
 *
 * Run (from the repo root):
 *   npx tsc scripts/generate-demo.ts --outDir /tmp/chatstream-gen --module nodenext \
 *     --moduleResolution nodenext --target es2022 --types node --skipLibCheck \
 *     && node /tmp/chatstream-gen/generate-demo.js [output.gz]
 *
 * Line shape (what yt-dlp writes for a finished stream's chat replay):
 *   {"clickTrackingParams":"…","replayChatItemAction":{"actions":[{"clickTrackingParams":"…",
 *     "addChatItemAction":{"item":{"liveChatTextMessageRenderer":{…}},"clientId":"…"}}],
 *     "videoOffsetTimeMsec":"12345"}}
 * Items: liveChatTextMessageRenderer (chat), liveChatPaidMessageRenderer (Super Chat),
 * liveChatMembershipItemRenderer and liveChatViewerEngagementMessageRenderer (not chat).
 */
import { gzipSync } from "node:zlib";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// ---------------------------------------------------------------------------------------------
// The script: fixed facts of the fictional stream
// ---------------------------------------------------------------------------------------------

export const DEMO_SEED = 20250614;
export const DEMO_OUTPUT = "demo/demo.live_chat.json.gz";

/** Fictional stream facts (no real people, channels or products). */
export const DEMO_STREAM = {
  streamer: "WrenDoesRuns",
  game: "Cinderwick",
  boss: "the Tallow King",
  sponsor: "Zapfizz",
  raider: "SootSpriteTV",
  membershipLevel: "Lantern Keepers",
  videoId: "cW1ndrDem0x",
  /** Wall-clock start of the stream, µs since the epoch (2025-06-14T18:00:00Z). */
  startUsec: 1749924000000000,
  /** Stream time of the last item, ms. */
  durationMs: 840_000,
} as const;

export interface DemoPhase {
  /** Short id, used by the tests and the README. */
  name: string;
  /** Stream time range [startMs, endMs). */
  startMs: number;
  endMs: number;
  /** Stream time (ms) of the phase's key moment, when it has one. */
  eventMs?: number;
  /** What a good summarizer should be able to say about this stretch. */
  summary: string;
  /** Patterns characteristic of the phase, matched against lower-cased message text (emoji as their character or :shortcut:). */
  markers: readonly RegExp[];
}

export const DEMO_PHASES: readonly DemoPhase[] = [
  {
    name: "intro",
    startMs: 0,
    endMs: 80_000,
    summary: "Stream starts; chat says hi, where they are from, first-timers arrive.",
    markers: [/\bh(i+|e+y+|ello+|owdy)\b/, /\byo+\b/, /\bsup\b/, /first (time|stream)/, /\bnew here\b/, /\bfrom\b/, /\bhola\b|\boi+\b|\bol[aá]\b|\bsalve\b|\bbuenas\b/, /👋|:hand-pink-waving:/, /\bearly\b/, /\b(morning|evening|afternoon)\b/, /\blive\b/],
  },
  {
    name: "setup",
    startMs: 80_000,
    endMs: 170_000,
    summary: "Streamer explains the Cinderwick any% run; chat keeps asking what game this is, the PB, whether it is any%, when the giveaway starts.",
    markers: [/\bgame\b/, /\bpb\b/, /any%/, /giveaway/, /categor/, /world record|\bwr\b/, /how long/, /\?/],
  },
  {
    name: "fail",
    startMs: 170_000,
    endMs: 260_000,
    eventMs: 172_000,
    summary: "Streamer misses an easy jump; chat floods with laughter (LUL, KEKW, LMAO, 😂), some 'unlucky' and F, then asks whether the run is dead.",
    markers: [/\blu+l/, /\bkek[wl]\b/, /\blmao+\b/, /\blo+l\b/, /😂|🤣|💀/, /\b(ha){2,}/, /\bicant\b/, /omegalul/, /\bja(ja)+/, /\bk{3,}/, /\bclip(ped)?\b/, /skill issue/, /\bjump\b/],
  },
  {
    name: "sponsor",
    startMs: 260_000,
    endMs: 350_000,
    eventMs: 261_000,
    summary: "Sponsor read for an energy drink; chat is bored and complains (ResidentSleeper, skip the ad, sellout) while a few defend it (let him get paid). Quiet stretch.",
    markers: [/residentsleeper/, /😴|🥱|💤/, /\bz{3,}/, /\bbo+ring\b/, /\bskip\b/, /\bads?\b/, /sell ?out|sold (out|his)/, /sponsor/, /zapfizz/, /\bpaid\b|\bbills?\b|\beat\b|\bbag\b|\bbread\b/, /chato|aburrido|anúncio|anuncio/],
  },
  {
    name: "boss",
    startMs: 350_000,
    endMs: 458_000,
    eventMs: 440_000,
    summary: "Boss fight against the Tallow King; rising hype (PogChamp, LETS GOOO, Pog spam), clutch kill at 7:20 and a $20 Super Chat.",
    markers: [/\bpog/, /let'?s go+/, /clu+tch/, /\bhype/, /🔥/, /\bgo go\b/, /insane/, /\bye+s+\b/, /\bez\b/, /cracked/, /come on/, /:_wrenpog:/, /locked in/, /\bboss\b/, /\bhe'?s him\b/, /\bvamo|\bbora/],
  },
  {
    name: "glitch",
    startMs: 458_000,
    endMs: 545_000,
    eventMs: 458_500,
    summary: "Streamer clips through a wall with a glitch; chat splits between 'that's cheating / not legit' and 'it's allowed in any%', the GLITCH POLICE copypasta spreads, mods say chill chat.",
    markers: [/cheat/, /glitch/, /legit/, /allowed|permitido/, /any%/, /\brules?\b/, /police/, /🚨/, /\bchill\b/, /\bclip\b/, /exploit/, /\bcount\b/, /categor/, /trampa|roubo|\bbug\b/, /🍿/, /\bwall\b/],
  },
  {
    name: "raid",
    startMs: 545_000,
    endMs: 620_000,
    eventMs: 548_000,
    summary: "A raid from another (fictional) streamer brings new viewers who say hi and ask what game this is; Super Chats and new members are thanked.",
    markers: [/raid/, /soot/, /welcome/, /🎉/, /what game|what did (we|i) miss|perdi|qué juego|que jogo/, /\bw\b/, /thank/],
  },
  {
    name: "death",
    startMs: 620_000,
    endMs: 720_000,
    eventMs: 662_000,
    summary: "Final split on record pace, then the run dies at 11:02; chat is sad (noooo, so close, F, BibleThump, Sadge) and encouraging.",
    markers: [/\bno+\b/, /close/, /\bf+\b/, /biblethump/, /sadge/, /😭|💔|😢/, /\brip\b/, /\bpain\b/, /next time|próxima/, /\bover\b/, /:face-purple-crying:|:_wrensad:/, /\bhurts?\b/, /quase|casi/],
  },
  {
    name: "outro",
    startMs: 720_000,
    endMs: 840_001,
    summary: "Stream ends: GG, great stream, thanks for the stream, giveaway entries (!enter) and goodbyes.",
    markers: [/\bg{2,}(s|wp)?\b/, /thank|\bty\b|gracias|obrigado|valeu/, /(great|good|awesome|fun) stream|\bfun\b/, /\bbye\b|\bcya\b|goodnight|night all|tchau|adiós/, /\bo7\b/, /!enter/, /giveaway/, /congrat/, /next stream|tomorrow|friday/, /:_wrengg:/],
  },
];

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** mulberry32: tiny, fast, good enough for synthetic data, and identical on every platform. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error("weighted pick from an empty list");
    return last[0];
  }
  /** Exponentially distributed interval with the given rate. */
  exp(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }
  str(length: number, alphabet: string = B64URL): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet.charAt(Math.floor(this.next() * alphabet.length));
    return out;
  }
}

/** Stable 32-bit hash (FNV-1a) to derive per-name sub-seeds. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Emoji: standard Unicode emoji and YouTube custom emoji, as they appear in message runs
// ---------------------------------------------------------------------------------------------

interface UnicodeEmoji {
  char: string;
  code: string;
  names: readonly string[];
}

const UNICODE_EMOJI: readonly UnicodeEmoji[] = [
  { char: "😂", code: "1f602", names: ["face_with_tears_of_joy", "joy"] },
  { char: "🤣", code: "1f923", names: ["rolling_on_the_floor_laughing", "rofl"] },
  { char: "😭", code: "1f62d", names: ["loudly_crying_face", "sob"] },
  { char: "💀", code: "1f480", names: ["skull"] },
  { char: "🔥", code: "1f525", names: ["fire"] },
  { char: "💜", code: "1f49c", names: ["purple_heart"] },
  { char: "💙", code: "1f499", names: ["blue_heart"] },
  { char: "👋", code: "1f44b", names: ["waving_hand", "wave"] },
  { char: "👏", code: "1f44f", names: ["clapping_hands", "clap"] },
  { char: "🙏", code: "1f64f", names: ["folded_hands", "pray"] },
  { char: "😴", code: "1f634", names: ["sleeping_face", "sleeping"] },
  { char: "🥱", code: "1f971", names: ["yawning_face"] },
  { char: "💤", code: "1f4a4", names: ["zzz"] },
  { char: "😱", code: "1f631", names: ["face_screaming_in_fear", "scream"] },
  { char: "😮", code: "1f62e", names: ["face_with_open_mouth", "open_mouth"] },
  { char: "🎉", code: "1f389", names: ["party_popper", "tada"] },
  { char: "🏆", code: "1f3c6", names: ["trophy"] },
  { char: "🚨", code: "1f6a8", names: ["police_car_light", "rotating_light"] },
  { char: "😬", code: "1f62c", names: ["grimacing_face", "grimacing"] },
  { char: "🤔", code: "1f914", names: ["thinking_face", "thinking"] },
  { char: "👀", code: "1f440", names: ["eyes"] },
  { char: "😢", code: "1f622", names: ["crying_face", "cry"] },
  { char: "💔", code: "1f494", names: ["broken_heart"] },
  { char: "🫡", code: "1fae1", names: ["saluting_face"] },
  { char: "🙌", code: "1f64c", names: ["raising_hands"] },
  { char: "👍", code: "1f44d", names: ["thumbs_up", "thumbsup"] },
  { char: "😅", code: "1f605", names: ["grinning_face_with_sweat", "sweat_smile"] },
  { char: "🤡", code: "1f921", names: ["clown_face", "clown"] },
  { char: "💯", code: "1f4af", names: ["hundred_points", "100"] },
  { char: "🍿", code: "1f37f", names: ["popcorn"] },
  { char: "🍕", code: "1f355", names: ["pizza"] },
  { char: "😎", code: "1f60e", names: ["smiling_face_with_sunglasses", "sunglasses"] },
  { char: "😰", code: "1f630", names: ["anxious_face_with_sweat", "cold_sweat"] },
  { char: "😩", code: "1f629", names: ["weary_face", "weary"] },
  { char: "💰", code: "1f4b0", names: ["money_bag", "moneybag"] },
  { char: "🤯", code: "1f92f", names: ["exploding_head"] },
  { char: "🥲", code: "1f972", names: ["smiling_face_with_tear"] },
  { char: "🐐", code: "1f410", names: ["goat"] },
  { char: "😳", code: "1f633", names: ["flushed_face", "flushed"] },
  { char: "🙄", code: "1f644", names: ["face_with_rolling_eyes", "roll_eyes"] },
  { char: "😒", code: "1f612", names: ["unamused_face", "unamused"] },
  { char: "🤫", code: "1f92b", names: ["shushing_face"] },
  { char: "👑", code: "1f451", names: ["crown"] },
  { char: "😔", code: "1f614", names: ["pensive_face", "pensive"] },
  { char: "🚪", code: "1f6aa", names: ["door"] },
];

interface CustomEmoji {
  shortcut: string;
  emojiId: string;
  searchTerms: string[];
  shortcuts: string[];
  label: string;
  url: string;
  /** Channel emoji are usable by members (and the owner/mods) only; others' text stays plain. */
  membersOnly: boolean;
}

const YOUTUBE_CHANNEL_ID = "UCkszU2WH9gy1mb0dV-11UJg";
const OWNER_CHANNEL_ID = "UCw7rEnD0esRuNsCndrWk1x3";

function makeCustomEmoji(): Map<string, CustomEmoji> {
  const map = new Map<string, CustomEmoji>();
  const global = [
    "yt", "hand-pink-waving", "face-blue-smiling", "face-purple-crying", "face-red-droopy-eyes",
    "text-green-game-over", "face-blue-wide-eyes", "face-orange-biting-nails", "trophy-yellow-smiling",
    "face-fuchsia-tongue-out",
  ];
  for (const name of global) {
    const r = new Rng(hash32(name));
    map.set(`:${name}:`, {
      shortcut: `:${name}:`,
      emojiId: `${YOUTUBE_CHANNEL_ID}/${r.str(22)}`,
      searchTerms: [name],
      shortcuts: [`:${name}:`],
      label: name,
      url: `https://yt3.ggpht.com/${r.str(44)}=w24-h24-c-k-nd`,
      membersOnly: false,
    });
  }
  for (const name of ["wrenPog", "wrenGG", "wrenCozy", "wrenSad", "wrenLantern"]) {
    const r = new Rng(hash32(name));
    map.set(`:_${name}:`, {
      shortcut: `:_${name}:`,
      emojiId: `${OWNER_CHANNEL_ID}/${r.str(22)}`,
      searchTerms: [`_${name}`, name],
      shortcuts: [`:_${name}:`, `:${name}:`],
      label: name,
      url: `https://yt3.ggpht.com/${r.str(44)}=w24-h24-c-k-nd`,
      membersOnly: true,
    });
  }
  return map;
}

const CUSTOM_EMOJI = makeCustomEmoji();
const UNICODE_BY_LENGTH = [...UNICODE_EMOJI].sort((a, b) => b.char.length - a.char.length);

// ---------------------------------------------------------------------------------------------
// Chatters
// ---------------------------------------------------------------------------------------------

type CaseMode = "lower" | "normal" | "caps" | "mixed";
type Lang = "en" | "es" | "pt";

interface Chatter {
  index: number;
  name: string;
  channelId: string;
  avatar: string;
  weight: number;
  joinMs: number;
  lang: Lang;
  caseMode: CaseMode;
  typoRate: number;
  emojiRate: number;
  /** Membership age in months at stream start; 0 = not a member. -1 = becomes a member during the stream. */
  memberMonths: number;
  newMember: boolean;
  moderator: boolean;
  verified: boolean;
  owner: boolean;
  bot: boolean;
  raider: boolean;
  /** Most messages this viewer will send (lurkers post once or twice); Infinity for the active core. */
  budget: number;
  posts: number;
  lastMs: number;
}

const ADJ = [
  "sleepy", "tiny", "lazy", "cosmic", "salty", "crispy", "quiet", "rusty", "neon", "fuzzy", "lucky", "spicy",
  "grumpy", "mellow", "frosty", "shadow", "pixel", "turbo", "chill", "wobbly", "silent", "golden", "hollow",
  "velvet", "crimson", "misty", "lunar", "feral", "soggy", "humble", "brave", "sneaky", "witty", "dizzy", "cozy",
  "mossy", "sunny", "stormy", "rapid", "zesty", "moody", "cyber", "retro", "atomic", "gentle", "loud", "tired",
];
const NOUN = [
  "otter", "moth", "toast", "noodle", "goose", "fern", "badger", "pigeon", "lantern", "comet", "raccoon",
  "waffle", "pebble", "gecko", "falcon", "pickle", "cactus", "walrus", "biscuit", "turnip", "wombat", "kettle",
  "squid", "beetle", "maple", "sprout", "bean", "hawk", "ferret", "panda", "dumpling", "tofu", "mochi", "potato",
  "wizard", "knight", "goblin", "ranger", "runner", "frog", "crow", "llama", "yeti", "koala", "spoon", "cloud",
];
const SUFFIX = ["plays", "gaming", "tv", "yt", "runs", "live", "irl", "official", "hd", "x"];
const PT_NAMES = ["feijao", "pao_de_queijo", "brunin", "gabizinha", "tiaguinho", "caju", "paçoca", "jabuti", "sabiá", "guaraná", "tatu", "capivara"];
const ES_NAMES = ["pollo_loco", "elgato", "churro", "tlacuache", "mate_amargo", "la_cabra", "quesadilla", "pibe", "chispa", "nopal", "zorrito", "empanada"];

function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function makeHandle(r: Rng, lang: Lang): string {
  if (lang === "pt" && r.chance(0.7)) return `${r.pick(PT_NAMES)}${r.pick(["", "_br", String(r.int(1, 99)), "gamer", "zin"])}`;
  if (lang === "es" && r.chance(0.7)) return `${r.pick(ES_NAMES)}${r.pick(["", "_mx", String(r.int(1, 999)), "_ok", "xd"])}`;
  const a = r.pick(ADJ);
  const n = r.pick(NOUN);
  switch (r.int(0, 9)) {
    case 0: return `${a}${cap(n)}${r.int(1, 99)}`;
    case 1: return `${a}_${n}`;
    case 2: return `${n}${r.pick(["1337", "42", "777", "99", "2004", "2011", "_"])}`;
    case 3: return `The${cap(a)}${cap(n)}`;
    case 4: return `x${cap(n)}${cap(a)}x`;
    case 5: return `${a}.${n}${r.chance(0.5) ? r.int(1, 9) : ""}`;
    case 6: return `user-${r.str(10, LOWER_ALNUM)}`;
    case 7: return `${n}${r.pick(SUFFIX)}`;
    case 8: return `${cap(n)}${cap(r.pick(NOUN))}${r.int(10, 99)}`;
    default: return `${a}${n}${r.pick(SUFFIX)}`;
  }
}

function makeChatter(r: Rng, index: number, name: string, extra: Partial<Chatter>): Chatter {
  const lang: Lang = extra.lang ?? "en";
  return {
    index,
    name,
    channelId: `UC${r.str(22)}`,
    avatar: `https://yt4.ggpht.com/ytc/AIdro_${r.str(38)}=s64-c-k-c0x00ffffff-no-rj`,
    weight: 1,
    joinMs: 0,
    lang,
    caseMode: r.weighted<CaseMode>([["lower", 42], ["normal", 38], ["caps", 6], ["mixed", 14]]),
    typoRate: r.chance(0.35) ? 0.04 + r.next() * 0.22 : r.next() * 0.03,
    emojiRate: r.next() * 0.35,
    memberMonths: 0,
    newMember: false,
    moderator: false,
    verified: false,
    owner: false,
    bot: false,
    raider: false,
    budget: Number.POSITIVE_INFINITY,
    posts: 0,
    lastMs: -1e9,
    ...extra,
  };
}

interface Population {
  all: Chatter[];
  regulars: Chatter[];
  raiders: Chatter[];
  mods: Chatter[];
  owner: Chatter;
  bot: Chatter;
  raidStreamer: Chatter;
}

const LURKER_WEIGHT = 0.0045;

function makePopulation(r: Rng): Population {
  const used = new Set<string>();
  const all: Chatter[] = [];
  const uniqueName = (lang: Lang): string => {
    for (;;) {
      const name = `@${makeHandle(r, lang)}`;
      if (!used.has(name.toLowerCase())) {
        used.add(name.toLowerCase());
        return name;
      }
    }
  };
  const add = (name: string, extra: Partial<Chatter>): Chatter => {
    used.add(name.toLowerCase());
    const c = makeChatter(r, all.length, name, extra);
    all.push(c);
    return c;
  };

  const owner = add(`@${DEMO_STREAM.streamer}`, { owner: true, caseMode: "lower", typoRate: 0.01, weight: 0, channelId: OWNER_CHANNEL_ID });
  const bot = add("Nightbot", { bot: true, moderator: true, caseMode: "normal", typoRate: 0, weight: 0 });
  const mods = [
    add("@quietfern", { moderator: true, memberMonths: 14, caseMode: "lower", typoRate: 0.01, weight: 0 }),
    add("@bytebandit_mod", { moderator: true, memberMonths: 8, caseMode: "normal", typoRate: 0.01, weight: 0 }),
    add("@LanternLou", { moderator: true, caseMode: "normal", typoRate: 0.02, weight: 0 }),
  ];
  const raidStreamer = add(`@${DEMO_STREAM.raider}`, { verified: true, caseMode: "normal", typoRate: 0, weight: 0, joinMs: 547_000 });

  // Regular audience, long-tailed like real chat: an active core with Zipf-like activity (a few very active
  // chatters), occasional chatters, and many lurkers who post once or twice, arriving throughout the stream.
  const regulars: Chatter[] = [];
  const nCore = 70;
  const nOccasional = 120;
  const nLurkers = 200;
  for (let i = 0; i < nCore + nOccasional + nLurkers; i++) {
    const lang = r.weighted<Lang>([["en", 86], ["pt", 8], ["es", 6]]);
    const tier = i < nCore ? "core" : i < nCore + nOccasional ? "occasional" : "lurker";
    const joinS =
      tier === "core"
        ? r.weighted<[number, number]>([[[0, 50], 65], [[50, 200], 25], [[200, 500], 10]])
        : tier === "occasional"
          ? r.weighted<[number, number]>([[[0, 60], 45], [[60, 300], 35], [[300, 640], 20]])
          : r.weighted<[number, number]>([[[0, 60], 30], [[60, 300], 30], [[300, 780], 40]]);
    const c = add(uniqueName(lang), {
      lang,
      joinMs: Math.round((joinS[0] + r.next() * (joinS[1] - joinS[0])) * 1000),
      memberMonths: r.chance(tier === "core" ? 0.25 : tier === "occasional" ? 0.12 : 0.04) ? r.pick([1, 1, 2, 2, 3, 6, 6, 12, 14, 24]) : 0,
      budget:
        tier === "core"
          ? Number.POSITIVE_INFINITY
          : tier === "occasional"
            ? Math.round(Math.exp(Math.log(4) + r.next() * (Math.log(30) - Math.log(4))))
            : r.weighted<number>([[1, 58], [2, 25], [3, 12], [4, 5]]),
      weight: tier === "core" ? 1 / Math.pow(i + 5, 1.05) : tier === "occasional" ? 0.016 : LURKER_WEIGHT,
    });
    regulars.push(c);
  }

  // Raiders arrive together at the raid; a handful of them stay chatty.
  const raiders: Chatter[] = [];
  for (let i = 0; i < 70; i++) {
    const lang = r.weighted<Lang>([["en", 80], ["pt", 10], ["es", 10]]);
    const chatty = i < 10;
    const c = add(uniqueName(lang), {
      lang,
      raider: true,
      joinMs: 548_000 + r.int(0, 9000),
      budget: chatty ? Number.POSITIVE_INFINITY : r.weighted<number>([[1, 45], [2, 30], [3, 15], [5, 10]]),
      weight: chatty ? 0.6 / Math.pow(i + 12, 1.05) : LURKER_WEIGHT * 2,
    });
    raiders.push(c);
  }
  return { all, regulars, raiders, mods, owner, bot, raidStreamer };
}

// ---------------------------------------------------------------------------------------------
// Templates: {a|b|c} alternatives, <slot> references, letter~ elongation ("NO~" -> "NOOOOO")
// ---------------------------------------------------------------------------------------------

type Tpl = string | ((r: Rng) => string);

const SLOTS: Record<string, readonly string[]> = {
  place: [
    "Brazil", "Germany", "the UK", "Texas", "Poland", "the Philippines", "Ohio", "Canada", "Australia", "Norway",
    "Chile", "Portugal", "Japan", "Toronto", "Finland", "India", "Mexico", "Argentina", "Spain", "Sweden",
    "Indonesia", "France", "Kenya", "the Netherlands", "Scotland", "Vietnam", "Italy", "Turkey", "Egypt",
    "New Zealand", "Colombia", "Peru", "Ireland", "Romania", "Brazil", "Brazil", "Germany", "the US",
  ],
  wren: ["wren", "Wren", "wren", "WREN", "wrenny", "Wren"],
  chat: ["chat", "chat", "everyone", "all", "guys", "ppl", "y'all", "fam"],
  hi: ["hi", "hii", "hiii", "hello", "hey", "heyy", "yo", "yooo", "sup", "howdy", "hey hey", "helloo"],
  lol: ["LUL", "KEKW", "LMAO", "LOL", "lmao", "lol", "😂", "😂😂", "🤣", "💀", "ICANT", "OMEGALUL", "KEKW KEKW", "LUL LUL"],
  hype: ["LETS GO~", "PogChamp", "POGGERS", "Pog", "LETS GOOO", "GO GO GO", "🔥🔥🔥", "HYPE", "COME ON", "lets gooo"],
  sad: ["BibleThump", "Sadge", "😭", "😢", "💔", "PepeHands", "Sadge Sadge", "BibleThump BibleThump", ":face-purple-crying:"],
  boss: ["the tallow king", "tallow king", "the king", "Tallow King", "the boss", "this boss", "candle boy"],
};

/** Twitch-style emote words that YouTube viewers type as plain text; never typo'd or re-cased. */
const EMOTE_WORDS = new Set([
  "LUL", "KEKW", "OMEGALUL", "PogChamp", "Pog", "POGGERS", "ResidentSleeper", "BibleThump", "Sadge", "EZ", "Clap",
  "monkaS", "ICANT", "Kappa", "PepeHands", "catJAM", "Copium", "KEKL", "W", "L", "F", "GG", "gg", "o7", "PB", "WR",
]);

function expand(tpl: Tpl, r: Rng): string {
  let s = typeof tpl === "function" ? tpl(r) : tpl;
  for (let depth = 0; depth < 4 && s.includes("<"); depth++) {
    s = s.replace(/<([a-z]+)>/g, (whole: string, name: string) => {
      const list = SLOTS[name];
      return list ? r.pick(list) : whole;
    });
  }
  s = s.replace(/\{([^{}]*)\}/g, (_whole: string, body: string) => r.pick(body.split("|")));
  s = s.replace(/([A-Za-z])~/g, (_whole: string, ch: string) => ch.repeat(r.int(3, 9)));
  return s.replace(/\s+/g, " ").trim();
}

function spam(token: string, lo: number, hi: number): (r: Rng) => string {
  return (r) => Array.from({ length: r.int(lo, hi) }, () => token).join(" ");
}

// ---------------------------------------------------------------------------------------------
// Message banks
// ---------------------------------------------------------------------------------------------

interface Bank {
  en: readonly Tpl[];
  es?: readonly Tpl[];
  pt?: readonly Tpl[];
  /** "hype" texts go ALL CAPS more often; "calm" ones are never elongated. */
  mood?: "hype" | "calm";
  /** What this kind of message sometimes ends with (emoji, "lol", "!!"). */
  tail?: readonly string[];
}

const B = {
  greet: {
    tail: [" 👋", " :hand-pink-waving:", " 💜", " :yt:", "!", "!!"],
    en: [
      "<hi> <chat>", "<hi> <chat>!", "<hi> <wren>", "<hi> <wren> <hi> <chat>", "<hi> <chat> 👋", "<hi> :hand-pink-waving:",
      "hello from <place>", "hi from <place>!", "hello from <place> 👋", "greetings from <place>", "{good evening|good morning|evening|morning} from <place>",
      "<hi> <wren> how are you", "how's everyone doing", "how was your day <wren>", "{finally|FINALLY} live", "he's live!!",
      "{am i|im} early?", "early 😎", "notification squad", "just got here", "just got here, what did i miss", "<hi> <chat> what are we running today?",
      "good {evening|morning|afternoon} <chat>", "first stream i caught live {lol|!|}", "back again {lol|haha|}", "<hi> mods", "<hi> <chat> :yt:",
      "hello hello", "{yo|hey} what's up <chat>", "<hi> from the bus lol", "<hi> <wren> good luck today",
    ],
    es: ["hola {chat|a todos|wren}", "saludos desde {México|Chile|Argentina|Perú|Colombia|España}", "buenas!!", "hola hola", "qué tal chat"],
    pt: ["oi chat", "boa noite {galera|chat|wren}", "salve {salve|galera|wren}", "olá do Brasil", "oii"],
  },
  firstTime: {
    tail: [" 👋", " :hand-pink-waving:", "!"],
    en: [
      "first time here", "first time here!", "first time here 👋", "hi im new here", "new here, hi", "first time catching a stream live",
      "yt recommended this stream", "found you from the {shorts|clips|recommended tab}", "first stream! {hi|hello} everyone",
      "{been|i've been} watching the vods, first time live", "the algorithm brought me here lol",
    ],
    es: ["primera vez aquí", "soy nuevo, hola"],
    pt: ["primeira vez aqui", "sou novo aqui, oi"],
  },
  warmup: {
    tail: [" 🙏", " 🔥", "!!", " 💜"],
    en: [
      "good luck today!!", "sub 24 today?", "let's get that PB", "vibes today are immaculate", "pog stream", "lets gooo", "PB stream incoming",
      "today's the day 🙏", "feeling good about today", "you got this <wren>", "manifesting a PB 🙏", "<hi> again lol",
    ],
  },
  questionMark: { en: ["?", "?", "??", "???", "? ?", "huh?", "wait what?"] },
  emojiOnly: {
    en: ["😂", "🔥", "👀", "💜", "💜💜", ":yt:", ":face-blue-smiling:", "🙏", "😭", "🔥🔥", "👍", "😎", "👀👀", ":face-blue-wide-eyes:", "🫡", "💯"],
  },
  offtopic: {
    tail: [" lol", " 😅", " 😂", "..."],
    en: [
      "what's everyone {eating|having for dinner} {rn|tonight}", "just got home from work", "anyone else watching from school {lol|👀}",
      "my cat just knocked over my water", "it's {2|3|4}am here {lol|😅|}", "pizza time 🍕", "i should be studying rn", "is the game on sale?",
      "this music {slaps|is so good}", "what's this song?", "stream is buffering for me", "youtube being weird again", "rain here all day",
      "it's so hot today", "{been|i've been} watching for {2 years|a year|months} now", "who else is eating rn", "my internet is dying",
      "i have work in 5 hours lol", "anyone play the sequel demo?", "the soundtrack goes hard", "chat what's your favorite boss",
      "is there a cinderwick 2 coming?", "how many hours do you have in this game <wren>", "lmao my dog is barking at the screen",
      "just finished my exams 🎉", "hydrate chat", "cooking pasta and watching the run, perfect night", "chat is so nice today",
    ],
    es: ["alguien más viendo desde el trabajo jaja", "qué hambre", "ya es tarde aquí"],
    pt: ["alguém mais vendo do trabalho kkk", "que fome", "aqui já é madrugada"],
  },
  // --- setup: the run is explained; questions repeated by many ---
  setupChat: {
    tail: [" 👀", "!", " lol"],
    en: [
      "so the lantern skip saves like 40s?", "he said sub 24 today 👀", "splits looking clean", "any% allows glitches right?",
      "the route changed since last week?", "new route?", "{love|i love} this game", "this game is so pretty", "cinderwick is such a good game",
      "how many attempts today?", "attempt {3|4|5|6|7} LUL", "the bell tower section is so hard", "first split is the worst",
      "ok run starting 👀", "good luck on the run!!", "focus mode on", "silent chat for the run lol", "timer started!!",
    ],
  },
  // --- fail: missed jump -> laughter ---
  laugh: {
    tail: [" 😂", " 💀", " 🤣", " LUL", " KEKW"],
    en: [
      "<lol>", "<lol>", "<lol>", "<lol> <lol>", "LUL", "KEKW", "LMAO~", "LMAOOOO", "lmaooo", "HAHAHAHA", "hahaha", "hahahahaha", "😂😂😂", "🤣🤣",
      "💀💀💀", "he missed the jump <lol>", "HE MISSED THE JUMP 😂", "bro missed the easiest jump KEKW", "the jump 💀", "not the jump LMAO",
      "clip it 😂", "CLIPPED", "someone clip that <lol>", "that was so bad LUL", "muscle memory LUL", "jumped straight into the void KEKW",
      "LUL he's done", "i'm crying 😭😂", "the way he just walked off 💀", "he fell {lmao|lol|KEKW}", "bro forgot how to jump <lol>",
      "that jump is free <lol>", "skill issue KEKW", "skill issue 😂", "wren pls <lol>", "ICANT", "OMEGALUL", "the gravity <lol>",
      spam("LUL", 2, 6), spam("KEKW", 2, 5), spam("😂", 3, 8), "LOL", "lmao", "KEKW KEKW KEKW", "the jump king strikes again <lol>",
      "his face 😂", "his reaction LMAO", "he really said bye <lol>", "speedrunning the fall KEKW", "new tech: falling <lol>",
    ],
    es: ["jajajaja", "JAJAJAJA", "jajaja se cayó", "no puede ser jajaja", "el salto 💀 jajaja"],
    pt: ["kkkkkkk", "KKKKKKKKK", "kkkkk errou o pulo", "KKKKK o pulo", "mds kkkkk"],
    mood: "hype",
  },
  unlucky: {
    tail: [" 😢", " 💔"],
    en: [
      "unlucky", "unlucky 😢", "F", "F", "FFFF", "rip", "rip run", "RIP", "it's ok", "so unlucky", "the hitbox tho", "that hitbox is trash",
      "pain", "happens to the best", "F in chat", "unlucky unlucky", "that jump is cursed", "it's fine it's fine 😅",
    ],
    pt: ["F", "que azar"],
    es: ["F", "mala suerte"],
  },
  recovery: {
    tail: [" 🙏", " 👀", "!"],
    en: [
      "reset?", "is the run dead?", "does he have to reset?", "nah he can recover", "time loss ~{4|5|6}s", "still on pace tho",
      "keep going!!", "don't reset!!", "run's not dead", "he saved it", "still PB pace?", "that's like 5 seconds lost", "recovery was clean",
      "ok we're back", "copium the run is fine", "he's behind now 😬", "only -3 on pb, fine", "{its|it's} fine, {lots of|plenty of} time to save",
    ],
  },
  // --- sponsor: boredom, complaints, defenders ---
  bored: {
    tail: [" 😴", " 🥱", " 💤"],
    en: [
      "ResidentSleeper", "ResidentSleeper", "ResidentSleeper ResidentSleeper", "😴", "😴😴😴", "zzz", "zzzzz", "boring", "boo~ring", "this is boring",
      "wake me up when the ad is over", "🥱", "ad time ResidentSleeper", "zzz ResidentSleeper", "💤💤", "so boring", "i'm falling asleep",
      "🥱🥱", "ResidentSleeper ad break", "boring boring boring", "the energy in chat died lol", "yawn", "snoozefest",
      "{gonna|going to} get a snack while the ad runs", "brb ad", "afk till the ad ends",
    ],
    es: ["qué aburrido", "zzz", "aburrido"],
    pt: ["que chato", "zzz", "chato demais"],
  },
  skipAd: {
    tail: [" 😩", " 🙄", "!!"],
    en: [
      "skip the ad", "SKIP", "skip skip skip", "skip the ad pls", "just skip it", "can we skip this", "nobody cares about energy drinks",
      "ad break again?", "not another ad 😩", "SKIP THE AD", "skip", "how long is this ad", "back to the run pls", "we want the run not ads",
      "ads mid run is crazy", "bro stopped the run for an ad?", "skip the sponsor 🙏",
    ],
    es: ["salta el anuncio", "skip pls"],
    pt: ["pula o anúncio", "pula isso"],
  },
  sellout: {
    tail: [" 💰", " 😂", " KEKW"],
    en: [
      "sellout", "SELLOUT", "sellout KEKW", "bro sold out", "he's a sellout now 😂", "zapfizz tastes like batteries", "money money money 💰",
      "sold his soul for zapfizz", "sellout arc", "corporate wren 😔", "another sponsor? sellout", "💰💰💰",
    ],
  },
  defend: {
    tail: [" 🙄", " lol", " 💰"],
    en: [
      "let him get paid", "let the man eat", "bro has bills to pay", "it's like 60 seconds chill", "support the sponsor so he can stream more",
      "sponsors keep the stream free", "y'all complain about everything", "let him cook", "i actually like zapfizz tbh", "ads pay for the runs chat",
      "let him get his bag", "it's one minute relax", "streamers gotta eat", "get that bread wren 💰", "chat acting like they pay rent here",
    ],
  },
  sponsorJoke: {
    en: [
      "use code WREN for 10% off 😂", "is zapfizz any% legal", "zapfizz speedrun when", "bro drinking it like a potion", "zapfizz = +10 fps",
      "the can says 'lantern flavor' 💀", "does zapfizz make you hit the jump", "chug chug chug",
    ],
  },
  // --- boss: hype ---
  hype: {
    tail: [" 🔥", " 💯", " 🙌", "!!"],
    en: [
      "<hype>", "<hype>", "PogChamp", "PogChamp PogChamp", "POGGERS", "LETS GO~", "LETS GOOOO", "lets gooo", "GO GO GO", "you got this!!", "COME ON",
      "🔥🔥🔥", "HYPE", "HYPE~", "he's cracked", "cracked", "so clean", "clean dodges", "insane", "INSANE", "perfect dodge", "that dodge 🔥",
      "GO WREN", "GO WREN GO", "BOSS FIGHT POG", "wren is locked in", "LOCKED IN", "no hit??", "no damage so far 👀", "pog pog",
      "this is the cleanest fight i've seen", "EZ", "he's so good", "this music during the fight 🔥",
    ],
    es: ["VAMOS", "vamos wren!!", "VAMOOOS"],
    pt: ["VAMOOO", "bora wren", "BORAAA", "vai vai vai"],
    mood: "hype",
  },
  tension: {
    tail: [" 😬", " 😰"],
    en: [
      "HANDS", "hands are shaking", "dont choke", "don't choke now 😬", "😬😬", "😬", "boss hp???", "so close", "careful careful", "heal first!!",
      "watch the slam", "phase 2 incoming", "<boss> is so annoying", "this boss is hard", "monkaS", "monkaS monkaS", "i can't watch", "😰",
      "{dodge|jump} the {wax|candle} wave", "wait for the slam", "he has no heals 😬", "one more phase", "half hp!!", "last phase!!",
      "the wax puddles 😰", "stay calm wren", "breathe", ":face-orange-biting-nails:", "my heart 😰",
    ],
  },
  pogSpam: {
    en: [spam("Pog", 3, 8), spam("PogChamp", 2, 5), spam("Pog", 2, 6), spam("🔥", 3, 7), spam(":_wrenPog:", 2, 5), "Pog Pog Pog Pog", "POG POG POG"],
    mood: "hype",
  },
  backseat: {
    en: [
      "use the lantern!!", "dodge left!!", "go behind him", "you can damage during the slam", "stop jumping lol", "wait for the opening",
      "backseating but use the dash", "why didn't he use the lantern", "jump the second wave not the first",
    ],
  },
  bossKill: {
    tail: [" 🔥", " 🏆", "!!!"],
    en: [
      "CLUTCH", "CLU~TCH", "LETS GOOOOO", "YES~", "YESSSSS", "HE DID IT", "GG BOSS", "TALLOW KING DOWN", "first try!!", "FIRST TRY", "POGGERS",
      "WHAT A FIGHT", "🔥🔥🔥🔥", "🏆", "Pog Pog Pog Pog Pog", "clip that", "insane clutch", "1 hp clutch", "EZ", "EZ Clap", "GG",
      "LETS GO~", "WOOOO", "NO WAY", "HOLY", "he's him", "HE'S HIM", "that was so clean", "clutch king 👑", spam("Pog", 3, 8),
      spam("CLUTCH", 2, 4), "GG EZ", "<hype> <hype>", ":trophy-yellow-smiling:", "HOLY CLUTCH", "1 HP 😱", "DOWN HE GOES",
    ],
    es: ["VAMOOOS", "QUÉ CRACK", "increíble"],
    pt: ["VAMOOOOO", "QUE ISSO", "monstro demais"],
    mood: "hype",
  },
  // --- glitch: dissent ---
  confused: {
    tail: [" 🤔", " 😳", "??"],
    en: [
      "wait what", "WHAT", "what just happened??", "how did he go through the wall", "?????", "huh", "did he just clip??", "wait is that a glitch",
      "????", "HOW", "bro phased through the wall", "what was that", "did the game break?", "wall said 🚪", "he went through the WALL",
    ],
    es: ["qué pasó??", "cómo??"],
    pt: ["oq aconteceu??", "como assim"],
  },
  cheating: {
    tail: [" 🤡", " 😒", " 💀"],
    en: [
      "that's cheating", "thats cheating lol", "CHEATER", "glitch = not legit", "glitches = not a legit run", "nah that doesn't count",
      "asterisk run *", "real runners don't glitch", "cheating 🤡", "bro used a glitch 💀", "that's literally cheating", "that's an exploit",
      "lame", "not legit", "cheating run", "doesn't count if you glitch", "i'd never use glitches", "so the run is fake now?",
      "that's not skill that's a bug", "glitching isn't speedrunning", "boooo glitch", "glitch runs are so boring", "cheap",
    ],
    es: ["eso es trampa", "trampa!!"],
    pt: ["isso é bug kkk", "roubo", "isso é roubo"],
  },
  allowed: {
    tail: [" 🙄", " lol", "..."],
    en: [
      "it's allowed in any%", "its allowed in any%", "any% means ANY%", "read the category rules", "it's literally in the rules",
      "glitchless is a different category", "that's the lantern clip, everyone uses it", "every WR run uses that clip",
      "learn what any% means chat", "it's legit, it's on the leaderboard", "allowed allowed allowed", "any% = anything goes",
      "it's not cheating if it's in the rules", "chat discovers speedrunning", "that's why it's called any%", "it's a known skip",
      "the clip is legal, relax", "glitchless runs are a separate leaderboard", "y'all never watched a speedrun before?",
    ],
    es: ["está permitido en any%", "es any%, vale todo"],
    pt: ["é permitido no any%", "any% pode tudo"],
  },
  chill: {
    tail: [" 🍿", " lol"],
    en: [
      "chill chat", "chill", "chat chill", "why is chat so mad lol", "chat fighting again 🍿", "🍿🍿", "🍿", "relax it's a game",
      "chat is so heated rn", "y'all are arguing about a wall", "grabbing popcorn 🍿", "chill chat it's allowed", "this chat 💀",
    ],
  },
  glitchExplain: {
    en: [
      "the lantern clip saves like 40 seconds", "that clip skips the whole bell tower", "that's why any% is 24 min and glitchless is 35",
      "you buffer the lantern swing into the wall", "it's frame perfect btw", "the clip is 1 frame, he hit it first try",
      "WR uses the same clip", "that's the hardest trick in the run",
    ],
  },
  copypasta: {
    en: [
      "🚨 GLITCH POLICE 🚨 you are under arrest for clipping through the Tallow King's wall 🚨 please step away from the lantern 🚨",
      "🚨 GLITCH POLICE 🚨 you are under arrest for clipping through the Tallow King's wall 🚨 please step away from the lantern 🚨",
      "🚨 GLITCH POLICE 🚨 you are under arrest for clipping through the Tallow King's wall 🚨 please step away from the lantern 🚨",
      "🚨 GLITCH POLICE 🚨 you are under arrest for clipping through the Tallow Kings wall 🚨 please step away from the lantern 🚨",
      "🚨 GLITCH POLICE 🚨 you are under arrest for clipping through the Tallow King's wall 🚨",
      "🚨 GLITCH POLICE 🚨",
      "🚨 GLITCH POLICE 🚨 🚨 GLITCH POLICE 🚨",
      "🚨 ANY% POLICE 🚨 glitches are legal here 🚨 please step away from the keyboard 🚨",
      "🚨 GLITCH POLICE 🚨 please step away from the lantern 🚨",
      "🚨🚨🚨",
      "GLITCH POLICE 🚨",
    ],
  },
  // --- raid ---
  raider: {
    tail: [" 🎉", " 👋", " 💜"],
    en: [
      "RAID HYPE", "SOOT RAID", "soot raid!!", "hi from soot's stream", "hello we're from the raid 👋", "raid 🎉", "🎉🎉🎉", "SOOT SQUAD",
      "we come in peace", "<hi> wren!!", "raided 👋", "sootsprite sent us", "<hi> chat from the raid", "SOOT RAID 🎉", "raid squad here",
      "hi hi from soot's", "here from the raid!!", "soot said you're about to PB?", "<hi> <wren> 👋👋", "RAID RAID RAID", "🎉 SOOT RAID 🎉",
      "the soot army has arrived", "hello wren chat", "<hi> :hand-pink-waving:",
    ],
    es: ["hola desde el raid", "RAID de soot!!"],
    pt: ["salve do raid", "oi vim do raid"],
    mood: "hype",
  },
  raidQuestion: {
    en: [
      "what game is this?", "what did we miss?", "what game is this", "is he good?", "what's happening", "is this a speedrun?",
      "first time here, came from the raid", "how far into the run is he?", "is he on pb pace?", "what's the category?", "game name?",
      "who is the candle guy", "is this the glitch run soot was talking about?",
    ],
    es: ["qué juego es este?", "qué me perdí?"],
    pt: ["que jogo é esse?", "o que eu perdi?"],
  },
  welcomeRaid: {
    tail: [" 👋", " 💜", "!"],
    en: [
      "welcome raiders!", "hi raiders 👋", "welcome in!", "WELCOME", "raid pog", "ty for the raid soot", "hi soot chat", "welcome soot squad 💜",
      "welcome raiders, you're just in time", "raiders the giveaway is at the end btw", "hi raiders, he's on pb pace", "RAID POG",
    ],
  },
  thanks: {
    en: ["W donation", "W", "big W", "generous king", "ty for supporting!!", "W chatter", "💜💜", "so nice 💜", "W super chat"],
  },
  // --- death: tension then sadness ---
  finalTension: {
    tail: [" 🙏", " 😬", " 😰"],
    en: [
      "final split!!", "this is it", "WR PACE??", "he's ahead of pb", "+{0.4|0.8|1.2|2} ahead 👀", "dont choke dont choke", "😬😬😬",
      "hands steady", "breathe wren", "i can't watch", "this is the hardest part", "the last jump 😰", "PB PACE", "PB PACE 👀",
      "chat be quiet he's focusing", "🙏🙏🙏", "please please please", "come on come on", "WR?? 👀", "my heart can't take this",
      "monkaS", ":face-orange-biting-nails:", "he's gonna do it", "don't jinx it", "SHHH", "quiet chat 🤫",
    ],
    es: ["vamos vamos", "no puede ser, va a romper el récord"],
    pt: ["vai vai vai", "não acredito, ele vai bater"],
  },
  death: {
    tail: [" 😭", " 💔"],
    en: [
      "NO~", "NOOOOO", "nooo", "noooo~", "NO WAY", "so close", "SO CLOSE", "<sad>", "<sad>", "BibleThump", "Sadge", "Sadge Sadge", "😭", "😭😭😭",
      "💔", "pain", "PAIN", "F", "F", "FFFFF", "press F", "F in chat", "rip the run", "RIP", "it's over", "he was on WR pace 😭", "that hurts",
      "devastating", "i'm gonna cry", ":face-purple-crying:", ":_wrenSad:", "NOOOO WHY", "not like this", "not the last jump 😭", "nooo wren",
      "my heart 💔", spam("F", 2, 6), "noooooo 😭", "that was it, that was the run", "it hurts to watch", "no no no no",
    ],
    es: ["NOOOO", "casi 😭", "nooo qué pena"],
    pt: ["NÃOOO", "quase 😭", "não acredito"],
  },
  support: {
    tail: [" 💜", " 🙏", " 🫡"],
    en: [
      "you'll get it next time", "still an insane run", "so close, next one is it", "proud of you <wren>", "that was the best run today",
      "keep your head up", "you got this next time 💜", "take a break", "gg anyway", "that run was still amazing", "next run is the one 🙏",
      "we believe in you", "WR is coming soon, you're so close", "that was sick regardless", "no shame, that jump is brutal 💜",
      "you were so close 😭 next time", "💜💜💜", "head up king", "it's ok wren, gg",
    ],
    es: ["la próxima sale", "buena run igual"],
    pt: ["na próxima vai", "run incrível mesmo assim"],
  },
  salty: {
    tail: [" 😒", " 🙄"],
    en: ["that hitbox is cursed", "the game robbed him", "RNG hates him", "that wasn't even his fault", "the game is rigged", "devs fix your hitboxes"],
  },
  // --- outro ---
  gg: {
    tail: [" 💜", " 👏", " 🫡", "!!"],
    en: [
      "GG", "gg", "GG!!", "gg wp", "ggs", "GG WP", ":_wrenGG:", "GG <wren>", "gg gg", "ggggg", "GG 💜", "gg 👏", "GGGG", ":_wrenGG: :_wrenGG:",
      "gg chat", "GG run", "gg, what a stream",
    ],
    es: ["gg", "GG wren"],
    pt: ["gg", "GG demais"],
  },
  thankStream: {
    tail: [" 💜", " 🙏", "!!"],
    en: [
      "great stream", "great stream!!", "thanks for the stream", "ty for the stream", "thank you <wren>", "amazing stream as always", "that was fun",
      "thanks for the stream 💜", "best stream this week", "love these streams 💜", "thanks for streaming", "awesome stream", "fun stream today",
      "great stream, sad about the run", "ty wren, was fun", "thanks for the entertainment lol", "good stream <wren>", "this was so fun",
    ],
    es: ["gracias por el stream", "buen stream!!"],
    pt: ["valeu pela live", "live top demais", "obrigado pela live"],
  },
  bye: {
    tail: [" 👋", " 💜", " :hand-pink-waving:"],
    en: [
      "bye chat", "bye <wren> 👋", "o7", "o7 o7", "goodnight", "goodnight chat", "see you tomorrow", "see you next stream", "cya", "bye bye",
      "see ya friday", "night all", "bye everyone 👋", "later chat", ":hand-pink-waving:", "👋", "time to sleep lol, bye",
    ],
    es: ["adiós chat", "hasta la próxima"],
    pt: ["tchau chat", "até a próxima", "falou galera"],
  },
  nextStream: {
    en: [
      "when is the next stream?", "next stream when?", "what time tomorrow?", "same time friday?", "are you streaming tomorrow?",
      "will you try again next stream?", "PB next stream 🙏",
    ],
  },
  giveawayTalk: {
    en: [
      "good luck everyone", "i never win 😭", "never won a giveaway in my life", "pls pls pls", "🙏🙏", "rigged already 😂", "manifesting",
      "entered!!", "what's the prize?", "who's gonna win", "giveaway time 🎉", "i always forget to enter lol",
    ],
  },
  congrats: {
    en: ["congrats {@WINNER|@WINNER!!|@WINNER 🎉}", "GG @WINNER", "rigged KEKW", "rigged 😂", "congrats!!", "🎉🎉", "W @WINNER", "next time 😭", "never win anything lol"],
  },
} satisfies Record<string, Bank>;

type BankName = keyof typeof B;

// Questions with answers (answers are sent by someone else as an @reply).
interface QA {
  q: readonly Tpl[];
  a: readonly Tpl[];
  command?: string;
}

const QUESTIONS: Record<string, QA> = {
  game: {
    q: [
      "what game is this?", "what game is this", "game name?", "whats this game called", "is this cinderwick?", "what game 🤔", "what are we playing",
      "what's the game", "wait what game is this", "name of the game?", "game?", "what game is this called?",
    ],
    a: ["it's Cinderwick", "cinderwick", "Cinderwick! type !game", "it's called Cinderwick, great game", "cinderwick, it's an indie platformer"],
    command: "!game",
  },
  pb: {
    q: ["what's the PB?", "whats the pb", "pb?", "what's his best time", "how fast is WR", "what's the world record", "what's the pb again", "PB?", "what time is he going for"],
    a: ["pb is 24:13", "24:13, WR is 23:58", "type !pb", "24:13 i think", "he's going for sub 24"],
    command: "!pb",
  },
  category: {
    q: ["is this any%?", "any% or glitchless?", "what category is this", "is this 100%?", "is this glitchless?", "which category?", "any%?"],
    a: ["yes any%", "any%, glitches allowed", "it's any%", "any% yeah"],
  },
  giveaway: {
    q: [
      "when does the giveaway start?", "when is the giveaway", "giveaway when??", "is the giveaway still happening", "how do i enter the giveaway",
      "when's the giveaway?", "giveaway??", "what's the giveaway for?",
    ],
    a: ["end of stream", "at the end, type !enter when it opens", "end of the stream, he said", "type !giveaway"],
    command: "!giveaway",
  },
  length: {
    q: ["how long is a run?", "how long does a run take", "how long is the game?", "how long is any%?"],
    a: ["about 24 min", "~24 minutes", "like 24 min if it goes well"],
  },
};

// Commands: what viewers type and what Nightbot answers.
const NIGHTBOT: Record<string, (uptimeMs: number) => string> = {
  "!uptime": (ms) => {
    const m = Math.floor(ms / 60000);
    const s = Math.floor((ms % 60000) / 1000);
    return `${DEMO_STREAM.streamer} has been live for ${m} minute${m === 1 ? "" : "s"} ${s} second${s === 1 ? "" : "s"}`;
  },
  "!pb": () => "Wren's Cinderwick Any% PB is 24:13.87 — the world record is 23:58.02",
  "!game": () => "Wren is playing Cinderwick (Any%, glitches allowed)",
  "!discord": () => "Join the Lantern Keepers Discord: https://discord.gg/wrenruns",
  "!socials": () => "Clips: https://www.youtube.com/@WrenDoesRuns/clips · Discord: https://discord.gg/wrenruns",
  "!schedule": () => "Streams Mon/Wed/Fri at 18:00 UTC",
  "!giveaway": () => "The giveaway opens at the end of the stream — type !enter when it does!",
  "!rules": () => "Any% allows all glitches; glitchless is a separate category. Be nice in chat.",
  "!pc": () => "Wren's setup: https://discord.gg/wrenruns (see #setup)",
};

// ---------------------------------------------------------------------------------------------
// Stylizing: casing, elongation, typos, slang
// ---------------------------------------------------------------------------------------------

const NEIGHBOR: Record<string, string> = {
  a: "sq", b: "vn", c: "xv", d: "sf", e: "wr", f: "dg", g: "fh", h: "gj", i: "uo", j: "hk", k: "jl", l: "k", m: "n", n: "bm", o: "ip", p: "o",
  q: "w", r: "et", s: "ad", t: "ry", u: "yi", v: "cb", w: "qe", x: "zc", y: "tu", z: "x",
};

function typo(word: string, r: Rng): string {
  const i = r.int(1, word.length - 2);
  const ch = word.charAt(i);
  switch (r.int(0, 3)) {
    case 0:
      return word.slice(0, i) + word.charAt(i + 1) + ch + word.slice(i + 2);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + ch + ch + word.slice(i + 1);
    default: {
      const near = NEIGHBOR[ch.toLowerCase()];
      return near ? word.slice(0, i) + r.pick(near.split("")) + word.slice(i + 1) : word;
    }
  }
}

const SLANG: ReadonlyArray<readonly [RegExp, string]> = [
  [/\byou\b/g, "u"],
  [/\bare\b/g, "r"],
  [/\bgoing to\b/g, "gonna"],
  [/\bplease\b/g, "pls"],
  [/\bbecause\b/g, "bc"],
  [/\bthanks\b/g, "thx"],
  [/\bwhat's\b/g, "whats"],
  [/\bit's\b/g, "its"],
  [/\bdon't\b/g, "dont"],
  [/\bthat's\b/g, "thats"],
];

function isProtected(word: string): boolean {
  return EMOTE_WORDS.has(word) || /^[@!:#]/.test(word) || /^https?:/.test(word) || /[^\x20-\x7e]/.test(word) || /\d/.test(word) || word.includes("%");
}

function stylize(text: string, c: Chatter, mood: Bank["mood"], r: Rng, tail?: readonly string[]): string {
  if (c.bot || c.owner) return text;
  let s = text;
  const lowerish = c.caseMode === "lower" || (c.caseMode === "mixed" && r.chance(0.4));
  if (lowerish && mood !== "hype") {
    s = s.split(" ").map((w) => (isProtected(w) ? w : w.toLowerCase())).join(" ");
    if (r.chance(0.5)) s = s.replace(/[.!]+$/, "");
    for (const [re, rep] of SLANG) if (r.chance(0.5)) s = s.replace(re, rep);
  }
  const capsChance = c.caseMode === "caps" ? 0.85 : mood === "hype" ? (c.caseMode === "lower" ? 0.12 : 0.45) : c.caseMode === "mixed" ? 0.06 : 0.015;
  if (r.chance(capsChance)) s = s.split(" ").map((w) => (isProtected(w) ? w : w.toUpperCase())).join(" ");
  if (mood === "hype" && r.chance(0.2)) {
    const words = s.split(" ");
    const lastWord = words[words.length - 1] ?? "";
    if (/^[A-Za-z']+[!?]*$/.test(lastWord) && !isProtected(lastWord.replace(/[!?]+$/, ""))) {
      words[words.length - 1] = lastWord.replace(/([A-Za-z])([!?]*)$/, (_w: string, ch: string, tail: string) => ch.repeat(r.int(2, 6)) + tail);
      s = words.join(" ");
    }
  }
  if (r.chance(c.typoRate)) {
    const words = s.split(" ");
    const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 4 && /^[a-zA-Z']+$/.test(w) && !isProtected(w));
    if (candidates.length > 0) {
      const [w, i] = r.pick(candidates);
      words[i] = typo(w, r);
      s = words.join(" ");
    }
  }
  if (tail && tail.length > 0 && r.chance(0.08 + c.emojiRate * 0.5) && !/[^\x20-\x7e]/.test(s)) s += r.pick(tail);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------------------------

interface Burst {
  atMs: number;
  peak: number;
  riseS: number;
  decayS: number;
  mix: Mix;
}

type Category = BankName | "question" | "answer" | "command" | "convo" | "link" | "mention";
type Mix = ReadonlyArray<readonly [Category, number]>;

const NOISE: Mix = [
  ["command", 3],
  ["offtopic", 4],
  ["emojiOnly", 2],
  ["questionMark", 1.2],
  ["convo", 0.6],
  ["mention", 1.5],
  ["link", 0.12],
];

function bell(tS: number, center: number, width: number): number {
  const d = (tS - center) / width;
  return Math.exp(-d * d);
}

function ramp(tS: number, from: number, to: number, a: number, b: number): number {
  if (tS <= from) return a;
  if (tS >= to) return b;
  return a + ((tS - from) / (to - from)) * (b - a);
}

/** Background message rate (messages / second) at stream time t (seconds). */
function baseRate(tS: number): number {
  if (tS < 80) return ramp(tS, 0, 60, 1.3, 6);
  if (tS < 170) return 5.6;
  if (tS < 260) return ramp(tS, 200, 260, 5.2, 3);
  if (tS < 350) return ramp(tS, 260, 275, 2.6, 1.5) + (tS > 335 ? 2 : 0);
  if (tS < 458) return ramp(tS, 350, 435, 5, 10);
  if (tS < 545) return ramp(tS, 470, 545, 8, 6);
  if (tS < 620) return 8;
  if (tS < 720) return tS < 662 ? ramp(tS, 620, 660, 6, 10) : ramp(tS, 690, 720, 7, 5.5);
  return ramp(tS, 790, 840, 6, 1.4);
}

const BURSTS: readonly Burst[] = [
  { atMs: 172_000, peak: 30, riseS: 1.5, decayS: 7, mix: [["laugh", 80], ["unlucky", 12], ["questionMark", 3], ["emojiOnly", 2]] },
  { atMs: 440_000, peak: 33, riseS: 1.2, decayS: 8, mix: [["bossKill", 75], ["pogSpam", 18], ["hype", 7]] },
  { atMs: 458_500, peak: 17, riseS: 2, decayS: 12, mix: [["confused", 45], ["cheating", 25], ["questionMark", 12], ["allowed", 10], ["laugh", 3]] },
  { atMs: 548_000, peak: 26, riseS: 2, decayS: 9, mix: [["raider", 85], ["welcomeRaid", 15]] },
  { atMs: 662_000, peak: 31, riseS: 1.2, decayS: 9, mix: [["death", 80], ["support", 8], ["questionMark", 2]] },
  { atMs: 747_000, peak: 14, riseS: 2, decayS: 10, mix: [["command", 100]] },
];

function phaseMix(tS: number): Mix {
  if (tS < 80) {
    return [["greet", 52], ["firstTime", 9], ["warmup", 8], ["question", 5], ...NOISE];
  }
  if (tS < 170) {
    return [["question", 34], ["setupChat", 16], ["greet", 9], ["warmup", 9], ["answer", 0], ...NOISE, ["command", 6]];
  }
  if (tS < 172) return [["setupChat", 40], ["warmup", 10], ["question", 8], ...NOISE];
  if (tS < 262) {
    const after = tS - 172;
    return [["laugh", Math.max(6, 60 - after * 0.9)], ["unlucky", 10], ["recovery", Math.min(30, after * 0.6)], ["question", 6], ["setupChat", 4], ...NOISE];
  }
  if (tS < 350) {
    if (tS > 335) return [["hype", 25], ["tension", 10], ["bored", 8], ...NOISE];
    return [["bored", 30], ["skipAd", 20], ["sellout", 11], ["defend", 15], ["sponsorJoke", 6], ["offtopic", 6], ...NOISE];
  }
  if (tS < 458.5) {
    if (tS > 447) return [["bossKill", 40], ["hype", 30], ["thanks", 6], ...NOISE];
    return [["hype", 33], ["tension", 22], ["pogSpam", 10 + (tS - 350) * 0.12], ["backseat", 5], ["question", 3], ...NOISE];
  }
  if (tS < 545) {
    const pasta = tS < 468 ? 0 : 40 * bell(tS, 492, 18);
    return [["cheating", 24], ["allowed", 22], ["chill", 9], ["glitchExplain", 6], ["confused", tS < 475 ? 12 : 3], ["copypasta", pasta], ["laugh", 3], ...NOISE];
  }
  if (tS < 620) {
    return [["raider", 22], ["raidQuestion", 16], ["welcomeRaid", 9], ["hype", 12], ["question", 5], ["thanks", 3], ["answer", 0], ...NOISE];
  }
  if (tS < 720) {
    if (tS < 662) return [["finalTension", 60], ["hype", 10], ["raidQuestion", 3], ...NOISE];
    const after = tS - 662;
    return [["death", Math.max(15, 50 - after * 0.5)], ["support", 22 + after * 0.2], ["salty", 5], ["unlucky", 4], ...NOISE];
  }
  if (tS > 746 && tS < 800) {
    return [["giveawayTalk", 14], ["command", 12], ["gg", 22], ["thankStream", 20], ["nextStream", 4], ...NOISE];
  }
  return [["gg", 34], ["thankStream", 28], ["bye", tS > 790 ? 30 : 10], ["nextStream", 6], ...NOISE];
}

function burstRate(tS: number): { rate: number; burst?: Burst } {
  let best: Burst | undefined;
  let bestRate = 0;
  let total = 0;
  for (const b of BURSTS) {
    const dt = tS - b.atMs / 1000;
    if (dt < 0 || dt > b.decayS * 6) continue;
    const rate = b.peak * Math.min(1, dt / b.riseS) * Math.exp(-Math.max(0, dt - b.riseS) / b.decayS);
    total += rate;
    if (rate > bestRate) {
      bestRate = rate;
      best = b;
    }
  }
  return best ? { rate: total, burst: best } : { rate: 0 };
}

// ---------------------------------------------------------------------------------------------
// Events and the generator state
// ---------------------------------------------------------------------------------------------

type Item =
  | { kind: "text"; user: Chatter; text: string }
  | { kind: "paid"; user: Chatter; text: string; amount: string; tier: number }
  | { kind: "member"; user: Chatter; months: number; text?: string }
  | { kind: "engagement"; icon: "YOUTUBE_ROUND" | "POLL"; runs: Array<{ text: string; bold?: boolean }> };

interface Ev {
  t: number;
  seq: number;
  item: Item;
}

class Gen {
  readonly events: Ev[] = [];
  private seq = 0;
  private readonly cooldown = new Map<string, number>();
  readonly recent: Chatter[] = [];
  readonly entrants: Chatter[] = [];
  private readonly viewers: Chatter[];
  private readonly candBuf: Chatter[] = [];
  private readonly weightBuf: Float64Array;

  constructor(
    readonly r: Rng,
    readonly pop: Population,
  ) {
    this.viewers = [...pop.regulars, ...pop.raiders];
    this.weightBuf = new Float64Array(pop.all.length);
  }

  push(t: number, item: Item): void {
    const tMs = Math.max(0, Math.min(DEMO_STREAM.durationMs, Math.round(t)));
    this.events.push({ t: tMs, seq: this.seq++, item });
    if (item.kind === "text" || item.kind === "paid") {
      const u = item.user;
      u.posts++;
      u.lastMs = tMs;
      if (!u.bot && !u.owner) {
        this.recent.push(u);
        if (this.recent.length > 40) this.recent.shift();
      }
    }
  }

  say(t: number, user: Chatter, text: string): void {
    this.push(t, { kind: "text", user, text });
  }

  /** Weighted pick among viewers present at t. */
  pick(
    t: number,
    opts: { pool?: "any" | "regular" | "raider" | "member"; lang?: Lang; newcomer?: number; lurkers?: number; exclude?: Chatter } = {},
  ): Chatter {
    const pool = opts.pool ?? "any";
    const list = pool === "raider" ? this.pop.raiders : pool === "regular" ? this.pop.regulars : this.viewers;
    const cands = this.candBuf;
    const weights = this.weightBuf;
    let n = 0;
    let total = 0;
    for (const c of list) {
      if (c.joinMs > t || c === opts.exclude || c.posts >= c.budget) continue;
      if (pool === "member" && c.memberMonths === 0) continue;
      if (opts.lang && c.lang !== opts.lang) continue;
      let w = c.weight;
      if (c.budget !== Number.POSITIVE_INFINITY) w *= opts.lurkers ?? 1;
      if (c.posts === 0) w *= opts.newcomer ?? 1.5;
      if (t - c.lastMs < 2500) w *= 0.08;
      if (c.raider && t < 620_000) w *= 2.5;
      cands[n] = c;
      weights[n] = w;
      total += w;
      n++;
    }
    if (n === 0) return opts.lang || pool !== "any" ? this.pick(t, { exclude: opts.exclude }) : this.r.pick(this.pop.regulars);
    let x = this.r.next() * total;
    for (let i = 0; i < n; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return cands[i] ?? this.pop.bot;
    }
    return cands[n - 1] ?? this.pop.bot;
  }

  textFor(bank: Bank, user: Chatter): string {
    const r = this.r;
    let tpl: Tpl;
    if (user.lang === "es" && bank.es && r.chance(0.65)) tpl = r.pick(bank.es);
    else if (user.lang === "pt" && bank.pt && r.chance(0.65)) tpl = r.pick(bank.pt);
    else tpl = r.pick(bank.en);
    return stylize(expand(tpl, r), user, bank.mood, r, bank.tail);
  }

  /** Nightbot answers a command unless it did so recently. */
  command(t: number, user: Chatter, cmd: string): void {
    this.say(t, user, this.r.chance(0.08) ? `${cmd} ` : cmd);
    const reply = NIGHTBOT[cmd];
    if (!reply) return;
    const last = this.cooldown.get(cmd) ?? -1e9;
    if (t - last < 20_000) return;
    this.cooldown.set(cmd, t);
    const at = t + this.r.int(700, 2200);
    const text = reply(at);
    this.say(at, this.pop.bot, cmd === "!uptime" ? text : this.r.chance(0.4) ? `@${user.name.replace(/^@/, "")} ${text}` : text);
  }

  recentOther(t: number, not: Chatter): Chatter | undefined {
    const cands = this.recent.filter((c) => c !== not && t - c.lastMs < 40_000);
    return cands.length > 0 ? this.r.pick(cands) : undefined;
  }
}

function mentionOf(c: Chatter): string {
  return c.name.startsWith("@") ? c.name : `@${c.name}`;
}

/** Moments that pull lurkers into chat. */
const CROWD = new Set<Category>(["laugh", "bossKill", "death", "raider", "gg", "thankStream", "bye", "copypasta", "greet", "firstTime", "unlucky", "hype"]);

function emit(g: Gen, t: number, cat: Category): void {
  const r = g.r;
  switch (cat) {
    case "question": {
      const key = tS(t) < 80 ? r.pick(["game", "game", "pb", "category"]) : tS(t) > 545 ? r.pick(["game", "game", "pb", "giveaway"]) : r.weighted<string>([["game", 34], ["pb", 22], ["category", 18], ["giveaway", 18], ["length", 8]]);
      const qa = QUESTIONS[key];
      if (!qa) return;
      const asker = g.pick(t, { newcomer: 4 });
      g.say(t, asker, stylize(expand(r.pick(qa.q), r), asker, undefined, r));
      if (r.chance(0.3)) {
        const helper = g.pick(t + 3000, { pool: "regular", exclude: asker, newcomer: 0.3 });
        g.say(t + r.int(2500, 9000), helper, stylize(`${mentionOf(asker)} ${expand(r.pick(qa.a), r)}`, helper, "calm", r));
      } else if (qa.command && r.chance(0.25)) {
        const other = g.pick(t + 2000, { exclude: asker, newcomer: 1 });
        g.command(t + r.int(1500, 6000), other, qa.command);
      }
      return;
    }
    case "answer":
      return;
    case "command": {
      const tSec = tS(t);
      const user = g.pick(t, { newcomer: tSec > 746 ? 6 : 1.5, lurkers: tSec > 746 && tSec < 800 ? 6 : 1 });
      if (tSec > 746 && tSec < 800) {
        g.say(t, user, r.pick(["!enter", "!enter", "!enter", "!enter", "!enter", "!Enter", "!enter pls", "!enter 🙏", "!enter !enter"]));
        if (!g.entrants.includes(user)) g.entrants.push(user);
        return;
      }
      const cmd = r.weighted<string>([
        ["!uptime", 6], ["!pb", tSec < 260 ? 6 : 3], ["!discord", 5], ["!socials", 2], ["!schedule", tSec > 700 ? 6 : 1.5],
        ["!giveaway", tSec < 260 ? 4 : 1], ["!game", tSec > 545 && tSec < 620 ? 6 : 1.5], ["!rules", tSec > 455 && tSec < 545 ? 7 : 0.3], ["!pc", 1],
      ]);
      g.command(t, user, cmd);
      return;
    }
    case "mention": {
      const user = g.pick(t);
      const target = g.recentOther(t, user);
      if (!target) return emit(g, t, "offtopic");
      const tail = expand(
        r.pick([
          "{lol|lmao|😂|KEKW}", "true", "fr", "facts", "{same|same lol|literally same}", "{hi|hey|yo} 👋", "{nah|no way|not really}", "agreed",
          "{ty|thanks|thx}", "💀", "you're so real for that", "exactly what i said", "{welcome back|wb}", "{hello|hi} again lol",
          "where are you watching from?", "same here", "{haha|hehe} yeah",
        ]),
        r,
      );
      g.say(t, user, stylize(`${mentionOf(target)} ${tail}`, user, "calm", r));
      return;
    }
    case "convo": {
      const a = g.pick(t, { pool: "regular" });
      const b = g.pick(t + 4000, { pool: "regular", exclude: a });
      const threads: ReadonlyArray<readonly [string, string, string?]> = [
        ["anyone know what keyboard he uses?", "it's in !pc i think", "ty"],
        ["what's the song rn?", "it's from the game ost", "ahh thanks"],
        ["just beat cinderwick myself yesterday", "nice how long did it take?", "like 14 hours lol"],
        ["is the game worth it?", "100% yes", "ok buying it"],
        ["is there a controller or keyboard run?", "he plays on controller", "makes sense"],
        ["where do you watch the vods?", "they're on the channel, streams tab", "oh ok ty"],
        ["how long have you been watching wren?", "since like the first cinderwick stream", "og 🫡"],
        ["any tips for the bell tower part?", "practice the lantern swing in chapter 2", "will try thx"],
        ["what's your pb?", "31 minutes lol, nowhere near", "still good!"],
      ];
      const [q, ans, back] = r.pick(threads);
      const t1 = t + r.int(3000, 9000);
      g.say(t, a, stylize(q, a, "calm", r));
      g.say(t1, b, stylize(`${mentionOf(a)} ${ans}`, b, "calm", r));
      if (back) g.say(t1 + r.int(3000, 10000), a, stylize(`${mentionOf(b)} ${back}`, a, "calm", r));
      return;
    }
    case "link": {
      const user = g.pick(t, { pool: "regular" });
      const clip = `https://youtube.com/clip/Ugkx${r.str(32)}`;
      const text = r.pick([
        `clipped it ${clip}`,
        `${clip} lol`,
        "leaderboard rules are here https://www.speedrun.com/cinderwick",
        "the run rules https://www.speedrun.com/cinderwick/rules",
      ]);
      g.say(t, user, text);
      return;
    }
    default: {
      const bank: Bank = B[cat];
      const pool =
        cat === "raider" || (cat === "raidQuestion" && tS(t) < 625) ? "raider" : cat === "welcomeRaid" ? "regular" : cat === "pogSpam" && r.chance(0.5) ? "member" : "any";
      const newcomer = cat === "greet" || cat === "firstTime" ? 9 : cat === "raider" ? 6 : cat === "copypasta" ? 3 : undefined;
      const user = g.pick(t, { pool, newcomer, lurkers: CROWD.has(cat) ? 4 : 1 });
      g.say(t, user, g.textFor(bank, user));
    }
  }
}

function tS(tMs: number): number {
  return tMs / 1000;
}

/** Scripted moments: streamer messages, Super Chats, memberships, raid, giveaway, system items. */
function script(g: Gen): Array<readonly [number, () => void]> {
  const { owner, bot, mods, raidStreamer } = g.pop;
  const r = g.r;
  const mod = (i: number): Chatter => mods[i % mods.length] ?? bot;
  /** Scripted moments land somewhere within their second, like everything else. */
  const at = (ms: number): number => ms + r.int(20, 950);
  const superChat = (t: number, user: Chatter, amount: string, tier: number, text: string, thank: string): void => {
    g.push(t, { kind: "paid", user, text, amount, tier });
    for (let i = 0; i < r.int(2, 4); i++) {
      const u = g.pick(t + 2000 + i * 1500, { newcomer: 0.5 });
      g.say(t + r.int(1500, 7000), u, g.textFor(B.thanks, u));
    }
    g.say(t + r.int(6000, 12000), owner, thank.replace("NAME", mentionOf(user)));
  };
  const out: Array<readonly [number, () => void]> = [
    [0, () => g.push(0, {
      kind: "engagement",
      icon: "YOUTUBE_ROUND",
      runs: [{ text: "Welcome to live chat! Remember to guard your privacy and abide by our community guidelines." }],
    })],
    [9_000, () => g.say(at(9_000), mod(0), "hi chat! stream is starting, be nice 💜")],
    [24_000, () => g.say(at(24_000), owner, "hi chat!! give me a sec, setting up splits :_wrenCozy:")],
    [33_000, () => g.say(at(33_000), bot, "Welcome to the stream! Type !discord to join the community and !schedule for stream times.")],
    [96_000, () => g.say(at(96_000), owner, "today: cinderwick any%, pb is 24:13, going for sub 24. giveaway at the end of stream!")],
    [121_000, () => g.say(at(121_000), mod(1), "reminder: the giveaway is at the END of stream, type !giveaway for info")],
    [142_000, () => superChat(at(142_000), g.pick(142_000, { pool: "member" }), "$5.00", 5, "good luck on the runs today!! sub 24 incoming 🙏", "thank you NAME for the $5!! 💜")],
    [151_000, () => g.say(at(151_000), owner, "ok run starting, good luck to me lol")],
    [178_500, () => g.say(at(178_500), owner, "i can't believe i missed that 😭")],
    [205_000, () => g.push(at(205_000), { kind: "member", user: becomeMember(g.pick(205_000, { pool: "regular" })), months: 0 })],
    [261_000, () => g.say(at(261_000), owner, "quick sponsor break, sorry chat 😅 i'll keep it short")],
    [300_000, () => g.say(at(300_000), bot, "Enjoying the stream? Leave a like and type !discord to hang out with the Lantern Keepers!")],
    [312_000, () => g.say(at(312_000), mod(2), "chat be nice, sponsors keep the lights on")],
    [338_000, () => g.push(at(338_000), {
      kind: "engagement",
      icon: "POLL",
      runs: [{ text: "Poll ended", bold: true }, { text: " · Tallow King first try? · Yes 64% · No 36% · 418 votes" }],
    })],
    [334_000, () => g.say(at(334_000), owner, "ok ad over, back to the run. boss time")],
    [385_000, () => g.push(at(385_000), { kind: "member", user: becomeMember(g.pick(385_000, { pool: "regular" })), months: 0 })],
    [446_000, () => superChat(at(446_000), g.pick(446_000, { pool: "regular" }), "$20.00", 20, "CLUTCH!!! drinks on me 🔥", "NAME THANK YOU for the $20 😭💜")],
    [463_000, () => g.say(at(463_000), owner, "yes chat, the wall clip is allowed in any%, it's in the leaderboard rules")],
    [470_000, () => g.say(at(470_000), mod(0), "chat chill, glitches are allowed in any%. check !rules")],
    [486_000, () => g.say(at(486_000), mod(1), "keep it civil please, no hate in chat")],
    [505_000, () => g.say(at(505_000), mod(2), "ok that's enough glitch police 🚨 lol")],
    [547_500, () => g.say(at(547_500), raidStreamer, "hi wren! bringing the soot squad over for the final splits 💜")],
    [552_000, () => g.say(at(552_000), owner, `THANK YOU for the raid ${mentionOf(raidStreamer)}!! welcome in everyone 💜`)],
    [566_000, () => superChat(at(566_000), g.pick(566_000, { pool: "raider", lang: "pt" }), "R$25.00", 5, "vim do raid, que jogo lindo! boa sorte!!", "obrigado NAME!! 💜")],
    [580_000, () => g.push(at(580_000), { kind: "member", user: becomeMember(g.pick(580_000, { pool: "raider" })), months: 0 })],
    [593_000, () => superChat(at(593_000), g.pick(593_000, { pool: "regular" }), "$2.00", 2, "for the glitch police bail fund 🚨", "NAME LMAO thank you")],
    [600_000, () => g.say(at(600_000), bot, "Enjoying the stream? Leave a like and type !discord to hang out with the Lantern Keepers!")],
    [623_000, () => g.say(at(623_000), mod(0), "final split! keep chat calm for him 🙏")],
    [672_000, () => g.say(at(672_000), owner, "NOOOOOOO")],
    [691_000, () => superChat(at(691_000), g.pick(691_000, { pool: "member" }), "€10.00", 10, "you'll get it next time, that run was insane", "thank you NAME, that one hurt 😭")],
    [703_000, () => g.say(at(703_000), owner, "that one hurt. thank you all for the support 💜 one sec")],
    [731_000, () => {
      const u = g.pick(731_000, { pool: "member" });
      u.memberMonths = 6;
      g.push(at(731_000), { kind: "member", user: u, months: 6, text: "half a year of watching you fall off that jump 😂💜" });
    }],
    [745_000, () => g.say(at(745_000), owner, "giveaway is open! type !enter, winner in a minute")],
    [746_000, () => g.say(at(746_000), bot, "The giveaway is open! Type !enter to join. Winner picked in 60 seconds.")],
    [774_000, () => superChat(at(774_000), g.pick(774_000, { pool: "regular" }), "$50.00", 50, "thanks for the stream!! gg, you'll get sub 24 soon", "NAME WHAT thank you so much 😭💜")],
    [806_000, () => {
      const winner = g.entrants.length > 0 ? r.pick(g.entrants) : g.pick(806_000);
      g.say(at(806_000), bot, `The giveaway winner is ${mentionOf(winner)}! Congrats 🎉`);
      for (let i = 0; i < 9; i++) {
        const t = 807_000 + r.int(0, 14_000);
        const u = g.pick(t, { exclude: winner });
        g.say(t, u, stylize(expand(r.pick(B.congrats.en), r).replace("@WINNER", mentionOf(winner)), u, undefined, r));
      }
      g.say(at(812_000), winner, "WAIT I WON?? 😭 thank you!!");
    }],
    [821_000, () => g.say(at(821_000), owner, "thanks for hanging out everyone, gg and see you friday 👋")],
    [834_000, () => g.say(at(834_000), mod(0), "gg chat, see you next stream o7")],
  ];
  return out;
}

function becomeMember(c: Chatter): Chatter {
  c.newMember = true;
  c.memberMonths = Math.max(c.memberMonths, 0);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Serialization in yt-dlp's live_chat.json replay shape
// ---------------------------------------------------------------------------------------------

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

interface Run {
  text?: string;
  emoji?: CustomEmoji | UnicodeEmoji;
  url?: string;
  bold?: boolean;
}

function toRuns(text: string, user: Chatter | undefined): Run[] {
  const runs: Run[] = [];
  let buf = "";
  const flush = (): void => {
    if (buf) runs.push({ text: buf });
    buf = "";
  };
  const member = user ? user.memberMonths > 0 || user.newMember || user.owner || user.moderator : false;
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const atWordStart = i === 0 || text.charAt(i - 1) === " ";
    if (atWordStart) {
      const link = /^https?:\/\/\S+/.exec(rest);
      if (link) {
        flush();
        runs.push({ text: link[0], url: link[0] });
        i += link[0].length;
        continue;
      }
    }
    if (rest.startsWith(":")) {
      const sc = /^:[_a-zA-Z0-9-]+:/.exec(rest);
      const custom = sc ? CUSTOM_EMOJI.get(sc[0]) : undefined;
      if (sc && custom && (!custom.membersOnly || member)) {
        flush();
        runs.push({ emoji: custom });
        i += sc[0].length;
        continue;
      }
    }
    const uni = UNICODE_BY_LENGTH.find((e) => rest.startsWith(e.char));
    if (uni) {
      flush();
      runs.push({ emoji: uni });
      i += uni.char.length;
      continue;
    }
    buf += text.charAt(i);
    i++;
  }
  flush();
  return runs;
}

function isUnicode(e: CustomEmoji | UnicodeEmoji): e is UnicodeEmoji {
  return "char" in e;
}

function runJson(run: Run, r: Rng): Json {
  if (run.emoji && isUnicode(run.emoji)) {
    const e = run.emoji;
    return {
      emoji: {
        emojiId: e.char,
        shortcuts: e.names.map((n) => `:${n}:`),
        searchTerms: [...new Set(e.names.flatMap((n) => n.split("_")))],
        image: {
          thumbnails: [{ url: `https://fonts.gstatic.com/s/e/notoemoji/15.1/${e.code}/72.png` }],
          accessibility: { accessibilityData: { label: e.char } },
        },
      },
    };
  }
  if (run.emoji && !isUnicode(run.emoji)) {
    const e = run.emoji;
    return {
      emoji: {
        emojiId: e.emojiId,
        shortcuts: e.shortcuts,
        searchTerms: e.searchTerms,
        image: {
          thumbnails: [{ url: e.url, width: 24, height: 24 }],
          accessibility: { accessibilityData: { label: e.label } },
        },
        isCustomEmoji: true,
      },
    };
  }
  if (run.url) {
    const target = `https://www.youtube.com/redirect?event=live_chat&redir_token=${r.str(24)}&q=${encodeURIComponent(run.url)}`;
    return {
      text: run.text ?? run.url,
      navigationEndpoint: {
        commandMetadata: { webCommandMetadata: { url: target, webPageType: "WEB_PAGE_TYPE_UNKNOWN", rootVe: 83769 } },
        urlEndpoint: { url: target, target: "TARGET_NEW_WINDOW", nofollow: true },
      },
    };
  }
  return run.bold ? { text: run.text ?? "", bold: true } : { text: run.text ?? "" };
}

function memberTooltip(c: Chatter): string | undefined {
  if (c.newMember) return "New member";
  const m = c.memberMonths;
  if (m <= 0) return undefined;
  if (m < 12) return `Member (${m} month${m === 1 ? "" : "s"})`;
  const y = Math.floor(m / 12);
  return `Member (${y} year${y === 1 ? "" : "s"})`;
}

const BADGE_IMAGE: Record<string, string> = {};
function badgeUrl(tooltip: string): string {
  let url = BADGE_IMAGE[tooltip];
  if (!url) {
    url = `https://yt3.ggpht.com/${new Rng(hash32(tooltip)).str(40)}=s16-c-k`;
    BADGE_IMAGE[tooltip] = url;
  }
  return url;
}

function badges(c: Chatter): Json[] {
  const out: Json[] = [];
  const icon = (iconType: string, tooltip: string): Json => ({
    liveChatAuthorBadgeRenderer: { icon: { iconType }, tooltip, accessibility: { accessibilityData: { label: tooltip } } },
  });
  if (c.owner) out.push(icon("OWNER", "Owner"));
  if (c.verified) out.push(icon("VERIFIED", "Verified"));
  if (c.moderator) out.push(icon("MODERATOR", "Moderator"));
  const tip = memberTooltip(c);
  if (tip) {
    out.push({
      liveChatAuthorBadgeRenderer: {
        customThumbnail: { thumbnails: [{ url: badgeUrl(tip), width: 16, height: 16 }] },
        tooltip: tip,
        accessibility: { accessibilityData: { label: tip } },
      },
    });
  }
  return out;
}

function b64(bytes: string): string {
  return Buffer.from(bytes, "latin1").toString("base64");
}

interface Ids {
  id: string;
  params: string;
  clientId: string;
}

function makeIds(r: Rng, authorChannel: string): Ids {
  const inner = `C${r.pick(["I", "J", "K", "L", "M", "N", "O", "P"])}${r.str(24)}`;
  const id = b64(`\n\x1c\n\x1a${inner}`);
  // Context-menu params: a protobuf naming the message, the stream and the author (base64, as YouTube sends it).
  const proto = `\n\x1c\n\x1a${inner}*)\n\x18${OWNER_CHANNEL_ID}\x12\x0b${DEMO_STREAM.videoId} \x02(\x012\x1a\n\x18${authorChannel}8\x02H\x00P\x01`;
  const params = b64(proto).replace(/=/g, "%3D");
  return { id, params, clientId: `C${r.pick(["I", "J", "K", "L", "M", "N", "O", "P"])}${r.str(24)}` };
}

function timestampText(tMs: number): string {
  const s = Math.floor(tMs / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function authorFields(c: Chatter): { [key: string]: Json } {
  return {
    authorName: { simpleText: c.name },
    authorPhoto: { thumbnails: [{ url: c.avatar, width: 64, height: 64 }] },
  };
}

function contextMenu(ids: Ids, tracking: string): { [key: string]: Json } {
  return {
    contextMenuEndpoint: {
      clickTrackingParams: tracking,
      commandMetadata: { webCommandMetadata: { ignoreNavigation: true } },
      liveChatItemContextMenuEndpoint: { params: ids.params },
    },
  };
}

const PAID_COLORS: Record<number, readonly [number, number, number, number, number]> = {
  // tier: header bg, header text, body bg, body text, author name text
  2: [4278237396, 4278190080, 4278248959, 4278190080, 3003121664],
  5: [4278239141, 4278190080, 4280150454, 4278190080, 2315255808],
  10: [4294947584, 4278190080, 4294953512, 4278190080, 2315255808],
  20: [4293284096, 3758096383, 4294278144, 3758096383, 3019898879],
  50: [4290910299, 4294967295, 4293467747, 4294967295, 3019898879],
};

function serialize(ev: Ev, r: Rng, tracking: string): string {
  const usec = String(DEMO_STREAM.startUsec + ev.t * 1000 + r.int(0, 999));
  const item = ev.item;
  let renderer: { [key: string]: Json };
  let kind: string;
  let ids: Ids;
  switch (item.kind) {
    case "text": {
      const c = item.user;
      ids = makeIds(r, c.channelId);
      const b = badges(c);
      kind = "liveChatTextMessageRenderer";
      renderer = {
        message: { runs: toRuns(item.text, c).map((run) => runJson(run, r)) },
        ...authorFields(c),
        ...contextMenu(ids, tracking),
        id: ids.id,
        timestampUsec: usec,
        ...(b.length > 0 ? { authorBadges: b } : {}),
        authorExternalChannelId: c.channelId,
        contextMenuAccessibility: { accessibilityData: { label: "Chat actions" } },
        timestampText: { simpleText: timestampText(ev.t) },
      };
      break;
    }
    case "paid": {
      const c = item.user;
      ids = makeIds(r, c.channelId);
      const b = badges(c);
      const colors = PAID_COLORS[item.tier] ?? PAID_COLORS[5] ?? [0, 0, 0, 0, 0];
      const light = colors[1] === 4278190080;
      kind = "liveChatPaidMessageRenderer";
      renderer = {
        id: ids.id,
        timestampUsec: usec,
        ...authorFields(c),
        purchaseAmountText: { simpleText: item.amount },
        message: { runs: toRuns(item.text, c).map((run) => runJson(run, r)) },
        headerBackgroundColor: colors[0],
        headerTextColor: colors[1],
        bodyBackgroundColor: colors[2],
        bodyTextColor: colors[3],
        authorExternalChannelId: c.channelId,
        authorNameTextColor: colors[4],
        ...contextMenu(ids, tracking),
        timestampColor: light ? 2147483648 : 2164260863,
        contextMenuAccessibility: { accessibilityData: { label: "Chat actions" } },
        timestampText: { simpleText: timestampText(ev.t) },
        ...(b.length > 0 ? { authorBadges: b } : {}),
        textInputBackgroundColor: light ? 822083583 : 805306368,
      };
      break;
    }
    case "member": {
      const c = item.user;
      ids = makeIds(r, c.channelId);
      kind = "liveChatMembershipItemRenderer";
      const milestone = item.months > 0;
      const tip = milestone ? `Member (${item.months} months)` : "New member";
      renderer = {
        id: ids.id,
        timestampUsec: usec,
        timestampText: { simpleText: timestampText(ev.t) },
        authorExternalChannelId: c.channelId,
        ...(milestone
          ? {
              headerPrimaryText: { runs: [{ text: "Member for " }, { text: String(item.months) }, { text: " months" }] },
              headerSubtext: { simpleText: DEMO_STREAM.membershipLevel },
              message: { runs: toRuns(item.text ?? "", c).map((run) => runJson(run, r)) },
            }
          : { headerSubtext: { runs: [{ text: "Welcome to " }, { text: DEMO_STREAM.membershipLevel }, { text: "!" }] } }),
        ...authorFields(c),
        authorBadges: [
          {
            liveChatAuthorBadgeRenderer: {
              customThumbnail: { thumbnails: [{ url: badgeUrl(tip), width: 16, height: 16 }] },
              tooltip: tip,
              accessibility: { accessibilityData: { label: tip } },
            },
          },
        ],
        ...contextMenu(ids, tracking),
        contextMenuAccessibility: { accessibilityData: { label: "Chat actions" } },
      };
      break;
    }
    case "engagement": {
      ids = makeIds(r, OWNER_CHANNEL_ID);
      kind = "liveChatViewerEngagementMessageRenderer";
      renderer = {
        id: ids.id,
        timestampUsec: usec,
        icon: { iconType: item.icon },
        message: { runs: item.runs.map((run): Json => (run.bold ? { text: run.text, bold: true } : { text: run.text })) },
        ...(item.icon === "YOUTUBE_ROUND"
          ? {
              actionButton: {
                buttonRenderer: {
                  style: "STYLE_BLUE_TEXT",
                  size: "SIZE_DEFAULT",
                  isDisabled: false,
                  text: { simpleText: "Learn more" },
                  navigationEndpoint: {
                    urlEndpoint: { url: "//support.google.com/youtube/answer/2853856?hl=en#safe", target: "TARGET_NEW_WINDOW" },
                  },
                  trackingParams: tracking,
                },
              },
            }
          : {}),
        trackingParams: tracking,
      };
      break;
    }
  }
  const line: Json = {
    clickTrackingParams: tracking,
    replayChatItemAction: {
      actions: [
        {
          clickTrackingParams: tracking,
          addChatItemAction: { item: { [kind]: renderer }, clientId: ids.clientId },
        },
      ],
      videoOffsetTimeMsec: String(ev.t),
    },
  };
  return JSON.stringify(line);
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/** Generates the demo chat: one yt-dlp live_chat.json line per item, in stream-time order. */
export function generateDemoChat(seed: number = DEMO_SEED): string[] {
  const r = new Rng(seed);
  const pop = makePopulation(r);
  const g = new Gen(r, pop);

  // Random arrivals: a non-homogeneous Poisson process (thinning), base rate plus event bursts.
  const maxRate = 55;
  const triggers: Array<readonly [number, () => void]> = [];
  const endS = DEMO_STREAM.durationMs / 1000 - 1;
  for (let t = r.exp(maxRate); t < endS; t += r.exp(maxRate)) {
    const base = baseRate(t);
    const { rate: extra, burst } = burstRate(t);
    const total = base + extra;
    if (r.next() * maxRate >= total) continue;
    const tMs = Math.round(t * 1000);
    const fromBurst = burst !== undefined && r.next() * total < extra;
    const mix = fromBurst && burst ? burst.mix : phaseMix(t);
    const cat = r.weighted(mix.filter(([, w]) => w > 0));
    triggers.push([tMs, () => emit(g, tMs, cat)]);
  }
  triggers.push(...script(g));
  triggers.sort((a, b) => a[0] - b[0]);
  for (const [, run] of triggers) run();

  g.events.sort((a, b) => a.t - b.t || a.seq - b.seq);

  // One continuation fragment (and so one clickTrackingParams) covers a few seconds of replay.
  const lines: string[] = [];
  let tracking = "";
  let fragmentEnd = -1;
  for (const ev of g.events) {
    if (ev.t >= fragmentEnd) {
      tracking = `CAEQl98BIhMI${r.str(24)}`;
      fragmentEnd = ev.t + r.int(4000, 9000);
    }
    lines.push(serialize(ev, r, tracking));
  }
  return lines;
}

/** Writes the gzipped demo file; prints a short summary. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const out = resolve(argv[0] ?? DEMO_OUTPUT);
  const lines = generateDemoChat(DEMO_SEED);
  const body = Buffer.from(lines.join("\n") + "\n", "utf8");
  const gz = gzipSync(body, { level: 9 });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, gz);

  const authors = new Set<string>();
  let chat = 0;
  let paid = 0;
  let other = 0;
  let last = 0;
  for (const line of lines) {
    const obj = JSON.parse(line) as {
      replayChatItemAction: { actions: Array<{ addChatItemAction: { item: Record<string, { authorExternalChannelId?: string }> } }>; videoOffsetTimeMsec: string };
    };
    const action = obj.replayChatItemAction.actions[0];
    const [kind, rend] = Object.entries(action?.addChatItemAction.item ?? {})[0] ?? [];
    if (kind === "liveChatTextMessageRenderer") chat++;
    else if (kind === "liveChatPaidMessageRenderer") paid++;
    else other++;
    if ((kind === "liveChatTextMessageRenderer" || kind === "liveChatPaidMessageRenderer") && rend?.authorExternalChannelId) authors.add(rend.authorExternalChannelId);
    last = Number(obj.replayChatItemAction.videoOffsetTimeMsec);
  }
  const mmss = timestampText(last);
  process.stdout.write(
    `wrote ${out}\n` +
      `  ${lines.length} lines: ${chat} chat messages, ${paid} Super Chats, ${other} other items\n` +
      `  ${authors.size} distinct authors, stream time 0:00-${mmss} (${(chat + paid) / (last / 1000) > 0 ? ((chat + paid) / (last / 1000)).toFixed(1) : "0"} msg/s avg)\n` +
      `  ${body.length} bytes raw, ${gz.length} bytes gzipped\n`,
  );
}

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(resolve(invoked)).href) main();
