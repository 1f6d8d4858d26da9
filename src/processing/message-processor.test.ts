import { describe, expect, it } from "vitest";
import { LexiconSentimentModel } from "../models/sentiment/lexicon-model.js";
import type { SentimentModel } from "../models/sentiment/sentiment-model.js";
import { BotFilter } from "./bot-filter.js";
import { builtinEmoteDictionary } from "./emote-dictionary.js";
import { MessageProcessor } from "./message-processor.js";

const emotes = builtinEmoteDictionary();
const msg = (user: string, text: string) => ({ t: 0, platform: "twitch", channel: "c", userId: user, user, text });

describe("MessageProcessor", () => {
  it("keeps bots, --ignore-users and !commands out of sentiment but returns them counted", () => {
    const p = new MessageProcessor(emotes, new BotFilter(["MyBot"]), () => new LexiconSentimentModel(emotes));
    expect(p.process(msg("Nightbot", "uptime is 2h")).ignored).toBe("bot");
    expect(p.process(msg("mybot", "hello")).ignored).toBe("bot");
    expect(p.process(msg("viewer", "!discord")).ignored).toBe("command");
    const scored = p.process(msg("viewer", "this is great PogChamp"));
    expect(scored.ignored).toBeUndefined();
    expect(scored.sentiment?.pos).toBeGreaterThan(0.5);
  });

  it("reads the model slot on every message, so a swap applies to the next one", () => {
    let model: SentimentModel = { name: "a", score: () => ({ pos: 1, neu: 0, neg: 0 }) };
    const p = new MessageProcessor(emotes, new BotFilter(), () => model);
    expect(p.process(msg("u", "x")).sentiment?.pos).toBe(1);
    model = { name: "b", score: () => ({ pos: 0, neu: 0, neg: 1 }) };
    expect(p.process(msg("u", "x")).sentiment?.neg).toBe(1);
  });
});

describe("MessageProcessor language", () => {
  it("reads each scored message's language once and hands it to the sentiment model", () => {
    const seen: (string | undefined)[] = [];
    const model: SentimentModel = {
      name: "spy",
      score: (_text, _tokens, language) => {
        seen.push(language);
        return { pos: 0, neu: 1, neg: 0 };
      },
    };
    const p = new MessageProcessor(emotes, new BotFilter(), () => model);
    expect(p.process(msg("u", "das ist doch nicht dein ernst")).lang).toBe("de");
    expect(p.process(msg("u", "gak ada yang bisa menang")).lang).toBe("id");
    expect(p.process(msg("u", "LUL LUL")).lang).toBe("und");
    expect(p.process(msg("u", "!uptime")).lang).toBe("und"); // ignored: never scored, no language read
    expect(seen).toEqual(["de", "id", "und"]);
  });
});

describe("MessageProcessor: the channel's language for lines in none", () => {
  it("scores an \"und\" line in the language its channel mostly speaks, when a model reads it; `lang` stays \"und\"", () => {
    const seen: (string | undefined)[] = [];
    const model: SentimentModel = {
      name: "spy",
      score: (_text, _tokens, language) => {
        seen.push(language);
        return { pos: 0, neu: 1, neg: 0 };
      },
    };
    const p = new MessageProcessor(emotes, new BotFilter(), () => model, { channelPriorLanguages: new Set(["de", "id"]) });
    const at = (channel: string, text: string) => ({ ...msg("u", text), channel });
    for (let i = 0; i < 12; i++) p.process(at("rbtv", "das ist doch nicht dein ernst"));
    for (let i = 0; i < 12; i++) p.process(at("es", "que bueno esta el partido"));
    seen.length = 0;
    expect(p.process(at("rbtv", "BLAUKE BLAUKE")).lang).toBe("und");
    p.process(at("es", "BLAUKE BLAUKE")); // Spanish: no model of its own, so no prior
    p.process(at("new", "BLAUKE BLAUKE")); // a channel with no lines yet
    p.forgetChannel("rbtv");
    p.process(at("rbtv", "BLAUKE BLAUKE"));
    expect(seen).toEqual(["de", "und", "und", "und"]);
  });

  it("scores every \"und\" line as \"und\" without the option", () => {
    const seen: (string | undefined)[] = [];
    const p = new MessageProcessor(emotes, new BotFilter(), () => ({ name: "spy", score: (_t, _k, l) => (seen.push(l), { pos: 0, neu: 1, neg: 0 }) }));
    for (let i = 0; i < 12; i++) p.process(msg("u", "das ist doch nicht dein ernst"));
    p.process(msg("u", "BLAUKE"));
    expect(seen.at(-1)).toBe("und");
  });
});
