import type { TokenizedText } from "../../processing/tokenizer.js";

// A cheap "is this English?" signal for chat, from three cues that need no model: English function words and
// chat words; function words of the languages most often seen in international Twitch/YouTube chat (German,
// Indonesian/Malay, Spanish, Portuguese, French, Italian, Dutch, Turkish, Tagalog, Polish, Swedish); and words
// written in a non-Latin script. Words that exist in English too ("die", "was", "me", "no", "so") are left out of
// the foreign lists, so a stray English-looking token never counts against English.
const ENGLISH = new Set(
  (
    "the a an and or but if of to in on at for with from by about as into than then so too very just only also not no yes " +
    "is are was were be been being am do does did done have has had will would can could should shall may might must " +
    "i me my mine you your yours he him his she her hers it its we us our they them their this that these those there here " +
    "what who whom whose which when where why how all any some every each more most much many few other another such " +
    "up down out off over again once now still even ever never always already yet really actually maybe probably " +
    "im i'm dont don't cant can't wont won't isnt isn't didnt didn't doesnt doesn't thats that's its it's youre you're " +
    "lol lmao lmfao rofl omg wtf gg wp ez pls plz thx ty ok okay yeah yea yep nope nah bro dude guys chat stream game " +
    "like get got go going gonna wanna know think see look make take want need good bad great nice best worst love hate " +
    "play played win lost one two first last time right left well back because though"
  ).split(" "),
);

const FOREIGN = new Set(
  (
    // German
    "ich du der das und ist nicht ein eine einen mit auf sie es wir ihr sind bist haben auch noch mal ja nein aber wenn " +
    "dann schon doch nur mir mich dich dir uns euch wie warum weil oder sehr gut geil jetzt hier immer wieder nichts " +
    "kein keine viel mehr heute morgen bitte schön schon ganz gerade wird wurde werden kann können muss müssen " +
    "oder ob zum zur vom beim dem den des im ins sich sein seine habe hast gibt geht machen macht genau einfach echt " +
    // Indonesian / Malay
    "yang dan di ini itu aja gak ga nggak enggak ada tidak kalah menang sama dulu lagi udah sudah mau kok sih deh nya " +
    "apa kenapa siapa banget kita kami aku kamu saya dia juga tapi karena bisa jadi belum kalau kalo gimana anjir " +
    "wkwk wkwkwk bgt emang memang terus gue gua lu lo cuma masih baru orang semua mantap keren parah nih tuh " +
    // Spanish / Portuguese
    "el los las del que por para como pero muy más mas esta está estoy eso porque tambien también nada bueno vamos " +
    "jaja jajaja jajajaja eres tiene hay hace ser estar ahora todo todos nosotros ellos usted " +
    "não nao sim você voce muito isso então entao está tá com uma ele ela eles elas aqui agora " +
    "kkk kkkk kkkkk pra foi tem vai mais meu minha seu sua nós bom boa " +
    // French / Italian / Dutch
    "le les des est une pas je tu il elle nous vous ils sont avec pour dans sur mais tres très c'est oui bien " +
    "non che il della sono questo quella molto perché anche het een niet ik jij zijn maar ook " +
    // Turkish / Tagalog / Polish / Swedish
    "ve bir bu de çok cok ne için icin ama gibi var yok evet hayır hayir abi kanka ang mga ng sa ako ikaw siya " +
    "hindi oo naman talaga nie jest się sie tak czy jak och att det är inte jag"
  ).split(" ").filter((w) => w.length > 0 && !ENGLISH.has(w)),
);
// Frequent English chat words that happen to be foreign function words too ("die", "was", "man", "me") were
// never put in FOREIGN; the filter above guards against future edits that add one.

/** A function word of one of the other languages chat is often written in ("não", "vai", "und", "yang"). */
export function isForeignFunctionWord(word: string): boolean {
  return FOREIGN.has(word);
}

/** True when the word contains a letter outside the Latin script blocks (CJK, Cyrillic, Arabic, Thai, …). */
function hasNonLatinLetter(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 0x0250) continue; // ASCII, Latin-1, Latin Extended-A/B
    if (c >= 0x1e00 && c <= 0x1eff) return true; // Latin Extended Additional: Vietnamese
    if (c >= 0x0300 && c <= 0x036f) continue; // combining marks
    return true;
  }
  return false;
}

/** True when the word contains a Han, kana or Hangul character (Chinese, Japanese, Korean). */
function hasCjkLetter(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) return true;
  }
  return false;
}

/** Letters such as ä, ö, ü, ß, ñ, ç, ã: Latin script, but rare in English words. */
function hasForeignLatinLetter(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0xc0 && c < 0x0250 && c !== 0xd7 && c !== 0xf7) return true;
  }
  return false;
}

export interface LanguageEvidence {
  english: number;
  foreign: number;
  /** The part of `foreign` that is Chinese, Japanese or Korean script. */
  cjk: number;
}

/** Counts English and non-English cues over the word tokens of one message (emotes, emoji, numbers are ignored). */
export function languageEvidence(tokenized: TokenizedText, out: LanguageEvidence = { english: 0, foreign: 0, cjk: 0 }): LanguageEvidence {
  let english = 0;
  let foreign = 0;
  let cjk = 0;
  for (const tok of tokenized.tokens) {
    if (tok.kind !== "word") continue;
    const w = tok.norm;
    if (ENGLISH.has(w)) english++;
    else if (FOREIGN.has(w)) foreign++;
    else if (hasNonLatinLetter(w)) {
      foreign++;
      if (hasCjkLetter(w)) cjk++;
    } else if (hasForeignLatinLetter(w)) foreign += 0.5;
  }
  out.english = english;
  out.foreign = foreign;
  out.cjk = cjk;
  return out;
}

const scratch: LanguageEvidence = { english: 0, foreign: 0, cjk: 0 };

/** Each foreign cue weighs twice an English one; no foreign cue at all means nothing to distrust (1). */
export function confidenceFromEvidence(ev: LanguageEvidence): number {
  return ev.foreign === 0 ? 1 : (ev.english + 0.5) / (ev.english + 0.5 + 2 * ev.foreign);
}

/**
 * Confidence, 0…1, that the words of a message are English. A message without any language cue (only emotes,
 * names, numbers, unknown words) gets 1: there is nothing to distrust. "das ist so geil" (two German function
 * words, one English) comes out near 0.27, "das ist doch nicht dein ernst" near 0.06.
 */
export function languageConfidence(tokenized: TokenizedText): number {
  return confidenceFromEvidence(languageEvidence(tokenized, scratch));
}

/** Whether the pipeline should trust the words of this message as English (emotes and emoji are trusted anyway). */
export function isLikelyEnglish(tokenized: TokenizedText): boolean {
  return languageConfidence(tokenized) >= 0.5;
}
