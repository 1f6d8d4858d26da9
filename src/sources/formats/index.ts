import type { ChatFormat, RecordDecoder } from "../decoder.js";
import { createChatDownloaderDecoder } from "./chat-downloader.js";
import { createIrcDecoder } from "./irc.js";
import { decodeJsonlLine } from "./jsonl.js";
import { decodeTextLine } from "./text.js";
import { decodeTwitchVodComment } from "./twitch-vod.js";
import { createYtdlpDecoder } from "./ytdlp.js";

/** A fresh decoder for one input; stateful formats keep their time origin inside it. */
export function createDecoder(format: ChatFormat): RecordDecoder {
  switch (format) {
    case "jsonl":
      return decodeJsonlLine;
    case "text":
      return decodeTextLine;
    case "ytdlp":
      return createYtdlpDecoder();
    case "chat-downloader":
      return createChatDownloaderDecoder();
    case "twitch-vod":
      return decodeTwitchVodComment;
    case "irc":
      return createIrcDecoder();
  }
}
