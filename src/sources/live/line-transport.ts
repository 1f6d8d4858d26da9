import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import WebSocket from "ws";

/** A connection that carries text lines: IRC over TCP/TLS, or IRC over WebSocket (one or more lines per frame). */
export interface LineConnection {
  send(line: string): void;
  close(): void;
}

export interface LineHandlers {
  open(): void;
  line(line: string): void;
  /** Called once when the connection ends for any reason (error included). */
  closed(error?: Error): void;
}

/**
 * Opens `url`: `irc://host:port` (plain TCP, tests), `ircs://host:port` (TLS), `ws://` or `wss://`.
 * Lines are split on CRLF (or LF); a line longer than `maxLineBytes` closes the connection.
 */
export function openLineConnection(url: string, handlers: LineHandlers, maxLineBytes = 64 * 1024): LineConnection {
  const parsed = new URL(url);
  let done = false;
  const finish = (error?: Error): void => {
    if (done) return;
    done = true;
    handlers.closed(error);
  };
  let partial = "";
  let kill: () => void = () => undefined;
  const feed = (chunk: string): void => {
    partial += chunk;
    let nl = partial.indexOf("\n");
    while (nl !== -1) {
      const line = partial.slice(0, nl).replace(/\r$/, "");
      partial = partial.slice(nl + 1);
      if (line.length > 0) handlers.line(line);
      nl = partial.indexOf("\n");
    }
    if (partial.length > maxLineBytes) {
      partial = "";
      finish(new Error("line too long"));
      kill();
    }
  };

  if (parsed.protocol === "ws:" || parsed.protocol === "wss:") {
    const ws = new WebSocket(url);
    ws.on("open", () => handlers.open());
    ws.on("message", (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data) ? data.toString("utf8") : Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data).toString("utf8");
      feed(text.endsWith("\n") ? text : text + "\n");
    });
    ws.on("error", (err: Error) => finish(err));
    ws.on("close", () => finish());
    kill = () => ws.terminate();
    return {
      send: (line) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(line);
      },
      close: () => ws.terminate(),
    };
  }

  if (parsed.protocol !== "irc:" && parsed.protocol !== "ircs:") throw new Error(`unsupported chat URL "${url}" (irc://, ircs://, ws://, wss://)`);
  const port = Number(parsed.port || (parsed.protocol === "ircs:" ? 6697 : 6667));
  const host = parsed.hostname;
  const socket: Socket =
    parsed.protocol === "ircs:"
      ? tlsConnect({ host, port, servername: host }, () => handlers.open())
      : netConnect({ host, port }, () => handlers.open());
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => feed(chunk));
  socket.on("error", (err: Error) => finish(err));
  socket.on("close", () => finish());
  kill = () => socket.destroy();
  return {
    send: (line) => {
      if (!socket.destroyed) socket.write(line + "\r\n");
    },
    close: () => socket.destroy(),
  };
}
