// An example chatstream plugin: a keyword sentiment model and a one-line summarizer.
//
//   chatstream run --plugin examples/plugins/keyword-sentiment.mjs --input chat.jsonl --sentiment keywords
//   curl -X PUT -H 'content-type: application/json' -d '{"name":"keywords"}' http://127.0.0.1:8080/v1/models/sentiment
//
// Plain JavaScript so it loads as it is from an installed package; the types come from "chatstream/plugin".
// Models run on the hot path: synchronous, pure, and cheap (score is called once per chat message).

/** Words read as positive or negative, lower case; a real plugin would load its own lexicon or model file. */
const POSITIVE = new Set(["love", "great", "pog", "pogchamp", "gg", "nice", "hype", "clutch", "insane", "win"]);
const NEGATIVE = new Set(["hate", "boring", "trash", "bad", "lag", "scam", "worst", "residentsleeper", "rip", "lose"]);

/** @param {import("chatstream/plugin").PluginApi} api */
export default function register(api) {
  api.registerSentimentModel("keywords", () => ({
    name: "keywords",
    /** @type {import("chatstream/plugin").SentimentModel["score"]} */
    score(_text, tokens) {
      let pos = 0;
      let neg = 0;
      for (const t of tokens.tokens) {
        const word = t.text.toLowerCase();
        if (POSITIVE.has(word)) pos++;
        else if (NEGATIVE.has(word)) neg++;
      }
      if (pos === 0 && neg === 0) return { pos: 0.1, neu: 0.8, neg: 0.1 };
      const p = (1 + pos) / (2 + pos + neg);
      return { pos: 0.9 * p, neu: 0.1, neg: 0.9 * (1 - p) };
    },
  }));

  api.registerSummarizer("busiest-line", () => ({
    name: "busiest-line",
    /** @type {import("chatstream/plugin").Summarizer["summarizeWindow"]} */
    summarizeWindow(digest) {
      const top = digest.groups[0];
      if (top === undefined) return "Chat is quiet. Nobody has written in this window.";
      return `Chat's most repeated line is "${top.text.slice(0, 60)}" (${top.count}×). ${digest.count} messages from ${digest.chatters} chatters.`;
    },
    /** @type {import("chatstream/plugin").Summarizer["summarizePeriod"]} */
    summarizePeriod(digest) {
      return `This period had ${digest.count} messages. ${digest.chatters} chatters took part.`;
    },
  }));
}
