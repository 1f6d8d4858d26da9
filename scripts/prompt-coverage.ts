// What reaches the model, measured without one: the share of the references' content words that occur in a window
// and reach its prompt, for the window prompt, the structured prompt and the naive one (every raw line), on the dev
// and train windows; on the windows the budget trims, the same share for other orders of taking the one-off lines;
// how many human references the output validator itself would refuse (its cost on a perfect model); and how many
// windows share the live path's content signature with another (why `digest` caches by request instead).
//
//   npx tsx scripts/prompt-coverage.ts [--budget N]…     → stdout (markdown), reports/tmp/prompt-coverage.json
//   (default: the shipped budget, DEFAULT_PROMPT_LIMITS.budgetTokens, and 300 tokens under it)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_MAX_LINES } from "../src/aggregation/chat-digest.js";
import { readWindow } from "../src/commands/digest-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { promptLines, type PromptLine } from "../src/models/summarizer/llm/prompt-lines.js";
import { buildPrompt, contentSignature, DEFAULT_PROMPT_LIMITS, naivePrompt, windowPrompt, type PromptLimits } from "../src/models/summarizer/llm/prompt.js";
import { promptTokens } from "../src/models/summarizer/llm/tokens.js";
import { checkHeadline } from "../src/models/summarizer/llm/validate.js";
import { STOPWORDS } from "../src/processing/stopwords.js";

const SHARED = new URL("../../shared/data/windows/", import.meta.url).pathname;
const SETS = ["dev", "train"] as const;

interface Window {
  id: string;
  messages: { t: number; user: string; text: string }[];
  references: string[];
}

const contentWords = (s: string): string[] => (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w));

/** Orders the one-off lines could be taken in when a window is over budget (the shipped one: information). */
function variants(): Record<string, (l: PromptLine) => number> {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const tokens = (l: PromptLine): number => Math.max(2, l.text.length / 4);
  return {
    "information (shipped)": (l) => l.information,
    "information per token": (l) => l.information / tokens(l),
    "information per √token": (l) => l.information / Math.sqrt(tokens(l)),
    "first appearance": (l) => -l.first,
    "last appearance": (l) => l.first,
    "random (seeded)": () => random(),
    "longest first": (l) => l.text.length,
    "shortest first": (l) => -l.text.length,
  };
}

function main(): void {
  const { values } = parseArgs({ options: { budget: { type: "string", multiple: true } } });
  const budgets = values.budget?.map(Number) ?? [DEFAULT_PROMPT_LIMITS.budgetTokens, DEFAULT_PROMPT_LIMITS.budgetTokens - 300];
  if (!existsSync(`${SHARED}windows-dev.jsonl`)) {
    process.stderr.write(`prompt-coverage: ${SHARED} not found; nothing to measure\n`);
    return;
  }
  const models = setUpModels({});
  const report: Record<string, unknown> = { generatedBy: "scripts/prompt-coverage.ts", budgets, sets: {} };
  const lines: string[] = [];
  for (const set of SETS) {
    const windows = readFileSync(`${SHARED}windows-${set}.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Window);
    const read = windows.map((w) => ({ w, digest: readWindow(models, w.messages) }));
    const refWords = (w: Window): Set<string> => {
      const inWindow = new Set(w.messages.flatMap((m) => contentWords(m.text)));
      return new Set(w.references.flatMap(contentWords).filter((x) => inWindow.has(x)));
    };
    const recall = (ref: Set<string>, content: string): number => {
      const have = new Set(contentWords(content));
      let k = 0;
      for (const x of ref) if (have.has(x)) k++;
      return k / ref.size;
    };
    const limitsFor = (budgetTokens: number): PromptLimits => ({ ...DEFAULT_PROMPT_LIMITS, budgetTokens });
    const overall = { window: 0, structured: 0, naive: 0, windows: 0 };
    const byBudget: Record<string, { trimmed: number; recall: Record<string, number> }> = {};
    for (const budget of budgets) byBudget[budget] = { trimmed: 0, recall: {} };
    for (const { w, digest } of read) {
      const ref = refWords(w);
      if (ref.size === 0) continue;
      overall.windows++;
      overall.window += recall(ref, buildPrompt("window", digest, models.emotes, undefined)[1]?.content ?? "");
      overall.structured += recall(ref, buildPrompt("window", digest, models.emotes, undefined, [], DEFAULT_PROMPT_LIMITS, "structured")[1]?.content ?? "");
      overall.naive += recall(ref, naivePrompt(w.messages.map((m) => m.text))[1]?.content ?? "");
      for (const budget of budgets) {
        const b = byBudget[budget] as { trimmed: number; recall: Record<string, number> };
        if (!(buildPrompt("window", digest, models.emotes, undefined, [], limitsFor(budget))[1]?.content ?? "").includes('"omitted"')) continue;
        b.trimmed++;
        for (const [name, score] of Object.entries(variants())) {
          const rescored = promptLines(digest, models.emotes).map((l) => ({ ...l, information: score(l) }));
          b.recall[name] = (b.recall[name] ?? 0) + recall(ref, windowPrompt("window", digest, rescored, models.emotes, undefined, [], limitsFor(budget))[1]?.content ?? "");
        }
      }
    }
    const tokens = read.map(({ digest }) => promptTokens(buildPrompt("window", digest, models.emotes, undefined)));
    const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const promptMeans = {
      window: mean(tokens),
      structured: mean(read.map(({ digest }) => promptTokens(buildPrompt("window", digest, models.emotes, undefined, [], DEFAULT_PROMPT_LIMITS, "structured")))),
      naive: mean(read.map(({ w }) => promptTokens(naivePrompt(w.messages.map((m) => m.text))))),
    };
    const refused = new Map<string, number>();
    for (const { w, digest } of read) {
      const c = checkHeadline(w.references[0] ?? "", digest);
      if (!c.ok) refused.set(c.reason, (refused.get(c.reason) ?? 0) + 1);
    }
    const signatures = new Map<string, number>();
    for (const { digest } of read) signatures.set(contentSignature(digest), (signatures.get(contentSignature(digest)) ?? 0) + 1);
    const sharingSignature = [...signatures.values()].filter((k) => k > 1).reduce((a, b) => a + b, 0);
    const n = overall.windows;
    // Distinct lines (with commands) of the largest window, beside the digest's bound (DEFAULT_MAX_LINES).
    const mostLines = Math.max(0, ...read.map(({ digest }) => (digest.lines?.length ?? 0) + (digest.commands?.length ?? 0)));
    const sets = report.sets as Record<string, unknown>;
    sets[set] = {
      windows: windows.length,
      meanPromptTokens: promptMeans,
      referenceWordsInPrompt: { window: overall.window / n, structured: overall.structured / n, naive: overall.naive / n },
      trimmed: Object.fromEntries(budgets.map((budget) => [budget, { windows: byBudget[budget]?.trimmed, recall: Object.fromEntries(Object.entries(byBudget[budget]?.recall ?? {}).map(([k, v]) => [k, v / Math.max(1, byBudget[budget]?.trimmed ?? 1)])) }])),
      firstReferencesRefused: Object.fromEntries(refused),
      windowsSharingASignature: sharingSignature,
      mostDistinctLines: mostLines,
    };
    lines.push(
      `${set}: ${windows.length} windows; reference words in the prompt: window ${(overall.window / n).toFixed(3)}, structured ${(overall.structured / n).toFixed(3)}, naive ${(overall.naive / n).toFixed(3)}; first references the validator refuses: ${[...refused.values()].reduce((a, b) => a + b, 0)} ${JSON.stringify(Object.fromEntries(refused))}; windows sharing a content signature: ${sharingSignature}; mean prompt tokens: window ${promptMeans.window.toFixed(0)}, structured ${promptMeans.structured.toFixed(0)}, naive ${promptMeans.naive.toFixed(0)}; most distinct lines in a window: ${mostLines} (the digest keeps ${DEFAULT_MAX_LINES})`,
    );
  }
  lines.push("", `| one-offs taken by | ${budgets.flatMap((b) => SETS.map((s) => `${s}, ${b.toLocaleString("en-US")}`)).join(" | ")} |`, `|---|${budgets.flatMap(() => SETS.map(() => "---:")).join("|")}|`);
  for (const name of Object.keys(variants())) {
    const cells = budgets.flatMap((b) => SETS.map((s) => (((report.sets as Record<string, { trimmed: Record<string, { recall: Record<string, number> }> }>)[s]?.trimmed[b]?.recall[name]) ?? 0).toFixed(3)));
    lines.push(`| ${name} | ${cells.join(" | ")} |`);
  }
  lines.push(`| (trimmed windows) | ${budgets.flatMap((b) => SETS.map((s) => String((report.sets as Record<string, { trimmed: Record<string, { windows: number }> }>)[s]?.trimmed[b]?.windows ?? 0))).join(" | ")} |`);
  mkdirSync("reports/tmp", { recursive: true });
  writeFileSync("reports/tmp/prompt-coverage.json", JSON.stringify(report, null, 2) + "\n");
  process.stdout.write(lines.join("\n") + "\n");
}

main();
