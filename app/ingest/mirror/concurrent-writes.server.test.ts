import { describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { ingest } from "../../../tests/support/ingest";
import { orderPayload, productPayload } from "../../../tests/support/shopify-payloads";

// Two of a shop's deliveries applied side by side (JOB_CONCURRENCY_PER_SHOP above 1, or a flash
// sale's inventory updates for one item): the mirror ends where the newest payloads say, whichever
// write finishes first. Each round starts both at once; on PostgreSQL they run on two connections.

const ROUNDS = 15;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute)).toISOString();

describe("the mirror under concurrent deliveries", () => {
  it("keeps the lines of an order's newest payload when an older one is applied at the same moment", async () => {
    const db = await readyDb();
    const shop = "concurrent-orders.myshopify.com";
    for (let round = 0; round < ROUNDS; round++) {
      const id = 9_000 + round;
      await ingest(shop, "orders/create", orderPayload(id, 1, [1, 2], at(0)));
      const paid = { ...orderPayload(id, 1, [1, 2, 3], at(0)), updated_at: at(1) };
      const edited = { ...orderPayload(id, 1, [4], at(0)), updated_at: at(5) };
      await Promise.all([ingest(shop, "orders/paid", paid), ingest(shop, "orders/updated", edited)]);
      const lines = await db.orderLine.findMany({ where: { shop, orderId: String(id) }, select: { productId: true } });
      expect(lines.map((line) => line.productId), `order ${id}`).toEqual(["4"]);
    }
  });

  it("totals an order's refunds when two arrive together", async () => {
    const db = await readyDb();
    const shop = "concurrent-refunds.myshopify.com";
    const refund = (id: number, orderId: number, amount: string) => ({
      id,
      admin_graphql_api_id: `gid://shopify/Refund/${id}`,
      order_id: orderId,
      created_at: at(10),
      refund_line_items: [],
      transactions: [{ kind: "refund", status: "success", amount }],
    });
    for (let round = 0; round < ROUNDS; round++) {
      const id = 8_000 + round;
      await ingest(shop, "orders/create", orderPayload(id, 1, [1, 2], at(0)));
      await Promise.all([ingest(shop, "refunds/create", refund(id * 10, id, "5.00")), ingest(shop, "refunds/create", refund(id * 10 + 1, id, "7.00"))]);
      const order = await db.order.findUniqueOrThrow({ where: { shop_id: { shop, id: String(id) } } });
      expect(order.totalRefunded, `order ${id}`).toBe(1_200);
    }
  });

  it("gives a variant the sum of its levels when two locations' updates arrive together", async () => {
    const db = await readyDb();
    const shop = "concurrent-stock.myshopify.com";
    const base = productPayload(1, "Speckled Mug", { productType: "Ceramics", publishedAt: at(0) });
    const product = { ...base, variants: [{ ...base.variants[0], inventory_item_id: 777001 }] };
    await ingest(shop, "products/create", product);
    const level = (locationId: number, available: number, minute: number) => ({
      inventory_item_id: 777001,
      location_id: locationId,
      available,
      updated_at: at(minute),
      admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=777001`,
    });
    for (let round = 1; round <= ROUNDS; round++) {
      await Promise.all([ingest(shop, "inventory_levels/update", level(1, round, round)), ingest(shop, "inventory_levels/update", level(2, 100 + round, round))]);
      const variant = await db.variant.findUniqueOrThrow({ where: { shop_id: { shop, id: "10" } } });
      expect(variant.availableQuantity, `round ${round}`).toBe(round + 100 + round);
    }
  });
});
