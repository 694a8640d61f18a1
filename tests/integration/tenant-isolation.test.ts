import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
import { postBrowseBatch, browseBatch, newVisitorId, postStockAlert, stockAlertBody } from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";
import { ingest } from "../support/ingest";
import { seedStoreWithSuggestion, type SeededStore } from "../support/seed-store";
import { sessionToken, storeOfflineSession } from "../support/session-token";
import { customerPayload } from "../support/shopify-payloads";

// Two shops whose Shopify ids overlap (customer 1, product 1, order 100 exist in both, as they can in
// real life: ids are per platform, but tests and imports reuse them). Every admin route, asked by one
// shop with the other shop's ids, answers with its own shop's data or 404; jobs for one shop leave the
// other's rows alone. The route list is checked against app/routes, so a new page must be added here.

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const SOUTH_ONLY_NAME = "Zebulon";
// South's back-in-stock requests: one made by its customer 1 while logged in, one for a product only south has.
const SOUTH_ALERT_EMAIL = "zebulon-alert@south.example";
const SOUTH_ONLY_PRODUCT = "9001";
const NORTH_ALERT_EMAIL = "ada-alert@north.example";

let server: AppServer;
let north: SeededStore;
let south: SeededStore;
let southSendId: string;

beforeAll(async () => {
  north = await seedStoreWithSuggestion("north-iso.myshopify.com", "North Pottery");
  south = await seedStoreWithSuggestion("south-iso.myshopify.com", "South Pottery"); // same ids
  await ingest(south.shop, "customers/update", { ...customerPayload(1, "subscribed", new Date(Date.now() - 86_400_000), { first: SOUTH_ONLY_NAME, last: "South" }), updated_at: new Date().toISOString() });
  await storeOfflineSession(north.shop);
  await storeOfflineSession(south.shop);
  const recipient = south.recipients[0];
  const send = await (await readyDb()).send.create({
    data: { shop: south.shop, campaignId: south.campaignId, step: 0, recipientId: recipient.id, customerId: recipient.customerId, email: recipient.email, idempotencyKey: `iso-${recipient.id}`, status: "sent", scheduledAt: new Date(), sentAt: new Date() },
  });
  southSendId = send.id;
  const db = await readyDb();
  await db.product.create({ data: { shop: south.shop, id: SOUTH_ONLY_PRODUCT, title: "South Pottery Vase", handle: "vase" } });
  const requestedAt = new Date();
  await db.stockAlertRequest.createMany({
    data: [
      { shop: south.shop, productId: "1", email: SOUTH_ALERT_EMAIL, customerId: "1", requestedAt },
      { shop: south.shop, productId: SOUTH_ONLY_PRODUCT, email: "someone@south.example", requestedAt },
      { shop: north.shop, productId: "2", email: NORTH_ALERT_EMAIL, customerId: "1", requestedAt },
    ],
  });
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

/** Every admin route with a loader, as north would ask it with south's ids where the path takes one. */
const ADMIN_ROUTES: Record<string, () => string> = {
  "app._index.tsx": () => "/app",
  "app.activity.tsx": () => "/app/activity",
  "app.brand-voice.tsx": () => "/app/brand-voice",
  "app.integrations.tsx": () => "/app/integrations",
  "app.campaigns._index.tsx": () => "/app/campaigns?tab=review",
  "app.campaigns.$id.tsx": () => `/app/campaigns/${south.campaignId}`,
  "app.campaigns.$id.preview.tsx": () => `/app/campaigns/${south.campaignId}/preview?recipientId=${south.recipients[0].id}&step=0&variant=0`,
  "app.campaigns.$id.recipients.tsx": () => `/app/campaigns/${south.campaignId}/recipients?q=shopper`,
  "app.customers._index.tsx": () => `/app/customers?q=${SOUTH_ONLY_NAME}`,
  "app.customers.$id.tsx": () => "/app/customers/1",
  "app.campaigns.new.tsx": () => "/app/campaigns/new",
  "app.sends.$id.tsx": () => `/app/sends/${southSendId}`,
  "app.learning.tsx": () => "/app/learning",
  "app.flows.tsx": () => "/app/flows",
  "app.demo-inbox.tsx": () => "/app/demo-inbox", // demo mode only: 404 here
};

/** Every storefront (app proxy) route, as north's storefront would send it for a product id and address. */
const PROXY_ROUTES: Record<string, (productId: string, email: string) => Promise<Response>> = {
  "proxy.events.tsx": (productId) => postBrowseBatch(server.url, browseBatch(newVisitorId(), [{ type: "product_view", productId }]), { shop: north.shop, customerId: "1" }),
  "proxy.stock-alerts.tsx": (productId, email) => postStockAlert(server.url, stockAlertBody({ productId, email }), { shop: north.shop, customerId: "1" }),
};

function routeId(file: string) {
  return `routes/${file.replace(/\.tsx$/, "")}`;
}

async function askAsNorth(file: string) {
  const url = new URL(ADMIN_ROUTES[file](), server.url);
  url.searchParams.set("_data", routeId(file));
  return fetch(url, { headers: { "user-agent": BROWSER, authorization: `Bearer ${sessionToken(north.shop)}` }, redirect: "manual" });
}

describe("tenant isolation with overlapping Shopify ids", () => {
  it("covers every admin page", () => {
    const files = readdirSync(join(import.meta.dirname, "..", "..", "app", "routes")).filter((file) => file.startsWith("app.") && file !== "app.tsx");
    expect(files.sort()).toEqual(Object.keys(ADMIN_ROUTES).sort());
  });

  it.each(Object.keys(ADMIN_ROUTES))("%s answers north with north's data only", async (file) => {
    const response = await askAsNorth(file);
    const body = await response.text();
    expect([200, 404]).toContain(response.status);
    expect(body).not.toContain(south.campaignId);
    expect(body).not.toContain(south.recipients[0].id);
    expect(body).not.toContain(southSendId);
    expect(body).not.toContain("South Pottery");
    expect(body).not.toContain(SOUTH_ONLY_NAME);
    expect(body).not.toContain(SOUTH_ALERT_EMAIL);
    expect(body).not.toContain("South Pottery Vase");
  });

  it("shows north its own back-in-stock requests: one pending on the home page, customer 1's on their page", async () => {
    const home = await (await askAsNorth("app._index.tsx")).json();
    expect(home.stockAlerts).toMatchObject({ pending: 1, products: 1, top: [{ productId: "2", pending: 1 }] });
    const customer = await (await askAsNorth("app.customers.$id.tsx")).json();
    expect(customer.stockAlerts.map((alert: { email: string }) => alert.email)).toEqual([NORTH_ALERT_EMAIL]);
  });

  it("shows north its own customer 1 when both shops have one", async () => {
    const response = await askAsNorth("app.customers.$id.tsx");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Ada");
    const db = await readyDb();
    expect(await db.customer.findUniqueOrThrow({ where: { shop_id: { shop: south.shop, id: "1" } } })).toMatchObject({ firstName: SOUTH_ONLY_NAME });
  });

  it("covers every app proxy route, and none stores anything for south when north's signature carries south's ids", async () => {
    const files = readdirSync(join(import.meta.dirname, "..", "..", "app", "routes")).filter((file) => file.startsWith("proxy."));
    expect(files.sort()).toEqual(Object.keys(PROXY_ROUTES).sort());
    const db = await readyDb();
    const southRows = async () => ({
      events: await db.browseEvent.count({ where: { shop: south.shop } }),
      alerts: await db.stockAlertRequest.findMany({ where: { shop: south.shop }, orderBy: { id: "asc" } }),
    });
    const before = await southRows();
    for (const send of Object.values(PROXY_ROUTES)) {
      // South's own product: unknown to north's mirror.
      expect((await send(SOUTH_ONLY_PRODUCT, `north-${newVisitorId()}@north.example`)).status).toBeLessThan(500);
      // An id both shops have, asked by south's customer id in north's name: north's row or none, never south's.
      expect((await send("1", SOUTH_ALERT_EMAIL)).status).toBeLessThan(500);
    }
    expect(await southRows()).toEqual(before);
    expect(await db.browseEvent.count({ where: { shop: north.shop, productId: SOUTH_ONLY_PRODUCT } })).toBe(0);
    expect(await db.stockAlertRequest.count({ where: { shop: north.shop, productId: SOUTH_ONLY_PRODUCT } })).toBe(0);
    expect(await db.stockAlertRequest.findMany({ where: { shop: north.shop, email: SOUTH_ALERT_EMAIL } })).toMatchObject([{ productId: "1", customerId: "1" }]);
  });

  it("a back-in-stock request for south's product with north's signature is 404", async () => {
    const response = await postStockAlert(server.url, stockAlertBody({ productId: SOUTH_ONLY_PRODUCT, email: "probe@north.example" }), { shop: north.shop });
    expect(response.status).toBe(404);
  });

  it("a full insights recompute of one shop leaves the other shop's rows as they were", async () => {
    const db = await readyDb();
    const snapshot = async () => ({
      insights: await db.customerInsight.findMany({ where: { shop: south.shop }, orderBy: { customerId: "asc" } }),
      affinities: await db.customerAffinity.count({ where: { shop: south.shop } }),
      model: await db.shopInsightModel.findUnique({ where: { shop: south.shop } }),
    });
    const before = await snapshot();
    await ingest(north.shop, "customers/delete", { id: 2, admin_graphql_api_id: "gid://shopify/Customer/2" });
    await recomputeShopInsights(db, north.shop, new Date());
    expect(await snapshot()).toEqual(before);
    expect(await db.customer.findUniqueOrThrow({ where: { shop_id: { shop: south.shop, id: "2" } } })).toMatchObject({ deletedAt: null, email: "shopper2@example.com" });
  });
});
