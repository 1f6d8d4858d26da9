import type { Writable } from "node:stream";
import { builtinEmoteDictionary, type EmoteDocument } from "../processing/emote-dictionary.js";
import { EMOTE_PROVIDERS, fetchChannelEmotes, PUBLIC_EMOTE_APIS, type EmoteApiBases, type EmoteProvider } from "../processing/emote-providers.js";
import { describeFsError } from "../sources/byte-source.js";
import { writeFileAtomic } from "./atomic-write.js";
import { assertWritableFile } from "./usage-error.js";

export interface EmotesCommandOptions {
  twitch: string;
  providers?: string[];
  global?: boolean;
  out?: string;
  /** Where the provider APIs live (tests point them at loopback). */
  bases?: EmoteApiBases;
}

export function parseProviders(names: readonly string[] | undefined): EmoteProvider[] {
  if (names === undefined || names.length === 0) return [...EMOTE_PROVIDERS];
  return names.map((n) => {
    const p = n.toLowerCase();
    if (!(EMOTE_PROVIDERS as readonly string[]).includes(p)) throw new Error(`unknown emote provider "${n}" (expected ${EMOTE_PROVIDERS.join(", ")})`);
    return p as EmoteProvider;
  });
}

/**
 * `run --twitch A,B --fetch-emotes`: each channel's emote sets (globals included), fetched before the run starts.
 * A channel whose providers all fail is reported and the run goes on with the built-in dictionary.
 */
export async function fetchEmoteDocuments(channels: readonly string[], stderr: Writable, bases: EmoteApiBases = PUBLIC_EMOTE_APIS): Promise<EmoteDocument[]> {
  const documents: EmoteDocument[] = [];
  for (const channel of channels) {
    const result = await fetchChannelEmotes({ channel, includeGlobal: true, bases }, builtinEmoteDictionary());
    for (const problem of result.problems) stderr.write(`chatstream: emotes of ${channel}: ${problem}\n`);
    stderr.write(`chatstream: emotes of ${channel}: ${EMOTE_PROVIDERS.map((p) => `${p} ${result.counts[p]}`).join(", ")}\n`);
    documents.push(result.document);
  }
  return documents;
}

/**
 * `chatstream emotes --twitch CHANNEL`: the channel's BTTV / FFZ / 7TV emotes as a chatstream-emotes/1 document
 * (to stdout or --out), for `--emotes FILE`. The only command that reaches the internet, and only when run.
 * Exit code 0 when at least one emote was found and written; 1 when none was found (every provider failed or
 * the channel has none): then nothing is written, so an earlier --out file is kept as it was. An --out that
 * cannot be written is refused before anything is fetched (UsageError).
 */
export async function emotesCommand(options: EmotesCommandOptions, stdout: Writable, stderr: Writable): Promise<number> {
  if (options.out !== undefined) assertWritableFile(options.out, "--out");
  const result = await fetchChannelEmotes(
    { channel: options.twitch, providers: parseProviders(options.providers), includeGlobal: options.global === true, bases: options.bases ?? PUBLIC_EMOTE_APIS },
    builtinEmoteDictionary(),
  );
  for (const problem of result.problems) stderr.write(`chatstream emotes: ${problem}\n`);
  const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
  const counts = `${total} emotes (${EMOTE_PROVIDERS.map((p) => `${p} ${result.counts[p]}`).join(", ")})`;
  const kept = options.out !== undefined ? `${options.out} left as it was` : "nothing written";
  if (total === 0) {
    stderr.write(`chatstream emotes: no emotes found for ${options.twitch}: ${counts}; ${kept}\n`);
    return 1;
  }
  const json = JSON.stringify(result.document, null, 2) + "\n";
  if (options.out === undefined) stdout.write(json);
  else {
    try {
      writeFileAtomic(options.out, json);
    } catch (err) {
      stderr.write(`chatstream emotes: cannot write "${options.out}": ${describeFsError(err)}; ${kept}\n`);
      return 2;
    }
  }
  stderr.write(`chatstream emotes: ${counts}${options.out !== undefined ? ` written to ${options.out}` : ""}\n`);
  return 0;
}
