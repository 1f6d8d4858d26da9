/**
 * Keeps one noisy channel from starving the others in the shared queue. Counts queued messages per channel;
 * once the queue is half full and more than one channel is queued, a live message is admitted only while
 * its channel holds less than capacity / channels. The noisy channel is then shed (counted, lowering its
 * confidence) while quiet channels always find room. Waitable sources are never refused, only counted.
 */
export class FairShare {
  private readonly queued = new Map<string, number>();
  /** Messages refused by the fair share (on top of the queue's own shedding). */
  shed = 0;

  constructor(readonly capacity: number) {}

  admit(channel: string, depth: number): boolean {
    if (depth * 2 < this.capacity) return true;
    const held = this.queued.get(channel) ?? 0;
    const channels = this.queued.size + (held === 0 ? 1 : 0);
    return channels < 2 || held < this.capacity / channels;
  }

  added(channel: string): void {
    this.queued.set(channel, (this.queued.get(channel) ?? 0) + 1);
  }

  removed(channel: string): void {
    const n = (this.queued.get(channel) ?? 0) - 1;
    if (n <= 0) this.queued.delete(channel);
    else this.queued.set(channel, n);
  }
}
