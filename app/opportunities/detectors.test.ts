import { describe, expect, it } from "vitest";
import {
  DEFAULT_DETECTOR_CONFIG,
  detectOpportunities,
  type CheckoutSnapshot,
  type ProductSnapshot,
  type ShopSnapshot,
} from "./detectors";

const now = new Date("2026-11-23T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

function product(overrides: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return {
    productId: "p1",
    title: "Blue Mug",
    productType: "Ceramics",
    vendor: "Studio",
    collections: [],
    active: true,
    publishedAt: daysAgo(200),
    createdAt: daysAgo(200),
    available: 10,
    price: 2500,
    compareAtPrice: null,
    unitsSold30d: 10,
    lastRestockedAt: null,
    lastSoldOutAt: null,
    lastPriceDropAt: null,
    priceBeforeDrop: null,
    interestedCustomers: 0,
    ...overrides,
  };
}

function checkout(overrides: Partial<CheckoutSnapshot> = {}): CheckoutSnapshot {
  return { token: "t1", email: "a@example.com", customerId: "c1", updatedAt: daysAgo(0.5), completedAt: null, ordered: false, totalPrice: 4000, itemCount: 2, ...overrides };
}

const snapshot = (overrides: Partial<ShopSnapshot>): ShopSnapshot => ({
  now,
  currency: "GBP",
  products: [],
  lifecycle: [],
  checkouts: [],
  browseAbandoners: [],
  ...overrides,
});

describe("opportunity detectors", () => {
  it("groups new arrivals by product type and ignores old, unpublished or sold-out products", () => {
    const found = detectOpportunities(
      snapshot({
        products: [
          product({ productId: "n1", title: "Green Bowl", publishedAt: daysAgo(2) }),
          product({ productId: "n2", title: "Red Plate", publishedAt: daysAgo(5) }),
          product({ productId: "n3", title: "Scarf", productType: "Textiles", publishedAt: daysAgo(1) }),
          product({ productId: "old", publishedAt: daysAgo(40) }),
          product({ productId: "draft", publishedAt: null }),
          product({ productId: "gone", publishedAt: daysAgo(1), available: 0 }),
        ],
      }),
      DEFAULT_DETECTOR_CONFIG,
      ["new_arrival"],
    );
    expect(found.map((candidate) => [candidate.key, candidate.productIds])).toEqual([
      ["new_arrival:ceramics", ["n1", "n2"]],
      ["new_arrival:textiles", ["n3"]],
    ]);
    expect(found[0].reason).toBe("2 new arrivals in Ceramics: Green Bowl, Red Plate");
  });

  it("spots restocks, overstock, low stock and price drops from the product's history", () => {
    const found = detectOpportunities(
      snapshot({
        products: [
          product({ productId: "back", lastSoldOutAt: daysAgo(10), lastRestockedAt: daysAgo(1), interestedCustomers: 4 }),
          product({ productId: "slow", available: 200, unitsSold30d: 6 }),
          product({ productId: "dead", available: 40, unitsSold30d: 0 }),
          product({ productId: "just-launched", available: 40, unitsSold30d: 0, publishedAt: daysAgo(3), createdAt: daysAgo(3) }),
          product({ productId: "scarce", available: 2, unitsSold30d: 9, interestedCustomers: 3 }),
          product({ productId: "cheaper", price: 2000, priceBeforeDrop: 2500, lastPriceDropAt: daysAgo(1), interestedCustomers: 2 }),
          product({ productId: "tiny-drop", price: 2450, priceBeforeDrop: 2500, lastPriceDropAt: daysAgo(1) }),
        ],
      }),
    );
    const keyed = Object.fromEntries(found.map((candidate) => [candidate.key, candidate]));
    expect(Object.keys(keyed).sort()).toEqual([
      "back_in_stock:back:2026-11-22",
      "low_stock:scarce",
      "new_arrival:ceramics", // just-launched: new, not overstock
      "overstock:dead",
      "overstock:slow",
      "price_drop:cheaper:2000",
    ]);
    expect(keyed["overstock:slow"].reason).toBe("200 in stock, 6 sold in 30 days: about 1000 days of stock");
    expect(keyed["price_drop:cheaper:2000"].evidence).toMatchObject({ percent: 20, was: 2500 });
  });

  it("batches recently lapsing customers into one weekly win-back, most valuable first", () => {
    const lifecycle = Array.from({ length: 6 }, (_, i) => ({
      customerId: `c${i}`,
      stage: i % 2 ? "lapsed" : "at_risk",
      stageChangedAt: daysAgo(i),
      expectedValue: i * 100,
    }));
    const [winback] = detectOpportunities(snapshot({ lifecycle: [...lifecycle, { customerId: "old", stage: "lapsed", stageChangedAt: daysAgo(30), expectedValue: 9999 }] }), DEFAULT_DETECTOR_CONFIG, ["winback"]);
    expect(winback.key).toBe("winback:2026-11-22");
    expect(winback.customerIds).toEqual(["c5", "c4", "c3", "c2", "c1", "c0"]);
    expect(winback.reason).toBe("3 customers now at risk; 3 customers now lapsed");
    expect(detectOpportunities(snapshot({ lifecycle: lifecycle.slice(0, 4) }), DEFAULT_DETECTOR_CONFIG, ["winback"])).toEqual([]);
  });

  it("recovers only checkouts with an email, past the delay, not completed and not ordered", () => {
    const found = detectOpportunities(
      snapshot({
        checkouts: [
          checkout({ token: "yes" }),
          checkout({ token: "too-fresh", updatedAt: new Date(now.getTime() - 30 * 60_000) }),
          checkout({ token: "no-email", email: null }),
          checkout({ token: "completed", completedAt: daysAgo(0.1) }),
          checkout({ token: "ordered", ordered: true }),
          checkout({ token: "stale", updatedAt: daysAgo(30) }),
          checkout({ token: "empty", itemCount: 0 }),
        ],
      }),
      DEFAULT_DETECTOR_CONFIG,
      ["cart_recovery"],
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ key: "cart_recovery:2026-11-23", checkoutTokens: ["yes"], reason: "1 abandoned checkout worth 40.00 GBP" });
  });

  it("turns browse abandoners into one daily follow-up with each shopper's product", () => {
    const [found] = detectOpportunities(
      snapshot({ browseAbandoners: [{ customerId: "c1", productId: "p9", views: 4, lastViewAt: daysAgo(0.2) }] }),
      DEFAULT_DETECTOR_CONFIG,
      ["browse_abandonment"],
    );
    expect(found).toMatchObject({ key: "browse_abandonment:2026-11-23", customerIds: ["c1"], productIds: ["p9"], evidence: { productByCustomer: { c1: "p9" } } });
  });

  it("ranks candidates by score", () => {
    const found = detectOpportunities(snapshot({ products: [product({ productId: "a", available: 100, unitsSold30d: 0 }), product({ productId: "b", available: 1000, unitsSold30d: 0 })] }));
    expect(found.map((candidate) => candidate.key)).toEqual(["overstock:b", "overstock:a"]);
  });
});
