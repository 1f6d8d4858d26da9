import { open } from "node:fs/promises";
import type { ReadStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "./input-error.js";

const READ_CHUNK_BYTES = 64 * 1024;

/** The raw bytes of one input, as read (still compressed if the input is). */
export interface ByteSource {
  chunks: AsyncIterable<unknown>;
  /** Fraction of a file read so far (0 for stdin, whose size is unknown). */
  progress(): number;
  /** Stops reading and releases the file; safe to call more than once. */
  close(): void;
}

/** Opens a file (or stdin for "-"), failing with a user-facing InputError when it cannot be read. */
export async function openByteSource(path: string, stdin?: NodeJS.ReadableStream): Promise<ByteSource> {
  if (path === "-") {
    const stream = stdin ?? process.stdin;
    // stdin is not ours to close; stopping the iteration is enough.
    return { chunks: stream as AsyncIterable<unknown>, progress: () => 0, close: () => undefined };
  }
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new InputError(`chatstream: cannot open "${path}": ${describeFsError(error)}`);
  }
  const stats = await handle.stat();
  if (stats.isDirectory()) {
    await handle.close();
    throw new InputError(`chatstream: cannot open "${path}": is a directory`);
  }
  const stream: ReadStream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
  const size = stats.size;
  return {
    chunks: stream,
    progress: () => (size > 0 ? Math.min(1, stream.bytesRead / size) : 0),
    close: () => {
      stream.destroy();
    },
  };
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return (error as Error).message.split("\n")[0] ?? String(error);
}

/** Chunks as Buffers, whatever the stream was set to emit (strings after setEncoding, Uint8Arrays). */
export function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), "utf8");
}

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The input's bytes, decompressed when they start with the gzip magic number, whatever the file is
 * called (a piped `.gz` has no name). Read errors and corrupt gzip data surface from the iterator.
 */
export async function* gunzipIfCompressed(source: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  try {
    let bytes = 0;
    while (bytes < 2) {
      const next = await iterator.next();
      if (next.done) break;
      const chunk = toBuffer(next.value);
      first.push(chunk);
      bytes += chunk.length;
    }
    const all = continueWith(first, iterator);
    if (!isGzip(Buffer.concat(first))) {
      yield* all;
      return;
    }
    const gunzip = createGunzip();
    // Errors of either stage end the gunzip stream with that error, which the loop below rethrows.
    pipeline(Readable.from(all), gunzip, () => undefined);
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    await iterator.return?.();
  }
}

async function* continueWith(first: Buffer[], iterator: AsyncIterator<unknown>): AsyncGenerator<Buffer> {
  yield* first;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield toBuffer(next.value);
  }
}

/**
 * A chunk stream that can be looked into before it is read: `peek` reads ahead and keeps what it
 * read, iteration then replays it, so format detection loses no data, also on stdin.
 */
export class PeekableChunks implements AsyncIterable<Buffer> {
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly held: Buffer[] = [];
  private heldBytes = 0;
  private finished = false;
  private failure: { error: unknown } | undefined;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Reads ahead until `enough(head)`, `limit` bytes or the end of the input; returns everything read so far. */
  async peek(enough: (head: Buffer) => boolean, limit: number): Promise<Buffer> {
    let head = Buffer.concat(this.held, this.heldBytes);
    while (!this.finished && this.heldBytes < limit && !enough(head)) {
      try {
        const next = await this.iterator.next();
        if (next.done) {
          this.finished = true;
          break;
        }
        this.held.push(next.value);
        this.heldBytes += next.value.length;
      } catch (error) {
        this.failure = { error };
        this.finished = true;
      }
      head = Buffer.concat(this.held, this.heldBytes);
    }
    return head;
  }

  /** True when peeking reached the end of the input without a read error. */
  get ended(): boolean {
    return this.finished && this.failure === undefined;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      for (let chunk = this.held.shift(); chunk !== undefined; chunk = this.held.shift()) yield chunk;
      if (this.failure) throw this.failure.error;
      if (this.finished) return;
      for (;;) {
        const next = await this.iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await this.iterator.return?.();
    }
  }
}
