// Ablations and hyper-parameter choices of the embedded model: each variant is trained on the training set only
// (same recipe as scripts/train-sentiment.ts) and scored on dev. Dev is used to choose among variants, never to fit.
//
//   npx tsx scripts/sentiment-experiments.ts [variant-name …]      → docs/sentiment-experiments.json
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { tokenize } from "../src/processing/tokenizer.js";
import { DEFAULT_FEATURE_CONFIG } from "../src/models/sentiment/chat-features.js";
import { EmbeddedSentimentModel } from "../src/models/sentiment/embedded-model.js";
import { DEFAULT_TRAINER_OPTIONS, trainEmbeddedModel, type TrainerOptions } from "../src/models/sentiment/embedded-trainer.js";
import { unlabelledEnglishChat } from "../src/models/sentiment/embedded-training-data.js";
import { decodeModel } from "../src/models/sentiment/embedded-weights.js";
import { classificationReport, expectedCalibrationError, LABELS } from "../src/models/sentiment/metrics.js";
import { labelOf } from "../src/models/sentiment/sentiment-model.js";
import { hasSharedLabels, readLabelled } from "../src/models/sentiment/shared-data.js";

const f = DEFAULT_FEATURE_CONFIG;
const VARIANTS: Record<string, Partial<TrainerOptions>> = {
  default: {},
  "no-chat-priors": { chatPolarity: { ...DEFAULT_TRAINER_OPTIONS.chatPolarity, minCount: 1e9 } },
  "words-only": { features: { ...f, charMin: 9, charMax: 0, bigramScale: 0 } },
  "no-bigrams": { features: { ...f, bigramScale: 0 } },
  "chars-1-4": { features: { ...f, charMin: 1, charMax: 4 } },
  "chars-3-6": { features: { ...f, charMin: 3, charMax: 6 } },
  "hash-16": { features: { ...f, hashBits: 16 } },
  "l2-1e-4": { l2: 1e-4 },
  "l2-1e-3": { l2: 1e-3 },
  "dense-l2-1": { denseL2Scale: 1 },
  "dense-l2-0.01": { denseL2Scale: 0.01 },
  "no-offset": { neutralOffsets: [0] },
  "bigrams-0.5": { features: { ...f, bigramScale: 0.5 } },
  "no-bigrams+l2-1e-4": { features: { ...f, bigramScale: 0 }, l2: 1e-4 },
  "no-bigrams+l2-1e-3": { features: { ...f, bigramScale: 0 }, l2: 1e-3 },
  "no-bigrams+dense-l2-1": { features: { ...f, bigramScale: 0 }, denseL2Scale: 1 },
  "no-bigrams+chars-1-4": { features: { ...f, bigramScale: 0, charMin: 1, charMax: 4 } },
};

if (!hasSharedLabels()) {
  console.log("sentiment-experiments: ../shared/data is absent; skipped.");
  process.exit(0);
}
const out = "docs/sentiment-experiments.json";
const results: Record<string, unknown> = existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>) : {};
const emotes = builtinEmoteDictionary();
const train = readLabelled("train");
const dev = readLabelled("dev");
const devTokens = dev.map((r) => tokenize(r.text, emotes));
const unlabelled = [...unlabelledEnglishChat()];
const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(VARIANTS);
for (const name of names) {
  const options = VARIANTS[name];
  if (!options) throw new Error(`unknown variant ${name}`);
  const { model, report } = trainEmbeddedModel({ train, unlabelled, emotes, options });
  const scorer = new EmbeddedSentimentModel(emotes, decodeModel(model));
  const probabilities: number[] = [];
  const predicted = dev.map((r, i) => {
    const s = scorer.score(r.text, devTokens[i]!);
    probabilities.push(s.pos, s.neu, s.neg);
    return labelOf(s);
  });
  const gold = dev.map((r) => r.label);
  const rep = classificationReport(gold, predicted);
  const row = {
    devMacroF1: rep.macroF1,
    devF1: Object.fromEntries(LABELS.map((c) => [c, rep.perClass[c].f1])),
    devECE: expectedCalibrationError(probabilities, gold),
    outOfFoldMacroF1: report.outOfFoldMacroF1,
    neutralOffset: report.neutralOffset,
    temperature: report.temperature,
    hashedRows: model.hashed.slots,
    seconds: report.seconds,
  };
  results[name] = row;
  console.log(`${name.padEnd(16)} dev macro-F1 ${rep.macroF1.toFixed(4)} (${LABELS.map((c) => rep.perClass[c].f1.toFixed(3)).join("/")}) ECE ${row.devECE.toFixed(4)} oof ${report.outOfFoldMacroF1.toFixed(4)} ${report.seconds.toFixed(0)}s`);
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
}
