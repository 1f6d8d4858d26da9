import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.js";

// What a user meets when a command line is wrong: exactly one line on stderr and exit code 2, for every
// subcommand and every flag that takes a value or a file (the real process, as a shell or a supervisor sees it).
// Each case costs a process start (about 1.3 s of CPU), so one case stands for each way a flag can be wrong.

const dir = mkdtempSync(join(tmpdir(), "chatstream-usage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CHAT = new URL("../fixtures/sources/jsonl/valid.jsonl", import.meta.url).pathname;
const MISSING = join(dir, "missing.json");
const NO_FOLDER = join(dir, "no-such-folder", "out.jsonl");
const LABELS = join(dir, "labels.jsonl");
writeFileSync(LABELS, Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: i, text: `message ${i}` })).join("\n") + "\n");
const WINDOWS = join(dir, "windows.jsonl");
writeFileSync(WINDOWS, [JSON.stringify({ id: "w1", messages: [{ t: 0, user: "a", text: "gg" }] }), "{not json", JSON.stringify({ id: "w2", messages: [] })].join("\n") + "\n");

interface Case {
  args: string[];
  /** The one line expected on stderr. */
  line: RegExp;
  /** Tagged as a regression of item 20 (fails on the base commit); the others pin behaviour that was already right. */
  regression: boolean;
}

const CASES: Record<string, Case> = {
  "an unknown option, with the close one suggested": { args: ["run", "-i", CHAT, "--sped", "2"], line: /^chatstream: unknown option '--sped' \(did you mean --speed\?\); see chatstream run --help$/, regression: true },
  "a bad --speed": { args: ["run", "-i", CHAT, "--speed", "fast"], line: /^chatstream: --speed 'fast': expected a positive number or "max"; see chatstream run --help$/, regression: true },
  "--queue 0": { args: ["run", "-i", CHAT, "--queue", "0"], line: /^chatstream: --queue '0': expected a positive whole number; see chatstream run --help$/, regression: true },
  "label on a missing file": { args: ["label", "-i", MISSING], line: new RegExp(`^chatstream: cannot open "${MISSING}": no such file$`), regression: true },
  "digest on a missing file": { args: ["digest", "-i", MISSING], line: new RegExp(`^chatstream: cannot open "${MISSING}": no such file$`), regression: true },
  "digest on a labels file (no line could be read)": {
    args: ["digest", "-i", LABELS],
    line: /^chatstream digest: none of the 1,000 lines could be read \(line 1: expected \{"id", "messages": \[\.\.\.\]\}\); expected one \{"id", "messages": \[\{"t", "user", "text"\}, …\]\} window per line$/,
    regression: true,
  },
  "--ingest without --serve": { args: ["run", "-i", CHAT, "--speed", "max", "--ingest"], line: /^chatstream: --ingest needs --serve \[HOST:\]PORT$/, regression: true },
  // --config is the whole config file now (issue 19), good without --serve; only its SIGHUP reload needs the server.
  "--alert and --cors-origin without --serve": { args: ["run", "-i", CHAT, "--alert", "webhook:http://127.0.0.1:9/x", "--cors-origin", "http://a.example"], line: /^chatstream: --cors-origin, --alert need --serve \[HOST:\]PORT$/, regression: true },
  "an unreadable --emotes file": { args: ["run", "-i", CHAT, "--speed", "max", "--emotes", MISSING], line: new RegExp(`^chatstream: cannot read "${MISSING}" \\(--emotes\\): no such file$`), regression: true },
  "an unreadable --config file": { args: ["run", "-i", CHAT, "--speed", "max", "--serve", "127.0.0.1:0", "--config", MISSING], line: new RegExp(`^chatstream: cannot read "${MISSING}" \\(--config\\): no such file$`), regression: true },
  "an unreadable --alert-rules file": { args: ["run", "-i", CHAT, "--speed", "max", "--serve", "127.0.0.1:0", "--alert-rules", MISSING], line: new RegExp(`^chatstream: cannot read "${MISSING}" \\(--alert-rules\\): no such file$`), regression: true },
  "an unwritable --sink jsonl:FILE": { args: ["run", "-i", CHAT, "--speed", "max", "--sink", `jsonl:${NO_FOLDER}`], line: new RegExp(`^chatstream: cannot write "${NO_FOLDER}" \\(--sink\\): no such folder ${join(dir, "no-such-folder")}$`), regression: true },
  "an unwritable --record": { args: ["run", "-i", CHAT, "--speed", "max", "--record", NO_FOLDER], line: new RegExp(`^chatstream: cannot write "${NO_FOLDER}" \\(--record\\): no such folder`), regression: true },
  "an unwritable report --out": { args: ["report", "-i", CHAT, "-o", NO_FOLDER], line: new RegExp(`^chatstream: cannot write "${NO_FOLDER}" \\(--out\\): no such folder`), regression: true },
  "an unknown --sentiment": { args: ["run", "-i", CHAT, "--sentiment", "bert"], line: /^chatstream: unknown sentiment model "bert" \(available: .*\)$/, regression: false },
};

describe.concurrent("one line and exit 2 for every command-line mistake (real process)", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${c.regression ? "[#14.20] " : ""}${name}`, async () => {
      const r = await runCli(c.args, { timeoutMs: 20_000 });
      expect(r.timedOut).toBe(false);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(c.line);
      expect(r.code).toBe(2);
    });
  }

  it("--help still prints the whole help on stdout and exits 0", async () => {
    const r = await runCli(["run", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--max-message-length <n>");
    expect(r.stderr).toBe("");
  });

  it("digest with some bad lines answers every line, reports the bad ones and exits 0", async () => {
    const r = await runCli(["digest", "-i", WINDOWS]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(3);
    expect(r.stderr).toContain("digest: 1 of 3 lines could not be read:\n  line 2: not valid JSON");
  });
});
