import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_REPLENISHMENT, productRhythms, reordersDue, type Purchase } from "./replenishment";

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 1);
const at = (day: number) => new Date(t0 + day * DAY);
let order = 0;
const buy = (customerId: string, productId: string, day: number): Purchase => ({ customerId, productId, orderId: `o${++order}`, at: at(day) });

describe("product rhythms", () => {
  it("needs enough gaps and enough buyers coming back", () => {
    const purchases = [
      ...["a", "b", "c"].flatMap((c) => [buy(c, "coffee", 0), buy(c, "coffee", 30)]),
      buy("d", "coffee", 5),
      buy("a", "vase", 0),
      buy("b", "vase", 2),
    ];
    const rhythms = productRhythms(purchases);
    expect(rhythms.get("coffee")).toMatchObject({ buyers: 4, repeatBuyers: 3, intervals: 3, medianIntervalDays: 30, replenishable: true });
    expect(rhythms.get("vase")).toMatchObject({ buyers: 2, repeatBuyers: 0, intervals: 0, medianIntervalDays: null, replenishable: false });
  });

  it("counts several lines or orders on one day as one purchase, and ignores gaps outside the bounds", () => {
    const purchases = [buy("a", "tea", 0), buy("a", "tea", 0.2), buy("a", "tea", 3), buy("a", "tea", 400)];
    // 0 and 0.2 are one shopping day; 3 days is a forgotten item (< 7); 397 days is not a habit (> 180).
    expect(productRhythms(purchases).get("tea")).toMatchObject({ intervals: 0, repeatBuyers: 1 });
  });
});

describe("reorders due", () => {
  const coffeeShop = [
    ...["a", "b", "c", "d"].flatMap((c) => [buy(c, "coffee", 0), buy(c, "coffee", 30), buy(c, "coffee", 60)]),
    // e buys every 20 days: their own rhythm, shrunk a little toward the product's 30.
    buy("e", "coffee", 0),
    buy("e", "coffee", 20),
    buy("e", "coffee", 40),
    buy("e", "coffee", 60),
    // f bought once: the product's usual gap applies.
    buy("f", "coffee", 60),
  ];

  it("is due from the lead days before the expected reorder, at each customer's own interval", () => {
    const due = reordersDue(coffeeShop, at(86));
    const byCustomer = new Map(due.map((d) => [d.customerId, d]));
    // e: (20 + 20 + 20 + 30) / 4 = 22.5 days after day 60 = day 82.5; due from 79.5 until 96.5.
    expect(byCustomer.get("e")).toMatchObject({ basis: "blended", intervalDays: 22.5, ownIntervals: 3, productId: "coffee" });
    // a–d: (30 + 30 + 30) / 3 = 30 days → day 90, due from day 87: not yet.
    expect(byCustomer.has("a")).toBe(false);
    expect(reordersDue(coffeeShop, at(87)).map((d) => d.customerId).sort()).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(byCustomer.has("f")).toBe(false);
  });

  it("uses the product's usual gap for a one-time buyer, and stops after the grace days", () => {
    const f = reordersDue(coffeeShop, at(88)).find((d) => d.customerId === "f");
    expect(f).toMatchObject({ basis: "product", intervalDays: 30, expectedAt: at(90) });
    expect(reordersDue(coffeeShop, at(90 + DEFAULT_REPLENISHMENT.graceDays + 1)).find((d) => d.customerId === "f")).toBeUndefined();
  });

  it("reminds a customer with a habit of their own even when others never rebuy the product", () => {
    const purchases = [buy("x", "filters", 0), buy("x", "filters", 40), buy("x", "filters", 80), ...["p", "q", "r"].map((c) => buy(c, "filters", 10))];
    expect(reordersDue(purchases, at(118))).toEqual([expect.objectContaining({ customerId: "x", basis: "own", intervalDays: 40 })]);
    // One gap of their own is not a habit.
    expect(reordersDue(purchases.slice(1), at(118))).toEqual([]);
  });

  it("is never due before the lead window or after the grace window, whatever the history", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ customer: fc.constantFrom("a", "b", "c"), product: fc.constantFrom("p1", "p2"), day: fc.integer({ min: 0, max: 300 }) }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 400 }),
        (rows, today) => {
          const purchases = rows.map((row) => buy(row.customer, row.product, row.day));
          for (const due of reordersDue(purchases, at(today))) {
            const now = at(today).getTime();
            expect(now).toBeGreaterThanOrEqual(due.expectedAt.getTime() - DEFAULT_REPLENISHMENT.leadDays * DAY);
            expect(now).toBeLessThanOrEqual(due.expectedAt.getTime() + DEFAULT_REPLENISHMENT.graceDays * DAY);
            expect(due.intervalDays).toBeGreaterThanOrEqual(DEFAULT_REPLENISHMENT.minIntervalDays);
            expect(due.intervalDays).toBeLessThanOrEqual(DEFAULT_REPLENISHMENT.maxIntervalDays);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
