// Item 14.2: control sequences and bidi controls from any source never reach a terminal, a file or a page raw.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { digestCommand } from "../src/commands/digest-command.js";
import { reportCommand } from "../src/commands/report-command.js";
import { labelCommand } from "../src/commands/label-command.js";
import { setUpModels } from "../src/commands/model-setup.js";
import { checkHeadline } from "../src/models/summarizer/llm/validate.js";
import { VirtualClock } from "../src/core/clock.js";
import type { ChatEvent, ChatEventListener } from "../src/core/event.js";
import type { ChatMessage } from "../src/core/message.js";
import { PipelineMetrics } from "../src/metrics/pipeline-metrics.js";
import { PipelineRouter } from "../src/pipeline/pipeline-router.js";
import { builtinEmoteDictionary } from "../src/processing/emote-dictionary.js";
import { fetchChannelEmotes } from "../src/processing/emote-providers.js";
import { runPipeline, type MessageSource } from "../src/pipeline/run-pipeline.js";
import type { Snapshot } from "../src/schema/output-schema.js";
import { renderHud } from "../src/sinks/hud-render.js";
import { JsonlSink } from "../src/sinks/jsonl-sink.js";
import { formatInputReport, openChatInput } from "../src/sources/file-source.js";
import { decodeJsonlLine } from "../src/sources/formats/jsonl.js";
import { IngestSource } from "../src/sources/live/ingest/ingest-source.js";
import { interpretKickFrame } from "../src/sources/live/kick/kick-chat.js";
import { createTwitchLineContext, interpretTwitchLine } from "../src/sources/live/twitch/twitch-irc.js";
import { parseChatResponse } from "../src/sources/live/youtube/youtube-chat.js";
import { dashboardPage } from "../src/web/dashboard-page.js";
import { overlayPage } from "../src/web/overlay-page.js";
import { MemorySink } from "./helpers/command-io.js";
import { runCli } from "./helpers/cli-process.js";
import { extractive, processor } from "./helpers/pipeline-fixtures.js";

// What a terminal or a bidi renderer acts on: C0, DEL, C1, bidi embeddings/overrides/isolates and marks.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** The same, for text made of lines. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_IN_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** What JSON.stringify leaves raw. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Retitles the terminal (OSC 0), clears it (CSI 2J), a C1 CSI, and an override that reverses what follows. */
const PAYLOAD = "\u001b]0;PWNED\u0007\u001b[2J\u009b31m\u202E";
const HOSTILE_CHANNEL = "x\u001b]0;PWNED\u0007\u001b[2J";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "chatstream-14-2-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every string under these keys gets the payload appended, wherever it sits in a parsed document. */
const TEXT_KEYS = new Set(["text", "user", "userId", "channel", "name", "display_name", "simpleText", "body", "message", "content", "username", "amount"]);
function poison(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(poison);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === "string" && TEXT_KEYS.has(k) ? v + PAYLOAD : poison(v);
  return out;
}
const poisonJsonLines = (text: string): string =>
  text
    .split("\n")
    .map((l) => (l.trim().length === 0 ? l : JSON.stringify(poison(JSON.parse(l)))))
    .join("\n");
const poisonRawLines = (text: string): string =>
  text
    .split("\n")
    .map((l) => (l.length === 0 ? l : l + PAYLOAD))
    .join("\n");

/** Runs a source through the real pipeline (extractive headlines quote raw chat) and returns every record, serialized. */
async function throughPipeline(source: MessageSource): Promise<{ out: string; messages: number; events: number }> {
  const sink = new MemorySink();
  const events: ChatEvent[] = [];
  const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
  const stats = await runPipeline({ source, processor, router, sink, clock: new VirtualClock(0, true), speed: "max", onEvent: (e) => events.push(e) });
  // The records, and the events as the run hands them on (to the recorder, for one).
  return { out: JSON.stringify([sink.records, events]), messages: stats.messages, events: events.length };
}

function arraySource(messages: ChatMessage[], events: ChatEvent[] = []): MessageSource {
  let listener: ChatEventListener | undefined;
  return {
    name: "parsed",
    canWait: true,
    timed: true,
    onEvent: (l) => (listener = l),
    async *batches() {
      for (const e of events) listener?.(e);
      yield messages;
    },
  };
}

function expectClean(out: string): void {
  // Serialized records show a raw C0 character as a \u escape, and C1 / bidi characters raw.
  expect(out).not.toMatch(/\\u00(?:0|1)[0-9a-f]|\\u007f/i);
  expect(out).not.toMatch(UNSAFE);
  expect(out).not.toContain("PWNED");
}

describe("text from every source kind is cleaned where it enters the run", () => {
  it("[#14.2] the file formats' shared exit cleans every field and keeps emote ranges on their emotes", () => {
    const text = "\u001b[31mKappa\u001b[0m \u202Ewhat Kappa";
    const line = JSON.stringify({ t: 0, user: `bob${PAYLOAD}`, channel: HOSTILE_CHANNEL, text, badges: [`vip${PAYLOAD}`], emotes: [{ name: "Kappa", start: 5, end: 10 }, { name: "Kappa", start: 21, end: 26 }] });
    const result = decodeJsonlLine(line, 1, { defaultChannel: "c", arrivalTime: () => 0, maxMessageLength: 2000 });
    if (result.kind !== "message") throw new Error(JSON.stringify(result));
    const m = result.message;
    expect([m.channel, m.user, m.userId, m.text, m.badges]).toEqual(["x", "bob", "bob", "Kappa what Kappa", ["vip"]]);
    expect(m.emotes?.map((e) => m.text.slice(e.start, e.end))).toEqual(["Kappa", "Kappa"]);
  });

  const files: [string, string, string, (s: string) => string][] = [
    ["jsonl", "sources/jsonl/valid.jsonl", "a.jsonl", poisonJsonLines],
    ["text (a pipe's format)", "sources/text/valid.txt", "a.txt", poisonRawLines],
    ["irc", "sources/irc/chatty.irc", "a.irc", poisonRawLines],
    ["irc (raw Twitch lines)", "sources/irc/twitch-raw.irc", "b.irc", poisonRawLines],
    ["chat-downloader", "sources/chat-downloader/youtube.json", "a.json", (s) => JSON.stringify(poison(JSON.parse(s)))],
    ["chat-downloader (Twitch JSON lines)", "sources/chat-downloader/twitch.jsonl", "b.jsonl", poisonJsonLines],
    ["ytdlp", "sources/ytdlp/replay.live_chat.json", "a.live_chat.json", poisonJsonLines],
    ["twitch-vod", "sources/twitch-vod/rechat.json", "rechat.json", (s) => JSON.stringify(poison(JSON.parse(s)))],
  ];
  for (const [format, fixture, name, hostile] of files) {
    it(`[#14.2] a ${format} file with escapes in names and text gives records without a control character`, async () => {
      const path = join(dir, name);
      const raw = readFileSync(new URL(fixture, FIXTURES), "utf8");
      writeFileSync(path, hostile(raw));
      const input = await openChatInput({ path, channel: HOSTILE_CHANNEL, arrivalTime: () => 0 });
      const { out, messages } = await throughPipeline({ name: "file", canWait: true, timed: true, batches: () => input.batches() });
      expect(messages).toBeGreaterThan(0);
      expectClean(out);
    });
  }

  it("[#14.2] a pipe on standard input is cleaned too", async () => {
    const stdin = Readable.from([`hello ${PAYLOAD} chat\n`, `second${PAYLOAD}\n`]);
    const input = await openChatInput({ path: "-", stdin, channel: HOSTILE_CHANNEL, arrivalTime: () => 0 });
    const { out, messages } = await throughPipeline({ name: "stdin", canWait: true, timed: true, batches: () => input.batches() });
    expect(messages).toBe(2);
    expectClean(out);
  });

  it("[#14.2] events in a recording (user, amount, text, channel) are cleaned", async () => {
    const path = join(dir, "events.jsonl");
    const lines = [
      { type: "event", kind: "paid", t: 100, platform: "youtube", channel: HOSTILE_CHANNEL, user: `Ann${PAYLOAD}`, amount: `$5${PAYLOAD}`, text: `thanks${PAYLOAD}` },
      { t: 200, platform: "youtube", channel: HOSTILE_CHANNEL, user: "Bo", text: "hi" },
      { t: 1200, platform: "youtube", channel: HOSTILE_CHANNEL, user: "Cy", text: "hey" },
    ];
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const listeners: ChatEventListener[] = [];
    const input = await openChatInput({ path, arrivalTime: () => 0, onEvent: (e) => listeners.forEach((l) => l(e)) });
    const { out, events } = await throughPipeline({ name: "file", canWait: true, timed: true, batches: () => input.batches(), onEvent: (l) => listeners.push(l) });
    expect(events).toBe(1);
    expect(out).toContain('"user":"Ann"');
    expectClean(out);
  });

  it("[#14.2] the live Twitch, YouTube and Kick parsers' messages and events are cleaned", async () => {
    const ctx = createTwitchLineContext(500);
    const twitch = readFileSync(new URL("live/twitch/session.irc", FIXTURES), "utf8")
      .split("\n")
      .filter((l) => l.length > 0)
      // Raw ESC and C1 are legal in IRCv3 tag values and in the trailing text.
      .map((l) => interpretTwitchLine(l.replace(/display-name=/, "display-name=\u001b[2J\u009b31m").replace(/system-msg=/, "system-msg=\u001b[2J") + PAYLOAD, ctx));
    const yt = parseChatResponse(poison(JSON.parse(readFileSync(new URL("live/youtube/get_live_chat-1.json", FIXTURES), "utf8"))), HOSTILE_CHANNEL, 0, 500);
    const kick = readFileSync(new URL("live/kick/frames.jsonl", FIXTURES), "utf8")
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => {
        const frame = JSON.parse(l) as { data?: string };
        if (typeof frame.data === "string" && frame.data.startsWith("{")) frame.data = JSON.stringify(poison(JSON.parse(frame.data)));
        return interpretKickFrame(JSON.stringify(frame), HOSTILE_CHANNEL, 0);
      });
    const parsed = [...twitch, ...kick];
    const messages = [...parsed.flatMap((p) => (p.kind === "message" ? [p.message] : [])), ...yt.messages];
    const events = [...parsed.flatMap((p) => (p.kind === "event" ? [p.event] : [])), ...yt.events];
    expect(messages.length).toBeGreaterThan(5);
    expect(events.length).toBeGreaterThan(2);
    // The parsers pass the payload on (they are not where cleaning happens): the run is.
    expect(JSON.stringify([messages, events])).toMatch(UNSAFE);
    const { out, events: seen } = await throughPipeline(arraySource(messages.map((m, i) => ({ ...m, t: i })), events));
    expect(seen).toBe(events.length);
    expectClean(out);
  });

  it("[#14.2] the WebSocket ingest's messages and events are cleaned", async () => {
    const ingest = new IngestSource({ clock: new VirtualClock(0) });
    const run = throughPipeline(ingest);
    const result = ingest.push(
      JSON.stringify([
        { channel: HOSTILE_CHANNEL, user: `u${PAYLOAD}`, userId: `id${PAYLOAD}`, text: `hi ${PAYLOAD}`, badges: [`moderator${PAYLOAD}`] },
        { type: "event", kind: "raid", channel: HOSTILE_CHANNEL, user: `Raider${PAYLOAD}`, count: 3 },
      ]),
    );
    expect(result).toMatchObject({ ok: true, accepted: 1, events: 1 });
    await ingest.stop();
    const { out, messages, events } = await run;
    expect([messages, events]).toEqual([1, 1]);
    expectClean(out);
  });
});

describe("every output path is safe for what it feeds", () => {
  const snapshot = (over: Partial<Snapshot>): Snapshot => ({
    type: "snapshot",
    mood: "neu",
    clusters: [{ label: `baron${PAYLOAD}`, count: 4, users: 3, share: 0.4, sentiment: { pos: 0, neu: 1, neg: 0, net: 0 }, top: [] }],
    channel: HOSTILE_CHANNEL,
    t: 1000,
    window: { start: 0, end: 1000 },
    count: 10,
    scored: 9,
    chatters: 7,
    rate: 0.33,
    sentiment: { pos: 0.6, neu: 0.3, neg: 0.1, net: 50 },
    confidence: 0.42,
    headline: `Chat cheers ${PAYLOAD}. Others laugh.`,
    headlineSince: 0,
    questions: [],
    topics: [],
    top: [],
    buckets: [],
    events: [{ kind: "paid", t: 900, platform: "youtube", user: `Ann${PAYLOAD}`, amount: `$5${PAYLOAD}` }],
    ...over,
  });

  it("[#14.2] a channel name with OSC and CSI escapes reaches the HUD as plain text", () => {
    const text = renderHud([snapshot({})], { width: 100, color: false });
    expect(text).toContain("#x ");
    expect(text).toContain("paid Ann $5");
    expect(text).toContain("baron");
    expect(text).not.toMatch(UNSAFE_IN_LINES);
    expect(text).not.toContain("PWNED");
  });

  it("[#14.2] a model's headline with escapes goes on air as plain text", () => {
    const d = { start: 0, end: 1, count: 1, scored: 1, ignored: 0, chatters: 1, sentiment: { pos: 1, neu: 0, neg: 0 }, groups: [], terms: [], questions: 0, mentioned: [] };
    const r = checkHeadline(`Chat cheers ${PAYLOAD}the play. Others\nlaugh at the caster.`, d);
    expect(r).toEqual({ ok: true, headline: "Chat cheers the play. Others laugh at the caster.", repairs: ["removed-controls"] });
  });

  it("[#14.2] the JSONL sink writes C1, DEL and bidi controls as escapes; the value reads back the same", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const sink = new JsonlSink(out);
    const record = snapshot({ headline: "Chat cheers \u009b2J\u007f\u202Eevil. Others \u2066laugh\u2069." });
    sink.write(record);
    await sink.close();
    const line = Buffer.concat(chunks).toString("utf8");
    expect(line).not.toMatch(RAW_IN_JSON);
    expect(line).toContain("\\u009b2J");
    expect((JSON.parse(line) as Snapshot).headline).toBe(record.headline);
  });

  it("[#14.2] /metrics label values carry no control character from a channel name", async () => {
    const metrics = new PipelineMetrics();
    const sink = new MemorySink();
    const router = new PipelineRouter({ summarizer: () => extractive, emit: (r) => sink.write(r) });
    const source = arraySource([{ t: 0, platform: "twitch", channel: HOSTILE_CHANNEL, userId: "u", user: "u", text: "hi" }]);
    await runPipeline({ source, processor, router, sink, clock: new VirtualClock(0, true), speed: "max", observer: metrics });
    const text = await metrics.registry.metrics();
    expect(text).toContain('channel="x"');
    expect(text).not.toMatch(UNSAFE_IN_LINES);
  });

  it("[#14.2] input-report skip reasons taken from a file carry no control character to stderr", async () => {
    const path = join(dir, "skips.json");
    const base = JSON.parse(readFileSync(new URL("sources/chat-downloader/youtube.json", FIXTURES), "utf8")) as Record<string, unknown>[];
    writeFileSync(path, JSON.stringify([...base, { ...base[1], message_type: `odd${PAYLOAD}` }]));
    const input = await openChatInput({ path, arrivalTime: () => 0 });
    for await (const batch of input.batches()) void batch;
    const line = formatInputReport(input.report);
    // The record is reported (as a skip named after its type, or as a malformed type), never with its escapes.
    expect(line).toMatch(/odd|1 malformed \(record 8\)/);
    expect(line).not.toMatch(UNSAFE);
  });

  it("[#14.2] digest and label read their own JSON lines: outputs and error samples carry no control character", async () => {
    const models = setUpModels({});
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const messages = [`gg ${PAYLOAD}`, `gg ${PAYLOAD}`, `baron${PAYLOAD} now`, `baron${PAYLOAD} now`].map((text, i) => ({ t: i, user: `u${i}${PAYLOAD}`, text }));
    const id = `w${PAYLOAD}`;
    const digest = await digestCommand(models, Readable.from([JSON.stringify({ id, messages }) + "\n", `{"bad": "\u001b]0;PWNED\u0007\n`]), out);
    const label = await labelCommand(models, Readable.from([JSON.stringify({ id, text: `nice ${PAYLOAD}` }) + "\n", `nope \u001b]0;PWNED\u0007\n`]), out);
    const written = Buffer.concat(chunks).toString("utf8");
    // Ids come back as given (outputs stay joinable with inputs), escaped where JSON.stringify would not.
    expect(written).not.toMatch(RAW_IN_JSON);
    const lines = written
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: unknown });
    expect(lines.map((l) => l.id)).toEqual([id, null, id, null]);
    const rest = JSON.stringify(lines.map((l) => ({ ...l, id: null })));
    expect(rest).toContain("baron");
    expect(rest).not.toMatch(/\\u00(?:0|1)[0-9a-f]|\\u007f/i);
    expect(rest).not.toMatch(UNSAFE);
    expect(rest).not.toContain("PWNED");
    expect(digest.errors + label.errors).toBe(2);
    for (const sample of [...digest.errorSamples, ...label.errorSamples]) {
      expect(sample).not.toMatch(UNSAFE);
      expect(sample).not.toContain("PWNED");
    }
  });

  it("[#14.2] the HTML report of a hostile recording holds no control or bidi character", async () => {
    const input = join(dir, "report.jsonl");
    const out = join(dir, "report.html");
    const texts = [`PogChamp${PAYLOAD}`, `LUL ${PAYLOAD} LUL`, `<b>${PAYLOAD}</b>`];
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ t: i * 500, channel: HOSTILE_CHANNEL, user: `u${i % 9}${PAYLOAD}`, text: texts[i % texts.length] }));
    writeFileSync(input, lines.join("\n") + "\n");
    const err = new PassThrough();
    const code = await reportCommand({ input, out, sentiment: "lexicon", summarizer: "extractive" }, { stdin: Readable.from([]), stdout: new PassThrough(), stderr: err, clock: new VirtualClock(0, true), color: false });
    expect(code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("chatstream report: x<");
    expect(html).toContain("&lt;b&gt;");
    // uPlot's own minified code carries no such characters either; chat must not bring any.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(html).not.toContain("PWNED");
  });

  it("the overlay and the dashboard put chat on the page with textContent only, never as HTML", () => {
    for (const page of [overlayPage(), dashboardPage()]) {
      expect(page).toContain("textContent");
      expect(page).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\.html\(/);
    }
  });

  it("[#14.2] a live source's last error (a server's own text, shown on stderr and /readyz) carries no control character", () => {
    const ingest = new IngestSource({ clock: new VirtualClock(0) });
    (ingest as unknown as { lastError: string }).lastError = `closed by server${PAYLOAD}`;
    expect(ingest.status().lastError).toBe("closed by server");
  });

  it("[#14.2] an emote API's error body, quoted by the JSON parser, reaches stderr without its control characters", async () => {
    const server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(`oops${PAYLOAD} not json`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await fetchChannelEmotes({ channel: "nepu", bases: { bttv: base, ffz: base, "7tv": base } }, builtinEmoteDictionary());
      expect(r.problems.length).toBeGreaterThan(0);
      expect(r.problems.join("\n")).toContain("oops");
      for (const p of r.problems) expect(p).not.toMatch(UNSAFE);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("[#14.2] the real CLI with the HUD shows the channel as plain text and never retitles or clears the terminal", async () => {
    const lines = [0, 400, 800, 1200].map((t, i) => JSON.stringify({ t, platform: "twitch", channel: HOSTILE_CHANNEL, user: `u${i}${PAYLOAD}`, text: `PogChamp ${PAYLOAD}` }));
    const r = await runCli(["run", "-i", "-", "-f", "jsonl", "--speed", "max", "--sink", "hud"], { stdin: lines.join("\n") + "\n" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("#x ");
    expect(r.stdout).not.toContain("PWNED");
    // log-update's own cursor moves are the only escapes: no OSC, no clear-screen, no C1, no override.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(r.stdout).not.toMatch(/\u001b\]|\u001b\[2J|[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(r.stderr).not.toMatch(UNSAFE_IN_LINES);
  });

  it("[#14.2] a fatal error that echoes a file name prints it without its control characters", async () => {
    const r = await runCli(["run", "-i", join(dir, `missing${PAYLOAD}.jsonl`), "--speed", "max"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("missing");
    expect(r.stderr).not.toMatch(UNSAFE_IN_LINES);
  });
});
