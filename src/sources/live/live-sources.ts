import type { Clock } from "../../core/clock.js";
import type { LiveSourceBase } from "./live-source.js";

/** What `run` needs to open live sources (from --twitch/--youtube/--kick and the environment). */
export interface LiveOptions {
  twitch?: string[];
  youtube?: string[];
  kick?: string[];
  /** TWITCH_TOKEN / TWITCH_NICK for an authenticated login; anonymous otherwise. */
  twitchToken?: string;
  twitchNick?: string;
  /** Endpoint overrides (tests, proxies); defaults are the real services. */
  twitchUrl?: string;
  youtubeBaseUrl?: string;
  kickBaseUrl?: string;
  kickWsUrl?: string;
  maxMessageLength?: number;
}

export function hasLiveSources(o: LiveOptions | undefined): boolean {
  return o !== undefined && [o.twitch, o.youtube, o.kick].some((list) => list !== undefined && list.length > 0);
}

/**
 * One Twitch connection for all Twitch channels; one reader per YouTube video and per Kick channel. Each platform's
 * module (and `ws`) is loaded only when a flag names it, so a replay does not pay for them at start-up.
 */
export async function openLiveSources(o: LiveOptions, clock: Clock, streamTime: () => number): Promise<LiveSourceBase[]> {
  const out: LiveSourceBase[] = [];
  if ((o.twitch ?? []).length > 0) {
    const { TwitchSource, parseTwitchChannels } = await import("./twitch/twitch-source.js");
    const twitch = (o.twitch ?? []).flatMap(parseTwitchChannels);
    if (twitch.length > 0) {
      out.push(
        new TwitchSource({ channels: [...new Set(twitch)], url: o.twitchUrl, token: o.twitchToken, nick: o.twitchNick, clock, streamTime, maxMessageLength: o.maxMessageLength }),
      );
    }
  }
  for (const video of o.youtube ?? []) {
    const { YouTubeSource } = await import("./youtube/youtube-source.js");
    out.push(new YouTubeSource({ video, baseUrl: o.youtubeBaseUrl, clock, streamTime, maxMessageLength: o.maxMessageLength }));
  }
  for (const channel of o.kick ?? []) {
    const { KickSource } = await import("./kick/kick-source.js");
    out.push(new KickSource({ channel, apiBaseUrl: o.kickBaseUrl, wsUrl: o.kickWsUrl, clock, streamTime, maxMessageLength: o.maxMessageLength }));
  }
  return out;
}
