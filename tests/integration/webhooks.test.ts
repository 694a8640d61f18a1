import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { WEBHOOK_TOPICS, type WebhookTopic } from "~/ingest/topics";
import { type AppServer, startAppServer } from "../support/app-server";
import { contractFixtureText, webhookFixture } from "../support/fixtures";
import { TEST_SHOP, postWebhook, sign, webhookHeaders } from "../support/webhooks";
import { waitFor } from "../support/wait";

// Signed HTTP requests to the real server (built Remix app, Express, in-process job runner), checked
// in the database.

let server: AppServer;

beforeAll(async () => {
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
});

afterAll(async () => {
  await server?.stop();
});

async function deliveryStatus(webhookId: string) {
  return waitFor(async () => {
    const event = await db().webhookEvent.findFirst({ where: { webhookId } });
    return event && event.status !== "received" ? event : undefined;
  });
}

describe("every topic's official example lands in the mirror", () => {
  const shop = "contract-shop.myshopify.com";
  // shop/redact would erase the shop's other rows, and app/uninstalled its sessions: send them last.
  const topics = (Object.keys(WEBHOOK_TOPICS) as WebhookTopic[]).sort(
    (a, b) => Number(a === "shop/redact") - Number(b === "shop/redact"),
  );

  it.each(topics)("%s → 200 and processed", async (topic) => {
    const webhookId = `contract-${topic}`;
    const response = await postWebhook(server.url, topic, contractFixtureText(topic), { shop, webhookId });
    expect(response.status).toBe(200);
    if (topic === "shop/redact") {
      // Everything of the shop goes, the inbox (and this delivery) included.
      await waitFor(async () => (await db().webhookEvent.count({ where: { shop } })) === 0);
      expect(await db().product.count({ where: { shop } })).toBe(0);
      expect(await db().order.count({ where: { shop } })).toBe(0);
      return;
    }
    const event = await deliveryStatus(webhookId);
    // bulk_operations/finish for an operation the app did not start is acknowledged and skipped.
    expect(event.status).toBe(topic === "bulk_operations/finish" ? "skipped" : "processed");
  });

  it("wrote what the examples say", async () => {
    const other = "contract-check.myshopify.com";
    await postWebhook(server.url, "products/create", contractFixtureText("products/create"), { shop: other, webhookId: "p1" });
    await postWebhook(server.url, "orders/create", contractFixtureText("orders/create"), { shop: other, webhookId: "o1" });
    await postWebhook(server.url, "checkouts/create", contractFixtureText("checkouts/create"), { shop: other, webhookId: "c1" });
    await postWebhook(server.url, "customers_email_marketing_consent/update", contractFixtureText("customers_email_marketing_consent/update"), {
      shop: other,
      webhookId: "m1",
    });
    for (const id of ["p1", "o1", "c1", "m1"]) await deliveryStatus(id);

    const product = await db().product.findUnique({ where: { shop_id: { shop: other, id: "788032119674292922" } } });
    expect(product).toMatchObject({ title: "Example T-Shirt", productType: "Shirts", vendor: "Acme" });
    const variants = await db().variant.findMany({ where: { shop: other, productId: "788032119674292922" }, orderBy: { position: "asc" } });
    expect(variants.map((variant) => [variant.price, variant.compareAtPrice, variant.availableQuantity])).toEqual([
      [1999, 2499, 75],
      [1999, 2499, 50],
    ]);
    const order = await db().order.findUnique({ where: { shop_id: { shop: other, id: "820982911946154508" } } });
    expect(order).toMatchObject({ totalPrice: 40495, currency: "USD", email: "jon@example.com" });
    expect(order?.cancelledAt).toBeInstanceOf(Date);
    expect(await db().orderLine.count({ where: { shop: other, orderId: "820982911946154508" } })).toBeGreaterThan(0);
    const checkout = await db().checkout.findUnique({ where: { shop_token: { shop: other, token: "123123123" } } });
    expect(checkout?.recoveryUrl).toContain("recover");
    const consent = await db().customer.findFirst({ where: { shop: other, email: "bob@biller.com" } });
    expect(consent?.emailConsentState).toBe("NOT_SUBSCRIBED");
  });
});

describe("bad input", () => {
  const product = contractFixtureText("products/create");

  it("refuses a forged signature with 401 and stores nothing", async () => {
    const response = await postWebhook(server.url, "products/create", product, { secret: "not-the-secret", webhookId: "forged" });
    expect(response.status).toBe(401);
    expect(await db().webhookEvent.count({ where: { webhookId: "forged" } })).toBe(0);
  });

  it("refuses a missing signature with 401", async () => {
    const response = await postWebhook(server.url, "products/create", product, {
      webhookId: "unsigned",
      headers: { "x-shopify-hmac-sha256": undefined },
    });
    expect(response.status).toBe(401);
    expect(await db().webhookEvent.count({ where: { webhookId: "unsigned" } })).toBe(0);
  });

  it("answers 400 to a signed request missing Shopify's headers", async () => {
    const response = await postWebhook(server.url, "products/create", product, {
      webhookId: "no-shop",
      headers: { "x-shopify-shop-domain": undefined },
    });
    expect(response.status).toBe(400);
    const noWebhookId = await postWebhook(server.url, "products/create", product, {
      headers: { "x-shopify-webhook-id": undefined },
    });
    expect(noWebhookId.status).toBe(400);
  });

  it("answers 400 when the topic header does not match the subscription path", async () => {
    const response = await postWebhook(server.url, "customers/redact", product, {
      webhookId: "misrouted",
      path: "/webhooks/products/create",
    });
    expect(response.status).toBe(400);
    expect(await db().webhookEvent.count({ where: { webhookId: "misrouted" } })).toBe(0);
  });

  it("keeps signed malformed JSON as a failed delivery instead of losing it", async () => {
    const response = await postWebhook(server.url, "products/update", '{"id": 1, "title": ', { webhookId: "malformed" });
    expect(response.status).toBe(200);
    const event = await db().webhookEvent.findFirstOrThrow({ where: { webhookId: "malformed" } });
    expect(event.status).toBe("failed");
    expect(event.lastError).toMatch(/not valid JSON/);
    expect(event.payload).toBe('{"id": 1, "title": ');
  });

  it("keeps a payload that fails its schema as failed with the reason", async () => {
    const response = await postWebhook(server.url, "inventory_levels/update", "{}", { webhookId: "empty-inventory" });
    expect(response.status).toBe(200);
    const event = await deliveryStatus("empty-inventory");
    expect(event.status).toBe("failed");
    expect(event.lastError).toMatch(/inventory_item_id/);
    // The worker is still alive and processing.
    await postWebhook(server.url, "products/create", product, { webhookId: "after-failure", shop: "alive.myshopify.com" });
    expect((await deliveryStatus("after-failure")).status).toBe("processed");
  });

  it("refuses oversized bodies with 413", async () => {
    const huge = JSON.stringify({ title: "x".repeat(5 * 1024 * 1024) });
    const response = await fetch(`${server.url}/webhooks/products/create`, {
      method: "POST",
      headers: webhookHeaders("products/create", huge, { webhookId: "huge" }),
      body: huge,
    });
    expect(response.status).toBe(413);
    expect(await db().webhookEvent.count({ where: { webhookId: "huge" } })).toBe(0);
  });

  it("answers 405 to GET", async () => {
    expect((await fetch(`${server.url}/webhooks/products/create`)).status).toBe(405);
  });
});

describe("at-least-once and out-of-order delivery", () => {
  const shop = "ordering.myshopify.com";
  const product = (title: string, updatedAt: string) => ({
    ...webhookFixture("products/update"),
    title,
    updated_at: updatedAt,
  });
  const productId = "788032119674292922";
  const stored = () => db().product.findUnique({ where: { shop_id: { shop, id: productId } } });

  it("acknowledges a duplicate and applies it once", async () => {
    const body = JSON.stringify(product("First", "2026-01-01T10:00:00Z"));
    const first = await postWebhook(server.url, "products/update", body, { shop, webhookId: "dup-1" });
    const again = await postWebhook(server.url, "products/update", body, { shop, webhookId: "dup-1" });
    expect([first.status, again.status]).toEqual([200, 200]);
    await deliveryStatus("dup-1");
    expect(await db().webhookEvent.count({ where: { shop, webhookId: "dup-1" } })).toBe(1);
    expect(await db().job.count({ where: { key: { startsWith: "webhook:" }, shop } })).toBe(1);
  });

  it("never lets an older update overwrite newer data", async () => {
    await postWebhook(server.url, "products/update", product("Newer", "2026-01-02T10:00:00Z"), { shop, webhookId: "new" });
    await deliveryStatus("new");
    await postWebhook(server.url, "products/update", product("Older", "2026-01-01T12:00:00Z"), { shop, webhookId: "old" });
    const old = await deliveryStatus("old");
    expect(old.status).toBe("skipped");
    expect((await stored())?.title).toBe("Newer");
  });

  it("does not resurrect a deleted product on a late update", async () => {
    await postWebhook(server.url, "products/delete", { id: productId }, { shop, webhookId: "delete" });
    await deliveryStatus("delete");
    await postWebhook(server.url, "products/update", product("Zombie", "2026-01-03T10:00:00Z"), { shop, webhookId: "late" });
    await deliveryStatus("late");
    const row = await stored();
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect(row?.title).toBe("Newer");
    expect(await db().variant.count({ where: { shop, productId, deletedAt: null } })).toBe(0);
  });

  it("keeps inventory for an unknown item and applies it when the variant arrives", async () => {
    const inventoryShop = "inventory.myshopify.com";
    const level = (locationId: number, available: number) => ({
      inventory_item_id: 555001,
      location_id: locationId,
      available,
      updated_at: "2026-02-01T00:00:00Z",
      admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=555001`,
    });
    await postWebhook(server.url, "inventory_levels/update", level(1, 4), { shop: inventoryShop, webhookId: "inv-1" });
    await postWebhook(server.url, "inventory_levels/update", level(2, 3), { shop: inventoryShop, webhookId: "inv-2" });
    await deliveryStatus("inv-1");
    await deliveryStatus("inv-2");
    const withItem = webhookFixture("products/create") as { variants: Array<Record<string, unknown>> };
    withItem.variants[0].inventory_item_id = 555001;
    await postWebhook(server.url, "products/create", withItem, { shop: inventoryShop, webhookId: "inv-product" });
    await deliveryStatus("inv-product");
    const variant = await db().variant.findFirst({ where: { shop: inventoryShop, inventoryItemId: "555001" } });
    expect(variant?.availableQuantity).toBe(7);
    // A later level update flows through to the variant.
    await postWebhook(server.url, "inventory_levels/update", { ...level(2, 0), updated_at: "2026-02-02T00:00:00Z" }, {
      shop: inventoryShop,
      webhookId: "inv-3",
    });
    await deliveryStatus("inv-3");
    expect((await db().variant.findFirst({ where: { shop: inventoryShop, inventoryItemId: "555001" } }))?.availableQuantity).toBe(4);
  });
});

describe("signatures are checked over the exact bytes", () => {
  it("rejects a body changed after signing", async () => {
    const body = contractFixtureText("products/create");
    const headers = webhookHeaders("products/create", body, { webhookId: "tampered" });
    headers["x-shopify-hmac-sha256"] = sign(body);
    const response = await fetch(`${server.url}/webhooks/products/create`, {
      method: "POST",
      headers,
      body: body.replace("Example T-Shirt", "Example T-Shirt!"),
    });
    expect(response.status).toBe(401);
    expect(TEST_SHOP).toBeTruthy();
  });
});
