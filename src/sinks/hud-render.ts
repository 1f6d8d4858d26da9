import pc from "picocolors";
import { cleanText } from "../core/text-cleaning.js";
import type { Snapshot, SnapshotEvent, TopicCluster } from "../schema/output-schema.js";

export interface HudStyle {
  width: number;
  color: boolean;
}

const BAR_MIN = 20;

/** Stream time as h:mm:ss. */
export function formatStreamTime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
}

/** Splits text into lines of at most `width` columns on word boundaries. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (word.length === 0) continue;
    if (line.length === 0) line = word;
    else if (line.length + 1 + word.length <= width) line += " " + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.length > 0 ? lines : [""];
}

/**
 * The pos/neu/neg bar: one cell per share point of the bar's width, positive in green from the left,
 * neutral in grey, negative in red from the right, so the net reads as which colour pushes further.
 */
export function sentimentBarCells(pos: number, neu: number, neg: number, width: number): { pos: number; neu: number; neg: number } {
  const total = pos + neu + neg;
  if (total <= 0) return { pos: 0, neu: width, neg: 0 };
  const p = Math.round((pos / total) * width);
  const n = Math.round((neg / total) * width);
  return { pos: p, neg: Math.min(n, width - p), neu: Math.max(0, width - p - n) };
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * The snapshot's text fields cleaned again for the terminal: input is cleaned where it enters the run, and this
 * second line of defence covers whatever reaches a snapshot another way (a model's answer, an emote file).
 */
function terminalSafe(s: Snapshot): Snapshot {
  return {
    ...s,
    channel: cleanText(s.channel),
    headline: cleanText(s.headline),
    clusters: s.clusters.map((k) => ({ ...k, label: cleanText(k.label) })),
    ...(s.events !== undefined ? { events: s.events.map((e) => ({ ...e, kind: cleanText(e.kind), user: cleanText(e.user), ...(e.amount !== undefined ? { amount: cleanText(e.amount) } : {}) })) } : {}),
  };
}

/** One channel's block of the HUD, as plain lines (pure, so it is tested without a terminal). */
export function renderSnapshot(raw: Snapshot, style: HudStyle): string[] {
  const s = terminalSafe(raw);
  const c = style.color ? pc : pc.createColors(false);
  const width = Math.max(40, style.width);
  const barWidth = Math.max(BAR_MIN, Math.min(60, width - 30));
  const net = s.sentiment.net;
  const netText = `${net > 0 ? "+" : ""}${net.toFixed(1)}`;
  const cells = sentimentBarCells(s.sentiment.pos, s.sentiment.neu, s.sentiment.neg, barWidth);
  const bar = c.green("█".repeat(cells.pos)) + c.gray("▒".repeat(cells.neu)) + c.red("█".repeat(cells.neg));
  const confCells = Math.round(s.confidence * 10);
  const lines = [
    `${c.bold(c.cyan("chatstream"))} ${c.bold("#" + s.channel)}  ${c.dim(formatStreamTime(s.t))}  ${s.rate.toFixed(1)} msg/s  ${s.chatters} chatters  ${s.count} msgs in window`,
    c.dim("─".repeat(Math.min(width, 100))),
    ...wrap(s.headline, Math.min(width, 100)).map((l) => c.bold(l)),
    "",
    `sentiment  ${bar}  ${(net > 0 ? c.green : net < 0 ? c.red : c.gray)(netText.padStart(6))}  ${c.green("pos " + pct(s.sentiment.pos))} ${c.gray("neu " + pct(s.sentiment.neu))} ${c.red("neg " + pct(s.sentiment.neg))}`,
    `confidence ${c.cyan("■".repeat(confCells))}${c.dim("□".repeat(10 - confCells))} ${s.confidence.toFixed(2)}`,
    `mood       ${MOOD_WORDS[s.mood]}`,
    `threads    ${s.clusters.length > 0 ? s.clusters.map((k) => formatCluster(k, c)).join(c.dim(" · ")) : c.dim("none yet")}`,
  ];
  if (s.events !== undefined && s.events.length > 0) lines.push(`events     ${s.events.map((e) => formatEvent(e)).join(c.dim(" · "))}`);
  return lines;
}

const MOOD_WORDS: Record<Snapshot["mood"], string> = { pos: "positive", neu: "neutral", neg: "negative", mixed: "mixed" };

/** "baron 14 ▲4 new", "ref 5 ▼2 dissent": a cluster, its size, its growth on the previous window and its flags. */
export function formatCluster(k: TopicCluster, c: Pick<typeof pc, "dim" | "green" | "red" | "yellow" | "magenta">): string {
  const growth = k.growth === undefined || k.growth === 0 ? "" : k.growth > 0 ? c.green(` ▲${k.growth}`) : c.red(` ▼${-k.growth}`);
  const flags = `${k.new === true ? c.yellow(" new") : ""}${k.dissent === true ? c.magenta(" dissent") : ""}`;
  return `${k.label} ${c.dim(String(k.count))}${growth}${flags}`;
}

/** "raid BigRaider ×420", "paid Ann $5.00", "resub Otter ×3". */
export function formatEvent(e: SnapshotEvent): string {
  return [e.kind, e.user, e.amount, e.count !== undefined ? `×${e.count}` : undefined].filter((x) => x !== undefined && x !== "").join(" ");
}

export function renderHud(snapshots: readonly Snapshot[], style: HudStyle): string {
  if (snapshots.length === 0) return "chatstream: waiting for chat…";
  return snapshots.map((s) => renderSnapshot(s, style).join("\n")).join("\n\n");
}
