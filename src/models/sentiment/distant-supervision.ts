import type { EmoteDictionary } from "../../processing/emote-dictionary.js";
import type { TokenizedText } from "../../processing/tokenizer.js";
import { ChatFeatureExtractor, DENSE_COUNT, isLaughter, type FeatureConfig, type WordPriors } from "./chat-features.js";
import { SparseDatasetBuilder, trainSoftmaxRegression } from "./softmax-regression.js";

/**
 * Distant supervision from emotes, as a discriminative model: in unlabelled chat, a message whose emotes, emoji and
 * laughter sum to ≥ threshold is taken as positive, ≤ −threshold as negative; with those markers removed, a logistic
 * regression learns pos vs neg from what remains (word unigrams, bigrams, character n-grams, channel emotes), over the
 * same hashed slots as the embedded model. ~38,000 such messages in the 12 English recordings, three times the
 * labelled set, and they cover words and spellings the labels never show.
 *
 * Its score (the logit of pos vs neg) becomes one feature of the embedded model. Because the score is linear in the
 * same hashed features, the trained model's weight on it folds back into the hashed table (W + a·V), so nothing is
 * added to the model file's format or to the hot path: a slot the labelled data never saw still carries what the
 * emotes taught.
 *
 * word-priors.ts does the same per word with counts (naive Bayes); this one weighs words against each other and sees
 * n-grams.
 */

export interface DistantOptions {
  /** Marker polarity a message needs to count as positive (negative): ≥ threshold (≤ −threshold). */
  threshold: number;
  /** L2 strength on the mean loss. */
  l2: number;
  maxIterations: number;
}

export const DEFAULT_DISTANT_OPTIONS: DistantOptions = { threshold: 0.5, l2: 1e-4, maxIterations: 150 };

/** Summed polarity of the emotes, emoji and laughter of a message (the distant label's source). */
export function markerPolarity(message: TokenizedText, emotes: EmoteDictionary): number {
  let signal = 0;
  for (const tok of message.tokens) {
    if (tok.kind === "emote") signal += (emotes.emote(tok.norm) ?? emotes.emote(tok.text))?.polarity ?? 0;
    else if (tok.kind === "emoji") signal += emotes.emojiMeaning(tok.norm)?.polarity ?? 0;
    else if (tok.kind === "word" && isLaughter(tok.norm)) signal += 0.8;
  }
  return signal;
}

/** The message without its markers (emotes, emoji, laughter), or undefined when no word is left. */
export function withoutMarkers(message: TokenizedText): TokenizedText | undefined {
  const tokens = message.tokens.filter((tok) => tok.kind !== "emote" && tok.kind !== "emoji" && !(tok.kind === "word" && isLaughter(tok.norm)));
  if (!tokens.some((tok) => tok.kind === "word")) return undefined;
  return { ...message, tokens };
}

/**
 * Per hashed slot (2^hashBits), the weight of the distant model's pos-vs-neg logit; zero where no marked message
 * had the feature. Deterministic: messages in order, full-batch L-BFGS. Positive and negative messages weigh the same
 * in total (positives are three times as many).
 */
export function learnDistantWeights(chat: readonly TokenizedText[], emotes: EmoteDictionary, priors: WordPriors, features: FeatureConfig, options: DistantOptions = DEFAULT_DISTANT_OPTIONS): { weights: Float32Array; positives: number; negatives: number } {
  // Priors without vectors: the vector block is not part of the hashed table.
  const extractor = new ChatFeatureExtractor(emotes, { index: priors.index, lexicon: priors.lexicon, chat: priors.chat }, features);
  const builder = new SparseDatasetBuilder(2);
  const labels: number[] = [];
  const ids = new Int32Array(extractor.ids.length);
  const values = new Float32Array(extractor.values.length);
  const targets = [Float32Array.of(1, 0), Float32Array.of(0, 1)];
  for (const message of chat) {
    const signal = markerPolarity(message, emotes);
    if (signal < options.threshold && signal > -options.threshold) continue;
    const masked = withoutMarkers(message);
    if (!masked) continue;
    const n = extractor.extract(masked, "");
    // Hashed features only, shifted to slot numbers (the dense features describe the markers just removed).
    let m = 0;
    for (let i = 0; i < n; i++) {
      const id = extractor.ids[i]!;
      if (id < DENSE_COUNT || id >= extractor.vectorBase) continue;
      ids[m] = id - DENSE_COUNT + 1; // feature 0 is the bias
      values[m++] = extractor.values[i]!;
    }
    ids[m] = 0;
    values[m++] = 1;
    const label = signal > 0 ? 0 : 1;
    labels.push(label);
    builder.add(ids, values, m, targets[label]!);
  }
  const data = builder.build();
  const positives = labels.filter((l) => l === 0).length;
  const negatives = labels.length - positives;
  const slots = 1 << features.hashBits;
  const weights = new Float32Array(slots);
  if (positives === 0 || negatives === 0) return { weights, positives, negatives };
  const balanced = labels.map((l) => (l === 0 ? labels.length / (2 * positives) : labels.length / (2 * negatives)));
  balanced.forEach((w, r) => (data.weights[r] = w));
  const fit = trainSoftmaxRegression(data, { dimension: slots + 1, l2: options.l2, l2Scale: (f) => (f === 0 ? 0 : 1), maxIterations: options.maxIterations });
  for (let s = 0; s < slots; s++) weights[s] = fit.weights[(s + 1) * 2]! - fit.weights[(s + 1) * 2 + 1]!;
  return { weights, positives, negatives };
}
