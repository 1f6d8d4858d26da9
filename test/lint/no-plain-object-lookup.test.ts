import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RULE = "chatstream/no-plain-object-lookup";

/** Lints `code` as if it were the file at `path` (a real file of src/, so typed linting knows its project), with the shipped eslint.config.js. */
async function reportedLines(code: string, path: string): Promise<number[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  const messages = result?.messages ?? [];
  const fatal = messages.filter((m) => m.fatal === true);
  expect(fatal, JSON.stringify(fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === RULE).map((m) => m.line);
}

/** Lines of `code` that end with `// flagged`. */
function markedLines(code: string): number[] {
  return code.split("\n").flatMap((line, i) => (line.trimEnd().endsWith("// flagged") ? [i + 1] : []));
}

// The shape of src/models/summarizer/synthesizer/reactions.ts before the fix (027badb), table shortened.
const OLD_REACTIONS = `import type { EmoteDictionary } from "../../../processing/emote-dictionary.js";
import type { Token } from "../../../processing/tokenizer.js";

export type Reaction = "laughter" | "hype";

const WORD_REACTIONS: Record<string, Reaction> = {
  lol: "laughter", pog: "hype",
};

export function reactionOfToken(tok: Token, _emotes: EmoteDictionary): Reaction | undefined {
  switch (tok.kind) {
    case "word":
      return WORD_REACTIONS[tok.norm] ?? WORD_REACTIONS[tok.norm.replace(/(\\p{L})\\1+/gu, "$1")]; // flagged
    default:
      return undefined;
  }
}
`;

const CASES = `type Lead = "talk" | "joke";
const VERBS: Record<Lead, string> = { talk: "talks", joke: "jokes" };
const TABLE: Readonly<Record<string, number>> = { gg: 1 };
const INDEXED: { [word: string]: number } = {};
const MAP = new Map<string, number>([["gg", 1]]);

export function cases(word: string, lead: Lead, i: number, list: number[], text: string, json: unknown): unknown[] {
  const out: unknown[] = [];
  out.push(TABLE[word]); // flagged
  out.push(INDEXED[word.toLowerCase()]); // flagged
  INDEXED[word] = 1; // flagged
  out.push(TABLE[\`\${word}s\`]); // flagged
  out.push(word in TABLE); // flagged
  out.push((json as Record<string, unknown>)[word]); // flagged
  out.push(generic(TABLE, word));
  // Safe: a closed key, a literal, a number, a Map, or a lookup guarded by Object.hasOwn.
  out.push(VERBS[lead], TABLE["gg"], list[i], text[i], MAP.get(word), "gg" in TABLE);
  out.push(Object.hasOwn(TABLE, word) ? TABLE[word] : undefined);
  out.push(Object.hasOwn(TABLE, word) && TABLE[word]);
  if (Object.hasOwn(INDEXED, word)) INDEXED[word] = 2;
  for (const w of [word, text]) {
    if (!Object.hasOwn(INDEXED, w)) continue;
    out.push(INDEXED[w]);
  }
  // A guard on another key guards nothing.
  out.push(Object.hasOwn(TABLE, text) ? TABLE[word] : undefined); // flagged
  return out;
}

function generic<K extends string>(table: Record<string, number>, key: K): number | undefined {
  return table[key]; // flagged
}
`;

describe("the lint rule against plain-object lookups by chat words (issue 14, item 4)", () => {
  it("[#14.4] eslint.config.js flags the old WORD_REACTIONS[tok.norm] lookup in src/", async () => {
    const lines = await reportedLines(OLD_REACTIONS, "src/models/summarizer/synthesizer/reactions.ts");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect([...new Set(lines)]).toEqual(markedLines(OLD_REACTIONS));
  }, 60_000);

  it("[#14.4] it flags string keys into string-indexed objects and `in`, and lets closed keys, Maps and Object.hasOwn guards pass", async () => {
    const lines = await reportedLines(CASES, "src/processing/stopwords.ts");
    expect([...new Set(lines)]).toEqual(markedLines(CASES));
  }, 60_000);
});
