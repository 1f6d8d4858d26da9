// Trains the embedded sentiment model from the shared labelled training sets (train + train2, 12,000 messages) and the
// unlabelled English chat, and writes data/models/sentiment-embedded.json. Deterministic: running it again reproduces
// the file byte for byte (`npm run check:sentiment-weights` retrains in memory and compares).
//
//   npx tsx scripts/train-sentiment.ts [--out FILE]
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { EMBEDDED_MODEL_PATH } from "../src/models/sentiment/embedded-model.js";
import { trainEmbeddedModel } from "../src/models/sentiment/embedded-trainer.js";
import { unlabelledChat } from "../src/models/sentiment/embedded-training-data.js";
import { hasSharedLabels, readTrainingSet, sharedDataDir } from "../src/models/sentiment/shared-data.js";

const outIndex = process.argv.indexOf("--out");
const out = outIndex >= 0 ? process.argv[outIndex + 1]! : EMBEDDED_MODEL_PATH;
if (!hasSharedLabels()) {
  console.error(`train-sentiment: no labelled data under ${sharedDataDir()} (set CHATSTREAM_SHARED_DATA); nothing trained.`);
  process.exit(1);
}
const { model, report } = trainEmbeddedModel({
  train: readTrainingSet(),
  unlabelled: unlabelledChat(),
  emotes: builtinEmoteDictionary(),
  log: (line) => console.log(line),
});
mkdirSync(dirname(out), { recursive: true });
const json = JSON.stringify(model);
writeFileSync(out, json + "\n");
console.log(`wrote ${out} (${(json.length / 1024).toFixed(0)} KiB, ${model.hashed.slots} hashed rows, ${model.words.length} words) in ${report.seconds.toFixed(0)} s`);
