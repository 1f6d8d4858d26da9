import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../core/message.js";
import { MessageIdAssigner } from "./message-id.js";

const msg = (t: number, text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({ t, platform: "twitch", channel: "c", userId: "u1", user: "u1", text, ...extra });

describe("JetStream de-duplication ids", () => {
  it("[#18] the platform's id when there is one, whatever the text or time", () => {
    const ids = new MessageIdAssigner();
    expect(ids.idFor(msg(1, "a", { id: "abc" }))).toBe(ids.idFor(msg(99, "b", { id: "abc" })));
    expect(ids.idFor(msg(1, "a", { id: "abc" }))).not.toBe(ids.idFor(msg(1, "a", { id: "abc", channel: "other" })));
  });

  it("[#18] identical messages in one millisecond are told apart by an occurrence counter", () => {
    const ids = new MessageIdAssigner();
    const first = ids.idFor(msg(5, "LUL"));
    const second = ids.idFor(msg(5, "LUL"));
    expect(first).not.toBe(second);
    expect(first.endsWith(".0")).toBe(true);
    expect(second.endsWith(".1")).toBe(true);
    expect(ids.idFor(msg(5, "KEKW")).endsWith(".0")).toBe(true);
  });

  it("[#18] a re-sent message (its millisecond long past) gets the id it had the first time", () => {
    const live = new MessageIdAssigner();
    const sent = [msg(5, "LUL"), msg(5, "LUL"), msg(6, "gg"), msg(7, "LUL")].map((m) => live.idFor(m));
    // A reconnecting source replays from t = 5: the same ids, so JetStream stores nothing twice.
    expect([msg(5, "LUL"), msg(5, "LUL"), msg(6, "gg")].map((m) => live.idFor(m))).toEqual(sent.slice(0, 3));
    // A second ingest process reading the same recording agrees too.
    const again = new MessageIdAssigner();
    expect([msg(5, "LUL"), msg(5, "LUL"), msg(6, "gg"), msg(7, "LUL")].map((m) => again.idFor(m))).toEqual(sent);
  });

  it("[#18] ids are fixed-length hashes: no chat text or control character reaches a header", () => {
    const ids = new MessageIdAssigner();
    const id = ids.idFor(msg(1, "line\r\nNats-Msg-Id: x".repeat(50)));
    expect(id).toMatch(/^h[A-Za-z0-9_-]{27}\.0$/);
    expect(ids.idFor(msg(1, "x", { id: "\r\n" }))).toMatch(/^p[A-Za-z0-9_-]{27}$/);
  });
});
