import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NeighbourList } from "./neighbour-list";

describe("NeighbourList", () => {
  it("behaves like a Map of sums, and pruning keeps exactly the heaviest", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0.01, max: 10, noNaN: true })), { maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        (adds, keep) => {
          const list = new NeighbourList();
          const model = new Map<number, number>();
          for (const [key, weight] of adds) {
            list.add(key, weight);
            model.set(key, (model.get(key) ?? 0) + weight);
          }
          expect(list.size).toBe(model.size);
          for (const [key, weight] of model) expect(list.get(key)).toBeCloseTo(weight, 9);
          list.prune(keep);
          const expected = [...model.values()].sort((a, b) => b - a).slice(0, keep);
          const kept: number[] = [];
          list.forEach((_, weight) => kept.push(weight));
          expect(kept.sort((a, b) => b - a)).toEqual(expected);
          list.forEach((key, weight) => expect(list.get(key)).toBe(weight)); // table rebuilt consistently
          const copy = NeighbourList.fromJSON(list.toJSON());
          list.forEach((key, weight) => expect(copy.get(key)).toBe(weight));
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});
