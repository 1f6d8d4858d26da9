import { isUtf8 } from "node:buffer";

/** Longest line kept; past this a line is dropped (counted as malformed) rather than buffered without bound. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** A line that could not be turned into text. */
export interface LineFault {
  fault: "invalid-utf8" | "too-long";
}

const INVALID_UTF8: LineFault = { fault: "invalid-utf8" };
const TOO_LONG: LineFault = { fault: "too-long" };
const NEWLINE = 0x0a;

/**
 * Cuts a byte stream into lines without decoding more than once: a chunk's complete lines are
 * checked for UTF-8 in one pass and decoded as one string, and only a chunk with a bad byte is
 * examined line by line so the bad line alone is rejected. Strips CR before LF and a leading BOM;
 * keeps a last line that has no newline.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;
  private atStart = true;

  /** The lines completed by this chunk, in order; a LineFault stands in for a line that could not be read. */
  push(chunk: Buffer): (string | LineFault)[] {
    const lines: (string | LineFault)[] = [];
    let from = 0;
    if (this.pendingBytes > 0 || this.discarding) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) {
        this.hold(chunk);
        return lines;
      }
      this.hold(chunk.subarray(0, newline));
      lines.push(this.takePending());
      from = newline + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from) {
      this.splitComplete(chunk.subarray(from, last), lines);
      from = last + 1;
    }
    if (from < chunk.length) this.hold(chunk.subarray(from));
    return lines;
  }

  /** The last line, when the input did not end with a newline. */
  end(): (string | LineFault)[] {
    return this.pendingBytes > 0 || this.discarding ? [this.takePending()] : [];
  }

  private hold(bytes: Buffer): void {
    if (this.discarding) return;
    if (this.pendingBytes + bytes.length > MAX_LINE_BYTES) {
      this.discarding = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private takePending(): string | LineFault {
    if (this.discarding) {
      this.discarding = false;
      this.atStart = false;
      return TOO_LONG;
    }
    const bytes = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return this.decodeLine(bytes);
  }

  /** `region` holds whole lines separated by LF, without the final LF. */
  private splitComplete(region: Buffer, lines: (string | LineFault)[]): void {
    if (isUtf8(region)) {
      for (const line of region.toString("utf8").split("\n")) lines.push(this.cleanLine(line));
      return;
    }
    let from = 0;
    for (;;) {
      const newline = region.indexOf(NEWLINE, from);
      const end = newline === -1 ? region.length : newline;
      lines.push(this.decodeLine(region.subarray(from, end)));
      if (newline === -1) return;
      from = newline + 1;
    }
  }

  private decodeLine(bytes: Buffer): string | LineFault {
    if (!isUtf8(bytes)) {
      this.atStart = false;
      return INVALID_UTF8;
    }
    return this.cleanLine(bytes.toString("utf8"));
  }

  private cleanLine(line: string): string {
    let text = line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
    if (this.atStart) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }
}

export function isLineFault(line: string | LineFault): line is LineFault {
  return typeof line !== "string";
}
