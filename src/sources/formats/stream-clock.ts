/**
 * Stream time for sources that only know wall-clock time (live captures): milliseconds since the
 * first timestamp seen in this input. One per input, so two files never share an origin.
 */
export class RelativeClock {
  private origin: number | undefined;

  since(timestamp: number): number {
    if (this.origin === undefined) this.origin = timestamp;
    return Math.round(timestamp - this.origin);
  }
}
