import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
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
  });

  it("shows north its own customer 1 when both shops have one", async () => {
    const response = await askAsNorth("app.customers.$id.tsx");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Ada");
    const db = await readyDb();
    expect(await db.customer.findUniqueOrThrow({ where: { shop_id: { shop: south.shop, id: "1" } } })).toMatchObject({ firstName: SOUTH_ONLY_NAME });
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
