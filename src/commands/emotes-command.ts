import { writeFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { builtinEmoteDictionary, type EmoteDocument } from "../processing/emote-dictionary.js";
import { EMOTE_PROVIDERS, fetchChannelEmotes, PUBLIC_EMOTE_APIS, type EmoteApiBases, type EmoteProvider } from "../processing/emote-providers.js";

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
 * Exit code 0 when at least one emote was found, 1 when none (every provider failed or the channel has none).
 */
export async function emotesCommand(options: EmotesCommandOptions, stdout: Writable, stderr: Writable): Promise<number> {
  const result = await fetchChannelEmotes(
    { channel: options.twitch, providers: parseProviders(options.providers), includeGlobal: options.global === true, bases: options.bases ?? PUBLIC_EMOTE_APIS },
    builtinEmoteDictionary(),
  );
  for (const problem of result.problems) stderr.write(`chatstream emotes: ${problem}\n`);
  const json = JSON.stringify(result.document, null, 2) + "\n";
  if (options.out !== undefined) writeFileSync(options.out, json);
  else stdout.write(json);
  const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
  stderr.write(`chatstream emotes: ${total} emotes (${EMOTE_PROVIDERS.map((p) => `${p} ${result.counts[p]}`).join(", ")})${options.out !== undefined ? ` written to ${options.out}` : ""}\n`);
  return total > 0 ? 0 : 1;
}
