import type { ChatEvent } from "../../../core/event.js";
import type { ChatMessage } from "../../../core/message.js";
import type { DecodeContext } from "../../decoder.js";
import { asArray, asObject, asString } from "../../formats/record-fields.js";
import { RelativeClock } from "../../formats/stream-clock.js";
import { decodeYoutubeAction } from "../../formats/youtube-items.js";

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

const CONTINUATION_KINDS = ["invalidationContinuationData", "timedContinuationData", "reloadContinuationData"];

/**
 * One `get_live_chat` response: its chat items read exactly as a replay reads them (text and emoji runs,
 * Super Chats as chat with `paid` plus a `paid` event, stickers, memberships, legacy new-member notices and
 * gifted memberships as events), stamped with the arrival time `t`, and the next continuation with the
 * polling interval the server asks for.
 */
export function parseChatResponse(body: unknown, channel: string, t: number, maxMessageLength: number): ChatPage {
  const page: ChatPage = { messages: [], events: [] };
  const lcc = asObject(asObject(asObject(body)?.continuationContents)?.liveChatContinuation);
  if (!lcc) return page;
  for (const c of asArray(lcc.continuations) ?? []) {
    const object = asObject(c);
    for (const kind of CONTINUATION_KINDS) {
      const data = asObject(object !== undefined && Object.hasOwn(object, kind) ? object[kind] : undefined);
      const continuation = asString(data?.continuation);
      if (continuation && page.next === undefined) {
        const timeoutMs = typeof data?.timeoutMs === "number" ? data.timeoutMs : undefined;
        page.next = timeoutMs === undefined ? { continuation } : { continuation, timeoutMs };
      }
    }
  }
  const ctx: DecodeContext = { defaultChannel: channel, arrivalTime: () => t, maxMessageLength, onEvent: (e) => page.events.push(e) };
  // Live items carry wall-clock timestamps only; the time they arrived at is their stream time.
  const time = { offsetMs: t, clock: new RelativeClock() };
  for (const action of asArray(lcc.actions) ?? []) {
    const result = decodeYoutubeAction(action, time, ctx);
    if (!("kind" in result)) page.messages.push(result.message);
  }
  return page;
}
