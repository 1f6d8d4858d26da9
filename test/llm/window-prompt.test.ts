import { describe, expect, it } from "vitest";
import { builtinEmoteDictionary } from "../../src/processing/emote-dictionary.js";
import { buildPrompt, DEFAULT_PROMPT_LIMITS, SYSTEM_PROMPT, WINDOW_SYSTEM_PROMPT } from "../../src/models/summarizer/llm/prompt.js";
import { promptTokens } from "../../src/models/summarizer/llm/tokens.js";
import { digestOf } from "./helpers.js";

const emotes = builtinEmoteDictionary();

interface WindowData {
  kind: string;
  window: { messages: number; chatters: number; mood: string; sentiment: Record<string, number>; lines: string[]; omitted?: { lines: number; messages: number }; topics?: unknown };
  previousHeadline?: string;
  arc?: unknown[];
}

function dataOf(content: string): WindowData {
  const json = /<chat_data>\n([\s\S]*)\n<\/chat_data>/.exec(content)?.[1];
  if (json === undefined) throw new Error("no data block");
  return JSON.parse(json) as WindowData;
}

describe("the window prompt (the default)", () => {
  it("[#15.1] carries the window's distinct lines in order of first appearance, counted, with the stats and the previous headline", () => {
    const d = digestOf(["LUL", "Speed drinks the hot pot broth", "LUL LUL", "viktor?", "viktor", "!dotabet", "!dotabet", "@bob did you see that", "LUL", "nigger", "go to evil.example.com now"]);
    const [system, user] = buildPrompt("window", d, emotes, "Chat laughs. Others ask.");
    expect(system?.content).toBe(WINDOW_SYSTEM_PROMPT);
    const data = dataOf(user?.content ?? "");
    expect(data.window.lines).toEqual(["LUL ×3", "Speed drinks the hot pot broth", "viktor?", "viktor", "!dotabet ×2", "someone did you see that", "n*****", "go to a link now"]);
    expect(data.window).toMatchObject({ messages: 11, chatters: 5 });
    expect(Object.keys(data.window.sentiment).sort()).toEqual(["negative", "neutral", "positive"]);
    expect(data.window.topics).toBeUndefined();
    expect(data.previousHeadline).toBe("Chat laughs. Others ask.");
    expect(promptTokens([system!, user!])).toBeLessThan(DEFAULT_PROMPT_LIMITS.budgetTokens);
  });

  it("[#15.1] over budget: the prompt stays within it, every repeated line stays, the informative one-offs before the noise", () => {
    // 40 repeated lines (each said 3 times), one event line whose words the chat shares, and 150 unrelated one-offs
    // (within the digest's 200 lines: beyond them it keeps the most repeated, then the freshest).
    const repeated = Array.from({ length: 40 }, (_, i) => `chant number ${i} LUL`);
    const noise = Array.from({ length: 150 }, (_, i) => `zq${i}x wv${i}y pk${i}z filler${i}`);
    const lines = [...repeated, ...repeated, ...repeated, "the broth is boiling and Speed drinks the hot pot", "hot pot hot pot", "that pot is scary", ...noise];
    const d = digestOf(lines, 50);
    // Room for the instructions plus 600 tokens of data: the 40 repeated lines fit, the one-offs do not all.
    const budgetTokens = promptTokens([{ role: "system", content: WINDOW_SYSTEM_PROMPT }]) + 600;
    const messages = buildPrompt("window", d, emotes, undefined, [], { ...DEFAULT_PROMPT_LIMITS, budgetTokens });
    expect(promptTokens(messages)).toBeLessThanOrEqual(budgetTokens);
    const data = dataOf(messages[1]?.content ?? "");
    for (const r of repeated) expect(data.window.lines).toContain(`${r} ×3`);
    expect(data.window.lines).toContain("the broth is boiling and Speed drinks the hot pot");
    const keptNoise = data.window.lines.filter((l) => /^zq\d+x/.test(l)).length;
    expect(keptNoise).toBeLessThan(noise.length);
    expect(data.window.omitted).toEqual({ lines: noise.length - keptNoise, messages: noise.length - keptNoise });
    // Still in order of first appearance.
    expect(data.window.lines.indexOf("chant number 0 LUL ×3")).toBe(0);
    expect(data.window.lines.indexOf("that pot is scary")).toBeGreaterThan(data.window.lines.indexOf("hot pot hot pot"));
    // A larger budget keeps more; the whole window fits a large enough one.
    const wide = dataOf(buildPrompt("window", d, emotes, undefined, [], { ...DEFAULT_PROMPT_LIMITS, budgetTokens: 20_000 })[1]?.content ?? "");
    expect(wide.window.lines.length).toBe(d.lines?.length);
    expect(wide.window.omitted).toBeUndefined();
  });

  it("a roll-up carries the arc of its parts; a digest without lines quotes its groups", () => {
    const parts = [digestOf(["baron PogChamp", "baron PogChamp"]), digestOf(["ResidentSleeper", "so boring"], 5, 100)];
    const whole = { ...digestOf(["baron PogChamp", "baron PogChamp", "ResidentSleeper", "so boring"]), lines: undefined };
    const data = dataOf(buildPrompt("period", whole, emotes, undefined, parts)[1]?.content ?? "");
    expect(data.kind).toBe("period");
    expect(data.arc).toHaveLength(2);
    // Groups come largest first, then the freshest.
    expect(data.window.lines).toEqual(["baron PogChamp ×2", "so boring", "ResidentSleeper"]);
  });

  it("the structured style is the prompt of before: its system prompt, topics and clusters", () => {
    const [system, user] = buildPrompt("window", digestOf(["baron PogChamp", "baron PogChamp", "what a steal"]), emotes, undefined, [], DEFAULT_PROMPT_LIMITS, "structured");
    expect(system?.content).toBe(SYSTEM_PROMPT);
    expect(user?.content).toContain('"clusters":[');
    expect(user?.content).not.toContain('"lines"');
  });
});
