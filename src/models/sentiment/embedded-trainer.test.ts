import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { tokenize } from "../../processing/tokenizer.js";
import { EmbeddedSentimentModel } from "./embedded-model.js";
import { negatedPraise, trainEmbeddedModel, type LabelledText } from "./embedded-trainer.js";
import { decodeModel } from "./embedded-weights.js";
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
