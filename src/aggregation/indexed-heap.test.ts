import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IndexedHeap } from "./indexed-heap.js";

interface Item {
  id: number;
  key: number;
  heapIndex: number;
}

const before = (a: Item, b: Item): boolean => a.key > b.key || (a.key === b.key && a.id < b.id);
const ranked = (items: Iterable<Item>): number[] => [...items].sort((a, b) => (before(a, b) ? -1 : 1)).map((i) => i.id);

describe("IndexedHeap", () => {
  it("reads the k best in order after any sequence of pushes, key changes and removals", () => {
    const op = fc.oneof(fc.record({ kind: fc.constant("push" as const), key: fc.integer({ min: -5, max: 5 }) }), fc.record({ kind: fc.constantFrom("up" as const, "down" as const, "remove" as const), at: fc.nat() }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.integer({ min: 0, max: 12 }), (ops, k) => {
        const heap = new IndexedHeap<Item>(before);
        const live = new Map<number, Item>();
        let next = 0;
        for (const o of ops) {
          if (o.kind === "push") {
            const item = { id: next++, key: o.key, heapIndex: -1 };
            live.set(item.id, item);
            heap.push(item);
            continue;
          }
          const ids = [...live.keys()];
          if (ids.length === 0) continue;
          const item = live.get(ids[o.at % ids.length] as number) as Item;
          if (o.kind === "remove") {
            heap.remove(item);
            live.delete(item.id);
            expect(item.heapIndex).toBe(-1);
          } else {
            item.key += o.kind === "up" ? 1 : -1;
            heap.update(item);
          }
        }
        expect(heap.size).toBe(live.size);
        expect(heap.top(k).map((i) => i.id)).toEqual(ranked(live.values()).slice(0, k));
        expect(ranked(heap.all())).toEqual(ranked(live.values()));
      }),
    );
  });

  it("ignores removing an item it does not hold", () => {
    const heap = new IndexedHeap<Item>(before);
    const a = { id: 1, key: 1, heapIndex: -1 };
    heap.push(a);
    heap.remove({ id: 2, key: 0, heapIndex: 0 });
    expect(heap.top(5)).toEqual([a]);
    heap.remove(a);
    heap.remove(a);
    expect(heap.size).toBe(0);
    expect(heap.top(3)).toEqual([]);
  });
});
