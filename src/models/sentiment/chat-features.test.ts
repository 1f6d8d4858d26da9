import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { channelEmoteName, compoundParts, hasCjkLaughter, hasEmotionMarker, ChatFeatureExtractor, DENSE_COUNT, DENSE_FEATURES, EMOTE_NAME_POLARITY, hashString, INSULTS, isLaughter, isNegator, type WordPriors } from "./chat-features.js";
import { buildWordPriors } from "./word-priors.js";

const emotes = builtinEmoteDictionary();
const priors: WordPriors = buildWordPriors(new Map([["good", 0.6], ["bad", -0.7], ["love", 0.9], ["crying", -0.5]]), new Map([["throw", -0.4], ["clutch", 0.5]]));
const config = { hashBits: 12, charMin: 2, charMax: 4, charScale: 1, bigramScale: 1 };

function features(text: string, extractor = new ChatFeatureExtractor(emotes, priors, config)) {
  const n = extractor.extract(tokenize(text, emotes), text);
  const dense: Record<string, number> = {};
  const hashed = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const id = extractor.ids[i]!;
    if (id < DENSE_COUNT) dense[DENSE_FEATURES[id]!] = extractor.values[i]!;
    else hashed.set(id, (hashed.get(id) ?? 0) + extractor.values[i]!);
  }
  return { dense, hashed, n, language: extractor.languageConfidence };
}

describe("chat feature helpers", () => {
  it("recognises laughter spellings but not look-alikes", () => {
    for (const w of ["lol", "lool", "lolol", "lmao", "lmfao", "rofl", "xd", "xdd", "haha", "ahahah", "hehe", "jaja", "kekw", "wkwkwk", "lulw", "omegalul"]) expect(isLaughter(w), w).toBe(true);
    for (const w of ["ha", "aha", "hello", "lola", "huhu", "kek1", "lo"]) expect(isLaughter(w), w).toBe(false);
    expect(isNegator("don't")).toBe(true);
    expect(isNegator("good")).toBe(false);
  });

  it("reads the name of a channel emote", () => {
    expect(channelEmoteName("nepuLove")).toBe("Love");
    expect(channelEmoteName("ch4iGIGGLE")).toBe("GIGGLE");
    expect(channelEmoteName("LUL")).toBeUndefined();
    expect(channelEmoteName("iPhone")).toBeUndefined(); // prefix too short
    expect(channelEmoteName("abcdefghijkLove")).toBeUndefined(); // prefix too long
    expect(channelEmoteName("nepuL")).toBeUndefined(); // name too short
    expect(channelEmoteName("nepuLo-ve")).toBeUndefined();
  });

  it("tells messages with an emotional marker from plain text", () => {
    const marker = (text: string) => hasEmotionMarker(tokenize(text, emotes), text);
    for (const text of ["das ist LUL", "super 😂", "hahaha", "nepuLove", "ja ^^", "oh :("]) expect(marker(text), text).toBe(true);
    for (const text of ["das ist gut", "what time is it?", "https://x.io"]) expect(marker(text), text).toBe(false);
  });

  it("hashes deterministically and by family", () => {
    expect(hashString("lol", 1)).toBe(hashString("lol", 1));
    expect(hashString("lol", 1)).not.toBe(hashString("lol", 2));
  });
});

describe("ChatFeatureExtractor", () => {
  it("sums emote polarity from the dictionary, weighted by repeats", () => {
    const once = features("LUL").dense;
    const thrice = features("LUL LUL LUL").dense;
    expect(once.emotePos).toBeCloseTo(0.8, 6);
    expect(thrice.emotePos!).toBeGreaterThan(once.emotePos!);
    expect(once.emoteStrongPos).toBe(1);
    expect(once.emoteOnly).toBe(1);
    expect(features("BibleThump").dense.emoteNeg).toBeCloseTo(0.8, 6);
    expect(features("Clueless").dense.emoteNeutral).toBe(1);
    expect(features("😢").dense.emoteStrongNeg).toBe(1);
  });

  it("flips lexicon polarity inside a negation scope, as VADER does", () => {
    const plain = features("this is good").dense;
    const negated = features("this is not good").dense;
    expect(plain.lexPos).toBeCloseTo(0.6, 6);
    expect(plain.lexNeg).toBeUndefined();
    expect(negated.lexNeg).toBeCloseTo(0.6 * 0.74, 6);
    expect(negated.lexPos).toBeUndefined();
    expect(features("not bad").dense.lexPos).toBeCloseTo(0.7 * 0.74, 6);
    // Punctuation ends the scope, and the scope reaches three words.
    expect(features("not now! good").dense.lexPos).toBeCloseTo(0.6, 6);
    expect(features("not one more time good").dense.lexPos).toBeCloseTo(0.6, 6);
  });

  it("uses chat-learnt polarity, laughter and message shape", () => {
    const d = features("THAT THROW lol?").dense;
    expect(d.chatNeg).toBeCloseTo(0.4, 6);
    expect(d.laughter).toBe(1);
    expect(d.question).toBe(1);
    expect(d.shouting).toBe(1);
    expect(features("clutch").dense.chatPos).toBeCloseTo(0.5, 6);
    expect(features("???").dense.questionOnly).toBe(1);
    expect(features("!uptime").dense.command).toBe(1);
    expect(features("@bob https://x.io 42").dense).toMatchObject({ mention: 1, url: 1, noContent: 1 });
    expect(features("42").dense.numberOnly).toBe(1);
    expect(features("NOOOOO").dense.elongated).toBe(1);
    expect(features("wow!").dense.exclamation).toBe(1);
  });

  it("finds emoticons and masked swearing in the raw text", () => {
    expect(features("me too :(").dense.emoticonNeg).toBe(1);
    expect(features("yes :) ;-) :D =P ^^ ^_^").dense.emoticonPos).toBe(6);
    expect(features("-_- T_T ;_; :/").dense.emoticonNeg).toBe(4);
    expect(features("see https://example.com :Dog").dense.emoticonPos).toBeUndefined();
    expect(features("WHAT THE *** IS THAT").dense.maskedSwear).toBe(1);
    expect(features("*sigh*").dense.maskedSwear).toBeUndefined();
  });

  it("reads channel emotes and unknown YouTube shortcodes by their parts", () => {
    const chan = features("nepuLove").dense;
    expect(chan.channelEmote).toBe(1);
    expect(chan.emotePos).toBeCloseTo(0.9, 6); // "Love" from the word lexicon
    expect(features("archLUL").dense.emotePos).toBeCloseTo(0.8, 6); // "LUL" from the emote dictionary
    expect(features(":face-blue-crying:").dense.emoteNeg).toBeCloseTo(0.5, 6);
    // Emote names that mean something else as plain words, or nothing: a laugh, nail-biting, boredom.
    expect(features("nepuHeh").dense.emotePos).toBeCloseTo(EMOTE_NAME_POLARITY.get("heh")!, 6);
    expect(features("nepuNAILS").dense.emoteNeg).toBeCloseTo(-EMOTE_NAME_POLARITY.get("nails")!, 6);
    expect(features("tyler1Sleeper").dense.emoteNeg).toBeGreaterThan(0.5);
  });

  it("can switch the channel-emote name part off (to measure what it does)", () => {
    const off = features("nepuLove", new ChatFeatureExtractor(emotes, priors, { ...config, channelEmoteNames: false }));
    expect(off.dense.channelEmote).toBeUndefined();
    expect(off.dense.emotePos).toBeUndefined();
    expect(off.hashed.size).toBeLessThan(features("nepuLove").hashed.size);
  });

  it("lets emotes of one dictionary meaning share a feature (emoteMeaning)", () => {
    const withMeaning = new ChatFeatureExtractor(emotes, priors, { ...config, emoteMeaning: true });
    const ids = (text: string, ex: ChatFeatureExtractor) => new Set(features(text, ex).hashed.keys());
    // LUL and KEKW are both "laughter" in the dictionary; BibleThump is not.
    expect(emotes.emote("LUL")!.meaning).toBe(emotes.emote("KEKW")!.meaning);
    const shared = (a: string, b: string, ex: ChatFeatureExtractor) => [...ids(a, ex)].filter((id) => ids(b, ex).has(id)).length;
    const plain = new ChatFeatureExtractor(emotes, priors, config);
    expect(shared("LUL", "KEKW", withMeaning)).toBe(shared("LUL", "KEKW", plain) + 1);
    expect(shared("LUL", "BibleThump", withMeaning)).toBe(shared("LUL", "BibleThump", plain));
    // A channel emote whose name part is a known emote carries that emote's meaning too.
    expect(shared("LUL", "nepuLul", withMeaning)).toBe(shared("LUL", "nepuLul", plain) + 1);
    // Nothing else moves: dense features are those of the plain extractor.
    expect(features("LUL nepuLul", withMeaning).dense).toEqual(features("LUL nepuLul", plain).dense);
  });

  it("gives emote names character n-grams, shared with spellings the dictionary lacks (emoteGrams)", () => {
    const grams = new ChatFeatureExtractor(emotes, priors, { ...config, emoteGrams: true });
    const plain = new ChatFeatureExtractor(emotes, priors, config);
    const overlap = (a: string, b: string, ex: ChatFeatureExtractor) => {
      const x = features(a, ex).hashed;
      return [...features(b, ex).hashed.keys()].filter((id) => x.has(id)).length;
    };
    // "KEKWWW" is no dictionary emote: a word whose n-grams now meet those of the emote KEKW.
    expect(tokenize("KEKWWW", emotes).tokens[0]!.kind).toBe("word");
    expect(overlap("KEKW", "KEKWWW", plain)).toBe(0);
    expect(overlap("KEKW", "KEKWWW", grams)).toBeGreaterThan(5);
    // Emote n-grams ignore the language gate: in German chat they keep the value they have with the gate off, while
    // the word n-grams shrink.
    const text = "das ist doch nicht KEKW";
    const gated = features(text, grams).hashed;
    const ungated = features(text, new ChatFeatureExtractor(emotes, priors, { ...config, emoteGrams: true }, false)).hashed;
    const emoteIds = new Set(features("KEKW", grams).hashed.keys());
    let same = 0;
    let shrunk = 0;
    for (const [id, v] of ungated) {
      if (emoteIds.has(id)) {
        expect(gated.get(id)).toBeCloseTo(v, 6);
        same++;
      } else if (gated.get(id)! < v / 2) shrunk++;
    }
    expect(same).toBeGreaterThan(3);
    expect(shrunk).toBeGreaterThan(10);
  });

  it("finds laughter in Chinese, Korean and Japanese chat when asked (cjkLaughter)", () => {
    for (const w of ["哈哈", "rip哈哈", "哈哈不行了", "ㅋㅋ", "笑死我了", "ｗｗ"]) expect(hasCjkLaughter(w), w).toBe(true);
    for (const w of ["哈", "不行了", "haha", "ww", "x哈哈x"]) expect(hasCjkLaughter(w), w).toBe(false);
    const cjk = new ChatFeatureExtractor(emotes, priors, { ...config, cjkLaughter: true });
    expect(features("哈哈哈哈", cjk).dense.laughter).toBe(1);
    expect(features("哈哈哈哈").dense.laughter).toBeUndefined();
  });

  it("tells laughter aimed at someone from laughter alone when asked (mockery)", () => {
    const on = new ChatFeatureExtractor(emotes, priors, { ...config, mockery: true });
    const at = (text: string) => features(text, on).dense;
    expect(at("LUL LUL").laughterAtPerson).toBeUndefined();
    expect(at("LUL LUL").laughterAtName).toBeUndefined();
    expect(at("you are so bad LUL").laughterAtPerson).toBe(1);
    expect(at("@someone lmao").laughterAtPerson).toBe(1);
    expect(at("clown KEKW").laughterAtPerson).toBe(1);
    expect(at("nepuLul look at him").laughterAtPerson).toBe(1); // a channel emote that laughs
    expect(at("EU LUL").laughterAtName).toBe(1);
    expect(at("0-2 lol").laughterAtName).toBe(1);
    expect(at("WTF LUL").laughterAtName).toBeUndefined(); // shock in capitals is not a name
    expect(at("you are right").laughterAtPerson).toBeUndefined(); // no laughter
    // Off by default: the same message has neither feature.
    expect(features("you are so bad LUL").dense.laughterAtPerson).toBeUndefined();
    expect(features("EU LUL").dense.laughterAtName).toBeUndefined();
  });

  it("looks a stretched word up with its doubled letters single when asked (squeezeElongation)", () => {
    const on = new ChatFeatureExtractor(emotes, priors, { ...config, squeezeElongation: true });
    expect(features("baaaad", on).dense.lexNeg).toBeCloseTo(0.7, 6);
    expect(features("baaaad").dense.lexNeg).toBeUndefined();
    expect(features("goood", on).dense.lexPos).toBeCloseTo(0.6, 6); // squeezed to "good" by the tokenizer already
  });

  it("splits joined capitalised parts and reads a compound emote by its known part when asked (compoundEmotes)", () => {
    expect(compoundParts("MingLUL")).toEqual(["Ming", "LUL"]);
    expect(compoundParts("OMGScoots")).toEqual(["OMG", "Scoots"]);
    expect(compoundParts("RareW")).toEqual(["Rare", "W"]);
    expect(compoundParts("Hello")).toBeUndefined();
    expect(compoundParts("OMEGAWOW")).toBeUndefined();
    expect(compoundParts("Ming-LUL")).toBeUndefined();
    expect(compoundParts("x".repeat(41) + "Y")).toBeUndefined();
    const on = new ChatFeatureExtractor(emotes, priors, { ...config, compoundEmotes: true });
    expect(features("MingLUL", on).dense.emotePos).toBeCloseTo(0.8, 6);
    expect(features("PandaPls", on).dense.emotePos).toBeCloseTo(0.6, 6);
    expect(features("PepegaZork", on).dense.emoteNeg).toBeCloseTo(-(emotes.emote("Pepega")!.polarity), 6); // "Zork" is no emote name: the first part reads it
    expect(features("MingLUL").dense.emotePos).toBeUndefined();
    expect(features("HelloThere", on).dense.channelEmote).toBeUndefined(); // neither part is an emote name
  });

  it("counts insults aimed at people, scaled by language confidence", () => {
    expect(features("you are a clown").dense.insult).toBe(1);
    expect(features("paid shills and npc chat").dense.insult).toBe(2);
    expect(features("what a great play").dense.insult).toBeUndefined();
    expect(INSULTS.has("mouthbreathers")).toBe(true);
  });

  it("adds the mean word vector of a message as a feature block after the hashed table", () => {
    const vectors = { dim: 2, index: new Map([["good", 0], ["E:LUL", 1]]), data: Float32Array.from([1, 0, 0, 1]) };
    const ex = new ChatFeatureExtractor(emotes, { ...priors, vectors }, config);
    expect(ex.dimension).toBe(ex.vectorBase + 2);
    const n = ex.extract(tokenize("good LUL unknownword", emotes), "good LUL unknownword");
    const block = new Map<number, number>();
    for (let i = 0; i < n; i++) if (ex.ids[i]! >= ex.vectorBase) block.set(ex.ids[i]! - ex.vectorBase, ex.values[i]!);
    // Two of the three tokens have vectors: the mean of (1, 0) and (0, 1).
    expect(block.get(0)).toBeCloseTo(0.5, 6);
    expect(block.get(1)).toBeCloseTo(0.5, 6);
    // No token with a vector: no block at all.
    const m = ex.extract(tokenize("nothing here", emotes), "nothing here");
    for (let i = 0; i < m; i++) expect(ex.ids[i]!).toBeLessThan(ex.vectorBase);
  });

  it("scales word features by the language confidence, and only word features", () => {
    const german = features("das ist doch nicht gut LUL");
    expect(german.language).toBeLessThan(0.2);
    expect(german.dense.emotePos).toBeCloseTo(0.8, 6); // the emote keeps its weight
    const english = features("this is so good");
    expect(english.language).toBe(1);
    const ungated = features("das ist doch nicht gut LUL", new ChatFeatureExtractor(emotes, priors, config, false));
    expect(ungated.language).toBe(1);
    const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    expect(sum(german.hashed)).toBeLessThan(sum(ungated.hashed));
  });

  it("gives negated words and their plain form different ids, and stays within the table", () => {
    const a = features("good").hashed;
    const aIds = [...a.keys()];
    expect(aIds.every((id) => id >= DENSE_COUNT && id < DENSE_COUNT + (1 << config.hashBits))).toBe(true);
    const shared = (text: string) => [...features(text).hashed.keys()].filter((id) => a.has(id)).length;
    // "very good" repeats the unigram and every character n-gram of "good"; "not good" repeats none of them, only
    // the end-of-message bigram ("good", end).
    expect(shared("very good")).toBeGreaterThan(10);
    expect(shared("not good")).toBeLessThanOrEqual(1);
  });

  it("caps the feature count on huge messages", () => {
    const huge = "word ".repeat(5000);
    const f = features(huge);
    expect(f.n).toBeLessThanOrEqual(4096);
  });

  it("produces the same features on every call (reused buffers are reset)", () => {
    const ex = new ChatFeatureExtractor(emotes, priors, config);
    const first = features("PogChamp what a clutch", ex);
    features("BibleThump so sad", ex);
    expect(features("PogChamp what a clutch", ex)).toEqual(first);
  });
});
