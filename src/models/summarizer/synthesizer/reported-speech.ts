import type { Token } from "../../../processing/tokenizer.js";
import { indirectQuestion } from "./indirect-question.js";
import type { Reaction } from "./reactions.js";

/**
 * One chat line retold as reported speech, the way a producer describes what chat said: "is she dying??" → "ask
 * whether she is dying", "boil it" → "urge the streamer to boil it", "jensen so useless" → "call Jensen useless",
 * "he missed the jump LUL" → "joke that he missed the jump", "i found wally" → "say they found Wally".
 *
 * Deliberately conservative: a line that does not fit one of these shapes gives undefined and the headline names
 * topics instead. Wrong grammar on air is worse than a plainer headline, and no run of more than four words may be
 * copied from the line (the annotation guidelines' quoting rule, enforced by headline-rules.ts).
 */
export type SpeechAct = "ask" | "urge" | "call" | "laugh" | "joke" | "say";

export interface ReportedSpeech {
  act: SpeechAct;
  /** The verb phrase in the base form, for a plural subject: "ask whether the streamer plays ranked". */
  phrase: string;
  /** Lower-case words of the line the phrase uses, so the rest of the headline does not name them again. */
  keys: string[];
}

export interface SpeechOptions {
  /** What the line expresses (from its words and emotes): laughter makes "laugh at" / "joke that". */
  reaction?: Reaction | undefined;
  /** A proper name chat writes in lower case ("china" → "China"). */
  isName?: (lower: string) => boolean;
  /** Words that must not be printed: chatters' names (lower-case). */
  excluded?: ReadonlySet<string>;
  /** A word known to chat at large (lower-case): all-caps words it does not know stay acronyms ("TSM"). */
  isKnownWord?: (lower: string) => boolean;
  /** How the window's chat writes a word when it does not shout it ("jensen" → "Jensen"): casing for shouted lines. */
  writtenAs?: (lower: string) => string | undefined;
  /**
   * Whom a request is addressed to: "the streamer" when chat talks to the streamer (it says "you"), else "them" (an
   * esports or news broadcast, where "remake blue buff" is aimed at the players).
   */
  addressee?: string;
}

/** The longest run of one line's words a headline may repeat (GUIDELINES.md: "quote at most four words"). */
export const MAX_COPIED_RUN = 4;
/** Lines longer than this (after fillers are dropped) are paragraphs, not remarks: not retold. */
const MAX_LINE_WORDS = 9;
const MIN_LINE_WORDS = 2;

// Filler at either end of a line carries no content: "bro", "lol", "chat", "ok so".
const EDGE_FILLER = new Set(["sir", "pls", "plz", "please", "hi", "hello", "hey", "bro", "yo", "guys", "chat", "ok", "okay", "so", "wait", "omg", "wtf", "lol", "lmao", "lmfao", "man", "dude", "yeah", "yea", "oh", "well", "bruh", "xd", "haha", "hahaha", "kek", "kekw", "lul", "damn", "holy", "and", "but", "like", "tbh", "ngl", "imo", "fr", "lmfaoo", "rofl"]);
// Words that soften a statement without changing it; dropped inside the line so fewer of its words run together.
const INNER_FILLER = new Set(["just", "really", "literally", "actually", "basically", "totally", "lowkey", "honestly", "kinda", "ffs", "tho", "smh", "tbh", "idk", "btw", "ngl", "rn", "af", "imo", "fr", "omfg"]);
const LAUGH_WORDS = /^(?:lol+|lmf?ao+|rofl|xd+|kek|kekw|lul|omegalul|(?:ha){2,}h?|(?:he){2,}|l+u+l+)$/i;
// Swearing used as punctuation ("WTFF this is addictive"): dropped like laughter, but it is no laughter.
const EXCLAMATION_WORDS = /^(?:w+t+f+|o+m+g+|wth)$/i;
// A line that stops on one of these lost its end (an emote was the complement: "this song is so BibleThump").
const DANGLING = new Set("is are was were am be so the a an to of for with at in on and or but very really too my your his her their our its than as from".split(" "));
// A vocative is dropped only before what it introduces: a request or a statement about someone.
const AFTER_VOCATIVE = new Set(["please", "pls", "plz", "you", "u", "your", "ur", "we", "i", "just", "dont", "don't"]);
const PLEASE = /^(?:pl[sz]+|plea+se+|plez)$/;
// A line that opens like a question is one, with or without its question mark ("is that riven").
const QUESTION_OPENERS = new Set(["is", "are", "was", "were", "does", "do", "did", "can", "could", "will", "would", "should", "what", "where", "who", "why", "how", "when", "which", "whats", "what's", "didn't", "didnt", "doesn't", "doesnt", "isn't", "isnt", "can't", "wasn't", "aren't"]);
const WH_WORDS = new Set(["what", "where", "who", "why", "how", "when", "which", "whats", "what's"]);

// Base-form verbs chat uses as requests to the streamer ("buy boots", "read chat", "play ranked").
const IMPERATIVE_VERBS = new Set(
  ("buy sell go play do kill stop ban get try pick use eat drink read check give take show turn open fix build look say sing dance visit come " +
    "leave skip mute unmute report remake ff wait watch hit push farm ult run save let put keep call hold lock press join boil fry cook grab " +
    "order add make bring change move answer drop delete restart reset uninstall install stream sub follow vote bet chill calm relax jump " +
    "pause rewind unpause flash ward back rotate carry dodge queue swap upgrade sleep speak tell ask shoot tp hide craft sit stand start " +
    "be stay wake trust believe send pay focus type").split(" "),
);
// Verbs that agree with "the streamer" by adding -s ("you need a guild" → "the streamer needs a guild").
const AGREEING_VERBS = new Set(
  ("need want like love hate know think look play have get go make take see say mean feel sound seem deserve owe win lose " +
    "suck rock own carry miss forget remember understand speak talk sing cook eat drink").split(" "),
);
// Words that make a line a clause ("he is", "they won") rather than a bare noun phrase ("nice ult").
const CLAUSE_WORDS = new Set(
  ("is are was were am be been has have had can can't cant could will would should did does do don't dont doesn't doesnt didn't didnt isn't isnt " +
    "wasn't wasnt won't wont i he she it they we you it's its he's hes she's shes that's thats there's theres they're theyre i'm im " +
    "gonna going got just need needs want wants").split(" "),
);
// A label chat pins on someone: "call Jensen useless", "call Faker a god". Nouns take an article.
const LABEL_NOUNS = new Set(
  ("god goat clown troll noob bot fraud liar legend king queen beast monster genius idiot joke loser scammer hero traitor coward " +
    "criminal felon puppet dictator boomer chad simp baby snake rat donkey fiesta").split(" "),
);
const LABEL_ADJECTIVES = new Set(
  ("trash garbage useless bad overrated washed bald boring cute fake dead cringe insane broken op terrible awful ugly old racist stupid dumb " +
    "crazy smart good great amazing beautiful handsome sus lame toxic annoying corrupt incompetent weak strong clean lucky unlucky hot").split(" "),
);
const COPULA_LINKS = new Set(["is", "are", "so", "looks", "was", "such"]);
const ARTICLES = new Set(["a", "an", "the"]);
const OBJECT_PRONOUNS = new Map([
  ["he", "him"],
  ["she", "her"],
  ["they", "them"],
  ["him", "him"],
  ["her", "her"],
  ["them", "them"],
  ["you", "the streamer"],
  ["u", "the streamer"],
  ["this", "it"],
  ["that", "it"],
  ["it", "it"],
]);

// Person shift for a reported statement: the chatter (I, we) becomes "they", chat's "you" the streamer.
const SHIFT = new Map([
  ["i", "they"],
  ["me", "them"],
  ["my", "their"],
  ["mine", "theirs"],
  ["myself", "themselves"],
  ["we", "they"],
  ["us", "them"],
  ["our", "their"],
  ["ours", "theirs"],
  ["ourselves", "themselves"],
  ["i'm", "they're"],
  ["im", "they're"],
  ["i've", "they've"],
  ["ive", "they've"],
  ["i'll", "they'll"],
  ["we're", "they're"],
  ["we've", "they've"],
  ["we'll", "they'll"],
  ["your", "the streamer's"],
  ["ur", "the streamer's"],
  ["you're", "the streamer is"],
  ["youre", "the streamer is"],
  ["you've", "the streamer has"],
  ["you'll", "the streamer will"],
]);
// After "I" → "they" and "you" → "the streamer" the verb agrees: "I am" → "they are", "you are" → "the streamer is".
const AFTER_THEY = new Map([
  ["am", "are"],
  ["was", "were"],
  ["wasn't", "weren't"],
  ["wasnt", "weren't"],
]);
const AFTER_STREAMER = new Map([
  ["are", "is"],
  ["were", "was"],
  ["have", "has"],
  ["do", "does"],
  ["don't", "doesn't"],
  ["dont", "doesn't"],
  ["aren't", "isn't"],
  ["arent", "isn't"],
  ["weren't", "wasn't"],
  ["haven't", "hasn't"],
]);
// Words after "you" that need no agreement (modals, past tense): "you can", "you should", "you missed".
const UNINFLECTED = /^(?:can|could|will|would|should|might|must|can't|cant|won't|wont|shouldn't|did|didn't|didnt|had|(?!.*eed$)[a-z]{3,}ed|got|won|lost|said|made)$/;

interface Word {
  /** As it will be printed (casing normalised). */
  out: string;
  lower: string;
  /** As chat wrote it. */
  written: string;
}

/** The line's words as a headline prints them, without emotes, fillers or laughter; undefined when it cannot be printed. */
function lineWords(text: string, tokens: readonly Token[], options: SpeechOptions): { words: Word[]; laughs: boolean; addressed: boolean } | undefined {
  // Masked by chat or by the platform, a comparison ("REDBULL > MONSTER"), a path or subreddit, a share: what the
  // line says is not in its words alone.
  if (/[*<>=%/&]/.test(text.replace(/<3/g, ""))) return undefined;
  const words: Word[] = [];
  let laughs = options.reaction === "laughter";
  let addressed = false;
  const letters = tokens.filter((t) => t.kind === "word").map((t) => t.text).join("");
  const shouted = letters.length >= 4 && letters === letters.toUpperCase();
  // A leading vocative ("SPEED, please come to Nepal") addresses someone by name: it is not part of what is said.
  const vocative = /^\s*[\p{L}\p{N}]+\s*,\s*([\p{L}']+)/u.exec(text);
  let skipFirstWord = vocative !== null && AFTER_VOCATIVE.has((vocative[1] as string).toLowerCase());
  for (const tok of tokens) {
    if (tok.kind === "url") return undefined;
    if (tok.kind === "mention") {
      // Addressing a chatter at the start is dropped, but then "you" is that chatter: the caller checks `addressed`.
      if (words.length > 0) return undefined;
      addressed = true;
      continue;
    }
    if (tok.kind !== "word" && tok.kind !== "number") continue;
    const lower = tok.text.toLowerCase();
    if (LAUGH_WORDS.test(lower)) {
      laughs = true;
      continue;
    }
    if (EXCLAMATION_WORDS.test(lower)) continue;
    if (tok.elongated || tok.repeat > 1 || options.excluded?.has(lower) || /[_]|\p{Ll}\p{Lu}/u.test(tok.text)) return undefined;
    if (!/^[A-Za-z0-9']+$/.test(tok.text) || (tok.kind === "word" && lower.length === 1 && lower !== "i" && lower !== "a")) return undefined;
    if (skipFirstWord) {
      skipFirstWord = false;
      continue;
    }
    words.push({ out: casing(tok.text, lower, shouted, words.length === 0, options), lower, written: tok.text });
  }
  while (words.length > 0 && EDGE_FILLER.has((words[0] as Word).lower)) words.shift();
  while (words.length > 0 && EDGE_FILLER.has((words[words.length - 1] as Word).lower)) words.pop();
  const kept = words.filter((w) => !INNER_FILLER.has(w.lower));
  // A sentence start is lower-cased unless a second capitalised word makes it a name ("Star Wars?").
  const [a, b] = kept;
  if (a !== undefined && b !== undefined && !shouted && a.out === a.lower && /^[A-Z][a-z']+$/.test(a.written) && /^[A-Z]/.test(b.out)) a.out = a.written;
  if (kept.length > 0 && DANGLING.has((kept[kept.length - 1] as Word).lower)) return undefined;
  // A word said twice ("ITZ LUL ITZ") is a chant; two words chat at large does not know, one of them short ("omegawow … i
  // lov wow"), are typos or slang.
  if (new Set(kept.map((w) => w.lower)).size < kept.length) return undefined;
  const unknown = options.isKnownWord === undefined ? [] : kept.filter((w) => w.out === w.lower && !/^\d/.test(w.lower) && !options.isKnownWord?.(w.lower));
  if (unknown.length >= 2 && unknown.some((w) => w.lower.length <= 3)) return undefined;
  return { words: kept, laughs, addressed };
}

/**
 * Chat's casing is noise: names and acronyms keep their capitals ("TSM", "EU", "Faker"), "I" stays, everything else is
 * lower case. A line shouted in capitals is written as the window's chat writes its words elsewhere ("JENSEN" →
 * "Jensen"), names as names, unknown words of up to four letters as acronyms; the first word of a line is capitalised
 * as a sentence start, not as a name.
 */
function casing(text: string, lower: string, shouted: boolean, first: boolean, options: SpeechOptions): string {
  if (lower === "i") return "I";
  const known = options.isKnownWord?.(lower) ?? false;
  const title = lower.charAt(0).toUpperCase() + lower.slice(1);
  if (options.isName?.(lower) === true) return title;
  const written = shouted ? options.writtenAs?.(lower) : undefined;
  if (/^[A-Z]{2,4}\d?$/.test(text) && !STOP.has(lower)) {
    // "EU", "TSM", "ADC" stay; a short common word merely shouted ("MID", "TOP") is lower case where chat writes it so.
    return text.length > 2 && known && (shouted || text === text.toUpperCase()) && written !== text ? lower : text;
  }
  if (shouted) {
    if (written !== undefined) return /^[A-Z][a-z']+$/.test(written) ? written : lower;
    return known ? lower : title;
  }
  if (/^[A-Z][a-z']+$/.test(text) && !(first && known)) return text;
  return lower;
}
// Function words written in capitals are shouted, never acronyms ("THE ONE", "IS").
const STOP = new Set("a an the is are was were be and or but of to in on at for with it its he she they we you i me my your his her our this that so no not do does did can will just all one".split(" "));

/** The line as reported speech, or undefined when it is none of the shapes retold here. */
export function reportLine(text: string, tokens: readonly Token[], options: SpeechOptions = {}): ReportedSpeech | undefined {
  const read = lineWords(text, tokens, options);
  if (read === undefined) return undefined;
  const { words, laughs, addressed } = read;
  if (words.length < MIN_LINE_WORDS || words.length > MAX_LINE_WORDS) return undefined;
  const lower = words.map((w) => w.lower);
  // Said to another chatter ("@x you must be a girl"), "you" is not the streamer: such a line is not retold.
  if (addressed && lower.some((w) => SECOND_PERSON.has(w))) return undefined;
  const keys = lower.filter((w) => w.length >= 3 && !CLAUSE_WORDS.has(w) && !ARTICLES.has(w));
  const done = (act: SpeechAct, phrase: string): ReportedSpeech | undefined => (copiesTooMuch(phrase, text) ? undefined : { act, phrase, keys });
  if (/[?？]/.test(text) || QUESTION_OPENERS.has(lower[0] as string)) {
    // The line as chat wrote it first (its last words may be fillers that belong to the question: "is that chair okay"),
    // then without its fillers and emotes.
    const clause = indirectQuestion(text, { excluded: options.excluded, isEmote: (w) => !/^[A-Za-z0-9']+$/.test(w) }) ?? indirectQuestion(`${joined(words)}?`, { excluded: options.excluded });
    if (clause !== undefined) return done("ask", `ask ${clause.startsWith("if ") ? `whether ${clause.slice(3)}` : clause}`);
    // A bare noun phrase asked ("Star Wars?", "china???") asks whether that is it.
    if (!/[?？]/.test(text) || words.length > 3 || lower.some((w) => CLAUSE_WORDS.has(w) || IMPERATIVE_VERBS.has(w) || WH_WORDS.has(w) || INDEFINITE.has(w))) return undefined;
    const shifted = shiftPerson(words);
    return shifted === undefined ? undefined : done("ask", `ask whether it is ${shifted}`);
  }
  const imperative = request(words, lower, options);
  if (imperative !== undefined) return done("urge", imperative);
  const label = labelOf(words, lower, options);
  if (label !== undefined) return done("call", label);
  // A past participle opening the line ("missed clock", "rigged drakes") is an adjective, not a clause's verb.
  const clause = lower.some((w, i) => CLAUSE_WORDS.has(w) || (i > 0 && PAST.test(w)));
  if (laughs && !clause) return words.length <= MAX_COPIED_RUN ? done("laugh", `laugh at ${joined(words)}`) : undefined;
  if (!clause) return undefined;
  const shifted = shiftPerson(words);
  if (shifted === undefined) return undefined;
  return laughs ? done("joke", `joke that ${shifted}`) : done("say", `say ${shifted}`);
}

const INDEFINITE = new Set(["anyone", "someone", "everyone", "anybody", "somebody", "everybody", "nobody", "this", "that", "any", "no"]);
const SECOND_PERSON = new Set(["you", "u", "your", "ur", "you're", "youre", "yours", "yourself"]);
// A past-tense verb makes a clause too ("Jhin missed 2 shots", "Xpecial got fat").
const PAST = /^(?:(?!.*eed$)[a-z]{3,}ed|got|won|lost|did|went|made|took|said|hit|ran|ate|died|fell)$/;

function joined(words: readonly Word[]): string {
  return words.map((w) => w.out).join(" ");
}

/** "boil it", "pls play ranked", "dont do it": a request, as "urge the streamer to …" (or "urge them to …"). */
function request(words: readonly Word[], lower: readonly string[], options: SpeechOptions): string | undefined {
  let i = 0;
  let please = false;
  while (i < lower.length && (PLEASE.test(lower[i] as string) || lower[i] === "just" || lower[i] === "someone")) {
    please ||= PLEASE.test(lower[i] as string);
    i++;
  }
  let negated = false;
  if (lower[i] === "dont" || lower[i] === "don't" || (lower[i] === "do" && lower[i + 1] === "not")) {
    negated = true;
    i += lower[i] === "do" ? 2 : 1;
  }
  const verb = lower[i];
  const rest = words.slice(i).filter((w) => !PLEASE.test(w.lower));
  please ||= lower.some((w) => PLEASE.test(w));
  if (verb === undefined || rest.length === 0) return undefined;
  // Beyond the list, a word is taken for a verb only when chat at large knows it and it is no name ("JENSEN UNINSTALL PLZ").
  // A line opening "dont" is a request whatever its verb ("dont microwave hot dogs").
  const verbLike = /^[a-z]+$/.test(verb) && !CLAUSE_WORDS.has(verb) && !STOP.has(verb) && (negated || (options.isKnownWord?.(verb) ?? false)) && options.isName?.(verb) !== true && !/^[A-Z]/.test((rest[0] as Word).out);
  if (!IMPERATIVE_VERBS.has(verb) && !((please || negated) && verbLike)) return undefined;
  // "give me", "show us", "let's": a chatter asking for themselves, or cheering, is not a request to the streamer.
  if (rest.some((w) => /^(?:me|us|i|we|my|our|let's|lets|you|your|u|ur)$/.test(w.lower))) return undefined;
  if (rest.length === 1 && !negated && !please) return undefined;
  // "oh look... yogg": an interjection unless it looks at something.
  if (verb === "look" && lower[i + 1] !== "at") return undefined;
  // "GO INTZ", "go Faker": support for a team or a player, not a request.
  if (verb === "go" && rest.length === 2 && /^[A-Z]/.test((rest[1] as Word).out)) return undefined;
  const [head, ...tail] = rest as [Word, ...Word[]];
  return `urge ${options.addressee ?? "the streamer"} ${negated ? "not " : ""}to ${[head.lower, ...tail.map((w) => w.out)].join(" ")}`;
}

/** "jensen so useless", "faker god", "he is a clown": a label pinned on someone, as "call X Y". */
function labelOf(words: readonly Word[], lower: readonly string[], options: SpeechOptions): string | undefined {
  if (words.length > 5) return undefined;
  const last = lower[lower.length - 1] as string;
  const isNoun = LABEL_NOUNS.has(last);
  if (!isNoun && !LABEL_ADJECTIVES.has(last)) return undefined;
  // What comes between the target and the label: "is", "so", "is such a", "is a".
  let end = lower.length - 1;
  while (end > 0 && (COPULA_LINKS.has(lower[end - 1] as string) || ARTICLES.has(lower[end - 1] as string) || lower[end - 1] === "really" || lower[end - 1] === "very")) end--;
  const target = words.slice(0, end);
  const linked = end < lower.length - 1;
  if (target.length === 0 || target.length > 2) return undefined;
  const first = target[0] as Word;
  let who: string;
  if (target.length === 1 && OBJECT_PRONOUNS.has(first.lower)) who = OBJECT_PRONOUNS.get(first.lower) as string;
  // A name: capitalised, and a word chat at large does not use as a common word ("LION KING" is no label on Lion).
  // With "is" or "so" between them ("Mint is overrated") the first words are the target whatever they are.
  else if (target.every((w) => /^[A-Z0-9]/.test(w.written) && !CLAUSE_WORDS.has(w.lower) && (linked || w.written.length <= 3 || /^[A-Z][a-z]/.test(w.written) || options.isName?.(w.lower) === true || options.isKnownWord?.(w.lower) !== true)))
    who = target.map((w) => (/^[A-Z][a-z']+$/.test(w.written) ? w.written : w.out)).join(" ");
  // "mint is overrated", "game is boring": one word before a copula is the target too; a common noun takes "the".
  else if (linked && target.length === 1 && /^[a-z0-9']+$/.test(first.lower) && !CLAUSE_WORDS.has(first.lower) && !STOP.has(first.lower) && !INDEFINITE.has(first.lower))
    who = /^[A-Z0-9]/.test(first.out) || options.isKnownWord?.(first.lower) !== true ? first.out : `the ${first.out}`;
  else if (target.length === 2 && ARTICLES.has(first.lower) && /^[a-z]+$/.test((target[1] as Word).lower) && !CLAUSE_WORDS.has((target[1] as Word).lower)) who = `the ${(target[1] as Word).out}`;
  else return undefined;
  const label = words[words.length - 1] as Word;
  const article = isNoun ? (/^[aeiou]/.test(label.lower) ? "an " : "a ") : "";
  return `call ${who} ${article}${label.out}`;
}

// Words after an object "you" ("hurt you and laugh", "love you guys"): no verb to agree.
const AFTER_OBJECT = new Set(["and", "or", "to", "for", "with", "at", "in", "on", "so", "too", "guys", "because", "but", "now", "all", "more", "again", "back", "both"]);

/** The statement with its person shifted (I → they, you → the streamer), or undefined when a verb cannot be made to agree. */
function shiftPerson(words: readonly Word[]): string | undefined {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as Word;
    const next = words[i + 1]?.lower;
    if (w.lower === "you" || w.lower === "u") {
      out.push("the streamer");
      // An object "you" ends the line or is followed by a preposition or conjunction; a subject's verb must agree.
      if (next === undefined || AFTER_OBJECT.has(next) || UNINFLECTED.test(next)) continue;
      const agreed = AFTER_STREAMER.get(next) ?? (AGREEING_VERBS.has(next) ? thirdPerson(next) : undefined);
      if (agreed === undefined) return undefined;
      out.push(agreed);
      i++;
      continue;
    }
    const shifted = SHIFT.get(w.lower);
    if (shifted !== undefined) {
      out.push(shifted);
      if (shifted === "they" && next !== undefined && AFTER_THEY.has(next)) {
        out.push(AFTER_THEY.get(next) as string);
        i++;
      }
      continue;
    }
    out.push(w.out);
  }
  return out.join(" ");
}

function thirdPerson(verb: string): string {
  if (verb === "have") return "has";
  if (verb === "go") return "goes";
  if (/(?:s|sh|ch|x|z)$/.test(verb)) return `${verb}es`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

const RUN_WORD = /[\p{L}\p{N}']+/gu;

/** True when the phrase repeats more than MAX_COPIED_RUN words in a row of the line (counted as headline-rules.ts counts). */
export function copiesTooMuch(phrase: string, line: string): boolean {
  return longestCopiedRun(phrase, line) > MAX_COPIED_RUN;
}

/** The longest run of consecutive words the phrase shares with the line. */
export function longestCopiedRun(phrase: string, line: string): number {
  const a = phrase.toLowerCase().match(RUN_WORD) ?? [];
  const b = line.toLowerCase().match(RUN_WORD) ?? [];
  let best = 0;
  const prev = new Uint16Array(b.length + 1);
  const cur = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? (prev[j - 1] as number) + 1 : 0;
      if ((cur[j] as number) > best) best = cur[j] as number;
    }
    prev.set(cur);
    cur.fill(0);
  }
  return best;
}
