import { createServer, type Server, type Socket } from "node:net";

/** One client connection as the fake server sees it. */
export interface IrcPeer {
  readonly index: number;
  readonly received: string[];
  send(...lines: string[]): void;
  /** Resolves when the client has sent a line matching `pattern`. */
  waitFor(pattern: RegExp): Promise<string>;
  drop(): void;
}

/**
 * A loopback IRC server speaking enough of Twitch's dialect for the reader: it answers NICK with 001 and
 * JOIN with a JOIN echo, then hands each connection to the test's script.
 */
export class FakeIrcServer {
  private readonly server: Server;
  readonly peers: IrcPeer[] = [];
  private connectionWaiters: ((p: IrcPeer) => void)[] = [];

  constructor(private readonly onPeer: (peer: IrcPeer) => void = () => undefined) {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    return `irc://127.0.0.1:${address.port}`;
  }

  nextPeer(): Promise<IrcPeer> {
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  async close(): Promise<void> {
    for (const p of this.peers) p.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setEncoding("utf8");
    const received: string[] = [];
    const lineWaiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
    let partial = "";
    const peer: IrcPeer = {
      index: this.peers.length,
      received,
      send: (...lines) => {
        if (!socket.destroyed) socket.write(lines.map((l) => l + "\r\n").join(""));
      },
      waitFor: (pattern) => {
        const hit = received.find((l) => pattern.test(l));
        if (hit !== undefined) return Promise.resolve(hit);
        return new Promise((resolve) => lineWaiters.push({ pattern, resolve }));
      },
      drop: () => socket.destroy(),
    };
    socket.on("data", (chunk: string) => {
      partial += chunk;
      let nl = partial.indexOf("\r\n");
      while (nl !== -1) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 2);
        received.push(line);
        if (line.startsWith("NICK ")) peer.send(`:tmi.twitch.tv 001 ${line.slice(5)} :Welcome, GLHF!`);
        const join = /^JOIN #(\S+)/.exec(line);
        if (join) peer.send(`:justinfan!justinfan@justinfan.tmi.twitch.tv JOIN #${join[1]}`);
        for (const w of lineWaiters.filter((x) => x.pattern.test(line))) {
          lineWaiters.splice(lineWaiters.indexOf(w), 1);
          w.resolve(line);
        }
        nl = partial.indexOf("\r\n");
      }
    });
    socket.on("error", () => undefined);
    this.peers.push(peer);
    this.onPeer(peer);
    const waiters = this.connectionWaiters;
    this.connectionWaiters = [];
    for (const w of waiters) w(peer);
  }
}

/** Polls (real time) until `check` is true. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}
