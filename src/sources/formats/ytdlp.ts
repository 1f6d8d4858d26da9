import type { DecodeContext, DecodeResult, DecodedMessage, RecordDecoder } from "../decoder.js";
import { malformed, skip, type NonMessage } from "./message-result.js";
import { asArray, asNumeric, asObject, parseJson, type JsonObject } from "./record-fields.js";
import { RelativeClock } from "./stream-clock.js";
import { decodeYoutubeAction } from "./youtube-items.js";

export { currencyOf } from "./youtube-items.js";

/** What a yt-dlp stream remembers between lines: the first timestamp of a live capture. */
export interface YtdlpStreamState {
  clock: RelativeClock;
}

/** One decoder per input, so each live capture gets its own time origin. */
export function createYtdlpDecoder(): RecordDecoder {
  const state: YtdlpStreamState = { clock: new RelativeClock() };
  return (record, lineNo, ctx) => decodeYtdlpLine(record, lineNo, ctx, state);
}

/**
 * One line of yt-dlp's `live_chat.json`: a `replayChatItemAction` wrapping the page's actions, with
 * the stream offset in `videoOffsetTimeMsec`. Live captures (`isLive`) carry only wall-clock
 * `timestampUsec`, so their `t` is measured from the first timestamp of the stream (`state`).
 * A raw `get_live_chat_replay` / `get_live_chat` response saved on one line is read the same way,
 * every action of it.
 */
export function decodeYtdlpLine(
  record: unknown,
  _lineNo: number,
  ctx: DecodeContext,
  state: YtdlpStreamState = { clock: new RelativeClock() },
): DecodeResult {
  if (typeof record !== "string") return malformed("expected a line of text");
  const parsed = parseJson(record);
  if (!parsed.ok) return malformed(parsed.reason);
  const line = asObject(parsed.value);
  if (!line) return malformed("expected a JSON object");

  const messages: DecodedMessage[] = [];
  let firstOther: NonMessage | undefined;
  for (const [action, offsetMs] of actionsOf(line)) {
    const result = decodeYoutubeAction(action, { offsetMs, clock: state.clock }, ctx);
    if ("kind" in result) firstOther ??= result;
    else messages.push(result);
  }
  const [first, ...more] = messages;
  if (first) {
    const result: DecodeResult = { kind: "message", message: first.message };
    if (first.overlong) result.overlong = true;
    if (more.length > 0) result.more = more;
    return result;
  }
  return firstOther ?? skip("no-actions");
}

type TimedAction = [action: unknown, offsetMs: number | undefined];

/** The actions a line holds, each with the stream offset that applies to it. */
function actionsOf(line: JsonObject): TimedAction[] {
  const continuation = liveChatContinuation(line);
  if (continuation) {
    // A saved response: replay actions carry their own offsets, live ones only timestamps.
    const actions: TimedAction[] = [];
    for (const action of asArray(continuation.actions) ?? []) {
      const replay = asObject(asObject(action)?.replayChatItemAction);
      if (replay) for (const timed of replayActions(replay, false)) actions.push(timed);
      else actions.push([action, undefined]);
    }
    return actions;
  }
  const replay = asObject(line.replayChatItemAction);
  if (replay) return replayActions(replay, line.isLive === true, line);
  return [[line, undefined]]; // a bare action, as some live-capture tools write them
}

function replayActions(replay: JsonObject, isLive: boolean, line?: JsonObject): TimedAction[] {
  // Live captures write a pseudo offset measured from when yt-dlp started; the message's own timestamp is better.
  const offsetMs = isLive ? undefined : asNumeric(replay.videoOffsetTimeMsec) ?? asNumeric(line?.videoOffsetTimeMsec);
  return (asArray(replay.actions) ?? []).map((action): TimedAction => [action, offsetMs]);
}

/** `continuationContents.liveChatContinuation` of a response, also inside the older `{"response": …}` envelope. */
function liveChatContinuation(line: JsonObject): JsonObject | undefined {
  const contents = asObject(line.continuationContents) ?? asObject(asObject(line.response)?.continuationContents);
  return asObject(contents?.liveChatContinuation);
}
