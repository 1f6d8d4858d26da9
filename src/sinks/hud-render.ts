import pc from "picocolors";
import { cleanText } from "../core/text-cleaning.js";
import stringWidth from "string-width";
import { displayLabel } from "../core/emoji-shortcodes.js";
import { formatStreamTime } from "../core/stream-time.js";
import type { Mood, Snapshot, SnapshotEvent, TopicCluster } from "../schema/output-schema.js";

export { formatStreamTime };

export interface HudStyle {
  /** Terminal columns: every line is fitted to them (a wider line would wrap and break the redraw). */
  width: number;
  color: boolean;
}

/** Narrower than this, the HUD still fits every line, but no longer aims to be readable. */
const MIN_WIDTH = 20;
const BAR_MAX = 60;
const BAR_MIN = 10;
const HEADLINE_MAX = 100;
const LABEL = 11; // "sentiment  ", "threads    ": the label column

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Terminal columns of plain text: wide characters (CJK, emoji) count 2, combining marks 0. */
export const columns = (text: string): number => stringWidth(text);

/** Cuts plain text to at most `width` columns, ending in "…" when cut; never splits a character or an emoji. */
export function truncate(text: string, width: number): string {
  if (columns(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = columns(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + "…";
}

/** Splits text into lines of at most `width` columns on word boundaries; a word wider than a line is cut across lines. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  let used = 0;
  const push = (): void => {
    lines.push(line);
    line = "";
    used = 0;
  };
  for (const word of text.split(/\s+/)) {
    if (word.length === 0) continue;
    const w = columns(word);
    if (used > 0 && used + 1 + w <= width) {
      line += " " + word;
      used += 1 + w;
      continue;
    }
    if (used > 0) push();
    if (w <= width) {
      line = word;
      used = w;
      continue;
    }
    for (const { segment } of graphemes.segment(word)) {
      const g = columns(segment);
      if (used + g > width && used > 0) push();
      line += segment;
      used += g;
    }
  }
  if (used > 0) push();
  return lines.length > 0 ? lines : [""];
}

/** A piece of a line: its plain text (measured) and how it is drawn (coloured). */
interface Piece {
  text: string;
  drawn: string;
}

const piece = (text: string, paint: (s: string) => string = (s) => s): Piece => ({ text, drawn: paint(text) });

/**
 * As many items as fit in `width` columns after the label, joined by " · ", and "+N more" for the rest; the
 * first item is cut to fit when even it alone does not.
 */
function listLine(label: string, items: readonly Piece[], width: number, dim: (s: string) => string): string {
  const room = width - columns(label);
  const sep = " · ";
  const kept: Piece[] = [];
  let used = 0;
  for (const [i, item] of items.entries()) {
    const rest = items.length - i - 1;
    const more = rest > 0 ? columns(`${sep}+${rest} more`) : 0;
    const w = (kept.length > 0 ? sep.length : 0) + columns(item.text);
    if (used + w + more > room) break;
    kept.push(item);
    used += w;
  }
  const left = items.length - kept.length;
  if (kept.length === 0) {
    const tail = left > 1 ? ` +${left - 1} more` : "";
    const first = items[0] as Piece;
    const cut = truncate(first.text, Math.max(1, room - columns(tail)));
    return label + (cut === first.text ? first.drawn : cut) + dim(tail);
  }
  return label + kept.map((k) => k.drawn).join(dim(sep)) + (left > 0 ? dim(`${sep}+${left} more`) : "");
}

/** The header: channel and clock first; rate, chatters and the window's size as long as they fit. */
function headerLine(s: Snapshot, width: number, c: Colors): string {
  const brand = "chatstream ";
  const time = `  ${formatStreamTime(s.t)}`;
  const channel = truncate("#" + s.channel, Math.max(4, width - columns(brand) - columns(time)));
  let text = brand + channel + time;
  let drawn = c.bold(c.cyan("chatstream")) + " " + c.bold(channel) + "  " + c.dim(formatStreamTime(s.t));
  for (const extra of [`  ${s.rate.toFixed(1)} msg/s`, `  ${s.chatters} chatters`, `  ${s.count} msgs in window`]) {
    if (columns(text + extra) > width) break;
    text += extra;
    drawn += extra;
  }
  return columns(text) <= width ? drawn : truncate(text, width);
}

type Colors = ReturnType<typeof pc.createColors>;

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

/** One channel's block of the HUD, as plain lines (pure, so it is tested without a terminal); each line fits `style.width` columns. */
export function renderSnapshot(raw: Snapshot, style: HudStyle): string[] {
  const s = terminalSafe(raw);
  const c = style.color ? pc : pc.createColors(false);
  const width = Math.max(MIN_WIDTH, Math.floor(style.width));
  const net = s.sentiment.net;
  const netText = `${net > 0 ? "+" : ""}${net.toFixed(1)}`.padStart(6);
  const shares = `  ${"pos " + pct(s.sentiment.pos)} ${"neu " + pct(s.sentiment.neu)} ${"neg " + pct(s.sentiment.neg)}`;
  // The bar gives way first, then the shares: the net number and the bar's colours carry the reading.
  const withShares = width - LABEL - 2 - netText.length - columns(shares);
  const showShares = withShares >= BAR_MIN;
  const barWidth = Math.max(1, Math.min(BAR_MAX, showShares ? withShares : width - LABEL - 2 - netText.length));
  const cells = sentimentBarCells(s.sentiment.pos, s.sentiment.neu, s.sentiment.neg, barWidth);
  const bar = c.green("█".repeat(cells.pos)) + c.gray("▒".repeat(cells.neu)) + c.red("█".repeat(cells.neg));
  const netDrawn = (net > 0 ? c.green : net < 0 ? c.red : c.gray)(netText);
  const sharesDrawn = showShares ? `  ${c.green("pos " + pct(s.sentiment.pos))} ${c.gray("neu " + pct(s.sentiment.neu))} ${c.red("neg " + pct(s.sentiment.neg))}` : "";
  const confWidth = Math.max(1, Math.min(10, width - LABEL - 5));
  const confCells = Math.round(s.confidence * confWidth);
  const threads = s.clusters.map((k) => ({ text: formatCluster(k, NO_COLOR), drawn: formatCluster(k, c) }));
  const lines = [
    headerLine(s, width, c),
    c.dim("─".repeat(Math.min(width, HEADLINE_MAX))),
    ...wrap(s.headline, Math.min(width, HEADLINE_MAX)).map((l) => c.bold(l)),
    "",
    `sentiment  ${bar}  ${netDrawn}${sharesDrawn}`,
    `confidence ${c.cyan("■".repeat(confCells))}${c.dim("□".repeat(confWidth - confCells))} ${s.confidence.toFixed(2)}`,
    `mood       ${s.mood === null ? c.dim("— not enough chat") : MOOD_WORDS[s.mood]}`,
    threads.length > 0 ? listLine("threads    ", threads, width, c.dim) : `threads    ${c.dim("none yet")}`,
  ];
  if (s.events !== undefined && s.events.length > 0) lines.push(listLine("events     ", s.events.map((e) => piece(formatEvent(e))), width, c.dim));
  return lines;
}

const NO_COLOR = pc.createColors(false);

const MOOD_WORDS: Record<Mood, string> = { pos: "positive", neu: "neutral", neg: "negative", mixed: "mixed" };

/** "baron 14 ▲4 new", "ref 5 ▼2 dissent": a cluster, its size, its growth on the previous window and its flags. */
export function formatCluster(k: TopicCluster, c: Pick<typeof pc, "dim" | "green" | "red" | "yellow" | "magenta">): string {
  const growth = k.growth === undefined || k.growth === 0 ? "" : k.growth > 0 ? c.green(` ▲${k.growth}`) : c.red(` ▼${-k.growth}`);
  const flags = `${k.new === true ? c.yellow(" new") : ""}${k.dissent === true ? c.magenta(" dissent") : ""}`;
  return `${displayLabel(k.label)} ${c.dim(String(k.count))}${growth}${flags}`;
}

/** "raid BigRaider ×420", "paid Ann $5.00", "resub Otter ×3". */
export function formatEvent(e: SnapshotEvent): string {
  return [e.kind, e.user, e.amount, e.count !== undefined ? `×${e.count}` : undefined].filter((x) => x !== undefined && x !== "").join(" ");
}

export function renderHud(snapshots: readonly Snapshot[], style: HudStyle): string {
  if (snapshots.length === 0) return "chatstream: waiting for chat…";
  return snapshots.map((s) => renderSnapshot(s, style).join("\n")).join("\n\n");
}
