import { Command } from "commander";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageError } from "../commands/usage-error.js";
import { addSettingOptions, flagsGiven, settingOption } from "./cli-options.js";
import { parseConfigText } from "./config-file.js";
import { resolveSetting, resolveSettings } from "./resolve-settings.js";
import { SETTINGS, SETTING_KEYS, type SettingKey } from "./settings.js";

/** A command of `scope` built from the table, as cli.ts builds run and demo, with `argv` parsed. */
function parsed(argv: string[], scope: "run" | "demo" = "run"): Command {
  const cmd = addSettingOptions(new Command(scope).exitOverride(), scope);
  return cmd.parse(argv, { from: "user" });
}

describe("precedence: flag > env > file > default", () => {
  it("[#19.2] each source wins over the ones below it, setting by setting", async () => {
    const file = await parseConfigText("queue: 7\nshedPolicy: drop-oldest\nsink: [jsonl:a.jsonl]\nsentiment: vader\n", "c.yaml");
    const env = { CHATSTREAM_QUEUE: "8", CHATSTREAM_SINK: "hud,jsonl" };
    const r = resolveSettings("run", flagsGiven(parsed(["--queue", "9"]), "run"), env, file);
    expect(r.values.queue).toBe(9);
    expect(r.origins.get("queue")).toBe("flag");
    // A list comes whole from the first source that gives one.
    expect(r.values.sink).toEqual(["hud", "jsonl"]);
    expect(r.origins.get("sink")).toBe("env");
    expect(r.values.shedPolicy).toBe("drop-oldest");
    expect(r.origins.get("shedPolicy")).toBe("file");
    expect(r.givenBy.get("sentiment")).toBe("c.yaml");
    expect(r.values.maxChannels).toBe(SETTINGS.maxChannels.default);
    expect(r.origins.get("maxChannels")).toBe("default");
    expect(r.values.progress).toBe(true);
  });

  it("[#19.prop] for any mix of sources, the value is the highest one given", async () => {
    const given = fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(given, given, given, async (flag, env, file) => {
        const config = file === undefined ? undefined : await parseConfigText(`maxChannels: ${file}\n`, "c.yaml");
        const flags = flagsGiven(parsed(flag === undefined ? [] : ["--max-channels", String(flag)]), "run");
        const r = resolveSetting("maxChannels", flags, env === undefined ? {} : { CHATSTREAM_MAX_CHANNELS: String(env) }, config);
        expect(r.value).toBe(flag ?? env ?? file ?? SETTINGS.maxChannels.default);
        expect(r.origin).toBe(flag !== undefined ? "flag" : env !== undefined ? "env" : file !== undefined ? "file" : "default");
      }),
      { numRuns: 60 },
    );
  });

  it("reads variables as text: lists comma-separated, switches as words, an empty variable as unset", () => {
    const none = new Map<SettingKey, unknown>();
    const env = { CHATSTREAM_TWITCH: "a, b,,c", CHATSTREAM_INGEST: "yes", CHATSTREAM_PROGRESS: "0", CHATSTREAM_SPEED: "max", CHATSTREAM_CHANNEL: "", TWITCH_TOKEN: "oauth:x", CHATSTREAM_SUMMARIZER_OPTIONS: '{"temperature":0}' };
    const r = resolveSettings("run", none, env, undefined);
    expect(r.values.twitch).toEqual(["a", "b", "c"]);
    expect(r.values.ingest).toBe(true);
    expect(r.values.progress).toBe(false);
    expect(r.values.speed).toBe("max");
    expect(r.values.channel).toBeUndefined();
    expect(r.values.twitchToken).toBe("oauth:x");
    expect(r.values.summarizerOptions).toEqual({ temperature: 0 });
    expect(() => resolveSettings("run", none, { CHATSTREAM_MAX_GAP: "soon" }, undefined)).toThrow(UsageError);
    expect(() => resolveSettings("run", none, { CHATSTREAM_SUMMARIZER_OPTIONS: "{" }, undefined)).toThrow(/^CHATSTREAM_SUMMARIZER_OPTIONS: expected a JSON object$/);
    expect(() => resolveSettings("run", none, { CHATSTREAM_QUEUE: "-1" }, undefined)).toThrow(/^CHATSTREAM_QUEUE: expected a positive whole number, got "-1"$/);
  });

  it("demo takes no input or live source from anywhere", () => {
    const r = resolveSettings("demo", new Map(), { CHATSTREAM_INPUT: "x.jsonl", CHATSTREAM_TWITCH: "a", CHATSTREAM_QUEUE: "5" }, undefined);
    expect(r.values.input).toBeUndefined();
    expect(r.values.twitch).toEqual([]);
    expect(r.values.queue).toBe(5);
  });
});

describe("the commander options come from the table", () => {
  it("[#19.2] run and demo have exactly the table's flags of their scope, read by the table's key", () => {
    for (const scope of ["run", "demo"] as const) {
      const cmd = addSettingOptions(new Command(scope), scope);
      const expected = SETTING_KEYS.filter((k) => SETTINGS[k].flag !== undefined && SETTINGS[k].scopes.includes(scope));
      expect(cmd.options.map((o) => o.attributeName())).toEqual(expected);
      expect(cmd.options.map((o) => o.flags)).toEqual(expected.map((k) => SETTINGS[k].flag));
    }
    expect(() => settingOption("token")).toThrow(/no flag/);
  });

  it("parses flags as the table says and knows which were given", () => {
    const cmd = parsed(["--twitch", "a,b", "--twitch", "c", "--youtube", "x,y", "--max-gap", "90m", "--no-progress", "--speed", "max", "-f", "irc"]);
    const given = flagsGiven(cmd, "run");
    expect(given.get("twitch")).toEqual(["a", "b", "c"]);
    // A YouTube URL may hold a comma: one value per flag.
    expect(given.get("youtube")).toEqual(["x,y"]);
    expect(given.get("maxGap")).toBe(90 * 60_000);
    expect(given.get("progress")).toBe(false);
    expect(given.get("speed")).toBe("max");
    expect(given.get("format")).toBe("irc");
    expect(given.has("queue")).toBe(false);
    expect(() => parsed(["--queue", "0"])).toThrow(/--queue.*expected a positive whole number$/);
    expect(() => parsed(["--format", "csv"])).toThrow(/Allowed choices/);
  });
});
