/** An item that knows its place in an IndexedHeap (-1 when it is in none). */
export interface HeapSlot {
  heapIndex: number;
}

/**
 * A binary heap whose items know their index, so an item whose key moved is re-placed in O(log n) and the k best
 * are read in O(k log k) without disturbing the heap. The sliding window's counts change by one message at a time,
 * and a snapshot needs only the top 20: nothing re-ranks every distinct line on each tick.
 */
export class IndexedHeap<T extends HeapSlot> {
  private readonly items: T[] = [];
  /** Scratch for `top`: candidate indices, kept as a heap of their own. */
  private readonly candidates: number[] = [];

  /** @param before true when a ranks strictly before b (a total order: ties must be broken). */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.up(item.heapIndex);
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0 || this.items[i] !== item) return;
    const last = this.items.pop() as T;
    item.heapIndex = -1;
    if (last === item) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.update(last);
  }

  /** Re-places an item whose key changed (in either direction). */
  update(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    if (i > 0 && this.before(item, this.items[(i - 1) >> 1] as T)) this.up(i);
    else this.down(i);
  }

  /** Every item, in heap order (a copy). */
  all(): T[] {
    return [...this.items];
  }

  /** The k best items, best first (the heap is left as it was). */
  top(k: number): T[] {
    const out: T[] = [];
    const items = this.items;
    if (k <= 0 || items.length === 0) return out;
    const c = this.candidates;
    c.length = 0;
    c.push(0);
    while (out.length < k && c.length > 0) {
      const best = this.popCandidate();
      out.push(items[best] as T);
      const left = 2 * best + 1;
      if (left < items.length) this.pushCandidate(left);
      if (left + 1 < items.length) this.pushCandidate(left + 1);
    }
    return out;
  }

  private up(i: number): void {
    const items = this.items;
    const item = items[i] as T;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p] as T;
      if (!this.before(item, parent)) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    items[i] = item;
    item.heapIndex = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.before(items[r] as T, items[l] as T) ? r : l;
      const c = items[child] as T;
      if (!this.before(c, item)) break;
      items[i] = c;
      c.heapIndex = i;
      i = child;
    }
    items[i] = item;
    item.heapIndex = i;
  }

  private pushCandidate(index: number): void {
    const c = this.candidates;
    const items = this.items;
    let i = c.length;
    c.push(index);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(items[index] as T, items[c[p] as number] as T)) break;
      c[i] = c[p] as number;
      i = p;
    }
    c[i] = index;
  }

  private popCandidate(): number {
    const c = this.candidates;
    const items = this.items;
    const best = c[0] as number;
    const last = c.pop() as number;
    const n = c.length;
    if (n === 0) return best;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.before(items[c[r] as number] as T, items[c[l] as number] as T) ? r : l;
      if (!this.before(items[c[child] as number] as T, items[last] as T)) break;
      c[i] = c[child] as number;
      i = child;
    }
    c[i] = last;
    return best;
  }
}
