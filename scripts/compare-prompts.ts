// Compares two folders written by `chatstream digest --prompts-out` (the requests answers were written for, and the
// requests the code writes now): how many requests differ, and in which part — the instructions, the task line, or
// a field of the data block (lines, omitted, sentiment, topics, …) — so answers can be tied to a prompt version.
//
//   npx tsx scripts/compare-prompts.ts ANSWERED_DIR CURRENT_DIR     → stdout
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { DATA_CLOSE, DATA_OPEN } from "../src/models/summarizer/llm/prompt.js";

interface Request {
  id: unknown;
  messages: { role: string; content: string }[];
}

function readRequest(path: string): Request {
  const value: unknown = JSON.parse(readFileSync(path, "utf8"));
  const request = (value as { request?: { messages?: unknown } } | null)?.request;
  const messages = request?.messages;
  if (!Array.isArray(messages) || !messages.every((m: unknown) => typeof (m as { content?: unknown } | null)?.content === "string" && typeof (m as { role?: unknown }).role === "string")) {
    throw new Error(`${path}: not a request file of digest --prompts-out`);
  }
  return { id: (value as { id?: unknown }).id, messages: messages as Request["messages"] };
}

/** The user message's task line and the data block's object, flattened one level (`window.lines`, `kind`, …). */
function parts(r: Request): Map<string, string> {
  const out = new Map<string, string>();
  r.messages.forEach((m, i) => {
    const open = m.content.indexOf(`${DATA_OPEN}\n`);
    const close = m.content.lastIndexOf(`\n${DATA_CLOSE}`);
    if (open < 0 || close < open) {
      out.set(`${m.role}[${i}]`, m.content);
      return;
    }
    out.set(`${m.role}[${i}] text`, m.content.slice(0, open));
    const data: unknown = JSON.parse(m.content.slice(open + DATA_OPEN.length + 1, close));
    if (typeof data !== "object" || data === null) return;
    for (const [k, v] of Object.entries(data)) {
      if (typeof v === "object" && v !== null && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) out.set(`${k}.${k2}`, JSON.stringify(v2));
      else out.set(k, JSON.stringify(v));
    }
  });
  return out;
}

function main(): void {
  const [a, b] = process.argv.slice(2);
  if (a === undefined || b === undefined || !existsSync(a) || !existsSync(b)) {
    process.stderr.write("usage: compare-prompts.ts ANSWERED_DIR CURRENT_DIR\n");
    process.exitCode = 2;
    return;
  }
  const names = readdirSync(a).filter((n) => /^\d+\.json$/.test(n)).sort();
  let differing = 0;
  let missing = 0;
  const byPart = new Map<string, number>();
  for (const name of names) {
    if (!existsSync(`${b}/${name}`)) {
      missing++;
      continue;
    }
    if (readFileSync(`${a}/${name}`, "utf8") === readFileSync(`${b}/${name}`, "utf8")) continue;
    differing++;
    const pa = parts(readRequest(`${a}/${name}`));
    const pb = parts(readRequest(`${b}/${name}`));
    for (const key of new Set([...pa.keys(), ...pb.keys()])) if (pa.get(key) !== pb.get(key)) byPart.set(key, (byPart.get(key) ?? 0) + 1);
  }
  const extra = readdirSync(b).filter((n) => /^\d+\.json$/.test(n) && !names.includes(n)).length;
  const rows = [...byPart.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  process.stdout.write(
    [
      `${names.length} requests in ${a}: ${names.length - differing - missing} identical in ${b}, ${differing} different, ${missing} missing there (${extra} there only)`,
      ...rows.map(([key, n]) => `  ${key}: ${n}`),
      "",
    ].join("\n"),
  );
}

main();
