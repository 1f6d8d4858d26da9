import type { MultilingualLanguage } from "./multilingual-features.js";

/**
 * Chat spellings of German and Indonesian words, each mapped to one form, so the many ways chat writes a word share
 * what is learnt about it ("bgt", "bngt" and "banget"; "anjir", "njir", "anjay"; "scheiss", "scheiß" and "scheiße").
 * Written from general knowledge of how these chats are typed, never from the labelled lines: a held-out split of
 * the same streams checks whatever the table does. Stretched spellings ("mantaaap", "geiiil") are squeezed to
 * single letters before the look-up.
 */
const ID_FORMS: ReadonlyArray<readonly [string, string]> = [
  ["tidak", "gk ga gak gakk gaa nggak ngga nggk ngak nggak enggak engga kagak kaga gx ndak nda tdk tak ora"],
  ["banget", "bgt bngt bgtt bangett beud beut bener-bener"],
  ["anjir", "anjay anjrit anjrot anjer njir njer njay anjg anj ajg ajig anjink anjim anjing anying jir asu asw"],
  ["mantap", "mantul mantab mantep mantaps mantabs ntap mntp mantappu mantapu mantav mantab"],
  ["gg", "gege gegeh ggwp gegewepe"],
  ["kocak", "kocag kcak"],
  ["gila", "gilak gile gela"],
  ["keren", "kren"],
  ["bangsat", "bngst bgst bangsad bgsd bangsaat"],
  ["goblok", "goblog gblk gblg goblo"],
  ["tolol", "tlol"],
  ["bego", "bgo begok"],
  ["bodoh", "bodo"],
  ["kontol", "kntl kontl kntol"],
  ["bosan", "bosen"],
  ["jelek", "jlek jelk"],
  ["parah", "prh"],
  ["semangat", "smgt smangat semangatt"],
  ["kecewa", "kcewa"],
  ["kasihan", "kasian kesian"],
  ["malas", "males"],
  ["capek", "cape capekk"],
  ["hebat", "hbt"],
  ["bagus", "bgs bagoes"],
  ["sudah", "udah udh sdh dah"],
  ["memang", "emang emg"],
  ["yang", "yg"],
  ["terus", "trs"],
  ["kalau", "klo kalo kl"],
  ["karena", "krn karna"],
  ["gimana", "gmn bagaimana"],
  ["kenapa", "knp napa"],
  ["saja", "aja aj"],
  ["lagi", "lg"],
  ["juga", "jg"],
  ["dengan", "dgn"],
  ["aku", "gw gue gua gwa"],
  ["kamu", "lu lo elu loe"],
  ["wkwk", "wkwkwk wkwkwkwk wkwkw kwkw awokawok wokwok"],
];

const DE_FORMS: ReadonlyArray<readonly [string, string]> = [
  ["nicht", "nich net ned nit"],
  ["nein", "nö nee noe"],
  ["scheiße", "scheisse scheiß scheiss scheis shice"],
  ["kacke", "kack kacka"],
  ["geil", "geilo gail"],
  ["müll", "muell"],
  ["blöd", "bloed blöde bloede"],
  ["schön", "schoen"],
  ["süß", "süss suess"],
  ["digga", "diggah digger dicka"],
  ["alter", "alda"],
  ["ist", "is iss"],
  ["haha", "hahaha hehe hihi höhö hrhr lel"],
  ["nice", "nais naiz neis"],
  ["super", "supi"],
];

function table(forms: ReadonlyArray<readonly [string, string]>): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const [canonical, variants] of forms) for (const v of variants.split(" ")) if (v.length > 0 && v !== canonical) map.set(v, canonical);
  return map;
}

const TABLES: ReadonlyMap<MultilingualLanguage, ReadonlyMap<string, string>> = new Map([
  ["id", table(ID_FORMS)],
  ["de", table(DE_FORMS)],
]);
const CANONICAL: ReadonlyMap<MultilingualLanguage, ReadonlySet<string>> = new Map([
  ["id", new Set(ID_FORMS.map(([c]) => c))],
  ["de", new Set(DE_FORMS.map(([c]) => c))],
]);

/** Indonesian negation written onto the word it negates ("gaseru", "gabisa", "gakjelas"), longest prefix first. */
const ID_NEGATION_PREFIXES = ["nggak", "gak", "ngga", "ga", "gk"] as const;

const REPEATED = /(\p{L})\1+/gu;

/**
 * The one form of a chat spelling in `lang`, or undefined when the table does not know it. A `stretched` word
 * ("mantaaap") is also looked up with its repeated letters squeezed to one.
 */
export function normaliseWord(word: string, lang: MultilingualLanguage, stretched = true): string | undefined {
  const forms = TABLES.get(lang)!;
  const direct = forms.get(word);
  if (direct !== undefined || !stretched) return direct;
  const squeezed = word.replace(REPEATED, "$1");
  if (squeezed === word) return undefined;
  return forms.get(squeezed) ?? (CANONICAL.get(lang)!.has(squeezed) ? squeezed : undefined);
}

/**
 * The word an Indonesian glued negation negates ("gaseru" → "seru"), when what follows the prefix is at least three
 * letters and `known` says it is a word of the language; undefined otherwise ("gas", "gaming" stay as they are).
 */
export function gluedNegation(word: string, known: (w: string) => boolean): string | undefined {
  for (const prefix of ID_NEGATION_PREFIXES) {
    if (word.length - prefix.length < 3 || !word.startsWith(prefix)) continue;
    const rest = word.slice(prefix.length);
    if (known(rest)) return rest;
  }
  return undefined;
}

/** "siap2", "parah2": the Indonesian short form of a reduplicated word ("siap-siap"); the word, or undefined. */
export function reduplicatedShortForm(word: string): string | undefined {
  return word.length >= 4 && word.endsWith("2") && /^\p{L}+2$/u.test(word) ? word.slice(0, -1) : undefined;
}
