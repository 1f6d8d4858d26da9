/**
 * Chat's questions retold as a producer would say them: "where is the translator?" → "where the translator is",
 * "is she dying??" → "if she is dying", "do you play ranked" → "if the streamer plays ranked". A headline that says
 * what chat asks tells more than one that says what it asks about ("ask about the translator").
 *
 * Only short questions of a few well-understood shapes are retold; anything else gives undefined and the caller falls
 * back to naming the question's topic. Deliberately small: wrong grammar on air is worse than a plainer headline.
 */

const WH = new Set(["what", "where", "who", "why", "how", "when", "which"]);
// Wh-words that take one word after them before the verb: "how old", "what game", "which team".
const WH_WITH_WORD = new Set(["how", "what", "which"]);
const COPULA = new Set(["is", "are", "was", "were"]);
const MODAL = new Set(["can", "will", "would", "should", "could"]);
const PERFECT = new Set(["has", "have"]);
const PRONOUNS = new Set(["he", "she", "it", "they", "this", "that", "there"]);
const INDEFINITE = new Set(["nobody", "everyone", "everybody", "someone", "anyone", "chat"]);
const DETERMINERS = new Set(["the", "a", "an", "his", "her", "their", "this", "that", "these", "those"]);
// A chatter asking for themselves ("can I get…", "should we…") is not a question about the stream.
const FIRST_PERSON = new Set(["i", "i'm", "im", "me", "my", "we", "us", "our", "mine"]);
const YOU = new Set(["you", "u"]);
const YOUR = new Set(["your", "ur"]);
const STREAMER = "the streamer";

/** At most this many words after the subject: a longer question is a paragraph, and copying it would quote chat. */
const MAX_REST = 3;
const MAX_WORDS = 7;
const PAST_SUBJECT_VERB = /^(?:[a-z]+ed|won|lost)$/;
const WORD = /^[A-Za-z][A-Za-z']*$|^\d+$/;

export interface IndirectQuestionOptions {
  /** Words that must not be printed (chatters' names, lower-case). */
  excluded?: ReadonlySet<string>;
  /** True for a word that is an emote or otherwise not plain English. */
  isEmote?: (word: string) => boolean;
}

/** The question as an indirect clause ("where the translator is", "if he is live"), or undefined when it is not one we retell. */
export function indirectQuestion(text: string, options: IndirectQuestionOptions = {}): string | undefined {
  const words = questionWords(text);
  if (words === undefined || words.length < 2) return undefined;
  for (const w of words) {
    const lower = w.toLowerCase();
    if (!WORD.test(w) || FIRST_PERSON.has(lower) || options.excluded?.has(lower) || options.isEmote?.(w)) return undefined;
  }
  const lower = words.map((w) => w.toLowerCase());
  const head: string[] = [];
  let i = 0;
  if (WH.has(lower[0]!)) {
    head.push(lower[0]!);
    i = 1;
    if (WH_WITH_WORD.has(lower[0]!) && lower[1] !== undefined && !isVerb(lower[1]) && isVerb(lower[2] ?? "")) head.push(words[i++]!);
  } else {
    head.push("if");
  }
  const verb = lower[i];
  if (verb === undefined) return undefined;
  // "who won", "what happened", "who is winning": the wh-word is the subject, and the order stays as asked.
  const whSubject = head.length === 1 && (head[0] === "who" || head[0] === "what");
  if (whSubject && words.length - i <= 2 && (PAST_SUBJECT_VERB.test(verb) || (COPULA.has(verb) && /ing$/.test(lower[i + 1] ?? "")))) {
    return finish([...head, ...words.slice(i).map(plain)], text);
  }
  if (!isVerb(verb)) return undefined;
  // "what is this song", "where is the translator": after a wh-word and "is", a short remainder with no verb form in
  // it is all subject, and the verb goes to the end.
  const remainder = words.slice(i + 1);
  if (head[0] !== "if" && COPULA.has(verb) && remainder.length >= 1 && remainder.length <= 3 && !remainder.some((w) => /(?:ing|ed)$/i.test(w) || YOU.has(w.toLowerCase()))) {
    const subject = subjectAt(words, lower, i + 1);
    if (subject === undefined || subject.end < words.length) {
      const third = !/s$/i.test(remainder[remainder.length - 1]!) || remainder.length === 1;
      // "why is there no horses" → "why there is no horses": after "there" the verb keeps its place.
      if (lower[i + 1] === "there") return finish([...head, "there", agree(verb, true), ...remainder.slice(1).map(plain)], text);
      return finish([...head, ...remainder.map((w, j) => (YOUR.has(w.toLowerCase()) && j === 0 ? `${STREAMER}'s` : plain(w))), agree(verb, third)], text);
    }
  }
  const subject = subjectAt(words, lower, i + 1);
  if (subject === undefined) return undefined;
  const rest = words.slice(subject.end).map(plain);
  // A second clause ("is that where wednesday comes from") or a second "you" is beyond these shapes.
  const doSupport = verb === "do" || verb === "does" || verb === "did";
  const secondClause = (w: string, j: number): boolean => WH.has(w) || (isVerb(w) && !(doSupport && j === 0));
  if (rest.length > MAX_REST || rest.some((w, j) => YOU.has(w.toLowerCase()) || YOUR.has(w.toLowerCase()) || secondClause(w.toLowerCase(), j))) return undefined;
  let verbPhrase: string[];
  if (COPULA.has(verb) || MODAL.has(verb) || PERFECT.has(verb)) {
    verbPhrase = [agree(verb, subject.third), ...rest];
  } else {
    // Do-support: "does he play X" → "he plays X"; "did" would need the past tense of the verb, so it is not retold.
    if (verb === "did" || rest.length === 0) return undefined;
    const [main, ...tail] = rest;
    verbPhrase = [subject.third ? thirdPerson(main!) : main!, ...tail];
  }
  // A copula question with nothing after the verb reads "where the translator is": the verb moves to the end.
  return finish([...head, ...subject.words, ...verbPhrase], text);
}

// Laughter and filler around a question ("lol is he ok", "how is he alive lmao") is not part of it.
const LAUGHTER = /^(?:lol|lmao|lmfao|rofl|xd|kek|kekw|lul|omegalul|haha+|ha|bruh)$/i;
const OPENER = /^(?:bro|guys|yo|so|ok|okay|wait|chat)$/i;

function questionWords(text: string): string[] | undefined {
  // The first question in the line, without its question marks or the filler around it.
  const q = /^([^?]+)\?/.exec(text.trim());
  if (q === null) return undefined;
  const words = q[1]!.replace(/[,;:]/g, " ").trim().split(/\s+/).flatMap(expand);
  while (words.length > 0 && (LAUGHTER.test(words[0]!) || OPENER.test(words[0]!))) words.shift();
  while (words.length > 0 && LAUGHTER.test(words[words.length - 1]!)) words.pop();
  return words.length > 0 && words.length <= MAX_WORDS + 1 ? words : undefined;
}

// "what's", "whats", "where's": the wh-word and its "is".
const WH_IS = /^(what|where|who|how|when|why)'?s$/i;

function expand(word: string): string[] {
  const m = WH_IS.exec(word);
  return m === null ? [word] : [m[1]!, "is"];
}

function isVerb(w: string): boolean {
  return COPULA.has(w) || MODAL.has(w) || PERFECT.has(w) || w === "does" || w === "do" || w === "did";
}

interface Subject {
  words: string[];
  end: number;
  /** Third person singular: the verb agrees with "the streamer", "he", "the game". */
  third: boolean;
}

function subjectAt(words: readonly string[], lower: readonly string[], at: number): Subject | undefined {
  const w = lower[at];
  if (w === undefined) return undefined;
  if (YOU.has(w)) return { words: [STREAMER], end: at + 1, third: true };
  if (YOUR.has(w) && lower[at + 1] !== undefined && !isVerb(lower[at + 1]!)) return { words: [`${STREAMER}'s`, lower[at + 1]!], end: at + 2, third: true };
  // "this song is", "that play was": a demonstrative before a noun that is not the last word is a determiner.
  const demonstrativeNoun = (w === "this" || w === "that") && at + 2 < lower.length && !DETERMINERS.has(lower[at + 1]!) && !WH.has(lower[at + 1]!) && !isVerb(lower[at + 1]!) && !/(?:ing|ed)$/.test(lower[at + 1]!);
  if (demonstrativeNoun) return { words: [w, plain(words[at + 1]!)], end: at + 2, third: true };
  if (PRONOUNS.has(w) || INDEFINITE.has(w)) return { words: [w], end: at + 1, third: w !== "they" };
  if (w === "no" && lower[at + 1] === "one") return { words: ["no", "one"], end: at + 2, third: true };
  if (DETERMINERS.has(w) && lower[at + 1] !== undefined && !isVerb(lower[at + 1]!)) return { words: [w, plain(words[at + 1]!)], end: at + 2, third: !/s$/.test(lower[at + 1]!) || w === "this" || w === "that" };
  // A name ("is Geoff here"), or a last word after the verb ("how old is chib", "where is translator").
  if (/^[A-Z][a-z]+$/.test(words[at]!) || (at === words.length - 1 && /^[a-z]+$/i.test(w) && !/ing$/.test(w))) return { words: [plain(words[at]!)], end: at + 1, third: !/s$/.test(w) };
  return undefined;
}

/** Chat's casing is noise except for names: keep capitalised words and acronyms, lower-case the rest. */
function plain(w: string): string {
  return /^[A-Z][a-z]+$/.test(w) || /^[A-Z]{2,4}$/.test(w) ? w : w.toLowerCase();
}

/** "are" after "the streamer" (from "you") reads "is". */
function agree(verb: string, third: boolean): string {
  if (!third) return verb;
  if (verb === "are") return "is";
  if (verb === "were") return "was";
  if (verb === "have") return "has";
  return verb;
}

function thirdPerson(verb: string): string {
  const v = verb.toLowerCase();
  if (v === "have") return "has";
  if (v === "do" || v === "go") return `${v}es`;
  if (/(?:s|sh|ch|x|z)$/.test(v)) return `${v}es`;
  if (/[^aeiou]y$/.test(v)) return `${v.slice(0, -1)}ies`;
  return `${v}s`;
}

/** The clause, unless it is too long or repeats five words in a row of the line it retells (the on-air quoting rule). */
function finish(clause: string[], text: string): string | undefined {
  if (clause.length > MAX_WORDS) return undefined;
  const source = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const out = clause.join(" ").toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  for (let a = 0; a + 5 <= out.length; a++) {
    const run = out.slice(a, a + 5).join(" ");
    for (let b = 0; b + 5 <= source.length; b++) if (source.slice(b, b + 5).join(" ") === run) return undefined;
  }
  return clause.join(" ");
}
