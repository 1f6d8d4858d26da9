import { describe, expect, it } from "vitest";
import { indirectQuestion } from "./indirect-question.js";

describe("indirectQuestion", () => {
  it.each([
    ["where is the translator?", "where the translator is"],
    ["is she dying??", "if she is dying"],
    ["who is she?", "who she is"],
    ["how old is chib?", "how old chib is"],
    ["what game is this?", "what game this is"],
    ["what is this song?", "what this song is"],
    ["what's the song?", "what the song is"],
    ["why is no one teaching him?", "why no one is teaching him"],
    ["is the stream always 30 fps?", "if the stream is always 30 fps"],
    ["when will he play?", "when he will play"],
    ["when is this going to start?", "when this is going to start"],
    ["does he have a deck?", "if he has a deck"],
    ["what does he mean?", "what he means"],
    ["is Geoff here?", "if Geoff is here"],
    ["who won?", "who won"],
    ["what happened?", "what happened"],
    ["who is winning?", "who is winning"],
    ["lol is this scripted? LUL", "if this is scripted"],
    ["how is this guy still alive lmao?", "how this guy is still alive"],
  ])("retells %j as %j", (question, clause) => {
    expect(indirectQuestion(question)).toBe(clause);
  });

  it("speaks of the streamer in the third person, with the verb agreeing", () => {
    expect(indirectQuestion("where are you?")).toBe("where the streamer is");
    expect(indirectQuestion("are you ok?")).toBe("if the streamer is ok");
    expect(indirectQuestion("do you play ranked?")).toBe("if the streamer plays ranked");
    expect(indirectQuestion("whats ur rank?")).toBe("what the streamer's rank is");
  });

  it.each([
    "can i get a hi?", // a chatter asking for themselves
    "did he win?", // needs the past tense of the verb
    "song name?", // no verb: the caller names its topic instead
    "have you seen the new trailer that just dropped?", // too long to retell without quoting
    "is that where wednesday comes from?", // a second clause
    "no question here",
  ])("leaves %j alone", (question) => {
    expect(indirectQuestion(question)).toBeUndefined();
  });

  it("never prints an excluded name or an emote", () => {
    expect(indirectQuestion("is bob123 here?", { isEmote: (w) => /\d/.test(w) })).toBeUndefined();
    expect(indirectQuestion("where is ninja?", { excluded: new Set(["ninja"]) })).toBeUndefined();
    expect(indirectQuestion("where is ninja?")).toBe("where ninja is");
  });

  it("never repeats five words in a row of the question", () => {
    // Yes/no questions keep the words after the subject in order; five of them in a row would quote chat.
    expect(indirectQuestion("is it the big new patch?")).toBeUndefined();
    expect(indirectQuestion("is it the new patch?")).toBe("if it is the new patch");
  });
});
