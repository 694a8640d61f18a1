import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { type AppServer, startAppServer } from "../support/app-server";
import { seedStoreWithSuggestion, type SeededStore } from "../support/seed-store";
import { sessionToken, storeOfflineSession } from "../support/session-token";

// The admin pages' loaders and actions through the real server, authenticated the way Shopify admin
// does it (a session token from App Bridge, an offline session stored at install).

let server: AppServer;
let north: SeededStore;
let south: SeededStore;

beforeAll(async () => {
  north = await seedStoreWithSuggestion("north.myshopify.com", "North Pottery");
  south = await seedStoreWithSuggestion("south.myshopify.com", "South Pottery", { idBase: 1000 });
  await storeOfflineSession(north.shop);
  await storeOfflineSession(south.shop);
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

// Shopify's auth answers 410 to anything that looks like a bot, and Node's fetch does.
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

/** A Remix data request for one route (what the browser's client-side navigation sends). */
function data(path: string, route: string, init: RequestInit & { as?: string } = {}) {
  const url = new URL(path, server.url);
  url.searchParams.set("_data", route);
  const headers = new Headers({ "user-agent": BROWSER, ...Object.fromEntries(new Headers(init.headers)) });
  if (init.as) headers.set("authorization", `Bearer ${sessionToken(init.as)}`);
  return fetch(url, { ...init, headers, redirect: "manual" });
}

const post = (path: string, route: string, as: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return data(path, route, { method: "POST", body, as });
};

describe("authentication", () => {
  it("sends a request without a session token to login instead of answering with data", async () => {
    const response = await data("/app/campaigns", "routes/app.campaigns._index");
    // Remix turns a loader's redirect into 204 + X-Remix-Redirect for data requests.
    expect(response.status).toBe(204);
    expect(response.headers.get("x-remix-redirect")).toMatch(/^\/auth\/login/);
    expect(await response.text()).not.toContain(north.campaignTitle);
  });

  it("answers 401 to a session token signed with the wrong secret, and to an expired one", async () => {
    for (const token of [sessionToken(north.shop, { secret: "not-the-app-secret" }), sessionToken(north.shop, { expiresInSeconds: -120 })]) {
      const response = await data("/app/campaigns", "routes/app.campaigns._index", { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(401);
      expect(response.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    }
  });

  it("renders the embedded page for a document request carrying id_token", async () => {
    const url = new URL("/app/campaigns", server.url);
    url.search = new URLSearchParams({ shop: north.shop, host: Buffer.from(`${north.shop}/admin`).toString("base64url"), embedded: "1", id_token: sessionToken(north.shop) }).toString();
    const response = await fetch(url, { headers: { "user-agent": BROWSER } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(north.campaignTitle);
    expect(html).toContain('data-api-key="test-api-key"'); // App Bridge is loaded
    expect(html).toContain(north.campaignId);
    expect(html).not.toContain(south.campaignId);
  });
});

describe("shop isolation", () => {
  it("lists only the authenticated shop's campaigns", async () => {
    const response = await data("/app/campaigns", "routes/app.campaigns._index", { as: north.shop });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rows: Array<{ id: string }> };
    expect(body.rows.map((row) => row.id)).toContain(north.campaignId);
    expect(body.rows.map((row) => row.id)).not.toContain(south.campaignId);
  });

  it("answers 404 for another shop's campaign and customer, and refuses to act on them", async () => {
    expect((await data(`/app/campaigns/${south.campaignId}`, "routes/app.campaigns.$id", { as: north.shop })).status).toBe(404);
    expect((await data(`/app/campaigns/${south.campaignId}/preview?recipientId=${south.recipients[0].id}`, "routes/app.campaigns.$id.preview", { as: north.shop })).status).toBe(404);
    expect((await data(`/app/customers/${south.recipients[0].customerId}`, "routes/app.customers.$id", { as: north.shop })).status).toBe(404);

    const approve = await post(`/app/campaigns/${south.campaignId}`, "routes/app.campaigns.$id", north.shop, { intent: "approve" });
    expect(approve.status).toBe(400);
    expect((await db().campaign.findUniqueOrThrow({ where: { id: south.campaignId } })).status).toBe("suggested");
  });

  it("searches customers within the shop only", async () => {
    const own = await data("/app/customers?q=shopper1001", "routes/app.customers._index", { as: south.shop });
    expect(((await own.json()) as { rows: Array<{ email: string | null }> }).rows.map((row) => row.email)).toEqual(["shopper1001@example.com"]);
    const other = await data("/app/customers?q=shopper1001", "routes/app.customers._index", { as: north.shop });
    expect(((await other.json()) as { rows: unknown[] }).rows).toEqual([]);
  });

  it("shows the home overview from the shop's own data", async () => {
    const response = await data("/app", "routes/app._index", { as: north.shop });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { counts: { customers: number; products: number }; waiting: Array<{ id: string }>; themeEditorUrl: string };
    expect(body.counts).toMatchObject({ customers: 6, products: 4 });
    expect(body.waiting.map((w) => w.id)).toContain(north.campaignId);
    expect(body.waiting.map((w) => w.id)).not.toContain(south.campaignId);
    expect(body.themeEditorUrl).toBe("https://north.myshopify.com/admin/themes/current/editor?context=apps&activateAppId=test-api-key/browse-capture");
  });
});

describe("invalid form input returns field errors, never a 500", () => {
  it("brand voice: a bad address, discount and language", async () => {
    const response = await post("/app/brand-voice", "routes/app.brand-voice", north.shop, {
      tonePreset: "warm",
      senderName: "",
      senderEmail: "not-an-email",
      physicalAddress: "x",
      maxPercent: "150",
      frequencyCap: "3",
      capWindowDays: "7",
      quietStart: "21",
      quietEnd: "8",
      languages: "English",
      holdoutPercent: "10",
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { ok: boolean; fieldErrors: Record<string, string> };
    expect(body.ok).toBe(false);
    expect(Object.keys(body.fieldErrors).sort()).toEqual(["languages", "maxPercent", "physicalAddress", "senderEmail", "senderName"].sort());
  });

  it("campaign edit: an empty subject and a one-word preview", async () => {
    const response = await post(`/app/campaigns/${north.campaignId}`, "routes/app.campaigns.$id", north.shop, {
      intent: "edit",
      step: "0",
      subjects: ["", "ab"],
      previewText: "short",
      headline: "A new teapot",
      body: "It pours well.",
      callToAction: "Shop now",
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fieldErrors: Record<string, string> };
    expect(body.fieldErrors).toHaveProperty("previewText");
    expect(Object.keys(body.fieldErrors).some((key) => key.startsWith("subjects"))).toBe(true);
  });

  it("campaign actions: reject without a reason, schedule in the past, an unknown intent", async () => {
    const path = `/app/campaigns/${north.campaignId}`;
    const route = "routes/app.campaigns.$id";
    const reject = await post(path, route, north.shop, { intent: "reject", reason: "" });
    expect(reject.status).toBe(400);
    expect(((await reject.json()) as { fieldErrors: Record<string, string> }).fieldErrors).toHaveProperty("reason");
    const past = await post(path, route, north.shop, { intent: "schedule", date: "2020-01-01", time: "09:00" });
    expect(past.status).toBe(400);
    expect(((await past.json()) as { fieldErrors: Record<string, string> }).fieldErrors).toHaveProperty("date");
    const unknown = await post(path, route, north.shop, { intent: "explode" });
    expect(unknown.status).toBe(400);
    const test = await post(path, route, north.shop, { intent: "test", email: "nobody" });
    expect(test.status).toBe(400);
    expect((await db().campaign.findUniqueOrThrow({ where: { id: north.campaignId } })).status).toBe("suggested");
  });

  it("integrations: an SMTP form without a host, and an LLM budget that is not a number", async () => {
    const smtp = await post("/app/integrations", "routes/app.integrations", north.shop, { intent: "connect", provider: "smtp", port: "abc" });
    expect(smtp.status).toBe(400);
    expect(((await smtp.json()) as { fieldErrors: Record<string, string> }).fieldErrors).toHaveProperty("host");
    const copy = await post("/app/integrations", "routes/app.integrations", north.shop, { intent: "copy", provider: "openai", model: "gpt-4o-mini", monthlyBudget: "lots" });
    expect(copy.status).toBe(400);
    expect(((await copy.json()) as { fieldErrors: Record<string, string> }).fieldErrors).toHaveProperty("monthlyBudget");
  });

  it("activity: retrying nothing, an unknown delivery, and another shop's failed delivery", async () => {
    const southFailure = await db().webhookEvent.create({
      data: { shop: south.shop, topic: "orders/create", webhookId: "w-south-1", apiVersion: "2025-10", payload: "{}", status: "failed", lastError: "boom" },
    });
    const route = "routes/app.activity";
    expect((await post("/app/activity", route, north.shop, {})).status).toBe(400);
    expect((await post("/app/activity", route, north.shop, { webhookEventId: "no-such-event" })).status).toBe(409);
    expect((await post("/app/activity", route, north.shop, { webhookEventId: southFailure.id })).status).toBe(409);
    expect((await db().webhookEvent.findUniqueOrThrow({ where: { id: southFailure.id } })).status).toBe("failed");
    expect((await post("/app/activity", route, south.shop, { webhookEventId: southFailure.id })).status).toBe(200);
  });
});
