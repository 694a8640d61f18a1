import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { browseBatch, newVisitorId, postBrowseBatch, seedStorefrontShop, type BrowseEventInput } from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";
import { webhookFixture } from "../support/fixtures";
import { waitFor } from "../support/wait";
import { postWebhook } from "../support/webhooks";

// Identity stitching scenarios, end to end: storefront batches through the signed app proxy and
// orders/checkouts as signed webhooks processed by the server's in-process jobs. "These events, then
// this login/order/checkout → these events belong to this customer", shop by shop.

const SHOP_A = "stitch-a.myshopify.com";
const SHOP_B = "stitch-b.myshopify.com";
const PRODUCTS = { "7001": ["8001"], "7002": ["8002"] };

let server: AppServer;

beforeAll(async () => {
  const db = await readyDb();
  await seedStorefrontShop(db, SHOP_A, PRODUCTS);
  await seedStorefrontShop(db, SHOP_B, PRODUCTS);
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
});

afterAll(async () => {
  await server?.stop();
});

async function send(shop: string, visitorId: string, events: BrowseEventInput[], customerId?: string) {
  const response = await postBrowseBatch(server.url, browseBatch(visitorId, events), { shop, customerId });
  expect(response.status).toBe(204);
}

/** [type, customerId, attributedVia] of a visitor's events, oldest first. */
async function attribution(shop: string, visitorId: string) {
  const db = await readyDb();
  const rows = await db.browseEvent.findMany({ where: { shop, visitorId }, orderBy: { occurredAt: "asc" } });
  return rows.map((row) => [row.type, row.customerId, row.attributedVia]);
}

async function deliver(shop: string, topic: string, payload: object) {
  const webhookId = randomUUID();
  const response = await postWebhook(server.url, topic, payload, { shop, webhookId });
  expect(response.status).toBe(200);
  const db = await readyDb();
  const event = await waitFor(async () => {
    const row = await db.webhookEvent.findFirst({ where: { shop, webhookId } });
    return row && row.status !== "received" ? row : undefined;
  });
  expect(event.status).toBe("processed");
}

function customer(id: string | null) {
  if (!id) return null;
  const base = webhookFixture("orders/create").customer as Record<string, unknown>;
  return { ...base, id, admin_graphql_api_id: `gid://shopify/Customer/${id}`, email: `c${id}@example.com` };
}

function order(options: { customerId: string | null; cartToken: string | null; checkoutToken?: string; processedAt: Date }) {
  const id = String(Math.floor(Math.random() * 1e12) + 1e12);
  const at = options.processedAt.toISOString();
  return {
    ...webhookFixture("orders/create"),
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    cart_token: options.cartToken,
    checkout_token: options.checkoutToken ?? null,
    processed_at: at,
    created_at: at,
    updated_at: at,
    customer: customer(options.customerId),
  };
}

function checkout(options: { token: string; customerId: string | null; cartToken: string; updatedAt: Date }) {
  const at = options.updatedAt.toISOString();
  return {
    ...webhookFixture("checkouts/create"),
    token: options.token,
    cart_token: options.cartToken,
    created_at: at,
    updated_at: at,
    customer: customer(options.customerId),
  };
}

const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

describe("login", () => {
  it("gives a visitor's earlier anonymous events to the customer who logs in, and late ones too", async () => {
    const visitor = newVisitorId();
    await send(SHOP_A, visitor, [
      { type: "product_view", productId: "7001", ago: 120_000 },
      { type: "collection_view", collectionId: "3001", ago: 100_000 },
    ]);
    expect(await attribution(SHOP_A, visitor)).toEqual([
      ["product_view", null, null],
      ["collection_view", null, null],
    ]);

    // Shopify signs logged_in_customer_id once the shopper has logged in.
    await send(SHOP_A, visitor, [{ type: "product_view", productId: "7002", ago: 10_000 }], "501");
    expect(await attribution(SHOP_A, visitor)).toEqual([
      ["product_view", "501", "login"],
      ["collection_view", "501", "login"],
      ["product_view", "501", "session"],
    ]);

    // A beacon from before the login that arrives only now is attributed the same way.
    await send(SHOP_A, visitor, [{ type: "cart_view", ago: 60_000 }]);
    // After the last identified event (a logout on a shared computer, say) events stay anonymous.
    await send(SHOP_A, visitor, [{ type: "product_view", productId: "7001", ago: 0 }]);
    expect(await attribution(SHOP_A, visitor)).toEqual([
      ["product_view", "501", "login"],
      ["collection_view", "501", "login"],
      ["cart_view", "501", "login"],
      ["product_view", "501", "session"],
      ["product_view", null, null],
    ]);
  });

  it("never moves events another customer already owns (two customers on one browser)", async () => {
    const visitor = newVisitorId();
    await send(SHOP_A, visitor, [{ type: "product_view", productId: "7001", ago: 300_000 }], "601");
    await send(SHOP_A, visitor, [{ type: "product_view", productId: "7002", ago: 200_000 }]);
    await send(SHOP_A, visitor, [{ type: "cart_view", ago: 1_000 }], "602");
    expect(await attribution(SHOP_A, visitor)).toEqual([
      ["product_view", "601", "session"],
      ["product_view", "602", "login"],
      ["cart_view", "602", "session"],
    ]);
  });
});

describe("order and checkout by cart token", () => {
  it("an order whose cart token the visitor reported gives the visitor's earlier events to the customer", async () => {
    const visitor = newVisitorId();
    const cartToken = `c1-${randomUUID().replaceAll("-", "")}`;
    await send(SHOP_A, visitor, [
      { type: "product_view", productId: "7001", ago: 300_000 },
      { type: "add_to_cart", variantId: "8001", cartToken: `${cartToken}%3Fkey%3Dabc`, ago: 240_000 },
      { type: "cart_view", cartToken, ago: 200_000 },
    ]);
    await deliver(SHOP_A, "orders/create", order({ customerId: "701", cartToken, processedAt: secondsAgo(60) }));
    // Browsing after the order stays anonymous.
    await send(SHOP_A, visitor, [{ type: "product_view", productId: "7002", ago: 0 }]);
    expect(await attribution(SHOP_A, visitor)).toEqual([
      ["product_view", "701", "order"],
      ["add_to_cart", "701", "order"],
      ["cart_view", "701", "order"],
      ["product_view", null, null],
    ]);
  });

  it("a checkout with a customer and the cart token does the same", async () => {
    const visitor = newVisitorId();
    const cartToken = randomUUID().replaceAll("-", "");
    await send(SHOP_A, visitor, [
      { type: "product_view", productId: "7002", ago: 90_000 },
      { type: "add_to_cart", productId: "7002", cartToken, ago: 80_000 },
    ]);
    await deliver(SHOP_A, "checkouts/create", checkout({ token: randomUUID(), customerId: "801", cartToken, updatedAt: secondsAgo(30) }));
    expect(await attribution(SHOP_A, visitor)).toEqual([
      ["product_view", "801", "checkout"],
      ["add_to_cart", "801", "checkout"],
    ]);
  });

  it("an order without a cart token uses its checkout's; an order without a customer stitches nothing", async () => {
    const visitor = newVisitorId();
    const cartToken = randomUUID().replaceAll("-", "");
    const checkoutToken = randomUUID().replaceAll("-", "");
    await send(SHOP_A, visitor, [{ type: "add_to_cart", variantId: "8002", cartToken, ago: 120_000 }]);
    // A guest checkout: no customer yet, nothing to attribute to.
    await deliver(SHOP_A, "checkouts/create", checkout({ token: checkoutToken, customerId: null, cartToken, updatedAt: secondsAgo(100) }));
    await deliver(SHOP_A, "orders/create", order({ customerId: null, cartToken, processedAt: secondsAgo(90) }));
    expect(await attribution(SHOP_A, visitor)).toEqual([["add_to_cart", null, null]]);

    await deliver(SHOP_A, "orders/create", order({ customerId: "901", cartToken: null, checkoutToken, processedAt: secondsAgo(60) }));
    expect(await attribution(SHOP_A, visitor)).toEqual([["add_to_cart", "901", "order"]]);
  });

  it("cart events that arrive after their order are stitched on arrival", async () => {
    const visitor = newVisitorId();
    const cartToken = randomUUID().replaceAll("-", "");
    await send(SHOP_A, visitor, [{ type: "product_view", productId: "7001", ago: 200_000 }]);
    await deliver(SHOP_A, "orders/create", order({ customerId: "1001", cartToken, processedAt: secondsAgo(30) }));
    expect(await attribution(SHOP_A, visitor)).toEqual([["product_view", null, null]]);
    await send(SHOP_A, visitor, [{ type: "add_to_cart", variantId: "8001", cartToken, ago: 100_000 }]);
    expect(await attribution(SHOP_A, visitor)).toEqual([
      ["product_view", "1001", "order"],
      ["add_to_cart", "1001", "order"],
    ]);
  });
});

describe("shop isolation", () => {
  it("the same visitor id, cart token and customer id in two shops never mix", async () => {
    const visitor = newVisitorId();
    const cartToken = randomUUID().replaceAll("-", "");
    for (const shop of [SHOP_A, SHOP_B]) {
      await send(shop, visitor, [
        { type: "product_view", productId: "7001", ago: 300_000 },
        { type: "add_to_cart", variantId: "8001", cartToken, ago: 250_000 },
      ]);
    }
    // Shop A: the visitor logs in; shop B: an order with the same cart token for the same customer id.
    await send(SHOP_A, visitor, [{ type: "cart_view", ago: 1_000 }], "1101");
    expect(await attribution(SHOP_B, visitor)).toEqual([
      ["product_view", null, null],
      ["add_to_cart", null, null],
    ]);
    await deliver(SHOP_B, "orders/create", order({ customerId: "1102", cartToken, processedAt: secondsAgo(100) }));
    expect(await attribution(SHOP_A, visitor)).toEqual([
      ["product_view", "1101", "login"],
      ["add_to_cart", "1101", "login"],
      ["cart_view", "1101", "session"],
    ]);
    expect(await attribution(SHOP_B, visitor)).toEqual([
      ["product_view", "1102", "order"],
      ["add_to_cart", "1102", "order"],
    ]);

    // A late anonymous batch in shop B finds shop B's identity, not shop A's.
    await send(SHOP_B, visitor, [{ type: "cart_view", ago: 280_000 }]);
    expect((await attribution(SHOP_B, visitor)).map((row) => row[1])).toEqual(["1102", "1102", "1102"]);
  });
});
