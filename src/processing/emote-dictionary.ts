import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Variation selector 16 and the five skin-tone modifiers (U+1F3FB–U+1F3FF).
const EMOJI_VARIANTS = /\uFE0F|\u{1F3FB}|\u{1F3FC}|\u{1F3FD}|\u{1F3FE}|\u{1F3FF}/gu;

/** Meaning and polarity of an emote or emoji, as chat uses it. */
export interface EmoteMeaning {
  meaning: string;
  /** -1 (negative) … +1 (positive). */
  polarity: number;
  source?: string;
}

/**
 * Lookup of emote names (case-sensitive, as chat writes them), their hand-typed aliases, and emoji.
 * Built once at start-up; lookups on the hot path are plain Map.get calls.
 */
export class EmoteDictionary {
  private readonly emotes = new Map<string, EmoteMeaning>();
  private readonly emoji = new Map<string, EmoteMeaning>();

  emote(name: string): EmoteMeaning | undefined {
    return this.emotes.get(name);
  }

  /** A variation selector (U+FE0F) and a skin-tone modifier (🙏🏽 → 🙏) do not change what an emoji means. */
  emojiMeaning(emoji: string): EmoteMeaning | undefined {
    return this.emoji.get(emoji) ?? this.emoji.get(emoji.replace(EMOJI_VARIANTS, ""));
  }

  addEmote(name: string, meaning: EmoteMeaning): void {
    this.emotes.set(name, meaning);
  }

  addEmoji(emoji: string, meaning: EmoteMeaning): void {
    this.emoji.set(emoji, meaning);
  }

  get size(): number {
    return this.emotes.size + this.emoji.size;
  }

  /** Adds every entry of a `chatstream-emotes/1` document; later entries override earlier ones (per-channel files win). */
  merge(doc: EmoteDocument): this {
    for (const [name, entry] of Object.entries(doc.emotes ?? {})) {
      const meaning: EmoteMeaning = { meaning: entry.meaning, polarity: entry.polarity, source: entry.source };
      this.emotes.set(name, meaning);
      for (const alias of entry.aliases ?? []) this.emotes.set(alias, meaning);
    }
    for (const [emoji, entry] of Object.entries(doc.emoji ?? {})) {
      this.emoji.set(emoji, { meaning: entry.meaning, polarity: entry.polarity });
    }
    return this;
  }
}

export interface EmoteDocument {
  format: string;
  about?: string;
  emotes?: Record<string, { meaning: string; polarity: number; source?: string; aliases?: string[] }>;
  emoji?: Record<string, { meaning: string; polarity: number }>;
}

const BUILTIN_PATH = fileURLToPath(new URL("../../data/emotes.json", import.meta.url));

export function parseEmoteDocument(text: string, origin: string): EmoteDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${origin}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof doc !== "object" || doc === null || (doc as EmoteDocument).format !== "chatstream-emotes/1") {
    throw new Error(`${origin}: not a chatstream-emotes/1 document`);
  }
  return doc as EmoteDocument;
}

let builtin: EmoteDictionary | undefined;

/** The dictionary shipped with chatstream (data/emotes.json), loaded once. */
export function builtinEmoteDictionary(): EmoteDictionary {
  builtin ??= new EmoteDictionary().merge(parseEmoteDocument(readFileSync(BUILTIN_PATH, "utf8"), BUILTIN_PATH));
  return builtin;
}

/** The built-in dictionary extended by per-channel files (`--emotes FILE`, repeatable) and fetched documents (`--fetch-emotes`). */
export function loadEmoteDictionary(extraFiles: readonly string[] = [], extraDocuments: readonly EmoteDocument[] = []): EmoteDictionary {
  if (extraFiles.length === 0 && extraDocuments.length === 0) return builtinEmoteDictionary();
  const dict = new EmoteDictionary().merge(parseEmoteDocument(readFileSync(BUILTIN_PATH, "utf8"), BUILTIN_PATH));
  // Fetched sets first, so a hand-edited file given with --emotes overrides what the APIs said.
  for (const doc of extraDocuments) dict.merge(doc);
  for (const file of extraFiles) dict.merge(parseEmoteDocument(readFileSync(file, "utf8"), file));
  return dict;
}
