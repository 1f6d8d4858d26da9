import type { ChatEvent } from "../../../core/event.js";
import type { ChatMessage } from "../../../core/message.js";
import { decodeYtdlpLine } from "../../formats/ytdlp.js";
import { asArray, asObject, asString, type JsonObject } from "../../formats/record-fields.js";

/** The next poll of a live-chat continuation response. */
export interface NextPoll {
  continuation: string;
  timeoutMs?: number;
}

export interface ChatPage {
  messages: ChatMessage[];
  events: ChatEvent[];
  /** Absent when the chat is over (no continuation). */
  next?: NextPoll;
}

/** 11-character video id from an id, a watch/live/shorts URL or a youtu.be link. */
export function youtubeVideoId(value: string): string | undefined {
  const v = value.trim();
  if (/^[\w-]{11}$/.test(v)) return v;
  let url: URL;
  try {
    url = new URL(v.includes("://") ? v : `https://${v}`);
  } catch {
    return undefined;
  }
  const fromQuery = url.searchParams.get("v");
  if (fromQuery && /^[\w-]{11}$/.test(fromQuery)) return fromQuery;
  const path = /(?:^\/(?:live|shorts|embed)\/|^\/)([\w-]{11})(?:$|[/?])/.exec(url.pathname);
  return path?.[1];
}

export interface InnertubeConfig {
  apiKey: string;
  clientVersion: string;
  continuation: string;
}

/** Reads the API key, client version and first continuation from the live-chat page's HTML. */
export function parseLiveChatPage(html: string): InnertubeConfig | undefined {
  const apiKey = /"INNERTUBE_API_KEY"\s*:\s*"([^"]+)"/.exec(html)?.[1];
  const clientVersion = /"INNERTUBE_CLIENT_VERSION"\s*:\s*"([^"]+)"/.exec(html)?.[1] ?? /"clientVersion"\s*:\s*"([^"]+)"/.exec(html)?.[1];
  const continuation = /"continuation"\s*:\s*"([^"]+)"/.exec(html)?.[1];
  if (!apiKey || !clientVersion || !continuation) return undefined;
  return { apiKey, clientVersion, continuation };
}

const CONTINUATION_KINDS = ["invalidationContinuationData", "timedContinuationData", "reloadContinuationData"] as const;

function runsText(value: unknown): string | undefined {
  const object = asObject(value);
  if (!object) return undefined;
  const simple = asString(object.simpleText);
  if (simple !== undefined) return simple;
  const runs = asArray(object.runs);
  if (!runs) return undefined;
  return runs.map((r) => asString(asObject(r)?.text) ?? asString(asArray(asObject(asObject(r)?.emoji)?.shortcuts)?.[0]) ?? "").join("");
}

/**
 * One `get_live_chat` response: chat items (text and emoji runs, through the same decoding as yt-dlp's
 * live_chat.json), paid messages, stickers, memberships and gifted memberships as events, and the next
 * continuation with the polling interval the server asks for.
 */
export function parseChatResponse(body: unknown, channel: string, t: number, maxMessageLength: number): ChatPage {
  const page: ChatPage = { messages: [], events: [] };
  const lcc = asObject(asObject(asObject(body)?.continuationContents)?.liveChatContinuation);
  if (!lcc) return page;
  for (const c of asArray(lcc.continuations) ?? []) {
    const object = asObject(c);
    for (const kind of CONTINUATION_KINDS) {
      const data = asObject(object?.[kind]);
      const continuation = asString(data?.continuation);
      if (continuation && page.next === undefined) {
        const timeoutMs = typeof data?.timeoutMs === "number" ? data.timeoutMs : undefined;
        page.next = timeoutMs === undefined ? { continuation } : { continuation, timeoutMs };
      }
    }
  }
  const ctx = { defaultChannel: channel, arrivalTime: () => t, maxMessageLength };
  for (const action of asArray(lcc.actions) ?? []) {
    const item = asObject(asObject(asObject(action)?.addChatItemAction)?.item);
    if (!item) continue;
    const rendererName = Object.keys(item)[0] ?? "";
    const renderer = asObject(Object.hasOwn(item, rendererName) ? item[rendererName] : undefined);
    if (!renderer) continue;
    if (rendererName === "liveChatTextMessageRenderer") {
      const result = decodeYtdlpLine(JSON.stringify(action), 0, ctx);
      if (result.kind === "message") page.messages.push({ ...result.message, t, channel, platform: "youtube" });
    } else if (rendererName === "liveChatPaidMessageRenderer" || rendererName === "liveChatPaidStickerRenderer") {
      page.events.push(event("paid", renderer, channel, t, { amount: runsText(renderer.purchaseAmountText), text: runsText(renderer.message) }));
    } else if (rendererName === "liveChatMembershipItemRenderer") {
      const text = runsText(renderer.headerSubtext) ?? runsText(renderer.headerPrimaryText);
      const months = /(\d+)\s*month/i.exec(runsText(renderer.headerPrimaryText) ?? "")?.[1];
      page.events.push(event("membership", renderer, channel, t, { text, count: months === undefined ? undefined : Number(months) }));
    } else if (rendererName === "liveChatSponsorshipsGiftPurchaseAnnouncementRenderer") {
      const header = asObject(asObject(renderer.header)?.liveChatSponsorshipsHeaderRenderer) ?? renderer;
      const text = runsText(header.primaryText);
      const count = /(\d+)/.exec(text ?? "")?.[1];
      page.events.push(event("gift", header, channel, t, { text, count: count === undefined ? undefined : Number(count), id: asString(renderer.id) }));
    }
  }
  return page;
}

function event(kind: ChatEvent["kind"], renderer: JsonObject, channel: string, t: number, extra: { text?: string; amount?: string; count?: number; id?: string }): ChatEvent {
  const e: ChatEvent = { kind, t, platform: "youtube", channel, user: runsText(renderer.authorName) ?? "anonymous" };
  const id = extra.id ?? asString(renderer.id);
  if (id) e.id = id;
  const usec = Number(asString(renderer.timestampUsec));
  if (Number.isFinite(usec) && usec > 0) e.ts = Math.round(usec / 1000);
  if (extra.text) e.text = extra.text;
  if (extra.amount) e.amount = extra.amount;
  if (extra.count !== undefined && Number.isFinite(extra.count)) e.count = extra.count;
  return e;
}
