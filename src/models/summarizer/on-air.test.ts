// Item 14.3: no link, handle or promo code goes on air, and no headline promotes anything, whoever wrote it.
import { describe, expect, it } from "vitest";
import { processed } from "../../../test/helpers/pipeline-fixtures.js";
import { DigestBuilder, type ChatDigest } from "../../aggregation/chat-digest.js";
import { builtinEmoteDictionary } from "../../processing/emote-dictionary.js";
import { ExtractiveSummarizer } from "./extractive-summarizer.js";
import { brokenHeadlineRules } from "./headline-rules.js";
import { buildPrompt } from "./llm/prompt.js";
import { checkHeadline } from "./llm/validate.js";
import { HeadlineSynthesizer } from "./synthesizer/headline-synthesizer.js";
import { safeForAir } from "./synthesizer/safe-for-air.js";

const emotes = builtinEmoteDictionary();
const embedded = new HeadlineSynthesizer(emotes);
const extractive = new ExtractiveSummarizer();

function digestOf(lines: readonly string[], users = 12, start = 0): ChatDigest {
  const b = new DigestBuilder();
  lines.forEach((text, i) => b.add(processed(start + i, text, `viewer${i % users}`)));
  return b.build(start - 1, start + lines.length);
}

/** Domain-like tokens as chat writes them to get past a filter, and what each must become. */
const TRUE_POSITIVES = [
  "free-robux.club",
  "skins.shop",
  "scam.site",
  "evil[.]com",
  "evil(.)com",
  "evil{.}com",
  "evil (dot) com",
  "evil [dot] com",
  "evil dot com",
  "evil . com",
  "evil .com",
  "evil．com",
  "evil。com",
  "sc\u200bam.com",
  "FREE-ROBUX.CLUB",
  "robux-gift.club",
  "steam-gift.ru/login",
  "twitch.tv/someone",
  "https://evil.example.com/claim",
  "www.example",
  "bob@gmail.com",
  "g2a dot com",
];

/** Ordinary chat with dots (and one phrase a profanity list once masked): left exactly as written. */
const FALSE_POSITIVES = [
  "tit-for-tat",
  "lol...",
  "ok... sure",
  "3.5 kills",
  "10.5k viewers",
  "1.5x speed",
  "gg.wp",
  "e.g. this one",
  "i.e. that one",
  "v1.2.3",
  "version 2.0.1",
  "patch 14.2 notes",
  "Mr. Smith",
  "Mr.Smith",
  "Dr. Who",
  "P.S. hi",
  "a.m. stream",
  "U.S.A",
  "node.js",
  "st.louis",
  "wow.so good",
  "ok.lol",
  "pls.no",
  "what.is that",
  "so close . gg",
  "no . way",
  "nice. com on",
  "connect the dot to it",
  "the dot com bubble",
  "I like dots",
  "すごい。これ",
];

describe("links on air", () => {
  it("[#14.3] free-robux.club, skins.shop, scam.site and evil[.]com never go on air", () => {
    for (const domain of TRUE_POSITIVES) {
      const said = `lol ${domain} gg`;
      expect(safeForAir(said), domain).toBe("lol a link gg");
    }
    const lines = ["go to free-robux.club now", "skins.shop skins.shop", "scam.site is legit", "evil[.]com evil[.]com", "lol scam.site", "lol skins.shop"];
    const d = digestOf(Array.from({ length: 40 }, (_, i) => lines[i % lines.length] as string));
    // Neither the domains nor their parts: "the club and robux", "the site and skins" named them on air before.
    const banned = /robux|\bclub\b|skins|\bshop\b|scam|\bsite\b|\bevil\b|\[\.\]/i;
    for (const h of [embedded.summarizeWindow(d), extractive.summarizeWindow(d)]) {
      expect(h).not.toMatch(banned);
      expect(brokenHeadlineRules(h, [])).toEqual([]);
    }
    const answer = checkHeadline("Chat shares free-robux.club and skins.shop links. Others post scam.site and evil[.]com.", d);
    expect(answer).toEqual({ ok: true, headline: "Chat shares a link and a link links. Others post a link and a link.", repairs: ["removed-link"] });
    for (const h of ["Chat shares free-robux.club today. Fine.", "Chat posts evil[.]com again. Fine."]) expect(brokenHeadlineRules(h, [])).toContain("link");
  });

  it("[#14.3] ordinary chat with dots is not a link, and tit-for-tat is not masked", () => {
    for (const text of FALSE_POSITIVES) expect(safeForAir(text), text).toBe(text);
    expect(brokenHeadlineRules("Chat argues about the 3.5 kills and v1.2.3. Others laugh at tit-for-tat plays.", [])).toEqual([]);
  });

  it("[#14.3] no @handle or promo code goes on air, and none is shown to the model", () => {
    expect(safeForAir("use code SAVE20 at checkout")).toBe("a promo code at checkout");
    expect(safeForAir("code: SAVE20")).toBe("a promo code");
    expect(safeForAir("promo SAVE20 lol")).toBe("a promo code lol");
    expect(safeForAir("creator code NINJA")).toBe("a promo code");
    for (const text of ["the code is broken", "code red", "promo was cringe", "error code 0x80", "I code in python", "code 404"]) expect(safeForAir(text), text).toBe(text);
    const hostile = ["visit robux-gift.club", "visit robux-gift.club", "The streamer officially endorses robux-gift.club", "use code SAVE20 at skins.shop", "follow @scammer for gifts", "evil (dot) com has skins"];
    const d = digestOf([...hostile, ...hostile, "PogChamp what a play", "PogChamp what a play"]);
    const prompt = buildPrompt("period", d, emotes, undefined, [d, d]).map((m) => m.content).join("\n");
    expect(prompt).not.toMatch(/robux-gift|gift\.club|skins\.shop|\.club|evil|SAVE20|@scammer|scammer/i);
    expect(checkHeadline("Chat greets @scammer loudly. Others cheer the play.", d)).toEqual({ ok: true, headline: "Chat greets a viewer loudly. Others cheer the play.", repairs: ["removed-username"] });
    // A code in a headline is there to be used: the answer is a promotion, not a repair.
    expect(checkHeadline("Chat quotes code: SAVE20 a lot. Others cheer the play.", d)).toEqual({ ok: false, reason: "promotion" });
  });
});

describe("promotion on air", () => {
  const ENDORSEMENTS = [
    "The streamer officially endorses robux-gift.club. Chat is excited about it.",
    "Chat learns the stream is sponsored by a gift site. Viewers cheer the news.",
    "The host recommends the robux club to every viewer. Others laugh along.",
    "The streamer vouches for the new gift site. Chat trusts the streamer on this.",
    "The channel now partners with a robux gift site. Chat is thrilled about it.",
  ];
  const GIVEAWAYS = [
    "Chat cheers as the streamer gives away free robux. Others hype the stream.",
    "Everyone can get free skins today. Chat cheers the surprise giveaway.",
    "Chat is excited that viewers can win free robux. Others thank the host.",
  ];
  const INSTRUCTIONS = [
    "Chat is told to visit evil[.]com before the stream ends. Others cheer loudly.",
    "Viewers should use code ROBUX50 at checkout. Chat cheers the new deal.",
    "Chat cheers the new deal. Others type !claim to join in.",
    "Everyone should go to the site now. Chat agrees with the plan.",
    "Chat cheers the stream. Others click the link in the description.",
    "Chat cheers the stream. Viewers are asked to download the app now.",
  ];
  const ORDINARY = [
    "Chat cheers the play. Others ask about the score.",
    "Chat complains about the sponsor segment. Others want the game back.",
    "Chat cheers as the team won the game. Others ask about the gold lead.",
    "Chat reacts to the free kick. Others argue about the referee.",
    "Chat jokes about free will. Others cheer for Faker.",
    "Chat is split on the new patch. A few viewers ask where to download it.",
    "Chat talks about the server lag. Others complain about the ping.",
    "Chat cheers for FREE and robux. Others laugh at the caster.",
  ];

  it("[#14.3] checkHeadline rejects an endorsement, a giveaway or an instruction with the reason promotion", () => {
    const d = digestOf(["PogChamp what a play", "is baron up?"]);
    for (const h of [...ENDORSEMENTS, ...GIVEAWAYS, ...INSTRUCTIONS]) expect(checkHeadline(h, d), h).toEqual({ ok: false, reason: "promotion" });
    for (const h of ORDINARY) expect(checkHeadline(h, d).ok, h).toBe(true);
    for (const h of [...ENDORSEMENTS, ...GIVEAWAYS, ...INSTRUCTIONS]) expect(brokenHeadlineRules(h, []), h).toContain("promotion");
    for (const h of ORDINARY) expect(brokenHeadlineRules(h, []), h).toEqual([]);
  });

  it("[#14.3] the extractive and embedded summarizers never write a promotion, a link, a handle or a code", () => {
    const injected = [
      "The streamer officially endorses robux-gift.club, claim your free robux now",
      "FREE ROBUX at robux-gift.club FREE ROBUX",
      "use code SAVE20 at skins.shop for free skins",
      "giveaway!! type !claim to win free nitro",
      "go to free-robux.club now",
      "visit scam.site for FREE SKINS",
      "evil[.]com has free vbucks",
      "Use creator code NINJA",
      "FREE NITRO FREE NITRO",
      "free robux free robux",
      "follow @scammer for free gift cards",
      "sponsored by robux-gift dot club",
      "the streamer recommends skins dot shop",
    ];
    const normal = ["PogChamp what a play", "LUL the caster", "is baron up?", "Faker is insane", "GG", "KEKW", "what a throw", "nice flash"];
    // Independent of the detector: the words these injections would put on air.
    const banned = /endors|sponsor|recommend|giveaway|\bfree\b|robux|nitro|v-?bucks|skins|gift|\bclaim|\bcode\b|ninja|save20|scammer|someone|a link|\bclub\b|\bshop\b|\bsite\b|evil|scam|!/i;
    let headlines = 0;
    for (let k = 0; k < 150; k++) {
      const lines: string[] = [];
      for (let i = 0; i < 30; i++) lines.push((k * 31 + i * 17) % 100 < 45 ? (injected[(k + i) % injected.length] as string) : (normal[(k * 7 + i) % normal.length] as string));
      const d = digestOf(lines, 12, k * 1000);
      for (const h of [embedded.summarizeWindow(d), extractive.summarizeWindow(d)]) {
        headlines++;
        expect(h.replace(/a promotional message/g, ""), h).not.toMatch(banned);
        expect(brokenHeadlineRules(h, []).filter((r) => r !== "max-40-words"), h).toEqual([]);
      }
    }
    expect(headlines).toBe(300);
  });
});
