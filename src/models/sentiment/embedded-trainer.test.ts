import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { EmbeddedSentimentModel } from "./embedded-model.js";
import { calibratedProbabilities, chooseCalibration, EmbeddedTrainer, labelsOf, negatedPraise, tokenizeChat, tokenizeCorpus, trainEmbeddedModel, type LabelledText } from "./embedded-trainer.js";
import { decodeModel } from "./embedded-weights.js";
import { DENSE_COUNT } from "./chat-features.js";
import { labelOf } from "./sentiment-model.js";
import { DEFAULT_WORD_VECTOR_OPTIONS } from "./word-vectors.js";

const emotes = builtinEmoteDictionary();
// A small synthetic training set (not from the shared data): polar words and emotes, questions, plain statements.
const pos = ["what a play PogChamp", "love this stream", "amazing clutch", "so happy for them", "this is great", "LUL he fell", "best game ever", "nice one lol"];
const neg = ["this is boring", "worst team ever", "I hate this", "so sad BibleThump", "terrible call", "ResidentSleeper", "what a waste", "ugh lag again"];
const neu = ["what time is it?", "he is on the left", "!uptime", "who plays next?", "the map is mirage", "it starts at 5", "is this a new patch?", "they picked zac"];
const train: LabelledText[] = [];
for (let r = 0; r < 3; r++) {
  for (const text of pos) train.push({ text: `${text} ${r || ""}`.trim(), label: "pos" });
  for (const text of neg) train.push({ text: `${text} ${r || ""}`.trim(), label: "neg" });
  for (const text of neu) train.push({ text: `${text} ${r || ""}`.trim(), label: "neu" });
}
const unlabelled = ["clutch PogChamp", "clutch PogChamp", "clutch PogChamp", "clutch PogChamp", "clutch PogChamp", "lag BibleThump", "lag BibleThump", "lag BibleThump", "lag BibleThump", "lag BibleThump"];
const options = { folds: 3, features: { hashBits: 12, charMin: 2, charMax: 4, charScale: 1, bigramScale: 1 }, maxIterations: 100 };

describe("trainEmbeddedModel", () => {
  it("trains, calibrates and encodes a model that reproduces its training labels", () => {
    const lines: string[] = [];
    const { model, report } = trainEmbeddedModel({ train, unlabelled, emotes, options, log: (l) => lines.push(l) });
    expect(report.trainRows).toBe(train.length);
    expect(report.unlabelledRows).toBe(unlabelled.length);
    expect(report.chatPolarityWords).toBe(2);
    expect(report.temperature).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith("out-of-fold"))).toBe(true);
    expect(model.training).not.toHaveProperty("seconds");
    const scorer = new EmbeddedSentimentModel(emotes, decodeModel(model));
    let right = 0;
    for (const row of train) if (labelOf(scorer.score(row.text, tokenize(row.text, emotes))) === row.label) right++;
    expect(right / train.length).toBeGreaterThan(0.9);
  });

  it("folds word vectors into three numbers per token in the model file", () => {
    const wordVectors = { ...DEFAULT_WORD_VECTOR_OPTIONS, dim: 3, minCount: 2 };
    const { model, report } = trainEmbeddedModel({ train, unlabelled: [...unlabelled, ...train.map((r) => r.text)], emotes, options: { ...options, wordVectors, negativeOffsets: [-0.2, 0, 0.2] } });
    expect(model.vectors?.keys.length).toBeGreaterThan(10);
    expect(model.training.wordVectors).toEqual(wordVectors);
    expect([-0.2, 0, 0.2]).toContain(report.negativeOffset);
    const scorer = new EmbeddedSentimentModel(emotes, decodeModel(model));
    let right = 0;
    for (const row of train) if (labelOf(scorer.score(row.text, tokenize(row.text, emotes))) === row.label) right++;
    expect(right / train.length).toBeGreaterThan(0.9);
  });

  it("negates praise after a copula or an intensifier, and nothing else", () => {
    const lexicon = new Map([["good", 0.6], ["great", 0.8], ["okay", 0.2]]);
    const neg = (text: string) => negatedPraise(text, tokenize(text, emotes), lexicon);
    expect(neg("this is good")).toBe("this is not good");
    expect(neg("it was SO GREAT guys")).toBe("it was not SO GREAT guys");
    expect(neg("so good")).toBe("not so good");
    expect(neg("this is okay")).toBeUndefined(); // not clearly positive
    expect(neg("this is not good")).toBeUndefined(); // already negated
    expect(neg("this is good PogChamp")).toBeUndefined(); // an emote keeps its meaning
    expect(neg("good game")).toBeUndefined(); // no shape that negates cleanly
  });

  it("adds negated praise as weighted negative rows and records how many", () => {
    const { model, report } = trainEmbeddedModel({ train, unlabelled, emotes, options: { ...options, negationAugmentation: 0.5 } });
    expect(report.augmentedRows).toBe(6); // "this is great" and "so happy for them", three copies each
    expect(report.trainRows).toBe(train.length);
    expect(model.training.negationAugmentation).toBe(0.5);
    expect(model.training.augmentedRows).toBe(6);
  });

  it("self-trains on the unlabelled messages its teacher is surest of, per class, never on training texts", () => {
    const selfTraining = { perClass: 1, minProbability: 0.4, weight: 0.5 };
    const extra = [...unlabelled, train[0]!.text, "clutch PogChamp PogChamp"];
    const { model, report } = trainEmbeddedModel({ train, unlabelled: extra, emotes, options: { ...options, selfTraining } });
    // At most one per class, and the two polar chat lines are sure enough to be taken.
    expect(report.pseudoLabelled.pos).toBe(1);
    expect(report.pseudoLabelled.neg).toBe(1);
    expect(report.pseudoLabelled.neu).toBeLessThanOrEqual(1);
    expect(model.training.selfTraining).toEqual(selfTraining);
    const none = trainEmbeddedModel({ train, unlabelled: extra, emotes, options: { ...options, selfTraining: { ...selfTraining, minProbability: 1.01 } } });
    expect(none.report.pseudoLabelled).toEqual({ pos: 0, neu: 0, neg: 0 });
  });

  it("is deterministic: the same input gives the same file", () => {
    const a = trainEmbeddedModel({ train, unlabelled, emotes, options }).model;
    const b = trainEmbeddedModel({ train, unlabelled, emotes, options }).model;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe("EmbeddedTrainer options", () => {
  // The same synthetic rows spread over two streams: "big" holds three copies, "small" one.
  const streamed: LabelledText[] = train.map((r, i) => ({ ...r, stream: i < 72 && i % 4 !== 0 ? "big" : "small" }));
  const setup = (options: object, chat: { stream: string; text: string }[] = unlabelled.map((text, i) => ({ stream: i % 2 ? "big" : "small", text }))) => ({
    corpus: tokenizeCorpus(streamed, emotes),
    chat: tokenizeChat(chat, emotes),
    emotes,
    options: { ...options_, ...options },
  });
  const options_ = { ...options, wordVectors: undefined };
  const all = streamed.map((_, i) => i);

  it("balances streams by reweighting rows, which changes the fit but not a balanced one", () => {
    const plain = new EmbeddedTrainer(setup({})).fit(all).weights;
    const balanced = new EmbeddedTrainer(setup({ streamBalance: 1 })).fit(all).weights;
    expect(Array.from(balanced)).not.toEqual(Array.from(plain));
    // With one stream only, balancing is a no-op.
    const one = streamed.map((r) => ({ ...r, stream: "one" }));
    const a = new EmbeddedTrainer({ ...setup({}), corpus: tokenizeCorpus(one, emotes) }).fit(all).weights;
    const b = new EmbeddedTrainer({ ...setup({ streamBalance: 1 }), corpus: tokenizeCorpus(one, emotes) }).fit(all).weights;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 6);
  });

  it("shrinks hashed features seen in one stream only harder (singleStreamL2)", () => {
    // "zzqx" occurs only in the small stream's rows, "great" in both.
    const rows: LabelledText[] = [...streamed, { text: "zzqx", label: "pos", stream: "small" }, { text: "zzqx zzqx", label: "pos", stream: "small" }];
    const trainer = (o: object) => new EmbeddedTrainer({ ...setup(o), corpus: tokenizeCorpus(rows, emotes) });
    const plain = trainer({});
    const strict = trainer({ singleStreamL2: 20 });
    const fitAll = rows.map((_, i) => i);
    const pos = (t: EmbeddedTrainer, text: string) => {
      const p = calibratedProbabilities(t.logitsOfMessages([tokenize(text, emotes)], [text], t.fit(fitAll).weights), { neutralOffset: 0, negativeOffset: 0, temperature: 1 }, false);
      return p[0]!;
    };
    expect(pos(strict, "zzqx")).toBeLessThan(pos(plain, "zzqx"));
    expect(pos(strict, "great play")).toBeGreaterThan(0.5);
  });

  it("cross-fits by stream: one fold per stream, none by row index", () => {
    const byStream = new EmbeddedTrainer(setup({ crossFit: "streams" }));
    const { folds, fold } = byStream.foldOf();
    expect(folds).toBe(2);
    streamed.forEach((r, i) => expect(fold[i]).toBe(r.stream === "big" ? 0 : 1));
    expect(new EmbeddedTrainer(setup({})).foldOf().folds).toBe(3);
    const oof = byStream.crossFit();
    expect(oof.every((v) => Number.isFinite(v))).toBe(true);
  });

  it("takes pseudo-labels evenly from every stream with byStream, and none from excluded or non-English streams", () => {
    const chat = [
      ...Array.from({ length: 8 }, (_, i) => ({ stream: "big", text: `clutch PogChamp ${i}` })),
      { stream: "small", text: "lag BibleThump BibleThump" },
      { stream: "small", text: "clutch PogChamp small" },
      { stream: "yt-rocketbeanstv-de-20161125-evening", text: "PogChamp PogChamp geil" },
    ];
    const selfTraining = { perClass: 4, minProbability: 0.4, weight: 0.5, byStream: true };
    const trainer = new EmbeddedTrainer(setup({ selfTraining }, chat));
    const fit = trainer.fit(all);
    // Two streams, four per class: at most two positives from each, and the German line never.
    expect(fit.pseudoLabelled.pos).toBe(3); // two from "big", the one positive line of "small"
    expect(fit.pseudoLabelled.neg).toBe(1);
    expect(trainer.fit(all, new Set(["small"])).pseudoLabelled.neg).toBe(0);
    const withGerman = new EmbeddedTrainer(setup({ selfTraining: { ...selfTraining, byStream: false, perClass: 20 }, nonEnglishChat: "pool" }, chat));
    expect(withGerman.fit(all).pseudoLabelled.pos).toBe(10);
  });

  it("chooses the calibration offset that maximises held-out macro-F1", () => {
    // Neutral rows whose neutral logit is just short: a positive neutral offset fixes them.
    const logits = Float64Array.from([2, 1.6, 0, 2, 1.6, 0, 2, 0, 0, 0, 0, 2]);
    const gold = ["neu", "neu", "pos", "neg"] as const;
    const cal = chooseCalibration(logits, [...gold], [0, 0.5], [0]);
    expect(cal.neutralOffset).toBe(0.5);
    expect(cal.macroF1).toBe(1);
    expect(labelsOf(calibratedProbabilities(logits, cal))).toEqual([...gold]);
  });
});


describe("naive-Bayes-informed L2", () => {
  it("penalises a feature that occurs alike in every class more than a telling one", () => {
    // "hmm" occurs in every class equally; "great" only in positives. Under nbL2 "hmm" loses weight, "great" keeps it.
    const rows: LabelledText[] = [...train, ...["pos", "neu", "neg"].flatMap((label) => Array.from({ length: 4 }, (_, i) => ({ text: `hmm ${i}`, label: label as LabelledText["label"] })))];
    const corpus = tokenizeCorpus(rows, emotes);
    const chat = tokenizeChat(unlabelled, emotes);
    const fitAll = rows.map((_, i) => i);
    const o = { ...options, wordVectors: undefined };
    const plain = new EmbeddedTrainer({ corpus, chat, emotes, options: o });
    const nb = new EmbeddedTrainer({ corpus, chat, emotes, options: { ...o, nbL2: 0.9 } });
    // Size of the weights on the hashed features of a word (its unigram and character n-grams).
    const size = (t: EmbeddedTrainer, weights: Float64Array, word: string) => {
      const n = t.extractor.extract(tokenize(word, emotes), word);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const id = t.extractor.ids[i]!;
        if (id >= DENSE_COUNT && id < t.extractor.vectorBase) for (let c = 0; c < 3; c++) sum += weights[id * 3 + c]! ** 2;
      }
      return Math.sqrt(sum);
    };
    const wPlain = plain.fit(fitAll).weights;
    const wNb = nb.fit(fitAll).weights;
    expect(size(nb, wNb, "hmm") / size(plain, wPlain, "hmm")).toBeLessThan(size(nb, wNb, "great") / size(plain, wPlain, "great"));
  });
});
