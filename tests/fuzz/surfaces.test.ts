import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { inChunks } from "~/lib/chunks";
import { PROXY_PATH_PREFIX, appProxySignature } from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";
import { artifactsDir } from "../support/databases";
import { seedStoreWithSuggestion, type SeededStore } from "../support/seed-store";
import { sessionToken, storeOfflineSession } from "../support/session-token";
import { webhookHeaders } from "../support/webhooks";

// Hostile input against every surface the outside world reaches, through the real server: generated
// requests (fast-check), FUZZ_RUNS per surface (10,000 by default; `npm run test:fuzz`). For each:
// no 5xx, the server stays up, nothing stored from an unauthenticated request, and every
// authenticated webhook kept (applied, or kept as failed with its reason). The counts per surface go to
// tests/.artifacts/fuzz-results.json for docs/security.md.

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const TOPICS = ["orders/create", "products/update", "customers/create", "checkouts/create", "inventory_levels/update", "customers/redact", "shop/redact", "app/uninstalled"];

let server: AppServer;
let store: SeededStore;
const results: Array<{ surface: string; requests: number; statuses: Record<string, number>; kept?: number; mustKeep?: number }> = [];

beforeAll(async () => {
  store = await seedStoreWithSuggestion("fuzz.myshopify.com", "Fuzz Pottery");
  await storeOfflineSession(store.shop);
  server = await startAppServer({
    DATABASE_URL: process.env.DATABASE_URL!,
    ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString("base64")}`,
    // The signed back-in-stock run sends 10,000 requests for one shop: lift its buckets so the run
    // reaches validation and storage instead of 429s (the limits have their own tests).
    STOREFRONT_ALERT_SHOP_BURST: "1000000",
    STOREFRONT_ALERT_EMAIL_BURST: "1000000",
    STOREFRONT_ALERT_VISITOR_BURST: "1000000",
  });
}, 120_000);

afterAll(async () => {
  writeFileSync(join(artifactsDir, "fuzz-results.json"), `${JSON.stringify({ runs: RUNS, at: new Date().toISOString(), results }, null, 2)}\n`);
  await server?.stop();
});

/** Row counts of what an outside request could write. */
async function storedCounts() {
  const db = await readyDb();
  const [webhooks, browse, suppressions, emailEvents, sessions, connections, stockAlerts] = await Promise.all([
    db.webhookEvent.count(),
    db.browseEvent.count(),
    db.suppression.count(),
    db.emailEvent.count(),
    db.session.count(),
    db.espConnection.count(),
    db.stockAlertRequest.count(),
  ]);
  return { webhooks, browse, suppressions, emailEvents, sessions, connections, stockAlerts };
}

/** Runs a property over generated requests, tallying statuses; fails on any 5xx or network error. */
async function fuzz<T>(surface: string, arbitrary: fc.Arbitrary<T>, send: (input: T) => Promise<Response>, allowed: (status: number, input: T) => boolean) {
  const statuses: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const response = await send(input);
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      return response.status < 500 && allowed(response.status, input);
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  results.push({ surface, requests: RUNS, statuses });
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(200);
}

const text = fc.oneof(fc.string(), fc.string({ unit: "grapheme", maxLength: 40 }), fc.constantFrom("", "null", "{}", "[]", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "\u0000", "%00", "🦄".repeat(50)));
const jsonValue = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ id: fc.oneof(fc.integer(), text), admin_graphql_api_id: text, email: text, line_items: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) }));
// Back-in-stock bodies close to the real shape, so the fuzz gets past JSON parsing into validation.
const shopifyIdLike = fc.oneof(fc.constantFrom("1", "2", "3", "4", "999999", "0", "01", "gid://shopify/Product/1", "gid://shopify/ProductVariant/1"), fc.integer().map(String), text);
const emailLike = fc.oneof(fc.emailAddress(), fc.emailAddress().map((email) => ` ${email.toUpperCase()} `), text);
const stockAlertJson = fc
  .record(
    { v: fc.oneof(fc.constant(1), fc.jsonValue()), productId: shopifyIdLike, variantId: shopifyIdLike, email: emailLike, visitorId: fc.oneof(fc.uuid(), text), website: fc.oneof(fc.constant(""), text) },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));
// Well-formed; the product is the shop's (to keep) or not (404).
const validStockAlert = fc.record({ v: fc.constant(1), productId: fc.constantFrom("1", "2", "3", "4", "999999"), email: fc.stringMatching(/^[a-z][a-z0-9.]{0,20}@[a-z]{1,10}\.(com|org|shop)$/), website: fc.constant("") });

/** The product and address of a body the app must keep (the test's own, simpler reading of a valid request). */
function validStockAlertParts(body: string, products: Set<string>, suppressed: Set<string>): { productId: string; email: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const value = json as Record<string, unknown> | null;
  if (!value || typeof value !== "object" || Array.isArray(value) || Object.keys(value).sort().join() !== "email,productId,v,website") return undefined;
  const { v, productId, email, website } = value;
  if (v !== 1 || website !== "" || typeof productId !== "string" || !products.has(productId) || typeof email !== "string") return undefined;
  if (!/^[a-z][a-z0-9.]{0,20}@[a-z]{1,10}\.(com|org|shop)$/.test(email) || email.includes("..") || email.endsWith(".@") || suppressed.has(email)) return undefined;
  return { productId, email };
}

const shopDomain = fc.oneof(fc.constant("fuzz.myshopify.com"), fc.constant("other.myshopify.com"), text, fc.domain());

describe("hostile input, through the real server", () => {
  it("webhooks: forged or missing signatures are refused and stored nowhere", async () => {
    const before = await storedCounts();
    const request = fc.record({
      topic: fc.oneof(fc.constantFrom(...TOPICS), text),
      body: fc.oneof(jsonValue.map((value) => JSON.stringify(value)), text),
      shop: shopDomain,
      hmac: fc.oneof(fc.constant(undefined), text, fc.base64String({ minLength: 44, maxLength: 44 })),
      dropHeader: fc.constantFrom(undefined, "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-webhook-id", "content-type"),
    });
    await fuzz(
      "webhooks (forged)",
      request,
      ({ topic, body, shop, hmac, dropHeader }) => {
        const headers = webhookHeaders(encodeURIComponent(topic).slice(0, 60), body, { shop: String(shop).slice(0, 100) || "x", headers: { "x-shopify-hmac-sha256": hmac, ...(dropHeader && { [dropHeader]: undefined }) } });
        return fetch(`${server.url}/webhooks/${encodeURIComponent(topic).slice(0, 60)}`, { method: "POST", headers: sanitizeHeaders(headers), body });
      },
      (status) => status >= 400,
    );
    expect(await storedCounts()).toEqual(before);
  });

  /** Requests for an app proxy path whose signature is missing, forged, stale, truncated or another shop's. */
  const badlySignedProxyRequest = (body: fc.Arbitrary<string>) =>
    fc.record({
      params: fc.dictionary(fc.constantFrom("shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature", "x"), text, { maxKeys: 6 }),
      mode: fc.constantFrom("unsigned", "forged", "stale", "truncated", "wrong-shop"),
      body,
    });

  function sendBadlySigned(path: string, { params, mode, body }: { params: Record<string, string>; mode: string; body: string }) {
    const now = Math.floor(Date.now() / 1000);
    const query: Record<string, string> = { ...params };
    if (mode !== "unsigned") {
      Object.assign(query, { shop: mode === "wrong-shop" ? "other.myshopify.com" : store.shop, path_prefix: PROXY_PATH_PREFIX, logged_in_customer_id: "", timestamp: String(mode === "stale" ? now - 3_600 : now) });
      delete query.signature;
      const signature = appProxySignature(query);
      query.signature = mode === "forged" ? appProxySignature(query, "wrong-secret") : mode === "truncated" ? signature.slice(0, 32) : signature;
      if (mode === "wrong-shop") query.shop = store.shop; // signed for one shop, claims another
    }
    return fetch(`${server.url}/proxy/${path}?${new URLSearchParams(query)}`, { method: "POST", headers: { "content-type": "application/json", "user-agent": BROWSER }, body });
  }

  it("app proxy: unsigned, forged, stale or truncated requests store no browsing", async () => {
    const before = await storedCounts();
    await fuzz("app proxy events", badlySignedProxyRequest(fc.oneof(jsonValue.map((value) => JSON.stringify(value)), text)), (input) => sendBadlySigned("events", input), (status) => status >= 400);
    expect(await storedCounts()).toEqual(before);
  });

  it("app proxy back-in-stock requests: unsigned, forged, stale or truncated ones store nothing", async () => {
    const before = await storedCounts();
    await fuzz("app proxy stock alerts (badly signed)", badlySignedProxyRequest(fc.oneof(jsonValue.map((value) => JSON.stringify(value)), text, stockAlertJson, validStockAlert.map((value) => JSON.stringify(value)))), (input) => sendBadlySigned("stock-alerts", input), (status) => status >= 400);
    expect(await storedCounts()).toEqual(before);
  });

  it("app proxy back-in-stock requests, correctly signed, any body: never a 5xx, only real requests kept", async () => {
    const db = await readyDb();
    const products = new Set((await db.product.findMany({ where: { shop: store.shop, deletedAt: null }, select: { id: true } })).map((row) => row.id));
    const suppressed = new Set((await db.suppression.findMany({ where: { shop: store.shop }, select: { email: true } })).map((row) => row.email));
    const before = await storedCounts();
    // Requests built to be valid (a known product, a plain address, the honeypot empty) must all be kept.
    const mustKeep = new Set<string>();
    const request = fc.record({
      body: fc.oneof(jsonValue.map((value) => JSON.stringify(value)), text, stockAlertJson, validStockAlert.map((value) => JSON.stringify(value))),
      customerId: fc.oneof(fc.constant(""), fc.integer({ min: 1, max: 99_999 }).map(String), text),
      userAgent: fc.oneof(fc.constant(BROWSER), text),
    });
    await fuzz(
      "app proxy stock alerts (signed, arbitrary bodies)",
      request,
      async ({ body, customerId, userAgent }) => {
        const query = new URLSearchParams({ shop: store.shop, logged_in_customer_id: customerId, path_prefix: PROXY_PATH_PREFIX, timestamp: String(Math.floor(Date.now() / 1000)) });
        query.set("signature", appProxySignature(Object.fromEntries(query)));
        const response = await fetch(`${server.url}/proxy/stock-alerts?${query}`, {
          method: "POST",
          headers: sanitizeHeaders({ "content-type": "application/json", "user-agent": userAgent }),
          body,
        });
        const valid = validStockAlertParts(body, products, suppressed);
        if (response.status === 202 && valid && userAgent === BROWSER && /^[1-9]\d{0,19}$|^$/.test(customerId)) mustKeep.add(`${valid.productId}\u0000${valid.email}`);
        return response;
      },
      (status) => [202, 400, 404, 413].includes(status),
    );
    const rows = await db.stockAlertRequest.findMany({ where: { shop: store.shop }, select: { productId: true, email: true, customerId: true } });
    const kept = new Set(rows.map((row) => `${row.productId}\u0000${row.email}`));
    for (const key of mustKeep) expect(kept.has(key), key).toBe(true);
    // Whatever was kept is a real request: a product of the shop, a normalised address nobody suppressed.
    for (const row of rows) {
      expect(products.has(row.productId)).toBe(true);
      expect(row.email).toBe(row.email.trim().toLowerCase());
      expect(row.email).toMatch(/^[^@\s]+@[^@\s]+\.[^@\s]+$/);
      expect(suppressed.has(row.email)).toBe(false);
      if (row.customerId !== null) expect(row.customerId).toMatch(/^[1-9]\d{0,19}$/);
    }
    Object.assign(results[results.length - 1], { kept: rows.length, mustKeep: mustKeep.size });
    const after = await storedCounts();
    expect({ ...after, stockAlerts: before.stockAlerts }).toEqual(before);
    expect(after.stockAlerts - before.stockAlerts).toBe(rows.length);
  });

  it("unsubscribe and click links: made-up tokens change nothing and redirect nowhere", async () => {
    const before = await storedCounts();
    const token = fc.oneof(text, fc.base64String(), fc.stringMatching(/^[A-Za-z0-9_-]{10,200}\.[A-Za-z0-9_-]{10,60}$/));
    await fuzz(
      "unsubscribe and click links",
      fc.record({ token, kind: fc.constantFrom("unsubscribe", "click"), method: fc.constantFrom("GET", "POST") }),
      ({ token, kind, method }) =>
        fetch(`${server.url}/email/${kind}/${encodeURIComponent(token).slice(0, 500) || "x"}`, {
          method: kind === "click" ? "GET" : method,
          redirect: "manual",
          ...(method === "POST" && kind === "unsubscribe" && { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }),
        }),
      (status) => status >= 400,
    );
    expect(await storedCounts()).toEqual(before);
  });

  it("ESP event webhooks: unverifiable events are refused and stored nowhere", async () => {
    const before = await storedCounts();
    const request = fc.record({
      provider: fc.oneof(fc.constantFrom("smtp", "sendgrid", "postmark", "mandrill", "klaviyo"), text),
      shop: shopDomain,
      body: fc.oneof(jsonValue.map((value) => JSON.stringify(value)), text),
      auth: fc.oneof(fc.constant(undefined), text.map((value) => `Basic ${Buffer.from(value).toString("base64")}`)),
    });
    await fuzz(
      "ESP event webhooks",
      request,
      ({ provider, shop, body, auth }) =>
        fetch(`${server.url}/esp/${encodeURIComponent(provider).slice(0, 40) || "x"}/${encodeURIComponent(String(shop)).slice(0, 100) || "x"}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(auth && { authorization: auth }) },
          body,
        }),
      (status) => status >= 400,
    );
    expect(await storedCounts()).toEqual(before);
  });

  it("admin forms: any input from a signed-in merchant gets an answer, never a 500; without a session, nothing", async () => {
    const forms: Array<{ path: string; route: string }> = [
      { path: "/app/brand-voice", route: "routes/app.brand-voice" },
      { path: "/app/integrations", route: "routes/app.integrations" },
      { path: `/app/campaigns/${store.campaignId}`, route: "routes/app.campaigns.$id" },
      { path: "/app/activity", route: "routes/app.activity" },
    ];
    const fieldNames = fc.constantFrom("intent", "provider", "host", "port", "user", "pass", "apiKey", "senderEmail", "maxPercent", "frequencyCap", "quietStart", "quietEnd", "holdoutPercent", "languages", "subjects", "body", "step", "date", "time", "reason", "email", "id", "model", "monthlyBudget");
    const intents = fc.constantFrom("approve", "send_now", "schedule", "reject", "pause", "resume", "cancel", "edit", "test", "esp", "copy", "retry", "preview", "💥");
    const request = fc.record({
      form: fc.constantFrom(...forms),
      fields: fc.array(fc.tuple(fieldNames, fc.oneof(text, intents, fc.integer().map(String))), { maxLength: 12 }),
      signedIn: fc.boolean(),
    });
    const before = await storedCounts();
    await fuzz(
      "admin forms",
      request,
      ({ form, fields, signedIn }) => {
        const body = new URLSearchParams();
        // A real send needs an approved campaign and a connection: keep the merchant from approving
        // here, so the run tests parsing, not the mail queue.
        for (const [name, value] of fields) if (!(name === "intent" && ["approve", "send_now", "schedule"].includes(value))) body.append(name, value);
        const headers: Record<string, string> = { "user-agent": BROWSER, "content-type": "application/x-www-form-urlencoded" };
        if (signedIn) headers.authorization = `Bearer ${sessionToken(store.shop)}`;
        return fetch(`${server.url}${form.path}?_data=${encodeURIComponent(form.route)}`, { method: "POST", headers, body, redirect: "manual" });
      },
      (status, { signedIn }) => (signedIn ? status < 500 : status === 204 || status === 401 || status === 302),
    );
    const after = await storedCounts();
    expect(after.webhooks).toBe(before.webhooks);
    expect(after.sessions).toBe(before.sessions);
  });

  it("webhooks: a signed delivery with any body is acknowledged and kept, never lost", async () => {
    const db = await readyDb();
    const accepted = new Set<string>();
    // The privacy and uninstall topics erase the shop's data by design; their own tests cover them.
    const topics = TOPICS.filter((topic) => !["shop/redact", "customers/redact", "app/uninstalled"].includes(topic));
    const request = fc.record({ topic: fc.constantFrom(...topics), body: jsonValue.map((value) => JSON.stringify(value)), id: fc.uuid() });
    await fuzz(
      "webhooks (signed, arbitrary payloads)",
      request,
      async ({ topic, body, id }) => {
        const response = await fetch(`${server.url}/webhooks/${topic}`, { method: "POST", headers: webhookHeaders(topic, body, { shop: store.shop, webhookId: id, eventId: id }), body });
        if (response.status === 200) accepted.add(id);
        return response;
      },
      (status) => status === 200 || status === 413,
    );
    const kept = await inChunks([...accepted], (chunk) => db.webhookEvent.findMany({ where: { shop: store.shop, webhookId: { in: chunk } }, select: { id: true } }));
    expect(kept.length).toBe(accepted.size);
  });
});

/** fetch refuses header values with control characters: those never reach a server anyway. */
function sanitizeHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace(/[^\x20-\x7e]/g, "?")]));
}
