/**
 * What a full queue does with a message from a source that cannot wait (live chat):
 * - drop-newest: the arriving message is shed (keeps the backlog's order and age stable);
 * - drop-oldest: the oldest queued message is shed (keeps the freshest chat, at the cost of a gap).
 */
export type ShedPolicy = "drop-newest" | "drop-oldest";
export const SHED_POLICIES: readonly ShedPolicy[] = ["drop-newest", "drop-oldest"];

export interface QueueStats {
  capacity: number;
  depth: number;
  highWater: number;
  accepted: number;
  shed: number;
}

/**
 * A fixed-capacity FIFO ring between sources and processing. Waitable sources (files, pipes) call
 * `push` and await `waitForSpace()` when it returns false, so nothing is shed; live sources call `offer`,
 * which never blocks and sheds by policy, counting every shed message. Memory is bounded by capacity.
 */
export class BoundedQueue<T> {
  private readonly ring: (T | undefined)[];
  private head = 0;
  private size = 0;
  private highWater = 0;
  private accepted = 0;
  private shedCount = 0;
  private closedFlag = false;
  private itemWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];

  constructor(
    readonly capacity = 1000,
    readonly policy: ShedPolicy = "drop-newest",
    private readonly onShed?: (item: T) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<T | undefined>(capacity);
  }

  get depth(): number {
    return this.size;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  stats(): QueueStats {
    return { capacity: this.capacity, depth: this.size, highWater: this.highWater, accepted: this.accepted, shed: this.shedCount };
  }

  /** Adds the item if there is room; returns false when full (the caller should await waitForSpace()). */
  push(item: T): boolean {
    if (this.closedFlag) throw new Error("push to a closed queue");
    if (this.size === this.capacity) return false;
    this.enqueue(item);
    return true;
  }

  /** Adds the item, shedding by policy when full. Returns false when the arriving item itself was shed. */
  offer(item: T): boolean {
    if (this.closedFlag) throw new Error("offer to a closed queue");
    if (this.size === this.capacity) {
      this.shedCount++;
      if (this.policy === "drop-newest") {
        this.onShed?.(item);
        return false;
      }
      const oldest = this.ring[this.head] as T;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.size--;
      this.onShed?.(oldest);
    }
    this.enqueue(item);
    return true;
  }

  /** Removes up to `max` items in order, handing each to `consume`; returns how many were taken. */
  drain(consume: (item: T) => void, max = Infinity): number {
    let taken = 0;
    while (this.size > 0 && taken < max) {
      const item = this.ring[this.head] as T;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.size--;
      taken++;
      consume(item);
    }
    if (taken > 0) wake(this.spaceWaiters, (w) => (this.spaceWaiters = w));
    return taken;
  }

  /** Resolves when there is at least one item or the queue is closed. */
  waitForItems(): Promise<void> {
    if (this.size > 0 || this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => this.itemWaiters.push(resolve));
  }

  /** Resolves when there is room for at least one item (or the queue is closed). */
  waitForSpace(): Promise<void> {
    if (this.size < this.capacity || this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Marks the end of input: consumers drain what is left, then see `closed && depth === 0`. */
  close(): void {
    this.closedFlag = true;
    wake(this.itemWaiters, (w) => (this.itemWaiters = w));
    wake(this.spaceWaiters, (w) => (this.spaceWaiters = w));
  }

  private enqueue(item: T): void {
    this.ring[(this.head + this.size) % this.capacity] = item;
    this.size++;
    this.accepted++;
    if (this.size > this.highWater) this.highWater = this.size;
    if (this.itemWaiters.length > 0) wake(this.itemWaiters, (w) => (this.itemWaiters = w));
  }
}

function wake(waiters: (() => void)[], reset: (fresh: (() => void)[]) => void): void {
  if (waiters.length === 0) return;
  reset([]);
  for (const w of waiters) w();
}
