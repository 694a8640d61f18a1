import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import {
  PROXY_PATH_PREFIX,
  appProxySignature,
  newVisitorId,
  postStockAlert,
  seedStorefrontShop,
  signedProxyQuery,
  stockAlertBody,
} from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";

// "Email me when it's back" requests as Shopify's app proxy forwards them (signed query, JSON body),
// through the real built server (Express + Remix + authenticate.appProxy), checked in the database.

const SHOP = "alerts-proxy.myshopify.com";
const OTHER_SHOP = "alerts-proxy-other.myshopify.com";
const NOT_INSTALLED = "alerts-proxy-gone.myshopify.com";

let server: AppServer;
let counter = 0;
/** A fresh address per request keeps each test clear of the per-address bucket of the others. */
const freshEmail = (label: string) => `${label}-${++counter}@example.com`;

beforeAll(async () => {
  const db = await readyDb();
  await seedStorefrontShop(db, SHOP, { "7001": ["8001", "8002"], "7002": ["8003"] });
  await seedStorefrontShop(db, OTHER_SHOP, { "7100": ["8100"] });
  await db.product.create({ data: { shop: SHOP, id: "7009", title: "Gone", handle: "gone", deletedAt: new Date() } });
  // A shop without a session (uninstalled) can still have products in its mirror.
  await db.product.create({ data: { shop: NOT_INSTALLED, id: "7001", title: "Orphan", handle: "orphan" } });
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
});

afterAll(async () => {
  await server?.stop();
});

async function requestsOf(email: string, shop = SHOP) {
  const db = await readyDb();
  return db.stockAlertRequest.findMany({ where: { shop, email } });
}

async function totalRequests() {
  return (await readyDb()).stockAlertRequest.count();
}

describe("accepted requests", () => {
  it("202 and one pending request: address normalised, customer from Shopify's signature only", async () => {
    const email = freshEmail("ann");
    const visitorId = newVisitorId();
    const before = Date.now();
    const response = await postStockAlert(
      server.url,
      stockAlertBody({ variantId: "8002", email: `  ${email.toUpperCase()} `, visitorId, customerId: "999" }),
      { shop: SHOP, customerId: "4242" },
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("cache-control")).toBe("no-store");
    const [row, ...rest] = await requestsOf(email);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ productId: "7001", variantId: "8002", customerId: "4242", visitorId, notifiedAt: null, campaignId: null });
    expect(row.requestedAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("an anonymous shopper's request has no customer, whatever the body claims", async () => {
    const email = freshEmail("anon");
    const response = await postStockAlert(server.url, stockAlertBody({ email, customerId: "4242", logged_in_customer_id: "4242" }), { shop: SHOP });
    expect(response.status).toBe(202);
    expect(await requestsOf(email)).toMatchObject([{ customerId: null, visitorId: null, variantId: null }]);
  });

  it("takes Shopify's GIDs as well as the legacy ids", async () => {
    const email = freshEmail("gid");
    const body = stockAlertBody({ productId: "gid://shopify/Product/7002", variantId: "gid://shopify/ProductVariant/8003", email });
    expect((await postStockAlert(server.url, body, { shop: SHOP })).status).toBe(202);
    expect(await requestsOf(email)).toMatchObject([{ productId: "7002", variantId: "8003" }]);
  });

  it("is idempotent: the same product and address again renews the one row and makes it pending again", async () => {
    const db = await readyDb();
    const email = freshEmail("twice");
    expect((await postStockAlert(server.url, stockAlertBody({ email, variantId: "8001" }), { shop: SHOP, customerId: "77" })).status).toBe(202);
    const [first] = await requestsOf(email);
    await db.stockAlertRequest.update({ where: { id: first.id }, data: { notifiedAt: new Date(), campaignId: "campaign-x", requestedAt: new Date(Date.now() - 86_400_000) } });

    expect((await postStockAlert(server.url, stockAlertBody({ email, variantId: "8002" }), { shop: SHOP })).status).toBe(202);
    const rows = await requestsOf(email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.id, variantId: "8002", notifiedAt: null, campaignId: null, customerId: "77" });
    expect(rows[0].requestedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    // Another product is another request.
    expect((await postStockAlert(server.url, stockAlertBody({ email, productId: "7002" }), { shop: SHOP })).status).toBe(202);
    expect(await requestsOf(email)).toHaveLength(2);
  });

  it("accepts extra storefront query parameters that Shopify signed along", async () => {
    const email = freshEmail("extra");
    const query = signedProxyQuery({ shop: SHOP, extra: { locale: "fr", utm_source: "mail" } });
    expect((await postStockAlert(server.url, stockAlertBody({ email }), { shop: SHOP, query })).status).toBe(202);
    expect(await requestsOf(email)).toHaveLength(1);
  });
});

describe("answered as accepted, nothing kept", () => {
  it("an address on the shop's suppression list: the same answer as a kept request", async () => {
    const db = await readyDb();
    const email = freshEmail("unsubscribed");
    await db.suppression.create({ data: { shop: SHOP, email, reason: "unsubscribed" } });
    const response = await postStockAlert(server.url, stockAlertBody({ email }), { shop: SHOP });
    const kept = await postStockAlert(server.url, stockAlertBody({ email: freshEmail("control") }), { shop: SHOP });
    expect([response.status, await response.json()]).toEqual([kept.status, await kept.json()]);
    expect(response.status).toBe(202);
    expect(await requestsOf(email)).toEqual([]);
  });

  it("the honeypot filled in", async () => {
    const email = freshEmail("honeypot");
    const response = await postStockAlert(server.url, stockAlertBody({ email, website: "http://spam.example" }), { shop: SHOP });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ ok: true });
    expect(await requestsOf(email)).toEqual([]);
  });

  it("a bot user agent", async () => {
    const email = freshEmail("bot");
    const response = await postStockAlert(server.url, stockAlertBody({ email }), {
      shop: SHOP,
      userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    });
    expect(response.status).toBe(202);
    expect(await requestsOf(email)).toEqual([]);
  });

  it("a shop without an offline session (not installed), even for a product in its mirror", async () => {
    const email = freshEmail("gone");
    const response = await postStockAlert(server.url, stockAlertBody({ email }), { shop: NOT_INSTALLED });
    expect(response.status).toBe(202);
    expect(await requestsOf(email, NOT_INSTALLED)).toEqual([]);
  });
});

describe("refused requests store nothing", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ["a forged signature", { secret: "not-the-app-secret" }],
    ["a stale timestamp (10 minutes old)", { timestamp: now() - 600 }],
    ["a timestamp from the future", { timestamp: now() + 600 }],
  ])("400 for %s", async (_what, options) => {
    const email = freshEmail("forged");
    const response = await postStockAlert(server.url, stockAlertBody({ email }), { shop: SHOP, ...options });
    expect(response.status).toBe(400);
    expect(await requestsOf(email)).toEqual([]);
  });

  it("400 for a truncated, missing or tampered signature, and for one signed for another shop", async () => {
    const before = await totalRequests();
    const body = stockAlertBody({ email: freshEmail("tampered") });
    const signed = new URLSearchParams(signedProxyQuery({ shop: SHOP, customerId: "1" }));
    const truncated = new URLSearchParams(signed);
    truncated.set("signature", signed.get("signature")!.slice(0, 32));
    const tampered = new URLSearchParams(signed);
    tampered.set("logged_in_customer_id", "2");
    const unsigned = new URLSearchParams({ shop: SHOP, logged_in_customer_id: "", path_prefix: PROXY_PATH_PREFIX, timestamp: String(now()) });
    // Signed for the other shop, sent as this one: the shop is part of the signature.
    const otherShop = new URLSearchParams(signedProxyQuery({ shop: OTHER_SHOP }));
    otherShop.set("shop", SHOP);
    for (const query of [truncated, tampered, unsigned, otherShop]) {
      expect((await postStockAlert(server.url, body, { shop: SHOP, query: query.toString() })).status).toBe(400);
    }
    expect(await totalRequests()).toBe(before);
  });

  it("400 for a signed customer id that is not one", async () => {
    const email = freshEmail("customer");
    const query = new URLSearchParams({ shop: SHOP, logged_in_customer_id: "abc", path_prefix: PROXY_PATH_PREFIX, timestamp: String(now()) });
    query.set("signature", appProxySignature(Object.fromEntries(query)));
    expect((await postStockAlert(server.url, stockAlertBody({ email }), { shop: SHOP, query: query.toString() })).status).toBe(400);
    expect(await requestsOf(email)).toEqual([]);
  });

  it("413 for an oversized body, declared or streamed", async () => {
    const email = freshEmail("huge");
    const huge = JSON.stringify({ ...stockAlertBody({ email }), padding: "x".repeat(8 * 1024) });
    const declared = await postStockAlert(server.url, huge, { shop: SHOP });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ ok: false, error: "too_large" });
    // No content-length: the limit is counted while reading. node:http hands over the 413 even
    // though the server stops reading mid-upload (fetch would report the closed socket instead).
    const streamed = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${server.url}/proxy/stock-alerts?${signedProxyQuery({ shop: SHOP })}`);
      const request = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" || error.code === "EPIPE" ? undefined : reject(error)));
      request.on("close", () => reject(new Error("the connection closed without an answer")));
      for (let offset = 0; offset < huge.length; offset += 1_000) request.write(huge.slice(offset, offset + 1_000));
      request.end();
    });
    expect(streamed).toBe(413);
    expect(await requestsOf(email)).toEqual([]);
  });

  it.each([
    ["not JSON", "email=ann@example.com&productId=7001", "invalid_request"],
    ["no version", JSON.stringify({ productId: "7001", email: "ann@example.com" }), "invalid_request"],
    ["no product", JSON.stringify({ v: 1, email: "ann@example.com" }), "invalid_request"],
    ["a product id that is not Shopify's", JSON.stringify(stockAlertBody({ productId: "../7001" })), "invalid_request"],
    ["a numeric product id", JSON.stringify(stockAlertBody({ productId: 7001 as unknown as string })), "invalid_request"],
    ["a variant id that is not Shopify's", JSON.stringify(stockAlertBody({ variantId: "8001 OR 1=1" })), "invalid_request"],
    ["a malformed address", JSON.stringify(stockAlertBody({ email: "ann(at)example.com" })), "invalid_email"],
    ["an empty address", JSON.stringify(stockAlertBody({ email: "" })), "invalid_email"],
  ])("400 for %s", async (_what, body, error) => {
    const before = await totalRequests();
    const response = await postStockAlert(server.url, body, { shop: SHOP });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false, error });
    expect(await totalRequests()).toBe(before);
  });

  it.each([
    ["an unknown product", { productId: "123456" }],
    ["a deleted product", { productId: "7009" }],
    ["a variant of another product", { productId: "7002", variantId: "8001" }],
    ["an unknown variant", { productId: "7001", variantId: "999999" }],
  ])("404 for %s", async (_what, ids) => {
    const email = freshEmail("unknown");
    const response = await postStockAlert(server.url, stockAlertBody({ email, ...ids }), { shop: SHOP });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, error: "unknown_product" });
    expect(await requestsOf(email)).toEqual([]);
  });

  it("404 for another shop's product posted with this shop's signature; nothing stored in either shop", async () => {
    const email = freshEmail("cross");
    const product = await postStockAlert(server.url, stockAlertBody({ email, productId: "7100" }), { shop: SHOP });
    expect(product.status).toBe(404);
    const variant = await postStockAlert(server.url, stockAlertBody({ email, productId: "7001", variantId: "8100" }), { shop: SHOP });
    expect(variant.status).toBe(404);
    // And the other way round: this shop's product with the other shop's signature.
    expect((await postStockAlert(server.url, stockAlertBody({ email, productId: "7001" }), { shop: OTHER_SHOP })).status).toBe(404);
    expect(await requestsOf(email)).toEqual([]);
    expect(await requestsOf(email, OTHER_SHOP)).toEqual([]);
  });

  it("405 for other methods", async () => {
    const response = await fetch(`${server.url}/proxy/stock-alerts?${signedProxyQuery({ shop: SHOP })}`);
    expect(response.status).toBe(405);
  });
});

describe("rate limits", () => {
  it("one address: 429 with Retry-After after the burst (10), other addresses unaffected", async () => {
    const email = freshEmail("flood");
    const statuses: number[] = [];
    let retryAfter = 0;
    for (let index = 0; index < 11; index += 1) {
      const response = await postStockAlert(server.url, stockAlertBody({ email, productId: index % 2 ? "7001" : "7002" }), { shop: SHOP });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = Number(response.headers.get("retry-after"));
        expect(await response.json()).toEqual({ ok: false, error: "rate_limited" });
      }
    }
    expect(statuses).toEqual([...Array(10).fill(202), 429]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect((await postStockAlert(server.url, stockAlertBody({ email: freshEmail("calm") }), { shop: SHOP })).status).toBe(202);
  });

  it("one visitor id rotating addresses: 429 after the burst (10)", async () => {
    const visitorId = newVisitorId();
    const statuses: number[] = [];
    const emails: string[] = [];
    for (let index = 0; index < 11; index += 1) {
      const email = freshEmail("rotating");
      emails.push(email);
      statuses.push((await postStockAlert(server.url, stockAlertBody({ email, visitorId }), { shop: SHOP })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(202), 429]);
    expect(await requestsOf(emails[10])).toEqual([]);
  });

  it("one shop per process (the backstop) without touching another shop", async () => {
    const limited = await startAppServer({
      DATABASE_URL: process.env.DATABASE_URL!,
      RUN_JOBS_IN_PROCESS: "false",
      STOREFRONT_ALERT_SHOP_BURST: "3",
      STOREFRONT_ALERT_SHOP_PER_SECOND: "0.01",
    });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 4; index += 1) {
        statuses.push((await postStockAlert(limited.url, stockAlertBody({ email: freshEmail("shop-flood") }), { shop: SHOP })).status);
      }
      expect(statuses).toEqual([202, 202, 202, 429]);
      const email = freshEmail("other-shop");
      expect((await postStockAlert(limited.url, stockAlertBody({ email, productId: "7100" }), { shop: OTHER_SHOP })).status).toBe(202);
      expect(await requestsOf(email, OTHER_SHOP)).toHaveLength(1);
    } finally {
      await limited.stop();
    }
  });
});
