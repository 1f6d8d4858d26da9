/**
 * The bytes of JSON lines gathered for one write, encoded as they come: a line's text goes straight into a chunk
 * (UTF-8), and text kept as bytes (a line template's fixed parts, record-json.ts) is copied. 10,000 quiet channels
 * write 20,000 lines a second; building each line as a string, joining 64 KB of them and encoding the join made
 * three copies of every byte, and most of the garbage of a quiet snapshot.
 *
 * A chunk is handed out as a view (`take`) and never written again: later lines go after it in the same buffer,
 * or in a new one once it is full.
 */
export class LineChunks {
  private chunk: Buffer;
  /** Start of what is not yet taken, and end of what is written. */
  private from = 0;
  private used = 0;
  /** Parts of a take that spilled over from a full chunk (a line longer than the room left), in order. */
  private spilled: Buffer[] = [];
  private spilledBytes = 0;

  constructor(private readonly capacity = 1024 * 1024) {
    this.chunk = Buffer.allocUnsafeSlow(capacity);
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.spilledBytes + this.used - this.from;
  }

  text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 for 2).
    if (this.chunk.length - this.used < s.length * 3) this.room(s.length * 3);
    this.used += this.chunk.write(s, this.used, "utf8");
  }

  bytes(b: Uint8Array): void {
    if (this.chunk.length - this.used < b.length) this.room(b.length);
    this.chunk.set(b, this.used);
    this.used += b.length;
  }

  /**
   * A number as JSON.stringify writes it. A safe integer (times, counts) is written digit by digit: no string is made
   * for it, and 10,000 quiet channels write four of them per snapshot, 20,000 snapshots a second.
   */
  number(n: number): void {
    if (!Number.isSafeInteger(n) || Object.is(n, -0)) {
      if (!this.hundredths(n)) this.text(Number.isFinite(n) ? String(n) : "null");
      return;
    }
    // At most 16 digits and a sign.
    if (this.chunk.length - this.used < 17) this.room(17);
    this.digits(this.signed(n));
  }

  /**
   * A number of at most two decimals (a snapshot's rate, rounded to hundredths) as JSON.stringify writes it, digit by
   * digit; false, writing nothing, for any other number. Below 1e12 the doubles are far closer together than 0.01, so
   * the shortest text that reads back as n (what JSON.stringify writes) is n's two decimals without trailing zeros,
   * and never in exponent form (that starts below 1e-6).
   */
  private hundredths(n: number): boolean {
    if (!(Math.abs(n) < 1e12)) return false;
    const k = Math.round(n * 100);
    if (k / 100 !== n || k === 0) return false;
    if (this.chunk.length - this.used < 18) this.room(18);
    const chunk = this.chunk;
    const v = this.signed(k);
    const whole = Math.floor(v / 100);
    const cents = v - whole * 100;
    this.digits(whole);
    chunk[this.used++] = 0x2e;
    chunk[this.used++] = 0x30 + Math.floor(cents / 10);
    if (cents % 10 !== 0) chunk[this.used++] = 0x30 + (cents % 10);
    return true;
  }

  /** Writes a minus sign for a negative v, and gives its magnitude; the caller has made room. */
  private signed(v: number): number {
    if (v >= 0) return v;
    this.chunk[this.used++] = 0x2d;
    return -v;
  }

  /** A non-negative safe integer's digits; the caller has made room for 16. */
  private digits(value: number): void {
    const chunk = this.chunk;
    let v = value;
    let count = 1;
    for (let rest = v; rest >= 10; rest = Math.floor(rest / 10)) count++;
    for (let i = this.used + count - 1; i >= this.used; i--) {
      chunk[i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.used += count;
  }

  /** An ASCII byte (a newline). */
  byte(c: number): void {
    if (this.used === this.chunk.length) this.room(1);
    this.chunk[this.used++] = c;
  }

  /** What was written since the last take, as views into chunks that are never written again; empty if nothing was. */
  take(): Buffer[] {
    const out = this.spilled;
    if (this.used > this.from) out.push(this.chunk.subarray(this.from, this.used));
    this.from = this.used;
    this.spilled = [];
    this.spilledBytes = 0;
    return out;
  }

  /** Moves on to a new chunk with at least `n` bytes free; what the full one holds waits for the next take. */
  private room(n: number): void {
    if (this.used > this.from) {
      this.spilled.push(this.chunk.subarray(this.from, this.used));
      this.spilledBytes += this.used - this.from;
    }
    this.chunk = Buffer.allocUnsafeSlow(Math.max(this.capacity, n));
    this.from = this.used = 0;
  }
}
