/**
 * Words that name a member of Object.prototype, and "prototype": as keys into a plain object they find something
 * where a chat word should find nothing (issue 14, item 4). Tests feed them, in every spelling chat could use, to
 * every stage that looks words up.
 */
export const PROTOTYPE_NAMES: readonly string[] = [
  ...new Set([
    "constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString",
    "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__", "prototype",
    // Whatever else a later Node puts there.
    ...Object.getOwnPropertyNames(Object.prototype),
  ]),
];

function title(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** The name as written, lower-case, upper-case and capitalised, and stretched the way chat stretches words ("connnstructor"). */
export function caseVariants(name: string): string[] {
  const letter = name.search(/\p{L}/u);
  const stretched = letter < 0 ? name : name.slice(0, letter + 1) + name.charAt(letter).repeat(3) + name.slice(letter + 1);
  return [...new Set([name, name.toLowerCase(), name.toUpperCase(), title(name), title(name.toLowerCase()), stretched, stretched.toLowerCase()])];
}

/**
 * The name written as an emote could be: a YouTube shortcode (":constructor:"), a Twitch channel emote with a
 * prefix ("nepuConstructor", whose name part is read like an emote's), and a bare name (which a source's emote
 * positions, or a per-channel emote file, can declare an emote).
 */
export function emoteVariants(name: string): string[] {
  const alnum = name.replace(/[^A-Za-z0-9]/g, "");
  return [...new Set([`:${name}:`, `:${name.toLowerCase()}:`, `nepu${title(alnum)}`, `nepu${alnum.toUpperCase()}`, name])];
}

/** Every spelling of every prototype name, as words and as emotes. */
export const PROTOTYPE_TOKENS: readonly string[] = [...new Set(PROTOTYPE_NAMES.flatMap((n) => [...caseVariants(n), ...emoteVariants(n)]))];

/** Chat lines built around a prototype token: alone, next to scored words (before and after), negated, asked, repeated, mentioned. */
export function linesAround(token: string): string[] {
  return [
    token,
    `${token} test`,
    `good ${token}`,
    `${token} good`,
    `${token} LUL`,
    `not ${token} bad`,
    `lol ${token} lol`,
    `why ${token}?`,
    `${token} ${token} ${token}`,
    `@${token} hi`,
    `!${token}`,
  ];
}

/** What must never reach a headline: a missing value or an object stringified. */
export const BROKEN_TEXT = /undefined|null|NaN|\[object/;
