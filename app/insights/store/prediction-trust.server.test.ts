import { beforeAll, describe, expect, it } from "vitest";
import { readyDb, type Db } from "~/db.server";
import { markInstalled } from "~/shops/shops.server";
import { customerPrediction, shopPredictionTrust } from "./prediction-trust.server";
import { recomputeShopInsights } from "./recompute.server";

let db: Db;
const DAY = 86_400_000;
const now = new Date("2026-11-23T12:00:00Z");

beforeAll(async () => {
  db = await readyDb();
});

describe("prediction trust for the admin", () => {
  it("a shop with a few orders gets rules of thumb, said plainly; a customer without orders gets no ranges", async () => {
    const shop = "trust-small.myshopify.com";
    await markInstalled(db, shop, { name: "Small", currencyCode: "USD", ianaTimezone: "UTC" }, null);
    for (let i = 0; i < 4; i++) {
      await db.customer.create({ data: { shop, id: `c${i}`, email: `c${i}@example.com` } });
      await db.order.create({ data: { shop, id: `o${i}`, customerId: `c${i}`, currency: "USD", totalPrice: 3000, processedAt: new Date(now.getTime() - (10 + i) * DAY) } });
    }
    await db.customer.create({ data: { shop, id: "none", email: "none@example.com" } });
    await recomputeShopInsights(db, shop, now);
    const trust = await shopPredictionTrust(db, shop, now);
    expect(trust.level).toBe("rule_of_thumb");
    const withOrders = await customerPrediction(db, shop, "c1", now);
    expect(withOrders.intervals).toEqual({ level: 0.8, pAlive: null, expectedPurchases: null, expectedOrderValue: null });
    expect((await customerPrediction(db, shop, "none", now)).intervals).toBeNull();
    // Another shop's customer id: nothing of this shop's leaks, no ranges.
    expect((await customerPrediction(db, "other.myshopify.com", "c1", now)).intervals).toBeNull();
  });
});
