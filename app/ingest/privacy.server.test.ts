import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { recordDelivery } from "~/ingest/inbox.server";
import { rawDriver } from "~/db.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { webhookFixture } from "../../tests/support/fixtures";
import { ingest } from "../../tests/support/ingest";
import { shopScopedModels } from "./privacy.server";

async function seedCustomer(shop: string) {
  const db = await readyDb();
  await ingest(shop, "customers/create", webhookFixture("customers/create"));
  await ingest(shop, "orders/create", { ...webhookFixture("orders/create"), email: "bob@biller.com", customer: { ...(webhookFixture("customers/create")) } });
  await ingest(shop, "checkouts/create", { ...webhookFixture("checkouts/create"), email: "bob@biller.com" });
  await db.browseEvent.create({
    data: { shop, visitorId: "v1", customerId: "706405506930370084", type: "product_view", productId: "1", occurredAt: new Date() },
  });
  await recordDelivery(await rawDriver(), new DbJobQueue(db), {
    shop,
    topic: "customers/create",
    webhookId: `seed-${shop}`,
    eventId: null,
    triggeredAt: null,
    apiVersion: "2026-04",
    payload: JSON.stringify(webhookFixture("customers/create")),
  });
  await db.webhookEvent.updateMany({ where: { shop }, data: { status: "processed" } });
  // Back-in-stock requests: one made logged in (with another address), one anonymous with the
  // customer's address, and someone else's.
  const requestedAt = new Date("2026-11-20T10:00:00Z");
  await db.stockAlertRequest.createMany({
    data: [
      { shop, productId: "1", email: "bob.work@biller.com", customerId: "706405506930370084", requestedAt },
      { shop, productId: "2", variantId: "21", email: "bob@biller.com", visitorId: "v1", requestedAt },
      { shop, productId: "1", email: "carol@example.com", requestedAt },
    ],
  });
}

const identity = { customer: { id: "706405506930370084", email: "bob@biller.com", phone: null }, orders_to_redact: [] };

describe("customers/redact", () => {
  it("removes the customer's personal data from every table and from stored deliveries", async () => {
    const db = await readyDb();
    const shop = "redact.myshopify.com";
    await seedCustomer(shop);
    await seedCustomer("bystander.myshopify.com");

    await ingest(shop, "customers/redact", { shop_domain: shop, ...identity });

    // The customer row is gone; a tombstone under the id's pseudonym stops a late webhook recreating it.
    expect(await db.customer.count({ where: { shop, id: "706405506930370084" } })).toBe(0);
    const [tombstone, ...others] = await db.customer.findMany({ where: { shop, id: { startsWith: "redacted:" } } });
    expect(others).toEqual([]);
    expect(tombstone).toMatchObject({ email: null, firstName: null, lastName: null, phone: null, emailConsentState: "REDACTED" });
    expect(tombstone.id).toMatch(/^redacted:/);
    expect(tombstone.redactedAt).toBeInstanceOf(Date);
    expect(await ingest(shop, "customers/update", webhookFixture("customers/create"))).toBe("deleted");
    expect(await db.customer.count({ where: { shop, id: "706405506930370084" } })).toBe(0);
    expect(await db.order.count({ where: { shop, OR: [{ email: { not: null } }, { customerId: { not: null } }] } })).toBe(0);
    expect(await db.order.count({ where: { shop } })).toBe(1); // sales figures stay, anonymous
    // Checkouts stay as anonymous tombstones (a late checkouts/update is then stale, not a new checkout).
    expect(await db.checkout.count({ where: { shop, OR: [{ email: { not: null } }, { customerId: { not: null } }, { recoveryUrl: { not: null } }] } })).toBe(0);
    expect(await db.browseEvent.count({ where: { shop } })).toBe(0);
    expect((await db.stockAlertRequest.findMany({ where: { shop } })).map((row) => row.email)).toEqual(["carol@example.com"]);
    const deliveries = await db.webhookEvent.findMany({ where: { shop } });
    expect(deliveries.every((delivery) => !delivery.payload.includes("bob@biller.com"))).toBe(true);

    // Another shop's customer with the same id and email is untouched.
    const other = await db.customer.findUniqueOrThrow({ where: { shop_id: { shop: "bystander.myshopify.com", id: "706405506930370084" } } });
    expect(other.email).toBe("bob@biller.com");
    expect(await db.checkout.count({ where: { shop: "bystander.myshopify.com" } })).toBe(1);
    expect(await db.stockAlertRequest.count({ where: { shop: "bystander.myshopify.com" } })).toBe(3);
  });

  it("finds anonymous back-in-stock requests by the address the mirror has when the payload has none", async () => {
    const db = await readyDb();
    const shop = "redact-by-id.myshopify.com";
    await seedCustomer(shop);
    await ingest(shop, "customers/redact", { shop_domain: shop, customer: { id: "706405506930370084", email: null, phone: null }, orders_to_redact: [] });
    expect((await db.stockAlertRequest.findMany({ where: { shop } })).map((row) => row.email)).toEqual(["carol@example.com"]);
  });
});

describe("customers/data_request", () => {
  it("writes an export with the customer, their orders, checkouts and browsing", async () => {
    const db = await readyDb();
    const shop = "export.myshopify.com";
    await seedCustomer(shop);
    await ingest(shop, "customers/data_request", { shop_domain: shop, ...identity, data_request: { id: 9999 } });
    const exported = await db.dataExport.findFirstOrThrow({ where: { shop } });
    expect(exported.requestId).toBe("9999");
    const data = JSON.parse(exported.data);
    expect(data.customers).toHaveLength(1);
    expect(data.orders).toHaveLength(1);
    expect(data.orders[0].lines.length).toBeGreaterThan(0);
    expect(data.checkouts).toHaveLength(1);
    expect(data.browseEvents).toHaveLength(1);
    // Both of their back-in-stock requests (by customer id and by address), not the other shopper's.
    expect(data.stockAlertRequests.map((row: { email: string; productId: string }) => [row.productId, row.email]).sort()).toEqual([
      ["1", "bob.work@biller.com"],
      ["2", "bob@biller.com"],
    ]);
  });
});

describe("shop/redact", () => {
  it("knows every table that holds shop data", () => {
    const withShopColumn = Prisma.dmmf.datamodel.models.filter((model) => model.fields.some((field) => field.name === "shop"));
    expect(shopScopedModels()).toEqual(withShopColumn.map((model) => model.name));
    // Every model has a shop column (Job's is nullable for shop-less work), so nothing is forgotten.
    expect(Prisma.dmmf.datamodel.models.filter((model) => !shopScopedModels().includes(model.name)).map((m) => m.name)).toEqual([]);
  });

  it("deletes everything of the shop and nothing of others", async () => {
    const db = await readyDb();
    const shop = "gone.myshopify.com";
    await seedCustomer(shop);
    await seedCustomer("stays.myshopify.com");
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "t" } });
    const othersBefore = await db.customer.count({ where: { shop: "stays.myshopify.com" } });
    await ingest(shop, "shop/redact", { shop_domain: shop });
    for (const model of shopScopedModels()) {
      const delegate = (db as unknown as Record<string, { count(args: unknown): Promise<number> }>)[model[0].toLowerCase() + model.slice(1)];
      expect(await delegate.count({ where: { shop } }), model).toBe(0);
    }
    expect(othersBefore).toBeGreaterThan(0);
    expect(await db.customer.count({ where: { shop: "stays.myshopify.com" } })).toBe(othersBefore);
    // StockAlertRequest is among the models walked above; say so, so a rename cannot drop it unnoticed.
    expect(shopScopedModels()).toContain("StockAlertRequest");
    expect(await db.stockAlertRequest.count({ where: { shop: "stays.myshopify.com" } })).toBe(3);
  });
});

describe("app/uninstalled", () => {
  it("clears the shop's sessions and stops sending", async () => {
    const db = await readyDb();
    const shop = "uninstalled.myshopify.com";
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "t" } });
    await db.session.create({ data: { id: "other", shop: "other.myshopify.com", state: "", accessToken: "t" } });
    await ingest(shop, "app/uninstalled", webhookFixture("app/uninstalled"));
    expect(await db.session.count({ where: { shop } })).toBe(0);
    expect(await db.session.count({ where: { shop: "other.myshopify.com" } })).toBe(1);
    const row = await db.shop.findUniqueOrThrow({ where: { shop } });
    expect(row.sendingPaused).toBe(true);
    expect(row.uninstalledAt).toBeInstanceOf(Date);
  });
});
