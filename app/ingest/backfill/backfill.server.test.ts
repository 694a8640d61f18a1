import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readyDb, type Db } from "~/db.server";
import { DbJobQueue, DbJobRunner } from "~/jobs/db-queue.server";
import { jobDefinitions } from "~/jobs/registry.server";
import { markInstalled } from "~/shops/shops.server";
import { type FakeAdminApi, startFakeAdminApi } from "../../../tests/support/fake-admin-api";
import { applyCommand } from "../apply.server";
import { backfillProgress, startBackfill } from "./backfill.server";

const shop = "backfill.myshopify.com";
let admin: FakeAdminApi;
let db: Db;
let queue: DbJobQueue;
let runner: DbJobRunner;

// Bulk JSONL as Shopify writes it: each nested node on its own line after its parent.
function* productLines(count: number) {
  for (let p = 1; p <= count; p++) {
    yield JSON.stringify({
      id: `gid://shopify/Product/${p}`,
      title: `Product ${p}`,
      handle: `product-${p}`,
      productType: p % 2 ? "Ceramics" : "Textiles",
      vendor: "Studio",
      tags: ["handmade"],
      status: "ACTIVE",
      updatedAt: "2026-01-01T00:00:00Z",
    });
    for (let v = 1; v <= 2; v++) {
      yield JSON.stringify({
        id: `gid://shopify/ProductVariant/${p * 10 + v}`,
        __parentId: `gid://shopify/Product/${p}`,
        title: `Size ${v}`,
        price: "12.50",
        compareAtPrice: null,
        inventoryQuantity: 3,
        inventoryItem: { id: `gid://shopify/InventoryItem/${p * 10 + v}` },
        updatedAt: "2026-01-01T00:00:00Z",
      });
    }
    yield JSON.stringify({
      id: `gid://shopify/Collection/${p % 3}`,
      __parentId: `gid://shopify/Product/${p}`,
      title: `Collection ${p % 3}`,
      handle: `collection-${p % 3}`,
    });
  }
}

function* customerLines(count: number) {
  for (let c = 1; c <= count; c++) {
    yield JSON.stringify({
      id: `gid://shopify/Customer/${c}`,
      firstName: `Ada${c}`,
      lastName: "Lovelace",
      tags: [],
      updatedAt: "2026-01-01T00:00:00Z",
      defaultEmailAddress: {
        emailAddress: `ada${c}@example.com`,
        marketingState: c % 2 ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
        marketingOptInLevel: "SINGLE_OPT_IN",
        marketingUpdatedAt: "2025-12-01T00:00:00Z",
      },
    });
  }
}

function* orderLines(count: number) {
  const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "EUR" } });
  for (let o = 1; o <= count; o++) {
    yield JSON.stringify({
      id: `gid://shopify/Order/${o}`,
      name: `#${o}`,
      email: `ada${o}@example.com`,
      customer: { id: `gid://shopify/Customer/${o}` },
      createdAt: "2025-11-01T10:00:00Z",
      updatedAt: "2025-11-01T10:00:00Z",
      currencyCode: "EUR",
      totalPriceSet: money("25.00"),
      subtotalPriceSet: money("25.00"),
      discountCodes: [],
    });
    for (let l = 1; l <= 2; l++) {
      yield JSON.stringify({
        id: `gid://shopify/LineItem/${o * 10 + l}`,
        __parentId: `gid://shopify/Order/${o}`,
        title: `Product ${l}`,
        quantity: 1,
        currentQuantity: 1,
        originalUnitPriceSet: money("12.50"),
        product: { id: `gid://shopify/Product/${l}` },
        variant: { id: `gid://shopify/ProductVariant/${l * 10 + 1}` },
      });
    }
  }
}

const files = { products: () => productLines(120), customers: () => customerLines(200), orders: () => orderLines(150) };

function resourceOf(query: unknown): keyof typeof files {
  const text = String(query);
  return text.includes("products {") ? "products" : text.includes("customers {") ? "customers" : "orders";
}

beforeAll(async () => {
  admin = await startFakeAdminApi();
  process.env.SHOPIFY_ADMIN_API_ORIGIN = admin.origin;
  db = await readyDb();
  queue = new DbJobQueue(db);
  runner = new DbJobRunner(db, queue, jobDefinitions(), { concurrency: 2, perShopConcurrency: 1 });
  admin.handle("BulkOperationRunQuery", (variables, request) => {
    expect(request.token).toBe("offline-token");
    const resource = resourceOf(variables.query);
    return { body: { data: { bulkOperationRunQuery: { bulkOperation: { id: `gid://shopify/BulkOperation/${resource}`, status: "CREATED" }, userErrors: [] } } } };
  });
  admin.handle("BulkOperationStatus", (variables) => {
    const resource = String(variables.id).split("/").pop() as keyof typeof files;
    const url = admin.serveFile(`/bulk/${resource}.jsonl`, files[resource]);
    return { body: { data: { node: { id: variables.id, status: "COMPLETED", errorCode: null, objectCount: "0", url } } } };
  });
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await admin.close();
});

beforeEach(async () => {
  await db.session.deleteMany();
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "offline-token", scope: "read_products" },
  });
  await markInstalled(db, shop, { currencyCode: "EUR" }, "read_products");
});

/** Plays Shopify's bulk_operations/finish webhook for whichever run is in flight. */
async function finishRunningOperation() {
  const running = await db.backfillRun.findFirst({ where: { shop, status: "running" } });
  if (!running?.bulkOperationId) return false;
  await applyCommand(
    { db, queue, shop, currency: "EUR", observedAt: new Date() },
    { kind: "bulkOperationFinished", bulkOperationId: running.bulkOperationId, status: "completed", errorCode: null },
  );
  await runner.drain();
  return true;
}

describe("backfill on install", () => {
  it("imports products, customers and orders through bulk operations, in order", async () => {
    await startBackfill(db, queue, shop);
    await runner.drain();
    let finished = 0;
    while (await finishRunningOperation()) finished++;
    expect(finished).toBe(3);
    expect(admin.unexpected).toEqual([]);
    expect(admin.calls.filter((call) => call.operation === "BulkOperationRunQuery").map((call) => resourceOf(call.variables.query))).toEqual([
      "products",
      "customers",
      "orders",
    ]);

    expect(await db.product.count({ where: { shop } })).toBe(120);
    expect(await db.variant.count({ where: { shop } })).toBe(240);
    expect(await db.collectionMembership.count({ where: { shop } })).toBe(120);
    expect(await db.customer.count({ where: { shop, emailConsentState: "SUBSCRIBED" } })).toBe(100);
    expect(await db.order.count({ where: { shop } })).toBe(150);
    expect(await db.orderLine.count({ where: { shop } })).toBe(300);
    const variant = await db.variant.findUniqueOrThrow({ where: { shop_id: { shop, id: "11" } } });
    expect(variant).toMatchObject({ productId: "1", price: 1250, currency: "EUR", inventoryItemId: "11", availableQuantity: 3 });

    const progress = await backfillProgress(db, shop);
    expect(progress.map((run) => [run.resource, run.status, run.processed])).toEqual([
      ["products", "completed", 120 * 4],
      ["customers", "completed", 200],
      ["orders", "completed", 150 * 3],
    ]);
  });

  it("polls when the finish webhook does not come", async () => {
    await db.backfillRun.deleteMany();
    await startBackfill(db, queue, shop);
    await runner.drain();
    for (let step = 0; step < 3; step++) {
      // The poll is scheduled 30 s out; bring it forward.
      await db.job.updateMany({ where: { name: "backfill.poll", status: "queued" }, data: { runAt: new Date(0) } });
      await runner.drain();
    }
    expect((await backfillProgress(db, shop)).map((run) => run.status)).toEqual(["completed", "completed", "completed"]);
  });

  it("keeps going past a malformed line and records it", async () => {
    await db.backfillRun.deleteMany();
    const original = files.customers;
    files.customers = function* () {
      yield* customerLines(3);
      yield "{not json";
      yield JSON.stringify({ id: "gid://shopify/Customer/99", tags: "oops" });
      yield* customerLines(5);
    };
    try {
      await startBackfill(db, queue, shop);
      await runner.drain();
      while (await finishRunningOperation());
    } finally {
      files.customers = original;
    }
    const customers = (await backfillProgress(db, shop)).find((run) => run.resource === "customers");
    expect(customers).toMatchObject({ status: "completed", error: "2 lines rejected" });
  });

  it("leaves the lines of an order that a webhook stored in a newer version than the export's", async () => {
    await db.backfillRun.deleteMany();
    // orders/updated came in after the export was taken: one line left, a later version.
    await db.order.update({ where: { shop_id: { shop, id: "7" } }, data: { shopifyUpdatedAt: new Date("2026-01-01T00:00:00Z") } });
    await db.orderLine.deleteMany({ where: { shop, orderId: "7" } });
    await db.orderLine.create({ data: { shop, orderId: "7", id: "71", title: "Product 1", quantity: 2, price: 1250 } });
    await startBackfill(db, queue, shop);
    await runner.drain();
    while (await finishRunningOperation());
    expect(await db.orderLine.findMany({ where: { shop, orderId: "7" }, select: { id: true, quantity: true } })).toEqual([{ id: "71", quantity: 2 }]);
    expect(await db.orderLine.count({ where: { shop, orderId: "8" } })).toBe(2);
  });

  it("does nothing for a shop that is not installed", async () => {
    await db.backfillRun.deleteMany();
    await db.shop.update({ where: { shop }, data: { uninstalledAt: new Date() } });
    await startBackfill(db, queue, shop);
    await runner.drain();
    expect((await backfillProgress(db, shop)).map((run) => run.status)).toEqual(["failed", "failed", "failed"]);
  });
});
