import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CatalogItem, CatalogLookup, InsightEvent } from "../schemas";
import { MS_PER_DAY, parseInstant } from "../time";
import { affinityConfigSchema } from "./affinity-config";
import { explainAffinity, readAffinities, topAffinities } from "./affinity-read";
import { applyEvent, createAffinityState, restoreAffinityState } from "./affinity-state";

const config = affinityConfigSchema.parse({ halfLifeDays: 30 });
const at = (text: string) => parseInstant(text)!;

const items: CatalogItem[] = [
  { productId: "mug", productType: "Mugs", vendor: "Stoneware", collections: ["Ceramics"], tags: ["blue"], available: true, published: true },
  { productId: "bowl", productType: "Bowls", vendor: "Stoneware", collections: ["Ceramics"], tags: [], available: true, published: true },
  { productId: "candle", productType: "Candles", vendor: "Wick", collections: ["Decor"], tags: ["gift"], available: true, published: true },
];
const catalog: CatalogLookup = (id) => items.find((item) => item.productId === id);

/** A controllable clock: events are stamped with the clock's current time. */
function scenario(customerId = "c1") {
  let now = at("2024-03-01T12:00:00Z");
  const state = createAffinityState(customerId);
  return {
    state,
    now: () => now,
    pass: (days: number) => {
      now += days * MS_PER_DAY;
    },
    event: (type: InsightEvent["type"], productId: string, extra: Partial<InsightEvent> = {}) =>
      applyEvent(state, { type, customerId, productId, at: now, ...extra }, catalog, config),
  };
}

const score = (s: ReturnType<typeof scenario>, dimension: "product" | "productType" | "collection", key: string) =>
  readAffinities(s.state, dimension, s.now(), config).find((a) => a.key === key)?.score ?? 0;

describe("affinity scenarios", () => {
  it("an order outweighs views, and scores halve every half-life without being rewritten", () => {
    const s = scenario();
    s.event("order", "mug", { quantity: 1 });
    for (let i = 0; i < 3; i += 1) s.event("view", "candle");
    expect(score(s, "product", "mug")).toBeCloseTo(1, 10);
    expect(score(s, "product", "candle")).toBeCloseTo(0.3, 10);
    const stored = JSON.stringify(s.state);
    s.pass(30);
    expect(JSON.stringify(s.state)).toBe(stored); // reading later changes nothing stored
    expect(score(s, "product", "mug")).toBeCloseTo(0.5, 10);
    s.pass(30);
    expect(score(s, "productType", "Mugs")).toBeCloseTo(0.25, 10);
    expect(score(s, "collection", "Ceramics")).toBeCloseTo(0.25, 10);
  });

  it("a recent interest overtakes an old purchase", () => {
    const s = scenario();
    s.event("order", "mug");
    s.pass(120); // four half-lives: the mug is worth 1/16
    s.event("add_to_cart", "candle");
    const top = topAffinities(s.state, s.now(), config, 1);
    expect(top.product[0].key).toBe("candle");
    expect(top.productType[0].key).toBe("Candles");
  });

  it("quantity counts with diminishing returns and refunds subtract", () => {
    const s = scenario();
    s.event("order", "mug", { quantity: 10 });
    expect(score(s, "product", "mug")).toBeCloseTo(1 + Math.log(10), 10);
    s.event("refund", "mug", { quantity: 10 });
    expect(score(s, "product", "mug")).toBe(0);
    expect(readAffinities(s.state, "product", s.now(), config)).toHaveLength(0);
    s.event("order", "bowl", { quantity: 2 });
    s.event("order", "bowl", { quantity: -2 }); // a cancellation line
    expect(score(s, "product", "bowl")).toBe(0);
  });

  it("line value scales an order relative to the customer's usual spend, within bounds", () => {
    const s = scenario();
    for (let i = 0; i < 3; i += 1) s.event("order", "bowl", { price: 10, quantity: 1 });
    s.event("order", "mug", { price: 1000, quantity: 1 }); // 100× the usual line: capped at 2
    s.event("order", "candle", { price: 0, quantity: 1 }); // a free item: floored at 0.5
    expect(score(s, "product", "mug")).toBeCloseTo(2, 10);
    expect(score(s, "product", "candle")).toBeCloseTo(0.5, 10);
  });

  it("a deleted product only touches the product dimension", () => {
    const s = scenario();
    s.event("order", "discontinued");
    expect(score(s, "product", "discontinued")).toBeCloseTo(1, 10);
    expect(readAffinities(s.state, "productType", s.now(), config)).toHaveLength(0);
  });

  it("keeps evidence and explains a top affinity in one sentence", () => {
    const s = scenario();
    s.event("order", "mug", { quantity: 2 });
    s.event("order", "bowl", { quantity: 1 });
    s.pass(12);
    for (const id of ["mug", "bowl", "mug", "bowl", "mug"]) s.event("view", id);
    s.pass(3);
    const [ceramics] = readAffinities(s.state, "collection", s.now(), config);
    expect(ceramics.evidence).toMatchObject({ unitsBought: 3, orderLines: 2, views: 5 });
    expect(explainAffinity(ceramics, s.now())).toBe("bought 3 items from the Ceramics collection, last 15 days ago; viewed 5 products");
    const [mug] = readAffinities(s.state, "product", s.now(), config);
    expect(explainAffinity(mug, s.now(), "Blue mug")).toBe("bought Blue mug once, last 15 days ago; viewed it 3 times");
    const [candleType] = readAffinities(applyEvent(s.state, { type: "view", customerId: "c1", productId: "candle", at: s.now() }, catalog, config), "productType", s.now(), config).filter((a) => a.key === "Candles");
    expect(explainAffinity(candleType, s.now())).toBe("viewed 1 product from Candles, last today");
  });

  it("survives a JSON round trip and rejects a corrupted state", () => {
    const s = scenario();
    s.event("order", "mug");
    s.event("view", "candle", { sessionId: "x" });
    const restored = restoreAffinityState(JSON.parse(JSON.stringify(s.state)));
    expect(restored).toEqual(s.state);
    expect(() => restoreAffinityState({ ...s.state, version: 2 })).toThrow();
  });

  it("stays bounded: weakest entries are dropped past the cap", () => {
    const small = affinityConfigSchema.parse({ maxEntriesPerDimension: 10 });
    const state = createAffinityState("c1");
    for (let i = 0; i < 100; i += 1) {
      applyEvent(state, { type: "view", customerId: "c1", productId: `p${i}`, at: at("2024-01-01") + i * 60_000 }, catalog, small);
    }
    expect(Object.keys(state.dimensions.product).length).toBeLessThanOrEqual(13);
    expect(state.dimensions.product.p99).toBeDefined(); // the newest survive
  });

  it("gives the same scores whatever order the events arrive in (decay is per event time)", () => {
    const eventArbitrary = fc.record({
      type: fc.constantFrom("view", "add_to_cart", "checkout", "order", "refund"),
      productId: fc.constantFrom("mug", "bowl", "candle", "gone"),
      day: fc.integer({ min: 0, max: 3000 }),
      quantity: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 30 }), (raw) => {
        const events: InsightEvent[] = raw.map((e) => ({ ...e, customerId: "c", at: at("2020-01-01") + e.day * MS_PER_DAY }));
        const forward = createAffinityState("c");
        for (const e of events) applyEvent(forward, e, catalog, config);
        const backward = createAffinityState("c");
        for (const e of [...events].reverse()) applyEvent(backward, e, catalog, config);
        const now = at("2030-01-01");
        for (const dimension of ["product", "productType", "tag"] as const) {
          const a = readAffinities(forward, dimension, now, config);
          const b = readAffinities(backward, dimension, now, config);
          expect(b.map((x) => x.key).sort()).toEqual(a.map((x) => x.key).sort());
          for (const x of a) expect(b.find((y) => y.key === x.key)!.score).toBeCloseTo(x.score, 6);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("applies one event in well under a millisecond on a long history", () => {
    const s = scenario();
    for (let i = 0; i < 5000; i += 1) {
      s.pass(0.01);
      s.event(i % 3 === 0 ? "order" : "view", `p${i % 700}`);
    }
    const start = performance.now();
    for (let i = 0; i < 2000; i += 1) s.event("view", `p${i % 700}`);
    expect((performance.now() - start) / 2000).toBeLessThan(0.5);
  });
});
