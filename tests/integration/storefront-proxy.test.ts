import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { MAX_EVENTS_PER_BATCH } from "~/storefront/events";
import {
  PROXY_PATH_PREFIX,
  appProxySignature,
  browseBatch,
  newVisitorId,
  postBrowseBatch,
  seedStorefrontShop,
  signedProxyQuery,
} from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/env";

// Signed app-proxy requests through the real built server (Express + Remix + authenticate.appProxy),
// checked in the database.

const SHOP = "proxy-shop.myshopify.com";
const OTHER_SHOP = "proxy-other.myshopify.com";
const NOT_INSTALLED = "proxy-gone.myshopify.com";

let server: AppServer;

beforeAll(async () => {
  const db = await readyDb();
  await seedStorefrontShop(db, SHOP, { "7001": ["8001", "8002"], "7002": ["8003"] });
  await seedStorefrontShop(db, OTHER_SHOP, { "7100": ["8100"] });
  await db.product.create({ data: { shop: SHOP, id: "7009", title: "Gone", handle: "gone", deletedAt: new Date() } });
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
});

afterAll(async () => {
  await server?.stop();
});

async function eventsOf(visitorId: string, shop = SHOP) {
  const db = await readyDb();
  return db.browseEvent.findMany({ where: { shop, visitorId }, orderBy: { occurredAt: "asc" } });
}

describe("accepted batches", () => {
  it("stores an anonymous visitor's events with server-clock times and answers 204", async () => {
    const visitor = newVisitorId();
    const before = Date.now();
    // The browser's clock runs 3 hours slow; the events were 20 s and 10 s before sending.
    const sentAt = before - 3 * 3_600_000;
    const batch = browseBatch(
      visitor,
      [
        { type: "product_view", productId: "7001", variantId: "8001", ago: 20_000 },
        { type: "collection_view", collectionId: "3001", ago: 15_000 },
        { type: "add_to_cart", variantId: "8003", cartToken: "c1-0123456789abcdef%3Fkey%3Dsecret", ago: 10_000 },
        { type: "cart_view", cartToken: "c1-0123456789abcdef", ago: 5_000 },
      ],
      {},
      sentAt,
    );
    const response = await postBrowseBatch(server.url, batch, { shop: SHOP });
    expect(response.status).toBe(204);
    const rows = await eventsOf(visitor);
    expect(rows.map((row) => [row.type, row.productId, row.variantId, row.collectionId, row.cartToken, row.customerId])).toEqual([
      ["product_view", "7001", "8001", null, null, null],
      ["collection_view", null, null, "3001", null, null],
      // The product comes from the variant in the mirror; the cart token loses its key.
      ["add_to_cart", "7002", "8003", null, "c1-0123456789abcdef", null],
      ["cart_view", null, null, null, "c1-0123456789abcdef", null],
    ]);
    const after = Date.now();
    const first = rows[0].occurredAt.getTime();
    expect(first).toBeGreaterThanOrEqual(before - 20_000 - 1_000);
    expect(first).toBeLessThanOrEqual(after - 20_000 + 1_000);
    expect(rows.every((row) => row.attributedVia === null)).toBe(true);
  });

  it("attributes to Shopify's signed logged_in_customer_id, never to the body's customer id", async () => {
    const signedIn = newVisitorId();
    const response = await postBrowseBatch(
      server.url,
      browseBatch(signedIn, [{ type: "product_view", productId: "7001" }], { customerId: "999" }),
      { shop: SHOP, customerId: "4242" },
    );
    expect(response.status).toBe(204);
    expect(await eventsOf(signedIn)).toMatchObject([{ customerId: "4242", attributedVia: "session" }]);

    // Anonymous per Shopify, but the body claims a customer: stored anonymous.
    const claiming = newVisitorId();
    await postBrowseBatch(server.url, browseBatch(claiming, [{ type: "product_view", productId: "7001" }], { customerId: "4242" }), {
      shop: SHOP,
    });
    expect(await eventsOf(claiming)).toMatchObject([{ customerId: null, attributedVia: null }]);
  });

  it("drops events for products the shop's mirror does not have, keeps the rest", async () => {
    const visitor = newVisitorId();
    const response = await postBrowseBatch(
      server.url,
      browseBatch(visitor, [
        { type: "product_view", productId: "7001" },
        { type: "product_view", productId: "123456" }, // unknown
        { type: "product_view", productId: "7100" }, // the other shop's product
        { type: "product_view", productId: "7009" }, // deleted
        { type: "add_to_cart", variantId: "8100" }, // the other shop's variant
        { type: "add_to_cart", productId: "7002", variantId: "8001" }, // variant of another product
      ]),
      { shop: SHOP },
    );
    expect(response.status).toBe(204);
    expect((await eventsOf(visitor)).map((row) => row.productId)).toEqual(["7001"]);
  });

  it("drops events from a shop without an offline session (not installed)", async () => {
    const visitor = newVisitorId();
    const response = await postBrowseBatch(server.url, browseBatch(visitor, [{ type: "cart_view" }]), { shop: NOT_INSTALLED });
    expect(response.status).toBe(204);
    expect(await eventsOf(visitor, NOT_INSTALLED)).toEqual([]);
  });

  it("accepts extra storefront query parameters that Shopify signed along", async () => {
    const visitor = newVisitorId();
    const query = signedProxyQuery({ shop: SHOP, extra: { v: "3", utm_source: "mail" } });
    const response = await postBrowseBatch(server.url, browseBatch(visitor, [{ type: "cart_view" }]), { shop: SHOP, query });
    expect(response.status).toBe(204);
    expect(await eventsOf(visitor)).toHaveLength(1);
  });
});

describe("refused requests store nothing", () => {
  const product = (visitor: string) => browseBatch(visitor, [{ type: "product_view", productId: "7001" }]);

  it.each([
    ["a forged signature", { secret: "not-the-app-secret" }],
    ["a stale timestamp (10 minutes old)", { timestamp: Math.floor(Date.now() / 1000) - 600 }],
    ["a timestamp from the future", { timestamp: Math.floor(Date.now() / 1000) + 600 }],
  ])("400 for %s", async (_what, options) => {
    const visitor = newVisitorId();
    const response = await postBrowseBatch(server.url, product(visitor), { shop: SHOP, ...options });
    expect(response.status).toBe(400);
    expect(await eventsOf(visitor)).toEqual([]);
  });

  it("400 when a signed parameter was changed (another customer id) or the signature is missing", async () => {
    const visitor = newVisitorId();
    const signed = signedProxyQuery({ shop: SHOP, customerId: "1" });
    const tampered = signed.replace("logged_in_customer_id=1", "logged_in_customer_id=2");
    expect((await postBrowseBatch(server.url, product(visitor), { shop: SHOP, query: tampered })).status).toBe(400);
    const unsigned = new URLSearchParams({
      shop: SHOP,
      logged_in_customer_id: "",
      path_prefix: PROXY_PATH_PREFIX,
      timestamp: String(Math.floor(Date.now() / 1000)),
    }).toString();
    expect((await postBrowseBatch(server.url, product(visitor), { shop: SHOP, query: unsigned })).status).toBe(400);
    // Signed for one shop, sent as another: the shop is part of the signature.
    const otherShop = signedProxyQuery({ shop: OTHER_SHOP }).replace(encodeURIComponent(OTHER_SHOP), encodeURIComponent(SHOP));
    expect((await postBrowseBatch(server.url, product(visitor), { shop: SHOP, query: otherShop })).status).toBe(400);
    expect(await eventsOf(visitor)).toEqual([]);
  });

  it("204 and nothing stored for a bot user agent", async () => {
    const visitor = newVisitorId();
    const response = await postBrowseBatch(server.url, product(visitor), {
      shop: SHOP,
      userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    });
    expect(response.status).toBe(204);
    expect(await eventsOf(visitor)).toEqual([]);
  });

  it("413 for an oversized body, 400 for too many events, an unknown type or a bad body", async () => {
    const visitor = newVisitorId();
    const huge = JSON.stringify({ ...product(visitor), padding: "x".repeat(40 * 1024) });
    expect((await postBrowseBatch(server.url, huge, { shop: SHOP })).status).toBe(413);
    const tooMany = browseBatch(
      visitor,
      Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => ({ type: "product_view", productId: "7001" })),
    );
    expect((await postBrowseBatch(server.url, tooMany, { shop: SHOP })).status).toBe(400);
    const unknownType = browseBatch(visitor, [
      { type: "product_view", productId: "7001" },
      { type: "purchase", productId: "7001" },
    ]);
    expect((await postBrowseBatch(server.url, unknownType, { shop: SHOP })).status).toBe(400);
    expect((await postBrowseBatch(server.url, "not json", { shop: SHOP })).status).toBe(400);
    expect(await eventsOf(visitor)).toEqual([]);
  });

  it("405 for other methods", async () => {
    const response = await fetch(`${server.url}/proxy/events?${signedProxyQuery({ shop: SHOP })}`);
    expect(response.status).toBe(405);
  });
});

describe("rate limits", () => {
  it("limits one visitor (429 with Retry-After) without slowing other visitors", async () => {
    const visitor = newVisitorId();
    const batch = () => browseBatch(visitor, Array.from({ length: 20 }, () => ({ type: "product_view", productId: "7001" })));
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await postBrowseBatch(server.url, batch(), { shop: SHOP });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    // Default burst: 60 events per visitor.
    expect(statuses).toEqual([204, 204, 204, 429]);
    expect(await eventsOf(visitor)).toHaveLength(60);
    const other = newVisitorId();
    expect((await postBrowseBatch(server.url, browseBatch(other, [{ type: "cart_view" }]), { shop: SHOP })).status).toBe(204);
  });

  it("limits one shop per process without touching another shop", async () => {
    const limited = await startAppServer({
      DATABASE_URL: process.env.DATABASE_URL!,
      RUN_JOBS_IN_PROCESS: "false",
      STOREFRONT_SHOP_BURST: "30",
      STOREFRONT_SHOP_PER_SECOND: "1",
    });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 4; index += 1) {
        const visitor = newVisitorId();
        const batch = browseBatch(visitor, Array.from({ length: 10 }, () => ({ type: "cart_view" })));
        statuses.push((await postBrowseBatch(limited.url, batch, { shop: SHOP })).status);
      }
      expect(statuses).toEqual([204, 204, 204, 429]);
      const visitor = newVisitorId();
      const other = await postBrowseBatch(limited.url, browseBatch(visitor, [{ type: "product_view", productId: "7100" }]), {
        shop: OTHER_SHOP,
      });
      expect(other.status).toBe(204);
      expect(await eventsOf(visitor, OTHER_SHOP)).toHaveLength(1);
    } finally {
      await limited.stop();
    }
  });
});

describe("the signing helper", () => {
  it("agrees with @shopify/shopify-api's own app-proxy validator, repeated keys included", async () => {
    const api = shopifyApi({
      apiKey: TEST_API_KEY,
      apiSecretKey: TEST_API_SECRET,
      hostName: "app.example.test",
      apiVersion: ApiVersion.April26,
      isEmbeddedApp: true,
      logger: { level: LogSeverity.Error, log: async () => {} },
    });
    const params = {
      extra: ["1", "2"],
      shop: "shop-name.myshopify.com",
      logged_in_customer_id: "1",
      path_prefix: "/apps/awesome_reviews",
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    const query = new URLSearchParams([
      ["extra", "1"],
      ["extra", "2"],
      ...Object.entries(params).filter(([key]) => key !== "extra") as Array<[string, string]>,
      ["signature", appProxySignature(params)],
    ]);
    expect(await api.utils.validateHmac(query, { signator: "appProxy" })).toBe(true);
    query.set("logged_in_customer_id", "2");
    expect(await api.utils.validateHmac(query, { signator: "appProxy" })).toBe(false);
  });
});
