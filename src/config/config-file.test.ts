import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closestKey, ConfigError, configFormat, MAX_CONFIG_BYTES, parseConfigText, readConfigFile, validateConfig } from "./config-file.js";
import { SETTINGS, SETTING_KEYS } from "./settings.js";

async function problem(text: string, name: string): Promise<string> {
  try {
    await parseConfigText(text, name);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("config file", () => {
  it("reads YAML and JSON into the settings' own types", async () => {
    const yaml = await parseConfigText("serve: 127.0.0.1:8080\nqueue: 2000\nspeed: max\nmaxGap: 90m\nprogress: off\ntwitch: [a, b]\nsink: jsonl:x.jsonl, hud\nsummarizerOptions: { temperature: 0 }\n", "c.yaml");
    expect(yaml.get("serve")).toBe("127.0.0.1:8080");
    expect(yaml.get("queue")).toBe(2000);
    expect(yaml.get("speed")).toBe("max");
    expect(yaml.get("maxGap")).toBe(90 * 60_000);
    expect(yaml.get("progress")).toBe(false);
    expect(yaml.get("twitch")).toEqual(["a", "b"]);
    expect(yaml.get("sink")).toEqual(["jsonl:x.jsonl", "hud"]);
    expect(yaml.get("summarizerOptions")).toEqual({ temperature: 0 });
    expect(yaml.has("input")).toBe(false);
    const json = await parseConfigText(JSON.stringify({ queue: "3", shedPolicy: "drop-oldest", ingest: true }), "c.json");
    expect(json.keys().sort()).toEqual(["ingest", "queue", "shedPolicy"]);
    expect(json.get("queue")).toBe(3);
    expect(configFormat("a.JSON")).toBe("json");
    expect(configFormat("chatstream.yml")).toBe("yaml");
    // An empty YAML file sets nothing.
    expect((await parseConfigText("", "empty.yaml")).keys()).toEqual([]);
  });

  it("[#19.2] keeps the models-only JSON files of before working, in either parser", async () => {
    const old = JSON.stringify({ sentiment: "lexicon", summarizer: "extractive", sentimentOptions: {}, summarizerOptions: { model: "m", timeoutMs: 5000 } });
    for (const name of ["models.json", "models.conf"]) {
      const file = await parseConfigText(old, name);
      expect(file.get("sentiment")).toBe("lexicon");
      expect(file.get("summarizer")).toBe("extractive");
      expect(file.get("summarizerOptions")).toEqual({ model: "m", timeoutMs: 5000 });
    }
  });

  it("[#19.2] names an unknown key with the close one, and where it is", async () => {
    expect(await problem("serve: 8080\nqeue: 10\n", "c.yaml")).toBe('c.yaml:2:1: unknown key "qeue" (did you mean "queue"?)');
    expect(await problem('{\n  "shed_policy": "drop-oldest"\n}', "c.json")).toBe('c.json:2:3: unknown key "shed_policy" (did you mean "shedPolicy"?)');
    expect(await problem("CHATSTREAM_MAX_GAP: 1h\n", "c.yaml")).toMatch(/did you mean "maxGap"/);
    expect(await problem("zzzzzz: 1\n", "c.yaml")).toBe('c.yaml:1:1: unknown key "zzzzzz"');
    expect(await problem("config: other.yaml\n", "c.yaml")).toBe('c.yaml:1:1: "config" cannot be set in the config file (use --config or CHATSTREAM_CONFIG)');
    expect(closestKey("x".repeat(100))).toBeUndefined();
    expect(closestKey("SENTIMENT")).toBe("sentiment");
  });

  it("[#19.2] names a bad value, its key and where it is", async () => {
    expect(await problem("serve: 8080\nqueue: 0\n", "c.yaml")).toBe('c.yaml:2:8: queue: expected a positive whole number, got 0');
    expect(await problem("shedPolicy: drop-some\n", "c.yaml")).toBe('c.yaml:1:13: shedPolicy: expected one of drop-newest, drop-oldest, got "drop-some"');
    expect(await problem('{"twitch": [1]}', "c.json")).toBe("c.json:1:12: twitch: item 1: expected a non-empty string, got 1");
    expect(await problem('{"sentiment": {"a": 1}}', "c.json")).toBe("c.json:1:15: sentiment: expected model name, got an object");
    expect(await problem("summarizerOptions: [1]\n", "c.yaml")).toBe("c.yaml:1:20: summarizerOptions: expected an object, got a list");
    expect(await problem("speed: -1\n", "c.yaml")).toMatch(/^c\.yaml:1:8: speed: expected a positive number or "max"/);
    expect(await problem("maxGap: soon\n", "c.yaml")).toMatch(/^c\.yaml:1:9: maxGap: /);
    expect(await problem("progress: maybe\n", "c.yaml")).toBe('c.yaml:1:11: progress: expected true or false, got "maybe"');
    expect(await problem("summarizerOptions: {a: {b: {c: {d: {e: 1}}}}}\n", "c.yaml")).toMatch(/summarizerOptions: options\.a\.b\.c\.d: nested deeper than 4 levels$/);
    expect(await problem(`sentimentOptions: {${Array.from({ length: 101 }, (_, i) => `k${i}: 1`).join(", ")}}\n`, "c.yaml")).toMatch(/more than 100 keys$/);
    expect(await problem(`twitch: [${Array.from({ length: 1001 }, (_, i) => `c${i}`).join(", ")}]\n`, "c.yaml")).toMatch(/twitch: expected at most 1000 items, got 1001$/);
  });

  it("[#19.2] refuses what is not a mapping of settings, or not JSON / YAML, in one line", async () => {
    expect(await problem("- queue\n", "c.yaml")).toBe("c.yaml: expected a mapping of settings (got a list)");
    expect(await problem("42", "c.json")).toBe("c.json: expected a mapping of settings (got number)");
    expect(await problem("{oops", "c.json")).toMatch(/^c\.json:1:2: not valid JSON \(/);
    expect(await problem("queue: 1\nqueue: 2\n", "c.yaml")).toMatch(/^c\.yaml:2:1: not valid YAML \(Map keys must be unique/);
    expect(await problem("a: &x [1]\nb: *x\n", "c.yaml")).toMatch(/^c\.yaml: not valid YAML \(Alias resolution is disabled/);
    for (const message of [await problem("{oops", "c.json"), await problem("queue: [\n", "c.yaml")]) expect(message).not.toContain("\n");
  });

  it("reads a file, refusing a missing or an oversized one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-config-file-"));
    const good = join(dir, "c.yaml");
    writeFileSync(good, "queue: 5\n");
    expect((await readConfigFile(good)).get("queue")).toBe(5);
    await expect(readConfigFile(join(dir, "missing.yaml"))).rejects.toThrow(/cannot read ".*missing\.yaml" \(--config\): no such file/);
    const big = join(dir, "big.yaml");
    writeFileSync(big, "#".repeat(MAX_CONFIG_BYTES + 1));
    await expect(readConfigFile(big)).rejects.toThrow(/too large for a config file/);
  });

  it("[#19.prop] any document: a validation, never an exception, and no key reaches Object.prototype", () => {
    const key = fc.oneof(fc.constantFrom(...SETTING_KEYS, "__proto__", "constructor", "toString", "hasOwnProperty"), fc.string({ maxLength: 12 }));
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(fc.oneof(fc.dictionary(key, value, { maxKeys: 6 }), value), (document) => {
        const result = validateConfig(document);
        if (result.ok) for (const k of result.values.keys()) expect(SETTING_KEYS).toContain(k);
        else expect(result.problem.message.length).toBeGreaterThan(0);
        expect(Object.prototype).not.toHaveProperty("polluted");
      }),
    );
  });

  it("[#19.prop] JSON.parse'd hostile keys stay keys: a __proto__ options object is data, not a prototype", async () => {
    const file = await parseConfigText('{"summarizerOptions": {"__proto__": {"polluted": 1}, "temperature": 0}}', "c.json");
    const options = file.get("summarizerOptions") ?? {};
    expect(Object.keys(options).sort()).toEqual(["__proto__", "temperature"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await problem('{"__proto__": {"queue": 1}}', "c.json")).toMatch(/unknown key "__proto__"/);
  });

  it("[#19.prop] a valid file round-trips: the same settings written as JSON or as YAML read back the same", async () => {
    // Settings that take text, with values a person would write: each read back as written.
    const text = fc.stringMatching(/^[a-z0-9][a-z0-9:._/-]{0,15}$/);
    const settings = fc.record(
      {
        queue: fc.integer({ min: 1, max: 1_000_000 }),
        maxChannels: fc.integer({ min: 1, max: 1_000_000 }),
        speed: fc.oneof(fc.constant("max" as const), fc.integer({ min: 1, max: 1000 })),
        shedPolicy: fc.constantFrom("drop-newest", "drop-oldest"),
        progress: fc.boolean(),
        twitch: fc.array(text, { maxLength: 4 }),
        channel: text,
        sentiment: text,
        summarizerOptions: fc.dictionary(fc.stringMatching(/^[a-zA-Z]{1,8}$/), fc.oneof(fc.integer(), fc.boolean(), text), { maxKeys: 4 }),
      },
      { requiredKeys: [] },
    );
    const { stringify } = await import("yaml");
    await fc.assert(
      fc.asyncProperty(settings, async (s) => {
        const fromJson = await parseConfigText(JSON.stringify(s), "c.json");
        const fromYaml = await parseConfigText(stringify(s), "c.yaml");
        for (const k of Object.keys(s) as (keyof typeof s)[]) {
          expect(fromJson.get(k)).toEqual(s[k]);
          expect(fromYaml.get(k)).toEqual(s[k]);
        }
        expect(fromJson.keys().sort()).toEqual(Object.keys(s).sort());
      }),
      { numRuns: 100 },
    );
  });

  it("[#19.prop] every key of the table but `config` and the broker roles' may sit in the file, and an arbitrary edit of a key is never accepted as another", () => {
    const samples = (k: (typeof SETTING_KEYS)[number]): unknown[] => [SETTINGS[k].type.choices?.[0] ?? "x", 1, {}];
    expect(SETTING_KEYS.filter((k) => !samples(k).some((v) => validateConfig({ [k]: v }).ok))).toEqual(SETTING_KEYS.filter((k) => SETTINGS[k].inFile === false));
    expect(SETTING_KEYS.filter((k) => SETTINGS[k].inFile === false && k !== "config" && !SETTINGS[k].scopes.includes("worker"))).toEqual([]);
    fc.assert(
      fc.property(fc.constantFrom(...SETTING_KEYS), fc.string({ minLength: 1, maxLength: 3 }), (k, suffix) => {
        const typo = `${k}${suffix}`;
        const result = validateConfig({ [typo]: 1 });
        if (SETTING_KEYS.includes(typo as never)) return;
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.problem.message).toContain("unknown key");
      }),
    );
  });
});
