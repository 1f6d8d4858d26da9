import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { DEMO_PHASES, DEMO_SEED, DEMO_STREAM, generateDemoChat } from "../scripts/generate-demo.js";
import type { DemoPhase } from "../scripts/generate-demo.js";

// Minimal view of the yt-dlp live_chat.json replay line, only what the checks read.
interface Run {
  text?: string;
  emoji?: { emojiId: string; shortcuts: string[]; isCustomEmoji?: boolean; image: { thumbnails: Array<{ url: string }> } };
}
interface Badge {
  liveChatAuthorBadgeRenderer: { tooltip: string; icon?: { iconType: string }; customThumbnail?: { thumbnails: Array<{ url: string }> } };
}
interface Renderer {
  id: string;
  timestampUsec: string;
  authorName?: { simpleText: string };
  authorExternalChannelId?: string;
  authorBadges?: Badge[];
  message?: { runs: Run[] };
  purchaseAmountText?: { simpleText: string };
}
interface Line {
  clickTrackingParams: string;
  replayChatItemAction: {
    actions: Array<{ clickTrackingParams?: string; addChatItemAction: { item: Record<string, Renderer>; clientId: string } }>;
    videoOffsetTimeMsec: string;
  };
}

interface Parsed {
  t: number;
  kind: string;
  r: Renderer;
  text: string;
}

const CHAT_KINDS = new Set(["liveChatTextMessageRenderer", "liveChatPaidMessageRenderer"]);
const ALL_KINDS = new Set([...CHAT_KINDS, "liveChatMembershipItemRenderer", "liveChatViewerEngagementMessageRenderer"]);

function runText(runs: readonly Run[] | undefined): string {
  return (runs ?? []).map((run) => run.text ?? (run.emoji ? (run.emoji.isCustomEmoji ? (run.emoji.shortcuts[0] ?? "") : run.emoji.emojiId) : "")).join("");
}

function parse(lines: readonly string[]): Parsed[] {
  return lines.map((line) => {
    const obj = JSON.parse(line) as Line;
    const action = obj.replayChatItemAction.actions[0];
    const entry = Object.entries(action?.addChatItemAction.item ?? {})[0];
    if (!entry) throw new Error(`no item in ${line.slice(0, 120)}`);
    const [kind, r] = entry;
    return { t: Number(obj.replayChatItemAction.videoOffsetTimeMsec), kind, r, text: runText(r.message?.runs).toLowerCase() };
  });
}

const lines = generateDemoChat(DEMO_SEED);
const items = parse(lines);
const chat = items.filter((m) => CHAT_KINDS.has(m.kind));
const viewers = chat.filter((m) => m.r.authorName?.simpleText !== "Nightbot");

function share(phase: DemoPhase, from: number, to: number): number {
  const inRange = viewers.filter((m) => m.t >= from && m.t < to);
  const hits = inRange.filter((m) => phase.markers.some((re) => re.test(m.text)));
  return inRange.length === 0 ? 0 : hits.length / inRange.length;
}

describe("demo chat generator", () => {
  it("is deterministic: the same seed gives identical lines", () => {
    const again = generateDemoChat(DEMO_SEED);
    expect(again.length).toBe(lines.length);
    expect(again.every((line, i) => line === lines[i])).toBe(true);
  });

  it("matches the committed demo/demo.live_chat.json.gz", () => {
    const gz = readFileSync(new URL("../demo/demo.live_chat.json.gz", import.meta.url));
    expect(gz.length).toBeLessThan(1_500_000);
    const committed = gunzipSync(gz).toString("utf8");
    // Compare as a whole (fast) and report the first differing line when it fails.
    if (committed !== lines.join("\n") + "\n") {
      const got = committed.split("\n");
      const first = lines.findIndex((line, i) => got[i] !== line);
      expect.fail(`committed demo differs from the generator at line ${first + 1}; regenerate it (see demo/README.md)`);
    }
  });

  it("writes every line in yt-dlp's live_chat.json replay shape", () => {
    // Problems are collected and asserted once: thousands of expect() calls would make the test slow.
    const problems: string[] = [];
    const check = (ok: boolean, what: string, i: number): void => {
      if (!ok && problems.length < 20) problems.push(`line ${i + 1}: ${what}`);
    };
    lines.forEach((line, i) => {
      const obj = JSON.parse(line) as Line;
      check(typeof obj.clickTrackingParams === "string", "clickTrackingParams", i);
      check(/^\d+$/.test(obj.replayChatItemAction.videoOffsetTimeMsec), "videoOffsetTimeMsec", i);
      check(obj.replayChatItemAction.actions.length === 1, "one action per line", i);
      const add = obj.replayChatItemAction.actions[0]?.addChatItemAction;
      check(/^C[\w-]{25}$/.test(add?.clientId ?? ""), "clientId", i);
      const kinds = Object.keys(add?.item ?? {});
      check(kinds.length === 1 && ALL_KINDS.has(kinds[0] ?? ""), `item kind ${kinds.join(",")}`, i);
    });
    items.forEach((m, i) => {
      check(/^[A-Za-z0-9+/]{40}$/.test(m.r.id), "id", i);
      check(/^\d{16}$/.test(m.r.timestampUsec), "timestampUsec", i);
      // Wall-clock timestamps agree with the stream offsets.
      check(Math.abs((Number(m.r.timestampUsec) - DEMO_STREAM.startUsec) / 1000 - m.t) < 1, "timestampUsec vs offset", i);
      if (m.kind === "liveChatViewerEngagementMessageRenderer") return;
      check(Boolean(m.r.authorName?.simpleText), "authorName", i);
      check(/^UC[\w-]{22}$/.test(m.r.authorExternalChannelId ?? ""), "authorExternalChannelId", i);
      for (const b of m.r.authorBadges ?? []) {
        const badge = b.liveChatAuthorBadgeRenderer;
        check(Boolean(badge.tooltip), "badge tooltip", i);
        check(badge.customThumbnail !== undefined || ["OWNER", "MODERATOR", "VERIFIED"].includes(badge.icon?.iconType ?? ""), "badge kind", i);
      }
      if (!CHAT_KINDS.has(m.kind)) return;
      const runs = m.r.message?.runs ?? [];
      check(runs.length > 0, "message runs", i);
      for (const run of runs) {
        check(run.text !== undefined || run.emoji !== undefined, "run is text or emoji", i);
        // Emoji always travel as emoji runs, never as bare characters inside text runs.
        check(!/\p{Extended_Pictographic}/u.test(run.text ?? ""), `bare emoji in text run "${run.text ?? ""}"`, i);
        if (run.emoji) check(run.emoji.image.thumbnails.length === 1, "one emoji thumbnail", i);
      }
    });
    expect(problems).toEqual([]);
  });

  it("covers at least 12 minutes in non-decreasing stream time", () => {
    expect(items[0]?.t).toBe(0);
    expect(items.every((m, i) => i === 0 || m.t >= (items[i - 1]?.t ?? 0))).toBe(true);
    expect(items[items.length - 1]!.t).toBeGreaterThanOrEqual(720_000);
  });

  it("has a few hundred chatters with a long-tailed activity", () => {
    const perAuthor = new Map<string, number>();
    for (const m of chat) perAuthor.set(m.r.authorExternalChannelId ?? "", (perAuthor.get(m.r.authorExternalChannelId ?? "") ?? 0) + 1);
    const counts = [...perAuthor.values()].sort((a, b) => b - a);
    expect(counts.length).toBeGreaterThanOrEqual(300);
    expect(counts.length).toBeLessThanOrEqual(500);
    expect(counts[0]).toBeGreaterThanOrEqual(80); // a few very active chatters
    expect(counts.filter((c) => c === 1).length / counts.length).toBeGreaterThan(0.25); // many post once
  });

  it("runs at 4-10 messages/s with bursts and quiet stretches", () => {
    const seconds = Math.ceil(items[items.length - 1]!.t / 1000) + 1;
    const perSecond = new Array<number>(seconds).fill(0);
    for (const m of chat) perSecond[Math.floor(m.t / 1000)] = (perSecond[Math.floor(m.t / 1000)] ?? 0) + 1;
    const avg = chat.length / (seconds - 1);
    expect(avg).toBeGreaterThanOrEqual(4);
    expect(avg).toBeLessThanOrEqual(10);
    expect(Math.max(...perSecond)).toBeGreaterThanOrEqual(25);
    const windows = perSecond.slice(0, seconds - 30).map((_, i) => perSecond.slice(i, i + 30).reduce((a, b) => a + b, 0) / 30);
    expect(Math.min(...windows.slice(10))).toBeLessThanOrEqual(2.2);
    for (const phase of DEMO_PHASES.filter((p) => p.eventMs !== undefined && p.name !== "sponsor")) {
      const e = Math.floor((phase.eventMs ?? 0) / 1000);
      expect(Math.max(...perSecond.slice(e, e + 8)), phase.name).toBeGreaterThanOrEqual(phase.name === "glitch" ? 15 : 25);
    }
  });

  it("includes the non-chat items, Super Chats, badges, emoji, bot and noise", () => {
    const count = (kind: string): number => items.filter((m) => m.kind === kind).length;
    expect(count("liveChatPaidMessageRenderer")).toBeGreaterThanOrEqual(2);
    expect(count("liveChatMembershipItemRenderer")).toBeGreaterThanOrEqual(2);
    expect(count("liveChatViewerEngagementMessageRenderer")).toBeGreaterThanOrEqual(1);
    for (const m of items.filter((i) => i.kind === "liveChatPaidMessageRenderer")) {
      expect(m.r.purchaseAmountText?.simpleText).toMatch(/^(\$|€|R\$)\d+\.\d\d$/);
      expect(m.text.length).toBeGreaterThan(0);
    }
    const badgeTypes = new Set(chat.flatMap((m) => (m.r.authorBadges ?? []).map((b) => b.liveChatAuthorBadgeRenderer.icon?.iconType ?? b.liveChatAuthorBadgeRenderer.tooltip.replace(/ \(.*/, ""))));
    for (const b of ["OWNER", "MODERATOR", "VERIFIED", "Member", "New member"]) expect(badgeTypes).toContain(b);
    const runs = chat.flatMap((m) => m.r.message?.runs ?? []);
    expect(runs.some((r) => r.emoji?.isCustomEmoji === true && r.emoji.shortcuts.includes(":yt:"))).toBe(true);
    expect(runs.some((r) => r.emoji?.emojiId === "😂" && r.emoji.isCustomEmoji === undefined)).toBe(true);
    const bot = chat.filter((m) => m.r.authorName?.simpleText === "Nightbot");
    expect(bot.length).toBeGreaterThanOrEqual(20);
    expect(viewers.filter((m) => /^!(uptime|discord|pb)\b/.test(m.text)).length).toBeGreaterThanOrEqual(30);
    expect(viewers.filter((m) => /^@\S+ /.test(m.text)).length).toBeGreaterThanOrEqual(50);
    expect(viewers.filter((m) => /https?:\/\//.test(m.text)).length).toBeGreaterThanOrEqual(2);
    expect(viewers.filter((m) => /^\?+$/.test(m.text)).length).toBeGreaterThanOrEqual(10);
    expect(viewers.filter((m) => /\b(hola|obrigado|kkkk|jaja|boa noite|salve|gracias)\b/.test(m.text)).length).toBeGreaterThanOrEqual(20);
    expect(viewers.filter((m) => m.text.startsWith("🚨 glitch police 🚨")).length).toBeGreaterThanOrEqual(15);
  });

  it("plays each scripted phase so that its chat is recognisable", () => {
    expect(DEMO_PHASES[0]?.startMs).toBe(0);
    for (let i = 1; i < DEMO_PHASES.length; i++) expect(DEMO_PHASES[i]?.startMs).toBe(DEMO_PHASES[i - 1]?.endMs);
    for (const phase of DEMO_PHASES) {
      const own = share(phase, phase.startMs, phase.endMs);
      expect(own, phase.name).toBeGreaterThan(0.35);
      for (const other of DEMO_PHASES.filter((p) => p !== phase)) {
        expect(own, `${phase.name} vs ${other.name}`).toBeGreaterThan(1.5 * share(phase, other.startMs, other.endMs));
      }
    }
    // Right after the missed jump, laughter dominates.
    const fail = DEMO_PHASES.find((p) => p.name === "fail");
    expect(fail?.eventMs).toBeDefined();
    if (fail?.eventMs !== undefined) expect(share(fail, fail.eventMs, fail.eventMs + 30_000)).toBeGreaterThan(0.6);
  });
});
