import { describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { loadShopSnapshot } from "./snapshot.server";

describe("the detection snapshot", () => {
  it("reads a flash sale's thousands of open checkouts (more than one query's parameters) and which were ordered", async () => {
    // Found by bench:flash-sale: one query with four IN lists over every checkout exceeded the driver's
    // parameter limit, and detection failed for the shop until the checkouts aged out.
    const db = await readyDb();
    const shop = "many-checkouts.myshopify.com";
    const now = new Date();
    const count = 1_200;
    await db.checkout.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        shop, token: `t${i}`, cartToken: `c${i}`, email: `buyer${i}@example.com`, customerId: String(i + 1), currency: "GBP", totalPrice: 2400,
        lineItems: JSON.stringify([{ productId: "1", quantity: 1 }]), shopifyUpdatedAt: new Date(now.getTime() - 3_600_000),
      })),
    });
    // Every third checkout became an order.
    await db.order.createMany({
      data: Array.from({ length: count / 3 }, (_, i) => ({ shop, id: String(i), checkoutToken: `t${i * 3}`, currency: "GBP", processedAt: now })),
    });
    const snapshot = await loadShopSnapshot(db, shop, now, "GBP");
    expect(snapshot.checkouts).toHaveLength(count);
    expect(snapshot.checkouts.filter((checkout) => checkout.ordered)).toHaveLength(count / 3);
    expect(snapshot.checkouts.find((checkout) => checkout.token === "t3")?.ordered).toBe(true);
    expect(snapshot.checkouts.find((checkout) => checkout.token === "t4")?.ordered).toBe(false);
  });
});
