import { describe, expect, it, vi } from "vitest";
import { rawDriver, readyDb } from "~/db.server";
import { recordDelivery } from "~/ingest/inbox.server";
import { DbJobQueue, DbJobRunner } from "~/jobs/db-queue.server";
import { jobDefinitions } from "~/jobs/registry.server";
import { ingest } from "../../../tests/support/ingest";
import { orderPayload, productPayload } from "../../../tests/support/shopify-payloads";
import { recomputeShopInsights } from "./recompute.server";

const DAY = 86_400_000;
const now = new Date("2026-11-23T12:00:00Z");

const product = (id: number, productType: string) => productPayload(id, `${productType} ${id}`, { productType, publishedAt: "2025-01-01T00:00:00Z", price: "20.00" });
const order = (id: number, customerId: number, productIds: number[], daysAgo: number) =>
  orderPayload(id, customerId, productIds, new Date(now.getTime() - daysAgo * DAY), {}, "20.00");

async function seed(shop: string) {
  for (let p = 1; p <= 4; p++) await ingest(shop, "products/create", product(p, p <= 2 ? "Ceramics" : "Textiles"));
  // Customer 1 loves ceramics and comes back often; customer 2 bought textiles once, long ago.
  let orderId = 1;
  for (const daysAgo of [200, 150, 100, 50, 10]) await ingest(shop, "orders/create", order(orderId++, 1, [1, 2], daysAgo));
  await ingest(shop, "orders/create", order(orderId++, 2, [3], 300));
  for (let c = 3; c <= 12; c++) await ingest(shop, "orders/create", order(orderId++, c, [c % 2 ? 1 : 3, 4], 30 + c));
}

describe("persisted customer insights", () => {
  it("recomputes a shop: stages, value and explainable affinities per customer", async () => {
    const db = await readyDb();
    const shop = "insights.myshopify.com";
    await seed(shop);
    const result = await recomputeShopInsights(db, shop, now);
    expect(result.customers).toBe(12);
    expect(result.note).toMatch(/too few/);

    const loyal = await db.customerInsight.findUniqueOrThrow({ where: { shop_customerId: { shop, customerId: "1" } } });
    expect(loyal).toMatchObject({ transactions: 5, totalSpent: 20000 });
    expect(["active", "loyal", "vip"]).toContain(loyal.stage);
    const affinities = JSON.parse(loyal.topAffinities) as Array<{ dimension: string; key: string; explanation: string }>;
    const type = affinities.find((affinity) => affinity.dimension === "productType");
    expect(type).toMatchObject({ key: "Ceramics" });
    expect(type?.explanation).toMatch(/bought 10 items/);

    const lapsed = await db.customerInsight.findUniqueOrThrow({ where: { shop_customerId: { shop, customerId: "2" } } });
    expect(["lapsed", "lost", "at_risk"]).toContain(lapsed.stage);
    expect(lapsed.clv!).toBeLessThan(loyal.clv!);

    const lovers = await db.customerAffinity.findMany({
      where: { shop, dimension: "productType", key: "Ceramics" },
      orderBy: { score: "desc" },
    });
    expect(lovers[0].customerId).toBe("1");
    const model = await db.shopInsightModel.findUniqueOrThrow({ where: { shop } });
    expect(JSON.parse(model.recommenderIndex).productIds.length).toBe(4);
  });

  it("refreshes only the affected customer when a new order arrives", async () => {
    const db = await readyDb();
    const shop = "incremental.myshopify.com";
    await seed(shop);
    await recomputeShopInsights(db, shop, now);
    await db.job.deleteMany({ where: { shop } }); // the refreshes the seeding itself scheduled
    const before = await db.customerInsight.findMany({ where: { shop }, select: { customerId: true, computedAt: true, transactions: true } });

    const queue = new DbJobQueue(db);
    const runner = new DbJobRunner(db, queue, jobDefinitions(), { concurrency: 1, perShopConcurrency: 1 });
    // Through the webhook path, which schedules a debounced refresh; then let it come due.
    await recordDelivery(await rawDriver(), queue, {
      shop,
      topic: "orders/updated",
      webhookId: "incremental-1",
      eventId: null,
      triggeredAt: null,
      apiVersion: "2026-04",
      payload: JSON.stringify(order(999, 2, [3, 4], 0)),
    });
    await runner.drain();
    await db.job.updateMany({ where: { name: "insights.customers", status: "queued" }, data: { runAt: new Date(0) } });
    await runner.drain();

    const after = await db.customerInsight.findMany({ where: { shop }, select: { customerId: true, computedAt: true, transactions: true } });
    const changed = after.filter((row) => before.find((old) => old.customerId === row.customerId)!.computedAt.getTime() !== row.computedAt.getTime());
    expect(changed.map((row) => row.customerId)).toEqual(["2"]);
    expect(after.find((row) => row.customerId === "2")!.transactions).toBe(2);
  });

  it("refreshes a customer in a process that has not fitted a model itself (a fresh scale-mode worker)", async () => {
    const db = await readyDb();
    const shop = "fresh-worker.myshopify.com";
    // Enough customers, and enough of them back, for a fitted model (not the heuristics).
    for (let p = 1; p <= 2; p++) await ingest(shop, "products/create", product(p, "Ceramics"));
    let orderId = 1;
    for (let c = 1; c <= 30; c++) {
      for (let visit = 0; visit < 1 + (c % 3); visit++) await ingest(shop, "orders/create", order(orderId++, c, [1 + (c % 2)], 20 + c * 3 + visit * 40));
    }
    const result = await recomputeShopInsights(db, shop, now);
    expect(result.note ?? "").not.toMatch(/too few/);
    // A worker process that starts after the recompute loads the stored model and only scores with
    // it: its special functions (WebAssembly) were never loaded by a fit.
    vi.resetModules();
    const { refreshCustomerInsights } = await import("./customer-insights.server");
    expect(await refreshCustomerInsights(db, shop, ["1"], now)).toBe(1);
  });

  it("forgets a redacted customer's insights", async () => {
    const db = await readyDb();
    const shop = "insights-redact.myshopify.com";
    await seed(shop);
    await recomputeShopInsights(db, shop, now);
    await ingest(shop, "customers/redact", { customer: { id: 1, email: "shopper1@example.com", phone: null }, orders_to_redact: [] });
    expect(await db.customerInsight.count({ where: { shop, customerId: "1" } })).toBe(0);
    expect(await db.customerAffinity.count({ where: { shop, customerId: "1" } })).toBe(0);
    expect(await db.customerInsight.count({ where: { shop } })).toBe(11);
  });
});
