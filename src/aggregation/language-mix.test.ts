import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { extractive, processed } from "../../test/helpers/pipeline-fixtures.js";
import { ChannelPipeline } from "../pipeline/channel-pipeline.js";
import { outputSchemaDocument, type OutputRecord, type Rollup, type Snapshot } from "../schema/output-schema.js";
import { DigestBuilder, mergeDigests } from "./chat-digest.js";
import { LanguageCounts, languageMix, mergeLanguageCounts } from "./language-mix.js";

const GERMAN = ["das ist so geil", "ich bin so müde heute", "was ist das denn", "digga nein"];
const ENGLISH = ["this is so good", "what is he doing", "we need more time", "that was close"];

describe("language counts", () => {
  it("adds on enter, takes away on leave, never counts lines in no language", () => {
    const c = new LanguageCounts();
    c.add("de", 1);
    c.add("en", 1);
    c.add("en", 1);
    c.add("und", 1);
    expect(c.list()).toEqual([{ lang: "en", count: 2 }, { lang: "de", count: 1 }]);
    c.add("de", -1);
    expect(c.list()).toEqual([{ lang: "en", count: 2 }]);
  });

  it("merges parts exactly and turns counts into a small, bounded mix", () => {
    const merged = mergeLanguageCounts([[{ lang: "en", count: 6 }, { lang: "de", count: 2 }], undefined, [{ lang: "de", count: 1 }, { lang: "id", count: 1 }]]);
    expect(merged).toEqual([{ lang: "en", count: 6 }, { lang: "de", count: 3 }, { lang: "id", count: 1 }]);
    expect(languageMix(merged)).toEqual({ en: 0.6, de: 0.3, id: 0.1 });
    const many = ["en", "de", "id", "es", "pt"].map((lang, i) => ({ lang: lang as "en", count: 10 - i }));
    expect(Object.keys(languageMix(many)!)).toEqual(["en", "de", "id"]);
    expect(languageMix([])).toBeUndefined();
    expect(languageMix(undefined)).toBeUndefined();
  });
});

describe("a window's language mix", () => {
  it("is kept with the digest as messages enter and leave, and merges into roll-ups", () => {
    const b = new DigestBuilder();
    const msgs = [...GERMAN.map((t, i) => processed(i, t)), ...ENGLISH.map((t, i) => processed(10 + i, t)), processed(20, "LUL LUL"), processed(21, "!uptime")];
    for (const m of msgs) b.add(m);
    expect(b.build(0, 30).languages).toEqual([{ lang: "de", count: 4 }, { lang: "en", count: 4 }]);
    for (const m of msgs.slice(0, 3)) b.remove(m);
    const later = b.build(0, 30);
    expect(later.languages).toEqual([{ lang: "en", count: 4 }, { lang: "de", count: 1 }]);
    const other = new DigestBuilder();
    other.add(processed(40, "gak ada yang bisa menang"));
    expect(mergeDigests([later, other.build(30, 60)], 0, 60).languages).toEqual([{ lang: "en", count: 4 }, { lang: "de", count: 1 }, { lang: "id", count: 1 }]);
  });

  it("reaches snapshots and roll-ups as shares, valid against the output schema", () => {
    const out: OutputRecord[] = [];
    const p = new ChannelPipeline({ channel: "c", summarizer: () => extractive, emit: (r) => out.push(r) });
    const lines = [...ENGLISH, ...ENGLISH, ...GERMAN.slice(0, 2), "LUL", "gg"];
    lines.forEach((text, i) => p.ingest(processed(1_000 + i * 500, text, `u${i}`)));
    p.finish();
    const snapshots = out.filter((r): r is Snapshot => r.type === "snapshot");
    const last = snapshots[snapshots.length - 1]!;
    expect(last.languages).toEqual({ en: 0.8, de: 0.2 });
    const rollup = out.find((r): r is Rollup => r.type === "rollup" && r.level === "1m");
    expect(rollup?.languages).toEqual({ en: 0.8, de: 0.2 });
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(outputSchemaDocument());
    expect(validate(last), JSON.stringify(validate.errors)).toBe(true);
    // A window of emotes alone has no language to show.
    const quiet: OutputRecord[] = [];
    const q = new ChannelPipeline({ channel: "c", summarizer: () => extractive, emit: (r) => quiet.push(r) });
    q.ingest(processed(1_000, "LUL LUL"));
    q.finish();
    expect((quiet[0] as Snapshot).languages).toBeUndefined();
  });
});
