/** Accounts that post on the streamer's behalf; their lines are counted but kept out of sentiment and headlines. */
export const KNOWN_BOTS: readonly string[] = [
  "nightbot",
  "streamelements",
  "moobot",
  "fossabot",
  "streamlabs",
  "wizebot",
  "botisimo",
  "deepbot",
  "phantombot",
  "coebot",
  "sery_bot",
  "soundalerts",
  "pokemoncommunitygame",
  "commanderroot",
  "streamstickers",
];

/** Case-insensitive set of user names and ids to ignore: the known bots plus the user's `--ignore-users`. */
export class BotFilter {
  private readonly names: Set<string>;

  constructor(extraUsers: readonly string[] = []) {
    this.names = new Set([...KNOWN_BOTS, ...extraUsers.map((u) => u.trim().toLowerCase()).filter((u) => u.length > 0)]);
  }

  isBot(user: string, userId: string): boolean {
    return this.names.has(user.toLowerCase()) || (userId.length > 0 && this.names.has(userId.toLowerCase()));
  }
}
