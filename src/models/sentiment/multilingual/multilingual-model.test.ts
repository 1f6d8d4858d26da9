import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../../processing/emote-dictionary.js";
import { detectLanguage } from "../../../processing/language.js";
import { tokenize } from "../../../processing/tokenizer.js";
import { EmbeddedSentimentModel, UNKNOWN_LANGUAGE_SCORES, loadEmbeddedWeights } from "../embedded-model.js";
import { labelOf } from "../sentiment-model.js";
import { sharedDataDir } from "../shared-data.js";
import { hasMultilingualLabels } from "./multilingual-data.js";
import { isMultilingualLanguage, loadMultilingualWeights, MULTILINGUAL_MODEL_PATH, MultilingualSentimentScorer } from "./multilingual-model.js";
import { decodeMultilingualModel, encodeMultilingualModel } from "./multilingual-weights.js";
import { DEFAULT_MULTILINGUAL_FEATURES, MULTILINGUAL_DENSE_COUNT } from "./multilingual-features.js";

const emotes = builtinEmoteDictionary();
const weights = loadMultilingualWeights();
const model = new EmbeddedSentimentModel(emotes);
const scorer = new MultilingualSentimentScorer(emotes, weights!);
const tok = (text: string) => tokenize(text, emotes);

describe("German and Indonesian model (committed weights)", () => {
  it("is shipped in data/models and loaded once", () => {
    expect(existsSync(MULTILINGUAL_MODEL_PATH)).toBe(true);
    expect(weights).toBeDefined();
    expect(loadMultilingualWeights()).toBe(weights);
    expect(loadMultilingualWeights("/nonexistent/model.json")).toBeUndefined();
  });

  it("scores German and Indonesian lines in their language: the embedded model hands them over", () => {
    for (const text of ["das ist so geil", "ich hasse das so sehr", "gak ada yang bisa menang", "mantap banget wkwk"]) {
      const lang = detectLanguage(tok(text));
      expect(isMultilingualLanguage(lang), text).toBe(true);
      if (!isMultilingualLanguage(lang)) continue;
      expect(model.score(text, tok(text))).toEqual(scorer.score(text, tok(text), lang));
      expect(model.score(text, tok(text), lang)).toEqual(scorer.score(text, tok(text), lang));
    }
  });

  it("reads what its languages say", () => {
    expect(labelOf(model.score("das ist so geil 😂", tok("das ist so geil 😂")))).toBe("pos");
    expect(labelOf(model.score("mantap banget wkwkwk", tok("mantap banget wkwkwk")))).toBe("pos");
  });

  it("keeps English, undetermined and Chinese lines with the English model", () => {
    const englishOnly = new EmbeddedSentimentModel(emotes, loadEmbeddedWeights(), { multilingual: null });
    for (const text of ["this is great PogChamp", "LUL LUL", "gg", "翻译是在吃屎吗"]) {
      expect(model.score(text, tok(text)), text).toEqual(englishOnly.score(text, tok(text)));
    }
  });

  it("gives a line in a language no model reads a neutral score with low confidence, not an English guess", () => {
    for (const text of ["que bueno esta el partido hoy", "você não sabe jogar", "привет всем как дела"]) {
      const s = model.score(text, tok(text));
      expect(s, text).toEqual(UNKNOWN_LANGUAGE_SCORES);
      expect(labelOf(s)).toBe("neu");
      expect(Math.max(s.pos, s.neu, s.neg)).toBeLessThanOrEqual(0.5);
    }
    // An emote or laughter is read in any language.
    expect(labelOf(model.score("que bueno jajaja LUL LUL", tok("que bueno jajaja LUL LUL")))).toBe("pos");
  });

  it("without a multilingual model, German is treated as a language no model reads", () => {
    const englishOnly = new EmbeddedSentimentModel(emotes, loadEmbeddedWeights(), { multilingual: null });
    expect(englishOnly.score("das ist doch nicht dein ernst", tok("das ist doch nicht dein ernst"))).toEqual(UNKNOWN_LANGUAGE_SCORES);
  });

  it("returns probabilities for any input", () => {
    for (const text of ["", "???", "a".repeat(3000), "💜 💜 💜", "@x https://y.z", "KONTOOLLLL", "wkwkwkwkwk"]) {
      for (const lang of ["de", "id"] as const) {
        const s = scorer.score(text, tok(text), lang);
        expect(s.pos + s.neu + s.neg).toBeCloseTo(1, 9);
        for (const v of [s.pos, s.neu, s.neg]) expect(v).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe("multilingual model file", () => {
  const committed: unknown = JSON.parse(readFileSync(MULTILINGUAL_MODEL_PATH, "utf8"));

  it("re-encodes to itself: decode then encode gives the same weights", () => {
    const decoded = decodeMultilingualModel(committed);
    const again = decodeMultilingualModel(
      encodeMultilingualModel({
        features: decoded.features,
        temperature: 1,
        offsets: new Map([...decoded.offsets].map(([l, o]) => [l, [...o]])),
        priors: decoded.priors,
        weights: decoded.weights,
        training: {},
      }),
    );
    let maxDiff = 0;
    for (let i = 0; i < decoded.weights.length; i++) maxDiff = Math.max(maxDiff, Math.abs(decoded.weights[i]! - again.weights[i]!));
    expect(maxDiff).toBeLessThan(1e-3);
    expect([...again.priors.get("de")!.words].slice(0, 20)).toEqual([...decoded.priors.get("de")!.words].slice(0, 20));
  });

  it("refuses malformed files instead of loading half a model", () => {
    const good = committed as Record<string, unknown>;
    expect(() => decodeMultilingualModel(null)).toThrow();
    expect(() => decodeMultilingualModel({ ...good, format: "other/1" })).toThrow(/format/);
    expect(() => decodeMultilingualModel({ ...good, labels: ["neg", "neu", "pos"] })).toThrow(/label/);
    expect(() => decodeMultilingualModel({ ...good, features: { ...DEFAULT_MULTILINGUAL_FEATURES, hashBits: 40 } })).toThrow(/feature/);
    expect(() => decodeMultilingualModel({ ...good, dense: [] })).toThrow(/dense/);
    expect(() => decodeMultilingualModel({ ...good, denseFeatures: ["nope", ...(good.denseFeatures as string[]).slice(1)] })).toThrow(/dense feature/);
    const hashed = good.hashed as Record<string, unknown>;
    expect(() => decodeMultilingualModel({ ...good, hashed: { ...hashed, slots: (hashed.slots as number) + 1 } })).toThrow(/disagree/);
    expect(() => decodeMultilingualModel({ ...good, hashed: { ...hashed, slotGaps: "" } })).toThrow(/truncated/);
  });

  it("has one dense row per named feature", () => {
    const decoded = decodeMultilingualModel(committed);
    expect(decoded.weights.length).toBe((MULTILINGUAL_DENSE_COUNT + (1 << decoded.features.hashBits)) * 3);
  });
});

const shared = hasMultilingualLabels();
if (!shared) console.log(`multilingual-model.test: ${sharedDataDir()} has no multilingual labels — retraining check skipped (the shared data is not part of the project).`);

describe.skipIf(!shared || process.env.CHATSTREAM_RETRAIN_TEST !== "1")("retraining reproduces the committed weights (CHATSTREAM_RETRAIN_TEST=1)", () => {
  it("trains the same file byte for byte", async () => {
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "chatstream-multilingual-"));
    try {
      const out = join(dir, "model.json");
      const script = new URL("../../../../scripts/train-sentiment-multilingual.ts", import.meta.url).pathname;
      execFileSync(process.execPath, ["--import", "tsx", script, "--out", out, "--no-docs"], { stdio: "pipe" });
      expect(readFileSync(out, "utf8")).toBe(readFileSync(MULTILINGUAL_MODEL_PATH, "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
