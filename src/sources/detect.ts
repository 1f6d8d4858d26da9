import { basename } from "node:path";
import type { ChatFormat } from "./decoder.js";
import { MAX_LINE_BYTES } from "./line-splitter.js";

/** How much of an input detection samples; also how long the reader waits for a verdict on a slow pipe. */
export const DETECT_HEAD_BYTES = 16 * 1024;
/**
 * The most detection reads to finish a first line that may be one JSON record (a long chat line, a
 * raw YouTube response): a line longer than this could not be read as a record anyway.
 */
export const DETECT_MAX_BYTES = MAX_LINE_BYTES;
/** Lines of the head examined; the first one that looks like a known format decides. */
const DETECT_MAX_LINES = 20;

const IRC_LOG_LINE = /^\[(?:\d{4}-\d{2}-\d{2}[ T])?(?:\d{1,5} days?, )?\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?\]\s*(?:<|\*)/;
const IRC_RAW_LINE = /^(?:@\S+\s+)?:\S+\s+(?:[A-Z]+|\d{3})(?:\s|$)/;
const IRC_BARE_LINE = /^(?:PING|PONG|CAP)\s/;
const TWITCH_VOD_DOCUMENT = /"comments"\s*:\s*\[/;
const TWITCH_COMMENT_KEYS = /"(?:content_offset_seconds|commenter)"\s*:/;
const CHAT_DOWNLOADER_KEYS = /"(?:message_type|time_in_seconds|action_type)"\s*:/;
const YTDLP_KEYS = /"(?:replayChatItemAction|addChatItemAction|liveChatContinuation)"\s*:/;
/** Keys that name a document format wherever they appear in its head. */
const DOCUMENT_KEYS = [TWITCH_VOD_DOCUMENT, TWITCH_COMMENT_KEYS, YTDLP_KEYS, CHAT_DOWNLOADER_KEYS];

/**
 * Guesses the format of an input from its first few KB (`head`); the file name only breaks ties
 * when the content says nothing (an empty or blank head). Returns undefined when neither helps.
 */
export function detectFormat(head: string, fileName: string): ChatFormat | undefined {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const start = firstNonSpace(text);
  if (start === -1) return formatFromFileName(fileName);

  const opening = text[start];
  const firstLine = lineAt(text, start);
  if (opening === "[" && !IRC_LOG_LINE.test(firstLine)) {
    // A JSON array: chat-downloader writes one; an array of our own lines is not a format we know.
    if (CHAT_DOWNLOADER_KEYS.test(text) || text.includes('"author"')) return "chat-downloader";
    return TWITCH_COMMENT_KEYS.test(text) ? "twitch-vod" : "text"; // a bare array of VOD comments
  }
  if (opening === "{") {
    const lineFormat = classifyJsonLine(firstLine);
    if (lineFormat) return lineFormat;
    // Not a complete JSON line: a pretty-printed or single-line document still arriving.
    if (TWITCH_VOD_DOCUMENT.test(text) || TWITCH_COMMENT_KEYS.test(text)) return "twitch-vod";
    if (YTDLP_KEYS.test(text)) return "ytdlp";
    if (CHAT_DOWNLOADER_KEYS.test(text)) return "chat-downloader";
  }

  let lines = 0;
  for (let at = start; at < text.length && lines < DETECT_MAX_LINES; ) {
    const line = lineAt(text, at);
    at += line.length + 1;
    const trimmed = line.trim();
    if (trimmed.length === 0) continue;
    lines += 1;
    const format = classifyLine(trimmed);
    if (format) return format;
  }
  return "text";
}

/**
 * Whether detection has read enough of an input (its first bytes, as read): a head that decides the
 * format, or DETECT_HEAD_BYTES, except that a first line opening a JSON object is read to its end
 * (up to DETECT_MAX_BYTES) unless the sample already names a document format, so that one long
 * record (a JSONL line of 20 KB, a raw YouTube response) is classified whole, not guessed from a cut.
 * Works on bytes, so the few calls while a long line arrives cost a scan, not a decode.
 */
export function detectionHasEnough(head: Buffer): boolean {
  const start = firstContentByte(head);
  if (start === -1) return head.length >= DETECT_HEAD_BYTES;
  const newline = head.indexOf(0x0a, start);
  if (newline !== -1 && headIsConclusive(head.subarray(0, newline + 1).toString("utf8"))) return true;
  if (head.length < DETECT_HEAD_BYTES) return false;
  if (newline !== -1 || head[start] !== 0x7b /* { */) return true;
  const sample = head.subarray(0, DETECT_HEAD_BYTES).toString("utf8");
  return DOCUMENT_KEYS.some((keys) => keys.test(sample));
}

/**
 * Whether `head` already decides the format, so a slow pipe need not wait for DETECT_HEAD_BYTES:
 * true once the first non-blank line is complete, unless that line opens a JSON document
 * (which needs more text to tell the document formats apart).
 */
export function headIsConclusive(head: string): boolean {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const start = firstNonSpace(text);
  if (start === -1) return false;
  const newline = text.indexOf("\n", start);
  if (newline === -1) return false;
  const line = text.slice(start, newline).trim();
  if (line.startsWith("{")) return isJsonObjectLine(line);
  if (line.startsWith("[")) return IRC_LOG_LINE.test(line);
  return true;
}

function classifyLine(line: string): ChatFormat | undefined {
  if (line.startsWith("{")) return classifyJsonLine(line);
  if (IRC_LOG_LINE.test(line) || IRC_RAW_LINE.test(line) || IRC_BARE_LINE.test(line)) return "irc";
  return undefined;
}

/** A complete JSON object on one line, told apart by its keys. */
function classifyJsonLine(line: string): ChatFormat | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const object = value as Record<string, unknown>;
  if ("replayChatItemAction" in object || "addChatItemAction" in object || isChatResponse(object)) return "ytdlp";
  if (Array.isArray(object.comments) || "content_offset_seconds" in object) return "twitch-vod";
  if ("message_type" in object || "time_in_seconds" in object || ("author" in object && "message" in object)) {
    return "chat-downloader";
  }
  if ("t" in object && "text" in object) return "jsonl";
  if (object.type === "event" && "t" in object && "kind" in object) return "jsonl";
  return undefined;
}

/** A raw `get_live_chat(_replay)` response, bare or in the older `{"response": …}` envelope. */
function isChatResponse(object: Record<string, unknown>): boolean {
  const response = typeof object.response === "object" && object.response !== null ? (object.response as Record<string, unknown>) : object;
  const contents = response.continuationContents;
  return typeof contents === "object" && contents !== null && "liveChatContinuation" in contents;
}

function isJsonObjectLine(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function formatFromFileName(fileName: string): ChatFormat | undefined {
  const name = fileName.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".live_chat.json")) return "ytdlp";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  if (name.endsWith(".log") || name.endsWith(".irc")) return "irc";
  if (name.endsWith(".txt")) return "text";
  return undefined;
}

/**
 * The channel an input stands for when nothing says otherwise: its file name without any
 * extensions (`a/b/xqc.live_chat.json.gz` → `xqc`), `stdin` for `-`.
 */
export function channelFromPath(path: string): string {
  if (path === "-") return "stdin";
  const name = basename(path).replace(/^\.+/, "");
  const dot = name.indexOf(".");
  const stem = dot === -1 ? name : name.slice(0, dot);
  return stem.length > 0 ? stem : "default";
}

/** Index of the first byte that is not whitespace or part of a UTF-8 BOM, or -1. */
function firstContentByte(head: Buffer): number {
  for (let i = 0; i < head.length; i += 1) {
    const byte = head[i] as number;
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09 && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) return i;
  }
  return -1;
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return i;
  }
  return -1;
}

function lineAt(text: string, start: number): string {
  const end = text.indexOf("\n", start);
  const line = end === -1 ? text.slice(start) : text.slice(start, end);
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
