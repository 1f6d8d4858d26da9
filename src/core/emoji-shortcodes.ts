import { createRequire } from "node:module";

/**
 * YouTube writes emoji in chat files as shortcodes (":face_with_tears_of_joy:", ":red_heart:"): Unicode's own
 * names (CLDR), lower-cased, with "_" or "-" for spaces. Labels made from chat tokens (topics, threads) keep
 * them; what a person reads shows the emoji instead. The names come from unicode-emoji-json (unicode.org data).
 */

let table: Map<string, string> | undefined;

/** Emoji by name key (lower-case letters and digits only): "facewithtearsofjoy" → "😂". */
export function emojiTable(): ReadonlyMap<string, string> {
  if (table === undefined) {
    const data = createRequire(import.meta.url)("unicode-emoji-json/data-by-emoji.json") as Record<string, { name: string }>;
    table = new Map();
    for (const [emoji, entry] of Object.entries(data)) {
      const key = entry.name.toLowerCase().replace(/[^a-z0-9]/g, "");
      if (!table.has(key)) table.set(key, emoji);
    }
  }
  return table;
}

/**
 * ":face_with_tears_of_joy:" → "😂"; any other label as it is (a custom emote such as ":hand-pink-waving:" has no
 * Unicode emoji). Self-contained, because the web pages inline its source with a lookup of their own.
 */
export function emojiLabel(label: string, emojiOf: (key: string) => string | undefined): string {
  const m = /^:([^:\s]{1,80}):$/.exec(label);
  if (m === null) return label;
  const key = String(m[1]).toLowerCase().replace(/[^a-z0-9]/g, "");
  return emojiOf(key) ?? label;
}

/** The label as a person should read it, on the server side (HUD). */
export function displayLabel(label: string): string {
  return emojiLabel(label, (key) => emojiTable().get(key));
}
