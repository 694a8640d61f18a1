import { describe, expect, it } from "vitest";
import { createShopInsights, ingestEvent, recommendFor, type ShopInsights } from "../engine";
import type { CatalogItem, CatalogLookup, InsightEvent } from "../schemas";
import { MS_PER_DAY, parseInstant } from "../time";
import { restoreIndex, serialiseIndex } from "./recommender-index";

const start = parseInstant("2024-01-01T09:00:00Z")!;

function item(productId: string, productType: string, extra: Partial<CatalogItem> = {}): CatalogItem {
  return { productId, productType, vendor: "", collections: [], tags: [], available: true, published: true, ...extra };
}

const items = new Map(
  [
    item("mug", "Mugs"),
    item("mug-2", "Mugs"),
    item("mug-3", "Mugs"),
    item("mug-4", "Mugs"),
    item("saucer", "Saucers"),
    item("teapot", "Teapots"),
    item("tea", "Tea"),
    item("candle", "Candles"),
    item("candle-sold-out", "Candles", { available: false }),
    item("candle-draft", "Candles", { published: false }),
  ].map((i) => [i.productId, i]),
);
const catalog: CatalogLookup = (id) => items.get(id);

function order(customerId: string, orderId: string, day: number, productIds: string[]): InsightEvent[] {
  return productIds.map((productId) => ({ type: "order", customerId, productId, orderId, at: start + day * MS_PER_DAY, quantity: 1 }));
}

function shopWith(events: InsightEvent[]): ShopInsights {
  const shop = createShopInsights();
  for (const event of events) ingestEvent(shop, event, catalog);
  return shop;
}

const now = start + 60 * MS_PER_DAY;
const ids = (shop: ShopInsights, query: Parameters<typeof recommendFor>[1], k = 5) =>
  recommendFor(shop, query, { k, now, catalog }).map((r) => r.productId);

describe("recommendations", () => {
  const history = [
    ...order("a", "o1", 0, ["mug", "saucer"]),
    ...order("b", "o2", 1, ["mug", "saucer", "teapot"]),
    ...order("c", "o3", 2, ["mug", "saucer"]),
    ...order("d", "o4", 3, ["teapot", "tea"]),
    ...order("e", "o5", 4, ["candle", "candle-sold-out", "candle-draft"]),
    // tea is bought again and again: a repeat-purchase product
    ...["f", "g", "h", "i", "j"].flatMap((c, n) => [...order(c, `t${n}a`, 5 + n, ["tea"]), ...order(c, `t${n}b`, 30 + n, ["tea"])]),
  ];

  it("recommends what is bought together with the context, and says why", () => {
    const shop = shopWith(history);
    const [first] = recommendFor(shop, { recentProductIds: ["mug"], exclude: [] }, { k: 3, now, catalog });
    expect(first.productId).toBe("saucer");
    expect(first.reasons[0]).toMatchObject({ signal: "bought_together", becauseOf: ["mug"] });
  });

  it("falls back to popularity for a visitor without context", () => {
    const shop = shopWith(history);
    const recommended = recommendFor(shop, { recentProductIds: [], exclude: [] }, { k: 3, now, catalog });
    expect(recommended[0].productId).toBe("tea");
    expect(recommended.every((r) => r.reasons.every((reason) => reason.signal === "popular"))).toBe(true);
  });

  it("never recommends unavailable, unpublished, deleted, excluded or context products", () => {
    const shop = shopWith([...history, ...order("k", "o9", 40, ["ghost", "candle"])]);
    const recommended = ids(shop, { recentProductIds: ["candle"], exclude: ["saucer"] }, 20);
    for (const hidden of ["candle-sold-out", "candle-draft", "ghost", "saucer", "candle"]) expect(recommended).not.toContain(hidden);
  });

  it("excludes what the customer bought, except repeat-purchase products", () => {
    const shop = shopWith([...history, ...order("z", "z1", 50, ["mug", "tea"])]);
    const recommended = recommendFor(shop, { customerId: "z", recentProductIds: [], exclude: [] }, { k: 10, now, catalog });
    expect(recommended.map((r) => r.productId)).not.toContain("mug");
    const tea = recommended.find((r) => r.productId === "tea");
    expect(tea?.reasons.map((r) => r.signal)).toContain("buy_again");
  });

  it("uses the customer's own history and category affinity without any context", () => {
    const shop = shopWith([...history, ...order("y", "y1", 55, ["mug"]), ...order("u", "u1", 58, ["mug-2"]), ...order("w", "w1", 58, ["candle"])]);
    const [first] = recommendFor(shop, { customerId: "y", recentProductIds: [], exclude: [] }, { k: 3, now, catalog });
    expect(first.productId).toBe("saucer");
    // mug-2 and candle are equally popular and never bought with a mug: the customer's taste for Mugs decides
    const [byTaste] = recommendFor(shop, { customerId: "y", recentProductIds: [], exclude: ["saucer", "teapot", "tea"] }, { k: 3, now, catalog });
    expect(byTaste.productId).toBe("mug-2");
    expect(byTaste.reasons).toContainEqual(expect.objectContaining({ signal: "affinity", dimension: "productType", value: "Mugs" }));
  });

  it("learns from browse sessions: viewed together", () => {
    const views: InsightEvent[] = ["s1", "s2", "s3"].flatMap((sessionId, n) =>
      ["candle", "teapot"].map((productId, i) => ({ type: "view" as const, customerId: `v${n}`, sessionId, productId, at: start + n * MS_PER_DAY + i * 60_000 })),
    );
    const shop = shopWith(views);
    const [first] = recommendFor(shop, { recentProductIds: ["candle"], exclude: [] }, { k: 1, now, catalog });
    expect(first).toMatchObject({ productId: "teapot" });
    expect(first.reasons[0].signal).toBe("viewed_together");
  });

  it("keeps a block diverse: at most N products of one type", () => {
    const mugHeavy = [1, 2, 3, 4, 5].flatMap((n) => order(`m${n}`, `m${n}`, n, ["saucer", "mug", "mug-2", "mug-3", "mug-4"]));
    const shop = shopWith(mugHeavy);
    const recommended = recommendFor(shop, { recentProductIds: ["saucer"], exclude: [] }, { k: 5, now, catalog, scoring: { ...shop.config.scoring, maxPerProductType: 2 } });
    expect(recommended.filter((r) => items.get(r.productId)?.productType === "Mugs")).toHaveLength(2);
  });

  it("restores a serialised index that recommends the same", () => {
    const shop = shopWith(history);
    const restored = restoreIndex(JSON.parse(JSON.stringify(serialiseIndex(shop.index))));
    const copy: ShopInsights = { ...shop, index: restored };
    for (const context of [["mug"], ["tea"], []]) {
      expect(recommendFor(copy, { recentProductIds: context, exclude: [] }, { k: 5, now, catalog })).toEqual(
        recommendFor(shop, { recentProductIds: context, exclude: [] }, { k: 5, now, catalog }),
      );
    }
    expect(() => restoreIndex({ ...serialiseIndex(shop.index), productIds: ["x"] })).toThrow();
  });

  it("updates incrementally in well under a millisecond per event", () => {
    const shop = createShopInsights();
    const lookup: CatalogLookup = (id) => item(id, `type-${id.length % 7}`);
    let clock = start;
    const timings: number[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      clock += 60_000;
      const event: InsightEvent = { type: i % 4 === 0 ? "view" : "order", customerId: `c${i % 500}`, productId: `p${(i * 7919) % 2000}`, orderId: `o${Math.floor(i / 3)}`, at: clock };
      const t = performance.now();
      ingestEvent(shop, event, lookup);
      timings.push(performance.now() - t);
    }
    const late = timings.slice(10_000);
    expect(late.reduce((s, t) => s + t, 0) / late.length).toBeLessThan(0.2);
  });
});
