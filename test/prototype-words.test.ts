import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommand } from "../src/commands/run-command.js";
import { VirtualClock } from "../src/core/clock.js";
import type { ChatMessage } from "../src/core/message.js";
import { DigestBuilder, mergeDigests, type ChatDigest } from "../src/aggregation/chat-digest.js";
import { clustersOf } from "../src/aggregation/topic-clusters.js";
import { createSentimentModel, sentimentModelNames } from "../src/models/sentiment/registry.js";
import type { SentimentModel, SentimentScores } from "../src/models/sentiment/sentiment-model.js";
import { countSentences } from "../src/models/summarizer/headline-text.js";
import { llmServer } from "../src/models/summarizer/llm/llm-servers.js";
import { createSummarizer, summarizerNames } from "../src/models/summarizer/registry.js";
import { BotFilter } from "../src/processing/bot-filter.js";
import { EmoteDictionary, builtinEmoteDictionary, loadEmoteDictionary, parseEmoteDocument } from "../src/processing/emote-dictionary.js";
import { emoteDocumentOf } from "../src/processing/emote-providers.js";
import { MessageProcessor } from "../src/processing/message-processor.js";
import { tokenize } from "../src/processing/tokenizer.js";
import type { Rollup, Snapshot } from "../src/schema/output-schema.js";
import { currencyOf } from "../src/sources/formats/ytdlp.js";
import { createInputReport, InputReportRecorder } from "../src/sources/input-report.js";
import { macroF1 } from "../src/evaluation/classification.js";
import { evaluateModel } from "../src/models/sentiment/evaluation.js";
import { parseAlertRules } from "../src/server/alerts.js";
import { createTwitchLineContext, interpretTwitchLine } from "../src/sources/live/twitch/twitch-irc.js";
import { runCli } from "./helpers/cli-process.js";
import { captureIO, parseRecords } from "./helpers/command-io.js";
import { BROKEN_TEXT, PROTOTYPE_NAMES, PROTOTYPE_TOKENS, caseVariants, linesAround } from "./helpers/prototype-words.js";

/** LLM summarizers need a server; every other registered one is exercised. */
const OFFLINE_SUMMARIZERS = summarizerNames().filter((n) => llmServer(n) === undefined);

/** The built-in dictionary plus a per-channel file that declares every prototype name an emote (JSON keeps "__proto__" an own key). */
function dictionaryWithPrototypeEmotes(): EmoteDictionary {
  const entries = PROTOTYPE_NAMES.map((n) => `${JSON.stringify(n)}: { "meaning": "laughter", "polarity": 0.7 }`).join(", ");
  return loadEmoteDictionary([], [parseEmoteDocument(`{ "format": "chatstream-emotes/1", "emotes": { ${entries} } }`, "prototype-emotes.json")]);
}

function expectScores(s: SentimentScores, where: string): void {
  for (const v of [s.pos, s.neu, s.neg]) {
    expect(Number.isFinite(v), `${where}: ${JSON.stringify(s)}`).toBe(true);
    expect(v, where).toBeGreaterThanOrEqual(0);
    expect(v, where).toBeLessThanOrEqual(1);
  }
  expect(s.pos + s.neu + s.neg, where).toBeCloseTo(1, 6);
}

function expectHeadline(h: string, where: string): void {
  expect(h, where).not.toMatch(BROKEN_TEXT);
  expect(countSentences(h), `${where}: ${h}`).toBe(2);
}

function chatMessage(t: number, text: string, user: string, channel = "c"): ChatMessage {
  return { t, platform: "twitch", channel, userId: user, user, text };
}

/** Windows where prototype words lead, trail or mix with ordinary chat (the mixes that broke headlines). */
function windows(token: string): string[][] {
  const around = linesAround(token);
  return [
    around,
    [...around, ...around, "LUL that was close", "LUL that was close", "nice play", "nice play", "PogChamp"],
    ["LUL the jump", "LUL the jump", "LUL the jump", "LUL the jump", "the jump again", `${token} test`, `${token} test`, `lol ${token}`, `lol ${token}`],
    ["red car test", "blue train test", "green boat test", "yellow plane test", `${token} test`, "white house test"],
  ];
}

function digestOf(lines: readonly string[], processor: MessageProcessor, t0 = 0): ChatDigest {
  const b = new DigestBuilder();
  lines.forEach((text, i) => b.add(processor.process(chatMessage(t0 + i * 100, text, PROTOTYPE_NAMES[i % PROTOTYPE_NAMES.length] as string))));
  return b.build(t0 - 1, t0 + lines.length * 100);
}

describe("prototype words in chat (issue 14, item 4)", () => {
  it("[#14.4] every registered sentiment model scores prototype words, in every case and as emotes, as finite probabilities", () => {
    for (const emotes of [builtinEmoteDictionary(), dictionaryWithPrototypeEmotes()]) {
      for (const name of sentimentModelNames()) {
        const model = createSentimentModel(name, { emotes });
        for (const token of PROTOTYPE_TOKENS) {
          for (const text of linesAround(token)) expectScores(model.score(text, tokenize(text, emotes)), `${name} "${text}"`);
          // A source's own emote positions declare the word an emote, whatever the dictionary says.
          const spans = [{ name: token, id: "1", start: 0, end: token.length }];
          expectScores(model.score(`${token} LUL`, tokenize(`${token} LUL`, emotes, spans)), `${name} emote span "${token}"`);
        }
      }
    }
  });

  it("[#14.4] to the lexicon, VADER and AFINN a prototype word is an unknown word: it neither scores nor negates the next one", () => {
    const emotes = builtinEmoteDictionary();
    const score = (m: SentimentModel, text: string): SentimentScores => m.score(text, tokenize(text, emotes));
    for (const name of ["lexicon", "vader", "afinn"]) {
      const model = createSentimentModel(name, { emotes });
      for (const word of PROTOTYPE_NAMES.flatMap(caseVariants)) {
        // An unknown word of the same shape: the same case, so shouting counts the same.
        const unknown = word.replace(/\p{Lu}/gu, "Q").replace(/\p{Ll}/gu, "q");
        for (const text of [`${word} good`, `${word} awful`, `good ${word}`, `${word}`, `not ${word} bad`]) {
          expect(score(model, text), `${name} "${text}"`).toEqual(score(model, text.replace(word, unknown)));
        }
      }
    }
  });

  it("[#14.4] every offline summarizer writes two clean sentences from windows full of prototype words, as a window and as a period", () => {
    for (const emotes of [builtinEmoteDictionary(), dictionaryWithPrototypeEmotes()]) {
      const sentiment = createSentimentModel("embedded", { emotes });
      const processor = new MessageProcessor(emotes, new BotFilter(), () => sentiment);
      for (const name of OFFLINE_SUMMARIZERS) {
        const summarizer = createSummarizer(name, undefined, { emotes });
        for (const token of PROTOTYPE_TOKENS) {
          const parts = windows(token).map((lines, i) => digestOf(lines, processor, i * 10_000));
          for (const d of parts) {
            const { clusters } = clustersOf(d, new Map([[token, 1], [token.toLowerCase(), 2]]));
            expectHeadline(summarizer.summarizeWindow(d, { clusters }), `${name} window with "${token}"`);
            expectHeadline(summarizer.summarizeWindow(d), `${name} window with "${token}" read alone`);
          }
          expectHeadline(summarizer.summarizePeriod(mergeDigests(parts, 0, parts.length * 10_000), parts), `${name} period with "${token}"`);
        }
      }
    }
  });

  it("[#14.4] the whole pipeline, with every sentiment model and offline summarizer, keeps sentiment and headlines whole when users, channels and chat are prototype words", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-proto-"));
    const path = join(dir, "proto.jsonl");
    const lines: string[] = [];
    let t = 0;
    for (const token of PROTOTYPE_TOKENS) {
      for (const text of [`${token} test`, "LUL that was close", `lol ${token}`, "nice play"]) {
        t += 250;
        const user = PROTOTYPE_NAMES[lines.length % PROTOTYPE_NAMES.length] as string;
        const channel = lines.length % 3 === 0 ? "__proto__" : lines.length % 3 === 1 ? "constructor" : "toString";
        lines.push(JSON.stringify({ t, user, userId: user, channel, text, platform: "twitch" }));
      }
    }
    writeFileSync(path, lines.join("\n") + "\n");
    for (const sentiment of sentimentModelNames()) {
      for (const summarizer of OFFLINE_SUMMARIZERS) {
        const h = captureIO(new VirtualClock(1_700_000_000_000, true));
        const code = await runCommand({ input: path, speed: "max", sinks: ["jsonl"], queueCapacity: 1000, shedPolicy: "drop-newest", maxMessageLength: 2000, progress: false, sentiment, summarizer }, h.io);
        expect(code, h.stderr()).toBe(0);
        const records = parseRecords(h.stdout()).filter((r): r is Snapshot | Rollup => r.type === "snapshot" || r.type === "rollup");
        expect(records.length).toBeGreaterThan(100);
        expect(new Set(records.map((r) => r.channel))).toEqual(new Set(["__proto__", "constructor", "toString"]));
        const five = records.filter((r): r is Rollup => r.type === "rollup" && r.level === "5s");
        expect(five.reduce((n, r) => n + r.count, 0)).toBe(lines.length);
        for (const r of records) {
          const where = `${sentiment}/${summarizer} ${r.type} ${r.channel} t=${r.t}`;
          for (const v of [r.sentiment.pos, r.sentiment.neu, r.sentiment.neg, r.sentiment.net]) expect(Number.isFinite(v), `${where}: ${JSON.stringify(r.sentiment)}`).toBe(true);
          expectHeadline(r.headline, where);
        }
      }
    }
  }, 120_000);

  it("[#14.4] an emote fetched for a channel under a prototype name is kept in the emote document, as an own entry that loads back", () => {
    const found = PROTOTYPE_NAMES.map((name) => ({ name, provider: "7tv" as const }));
    const { document, counts } = emoteDocumentOf(found, builtinEmoteDictionary(), "somechannel");
    expect(counts["7tv"]).toBe(PROTOTYPE_NAMES.length);
    const reloaded = new EmoteDictionary().merge(parseEmoteDocument(JSON.stringify(document), "fetched.json"));
    for (const name of PROTOTYPE_NAMES) expect(reloaded.emote(name)?.source, name).toBe("7tv");
    expect(Object.keys(document.emotes ?? {}).sort()).toEqual([...PROTOTYPE_NAMES].sort());
  });
});

describe("prototype words in sources' lookup tables (issue 14, item 4)", () => {
  it("[#14.4] a Super Chat amount whose symbol is a prototype word has no currency", () => {
    for (const name of PROTOTYPE_NAMES) expect(currencyOf(`${name}5.00`), name).toBeUndefined();
    expect(currencyOf("€2,00")).toBe("EUR");
  });

  it("[#14.4] a Twitch USERNOTICE whose msg-id is a prototype word is an event of kind other", () => {
    const ctx = createTwitchLineContext(500);
    for (const name of PROTOTYPE_NAMES) {
      expect(interpretTwitchLine(`@login=a;msg-id=${name} :tmi.twitch.tv USERNOTICE #x`, ctx), name).toMatchObject({ kind: "event", event: { kind: "other" } });
    }
  });

  it("[#14.4] a skip reason that is a prototype word is counted like any other", () => {
    const report = createInputReport("ytdlp", "line");
    const recorder = new InputReportRecorder(report);
    for (const name of PROTOTYPE_NAMES) {
      recorder.skipped(1, name);
      recorder.skipped(2, name);
    }
    expect(Object.entries(report.skipped).sort()).toEqual(PROTOTYPE_NAMES.map((n) => [n, 2]).sort());
    expect(report.issues.map((i) => i.reason).sort()).toEqual([...PROTOTYPE_NAMES].sort());
  });
});

describe("prototype words as keys read from files (issue 14, item 4)", () => {
  it("[#14.4] an alert rule field named after a prototype member is an unknown field, not a way to reach it", () => {
    expect(() => parseAlertRules({ swing: { constructor: 1 } })).toThrow(/unknown field "swing.constructor"/);
    expect(() => parseAlertRules(JSON.parse('{ "rate": { "__proto__": { "points": 1 } } }'))).toThrow(/unknown field "rate.__proto__"/);
  });

  it("[#14.4] labels and stream names that are prototype names get their own entries in evaluation reports", () => {
    expect(macroF1(["__proto__", "constructor"], ["__proto__", "x"], ["__proto__", "constructor"]).perClass).toEqual(Object.fromEntries([["__proto__", 1], ["constructor", 0]]));
    const emotes = builtinEmoteDictionary();
    const rows = ["__proto__", "constructor", "toString"].map((stream, i) => ({ id: String(i), stream, text: "gg", label: "pos" as const }));
    const report = evaluateModel(createSentimentModel("lexicon", { emotes }), rows, rows.map((r) => tokenize(r.text, emotes)));
    expect(Object.keys(report.perStream).sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.values(report.perStream).map((s) => s.items)).toEqual([1, 1, 1]);
  });
});

describe("prototype words through the real CLI (issue 14, item 4)", () => {
  // The issue's reproduction: 120 lines, one every 500 ms, 30 users, cycling six texts one of which is "constructor test".
  const TEXTS = ["red car test", "blue train test", "green boat test", "yellow plane test", "constructor test", "white house test"];
  const dir = mkdtempSync(join(tmpdir(), "chatstream-ctor-"));
  const path = join(dir, "ctor.jsonl");
  writeFileSync(path, Array.from({ length: 120 }, (_, i) => JSON.stringify({ t: i * 500, user: `user${i % 30}`, text: TEXTS[i % TEXTS.length], platform: "twitch" })).join("\n") + "\n");

  function records(stdout: string): (Snapshot | Rollup)[] {
    return parseRecords(stdout).filter((r): r is Snapshot | Rollup => r.type === "snapshot" || r.type === "rollup");
  }

  it("[#14.4] run -f jsonl --speed max on the 120-line \"constructor test\" file exits 0 and no headline says undefined", async () => {
    const r = await runCli(["run", "-f", "jsonl", "--speed", "max", "-i", path]);
    expect(r.stderr).not.toMatch(/Cannot read properties/);
    expect(r.code, r.stderr).toBe(0);
    const out = records(r.stdout);
    expect(out.filter((x) => x.type === "snapshot").length).toBeGreaterThan(100);
    for (const x of out) expectHeadline(x.headline, `${x.type} ${x.t}`);
  });

  it("[#14.4] with --sentiment lexicon no snapshot's sentiment is null", async () => {
    // The extractive summarizer reads no word tables, so only the sentiment model meets the word.
    const r = await runCli(["run", "-f", "jsonl", "--speed", "max", "--sentiment", "lexicon", "--summarizer", "extractive", "-i", path]);
    expect(r.code, r.stderr).toBe(0);
    const out = records(r.stdout);
    expect(out.length).toBeGreaterThan(100);
    for (const x of out) for (const v of Object.values(x.sentiment)) expect(typeof v, JSON.stringify(x.sentiment)).toBe("number");
  });
});
