import { createRequire } from "node:module";
import { LinkifyIt } from "linkify-it";
import { STOPWORDS } from "../../processing/stopwords.js";

/**
 * The one detector of what may never go on air, whoever wrote it (a chat line quoted by the extractive summarizer,
 * a topic word of the synthesizer, a model's answer) and what the model is never shown unmasked:
 *
 * - links: any domain-like token (linkify-it with the full IANA list from `tlds`, so `free-robux.club`,
 *   `skins.shop` and `scam.site` are domains and `gg.wp`, `3.5`, `e.g.` are not), URLs and e-mail addresses,
 *   including dots written to slip past a filter: `evil[.]com`, `evil(.)com`, `evil (dot) com`, `evil dot com`,
 *   `evil . com`, full-width `evil．com` and `evil。com`, and zero-width characters inside a name;
 * - @handles;
 * - promo codes: "use code X", "code: SAVE20", "promo SAVE20";
 * - promotion: a text that asserts an endorsement ("the streamer endorses / sponsors / recommends …"), a giveaway
 *   ("free robux", "giveaway") or tells viewers to act ("visit a link", "go to …", "type !claim", "use code").
 *
 * It sits on the hot path of headline writing (safeForAir caches its answers): each check runs a cheap test first
 * and the full match only when that hits.
 */

const TLDS = createRequire(import.meta.url)("tlds") as string[];
const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: false }).tlds(TLDS);

/** Chat words that are also top-level domains or read like one when glued with a dot ("wow.so", "ok.lol", "pls.no"). */
const CHAT_WORDS: ReadonlySet<string> = new Set(
  "gg wp ggwp ez lol lul kek kekw xd wow pls plz omg wtf nice pog rip bruh ty thx np yep nope nah sure idk tbh imo hi hey hello bye yes no so ok okay good bad fun win live game".split(" "),
);

function isCommonWord(label: string): boolean {
  const w = label.toLowerCase();
  return STOPWORDS.has(w) || CHAT_WORDS.has(w);
}

// Ways of writing a dot that linkify does not read as one. Tight ones (brackets, full-width dots, zero-width
// characters) always join; loose ones (a spaced dot, the word "dot") join only names that are not common words,
// so "connect the dot to" and "so close . gg" stay chat.
const OBFUSCATION = /\s*[[({<]\s*(?:\.|dot)\s*[\])}>]\s*|\s*[．。｡]\s*|[\u00ad\u200b\u200c\u2060\ufeff]|(?<=[\p{L}\p{N}])(?:\s+dot\s+|\s+\.\s*)(?=[\p{L}\p{N}])/giu;
const LOOSE = /^(?:\s+dot\s+|\s+\.\s*)$/i;
const INVISIBLE = /^[\u00ad\u200b\u200c\u2060\ufeff]$/;
const MAYBE_OBFUSCATED = /[[({<]\s*(?:\.|dot)\s*[\])}>]|[．。｡\u00ad\u200b\u200c\u2060\ufeff]|\s(?:dot\s|\.)/i;
// What any link needs somewhere: a dot before a letter (a domain), "@" (an e-mail address) or "://". Most chat lines
// have none, and this test is ten times cheaper than linkify's (whose domain pattern holds every TLD).
const LINK_HINT = /[.．。｡]\p{L}|@|:\/\//u;
// Kept from before linkify: "www.anything" is a link whatever follows.
const WWW = /\bwww\.[^\s.]+\S*/gi;

export interface TextSpan {
  start: number;
  end: number;
}

/** A text with its obfuscated dots made plain, and for each of its characters the range it came from. */
interface PlainView {
  text: string;
  from: number[];
  to: number[];
  /** Ranges (in the original) of loose separators. */
  loose: TextSpan[];
}

function plainView(text: string): PlainView {
  const from: number[] = [];
  const to: number[] = [];
  const loose: TextSpan[] = [];
  let out = "";
  let last = 0;
  const keep = (start: number, end: number): void => {
    for (let i = start; i < end; i++) {
      out += text[i];
      from.push(i);
      to.push(i + 1);
    }
  };
  OBFUSCATION.lastIndex = 0;
  for (let m = OBFUSCATION.exec(text); m !== null; m = OBFUSCATION.exec(text)) {
    keep(last, m.index);
    const end = m.index + m[0].length;
    if (!INVISIBLE.test(m[0])) {
      out += ".";
      from.push(m.index);
      to.push(end);
      if (LOOSE.test(m[0])) loose.push({ start: m.index, end });
    }
    last = end;
  }
  keep(last, text.length);
  return { text: out, from, to, loose };
}

function hostOf(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^mailto:/i, "").split(/[/?#:]/)[0] ?? "";
}

/** Whether a fuzzy match (no scheme, no path) is chat glued with a dot rather than a domain. */
function isGluedChat(raw: string): boolean {
  if (/[/:@]/.test(raw)) return false;
  const labels = hostOf(raw).split(".");
  return labels.length === 2 && isCommonWord(labels[0] ?? "") && isCommonWord(labels[1] ?? "");
}

const LABEL_BEFORE = /[\p{L}\p{N}-]+$/u;
const LABEL_AFTER = /^[\p{L}\p{N}-]+/u;
const HAS_LETTER = /\p{L}/u;

// Top-level domains a spelled-out or spaced dot may end in. Every TLD counts after a real or bracketed dot, but
// "PogChamp dot play" and "red . blue" are chat: a loose dot needs a domain ending chat rarely says otherwise.
const LOOSE_TLDS: ReadonlySet<string> = new Set(
  "com net org info biz co io tv gg xyz ru su cn uk de fr eu cc ws top vip club shop site online store app dev link click pro icu buzz cam cyou sbs cfd gift gifts money cash".split(" "),
);

/** A spaced dot or the word "dot" joins two names only, never a number ("14.2 dot play") or a common word ("the dot com"). */
function joinsNames(text: string, sep: TextSpan, tld: string): boolean {
  if (!LOOSE_TLDS.has(tld.toLowerCase())) return false;
  const before = LABEL_BEFORE.exec(text.slice(0, sep.start))?.[0] ?? "";
  const after = LABEL_AFTER.exec(text.slice(sep.end))?.[0] ?? "";
  return [before, after].every((w) => HAS_LETTER.test(w) && !isCommonWord(w));
}

/** Where the text holds a link (a domain, a URL, an e-mail address), obfuscated or not; in text order. */
export function findLinks(text: string): TextSpan[] {
  const obfuscated = MAYBE_OBFUSCATED.test(text);
  if (!obfuscated && !LINK_HINT.test(text)) return [];
  const www = text.includes("www.");
  if (!obfuscated && !www && !linkify.test(text)) return [];
  const spans: TextSpan[] = [];
  const view = obfuscated ? plainView(text) : undefined;
  const plain = view?.text ?? text;
  for (const m of linkify.match(plain) ?? []) {
    const start = view === undefined ? m.index : (view.from[m.index] as number);
    const end = view === undefined ? m.lastIndex : (view.to[m.lastIndex - 1] as number);
    const tld = hostOf(m.raw).split(".").pop() ?? "";
    if (view !== undefined && view.loose.some((s) => s.start >= start && s.end <= end && !joinsNames(text, s, tld))) continue;
    if (m.schema === "" && isGluedChat(m.raw)) continue;
    spans.push({ start, end });
  }
  if (www) {
    WWW.lastIndex = 0;
    for (let m = WWW.exec(text); m !== null; m = WWW.exec(text)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return merged(spans);
}

function merged(spans: TextSpan[]): TextSpan[] {
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: TextSpan[] = [];
  for (const s of spans) {
    const prev = out[out.length - 1];
    if (prev !== undefined && s.start <= prev.end) prev.end = Math.max(prev.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

export const HANDLE = /@[\p{L}\p{N}_]+/gu;

// Case-insensitive keywords, case-sensitive codes: JavaScript has no inline (?i), so the keywords spell both cases.
const ci = (word: string): string => [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join("");
const CODE_WORD = ci("code");
// A letter, then digits among letters ("SAVE20", "x7k2"; not "0x80" or "404"), or four capitals or more ("NINJA"). Linear.
const CODE_LIKE = "(?:(?=[A-Za-z][A-Za-z0-9_-]*\\d)[A-Za-z0-9_-]{3,}|[A-Z][A-Z0-9_-]{3,})";
const PROMO_CODE = new RegExp(
  [
    // "use code ninja", "creator code: X", "promo code SAVE20": after these, any word but a function word is the code.
    `\\b(?:${["use", "enter", "apply", "redeem", "creator", "promo", "coupon", "discount", "referral", "voucher"].map(ci).join("|")})\\s+${CODE_WORD}\\s*[:=]?\\s*["'“]?(?!(?:${["is", "was", "are", "and", "or", "the", "to", "for", "in", "of", "it", "that", "this"].map(ci).join("|")})\\b)[\\p{L}\\p{N}_-]{2,}["'”]?`,
    // "code: SAVE20", "code=ABC"
    `\\b${CODE_WORD}\\s*[:=]\\s*["'“]?[\\p{L}\\p{N}_-]{2,}["'”]?`,
    // "code SAVE20", "promo SAVE20", "coupon XMAS25": only a word that looks like a code
    `\\b(?:${[CODE_WORD, ci("promo"), ci("coupon"), ci("voucher")].join("|")})\\s+["'“]?${CODE_LIKE}\\b["'”]?`,
  ].join("|"),
  "gu",
);
const MAYBE_CODE = /code|promo|coupon|voucher/i;

export interface OnAirMasked {
  text: string;
  links: number;
  handles: number;
  codes: number;
}

/** The text with every link replaced by "a link", every @handle by `handleAs` and every promo code by "a promo code". */
export function maskOnAir(text: string, handleAs = "someone"): OnAirMasked {
  let links = 0;
  let out = text;
  const spans = findLinks(text);
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i] as TextSpan;
    out = `${out.slice(0, s.start)}a link${out.slice(s.end)}`;
    links++;
  }
  let handles = 0;
  if (out.includes("@")) {
    out = out.replace(HANDLE, () => {
      handles++;
      return handleAs;
    });
  }
  let codes = 0;
  if (MAYBE_CODE.test(out)) {
    out = out.replace(PROMO_CODE, () => {
      codes++;
      return "a promo code";
    });
  }
  return { text: out, links, handles, codes };
}

export type Promotion = "endorsement" | "giveaway" | "instruction";

// What "free …" hands out in a scam or a giveaway (not "free kick", "free will", "free agent", "free to play").
const GOODS =
  "robux|v-?bucks|skins?|gold|coins?|gems?|nitro|subs?|gift\\s*cards?|gifts?|money|cash|items?|keys?|crates?|cases?|credits?|points|followers|viewers|views|bits|prizes?|stuff|accounts?|diamonds|tokens?|crypto|bitcoins?|btc|eth|nfts?|iphones?|ps5|loot|rewards?|codes?|trials?|premium|vip|memberships?|spins|primogems|rp|a link|a promo code";
// What one is told to win or claim ("win a free …", "claim your robux"), but not "win the game" or "won gold".
const PRIZES = "free|prizes?|rewards?|gifts?|robux|v-?bucks|nitro|skins?|gift\\s*cards?|iphones?|ps5|crypto|bitcoins?|nfts?|a link|a promo code";
const SUBJECTS = "streamer|streamers|channel|host|caster|casters|broadcaster|creator|team|stream|mods?|moderators?|owner|admins?|he|she|they|we|i|twitch|youtube|kick";
const ACTS = "visit|go|goto|head|check|click|tap|download|install|sign|register|subscribe|follow|join|claim|redeem|use|type|enter|dm|message|scan|buy|grab|get|open";
const TARGETS = "a link|a promo code|links?|urls?|sites?|websites?|web\\s*page|discord|server|telegram|whatsapp|bio|description|profile|app|apk|exe|extension|dms?|inbox|qr";

const PROMOTIONS: [Promotion, RegExp][] = [
  [
    "endorsement",
    new RegExp(
      [
        "\\bendors(?:e|es|ed|ing|ement|ements)\\b",
        "\\bsponsor(?:ed|ing|ship|ships)\\b",
        "\\bsponsors\\s+(?:the|this|a|an|our|his|her|their|it|today)\\b",
        "\\b(?:official|paid|exclusive)\\s+(?:sponsor|partner|site|website|link|store|shop|giveaway|app)s?\\b",
        "\\b(?:legit|trusted|verified|safe|real)\\s+(?:site|website|link|store|shop|giveaway|app|a link)\\b",
        "\\bpartner(?:s|ed|ing)?\\s+with\\b|\\bpartnership\\b|\\baffiliated?\\s+with\\b|\\bbrought to you by\\b|\\bpaid promotion\\b",
        `\\b(?:${SUBJECTS})(?:'s)?\\s+(?:\\w+\\s+){0,2}?(?:recommend(?:s|ed)?|approve[sd]?|vouch(?:es|ed)?|promote[sd]?|(?:officially|personally|proudly|now)\\s+(?:supports?|backs|uses|trusts|loves|likes|plays))\\b`,
        `\\b(?:recommended|approved|trusted|verified|certified|backed|supported|promoted)\\s+by\\s+(?:the\\s+)?(?:${SUBJECTS})\\b`,
        "\\b(?:is|are)\\s+(?:now\\s+)?(?:partnered|affiliated|working)\\s+with\\b",
      ].join("|"),
      "i",
    ),
  ],
  [
    "giveaway",
    new RegExp(
      [
        "\\bgive-?aways?\\b",
        "\\bgiv(?:e|es|ing|en)\\s+(?:\\w+\\s+)?away\\b|\\bgave\\s+(?:\\w+\\s+)?away\\b",
        `\\bfree\\s+(?:(?!and\\b|or\\b)[\\p{L}-]+\\s+)?(?:${GOODS})\\b`,
        `\\b(?:${GOODS}|get|gets|got|getting|receive|earn)\\s+(?:\\S+\\s+){0,2}?for\\s+free\\b`,
        `\\b(?:win|claim|grab|redeem|collect)(?:s|ing)?\\s+(?:a\\s+|an\\s+|your\\s+|their\\s+|the\\s+|some\\s+)?(?:${PRIZES})\\b`,
        "\\b(?:prizes?|raffles?|sweepstakes?|airdrops?|lottery|jackpot)\\b",
      ].join("|"),
      "iu",
    ),
  ],
  [
    "instruction",
    new RegExp(
      [
        // a command to type, anywhere: a headline never needs one
        "(?:^|[\\s'\"“(])!\\p{L}",
        `\\b(?:${ACTS})(?:s|ing|ed)?\\s+(?:\\S+\\s+){0,3}?(?:${TARGETS})\\b`,
        "\\b(?:click|tap)\\s+(?:on\\s+)?(?:here|this|it|now)\\b",
        "\\b(?:follow|dm|message|add|subscribe to|sub to)\\s+someone\\b",
        "\\b(?:go|head)\\s+(?:over\\s+)?to\\s+a link\\b",
        `\\b(?:viewers|everyone|everybody|you|chat|people|fans|followers|y'?all|users)\\s+(?:should|must|need to|needs to|have to|has to|are told to|is told to|are urged to|is urged to|are asked to|is asked to|can now|are invited to|is invited to|get to)\\s+(?:${ACTS})\\b`,
        `\\b(?:tells?|told|telling|urges?|urged|urging|asks?|asked|asking|invites?|invited|inviting|encourages?|encouraged|encouraging|wants?|wanted|reminds?|reminded)\\s+(?:viewers|everyone|everybody|you|chat|people|fans|followers|us|them|the viewers)\\s+to\\s+(?:${ACTS})\\b`,
        "\\buse\\s+(?:a\\s+|the\\s+|my\\s+|our\\s+)?(?:promo\\s+|creator\\s+|discount\\s+)?code\\b|\\b(?:promo|coupon|discount|creator|referral)\\s+codes?\\b|\\bcoupons?\\b",
        "\\blink\\s+in\\s+(?:the\\s+|my\\s+|his\\s+|her\\s+)?(?:bio|description|profile)\\b",
      ].join("|"),
      "iu",
    ),
  ],
];
// A word one of the patterns above needs, in one test: most chat lines have none, and it halves the cost of a
// check over the dev windows' 23,021 chat lines (12.4 µs a line without it, 6.4 with it).
const PROMOTION_HINT = new RegExp(
  [
    "endors|sponsor|official|paid|exclusive|legit|trusted|verified|safe|real|partner|affiliat|brought|recommend|approv|vouch|promot|personally|proudly",
    "\\bnow\\s+(?:support|back|use|trust|love|like|play)|certified|backed|supported|working\\s+with",
    "give-?away|away|free|\\b(?:win|claim|grab|redeem|collect)|prize|raffle|sweepstake|airdrop|lotter|jackpot",
    "!",
    `\\b(?:${TARGETS})`,
    "click|\\btap\\b|someone|should|must|\\bneeds?\\s+to|ha(?:ve|s)\\s+to|told\\s+to|urged\\s+to|asked\\s+to|can\\s+now|invited\\s+to|get\\s+to",
    "\\b(?:viewers|everyone|everybody|you|chat|people|fans|followers|us|them)\\s+to\\b|code|coupon",
  ].join("|"),
  "i",
);

const PROMOTES_CACHE_LIMIT = 20_000;
const promotesCache = new Map<string, boolean>();

/** Whether `promotionIn` finds a promotion; remembered, for words and lines that recur from window to window. */
export function promotes(text: string): boolean {
  const cached = promotesCache.get(text);
  if (cached !== undefined) return cached;
  const answer = promotionIn(text) !== undefined;
  if (promotesCache.size >= PROMOTES_CACHE_LIMIT) promotesCache.clear();
  promotesCache.set(text, answer);
  return answer;
}

/**
 * What kind of promotion the text asserts, if any: an endorsement, a giveaway or an instruction to viewers. Links,
 * handles and codes are masked first, so "visit evil[.]com" reads as "visit a link".
 */
export function promotionIn(text: string): Promotion | undefined {
  const masked = maskOnAir(text);
  if (masked.codes > 0) return "instruction";
  if (!PROMOTION_HINT.test(masked.text)) return undefined;
  for (const [kind, pattern] of PROMOTIONS) if (pattern.test(masked.text)) return kind;
  return undefined;
}
