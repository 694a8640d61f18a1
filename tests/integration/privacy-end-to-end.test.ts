import { randomBytes } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setCampaignHoldout } from "~/campaigns/holdout.server";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { saveConnection } from "~/delivery/connections.server";
import { suppressedAmong } from "~/delivery/suppression.server";
import { shopScopedModels } from "~/ingest/privacy.server";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { markInstalled } from "~/shops/shops.server";
import { shopSessionStorage } from "~/shops/session-storage.server";
import { type AppServer, startAppServer } from "../support/app-server";
import { testEnv } from "../support/env";
import { type FakeAdminApi, startFakeAdminApi } from "../support/fake-admin-api";
import { browseBatch, postBrowseBatch } from "../support/app-proxy";
import { countsFor, describeFindings, rowIn, rowsMentioning } from "../support/privacy-scan";
import { sessionToken } from "../support/session-token";
import { checkoutPayload, customerPayload, orderPayload, productPayload } from "../support/shopify-payloads";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink";
import { waitFor } from "../support/wait";
import { postWebhook } from "../support/webhooks";

// Privacy end to end, through the built server: a customer arrives by webhooks and the storefront, is
// mailed a campaign with a single-use code through a real SMTP server, clicks, orders with the code,
// unsubscribes; the merchant asks for their data; then customers/redact. Every column of every table
// is scanned for them before (the export must hold every row that names them) and after (nothing may
// name them; what is kept is listed below with its reason). Every log line of the server and of this
// process is checked for them and for secrets. shop/redact then empties a shop and leaves another be.

const shop = "privacy-e2e.myshopify.com";
const bystanderShop = "privacy-bystander.myshopify.com";
const leavingShop = "privacy-leaving.myshopify.com";
const ZELDA = { id: 7773332221119, email: "zelda.quartermaine@example.net", phone: "+447700900123", first: "Zelda", last: "Quartermaine", street: "42 Wallaby Way" };
const VISITOR = "0f1e2d3c-4b5a-4697-8877-665544332211";
const CART = "c1a2r3t4z5e6l7d8a9";
const SMTP_PASSWORD = "smtp-secret-Pa55word-xyz";
const ACCESS_TOKEN = `shpat_${randomBytes(16).toString("hex")}`;
const ENCRYPTION_KEY = randomBytes(32).toString("base64");
const needles = [ZELDA.email, String(ZELDA.id), ZELDA.phone, ZELDA.first, ZELDA.last, ZELDA.street, VISITOR, CART];
const secrets = [ACCESS_TOKEN, SMTP_PASSWORD, ENCRYPTION_KEY];

let db: Db;
let server: AppServer;
let sink: SmtpSink;
let admin: FakeAdminApi;
const captured: string[] = [];
const restore: Array<() => void> = [];

const address = { ...(orderPayload(1, 1, [1], new Date()) as unknown as { billing_address: object }).billing_address, first_name: ZELDA.first, last_name: ZELDA.last, name: `${ZELDA.first} ${ZELDA.last}`, address1: ZELDA.street, phone: ZELDA.phone };
const zeldaCustomer = (at: Date) => ({ ...customerPayload(ZELDA.id, "subscribed", at, { first: ZELDA.first, last: ZELDA.last }), email: ZELDA.email, phone: ZELDA.phone, default_address: address });
const zeldaOrder = (id: number, at: Date, extra: Record<string, unknown> = {}) =>
  orderPayload(id, ZELDA.id, [1, 2], at, { email: ZELDA.email, phone: ZELDA.phone, customer: { ...zeldaCustomer(at), email_marketing_consent: undefined }, billing_address: address, shipping_address: address, ...extra });

async function deliver(shopDomain: string, topic: string, body: object) {
  const response = await postWebhook(server.url, topic, body, { shop: shopDomain });
  expect(response.status, topic).toBe(200);
}
const processed = () => waitFor(async () => (await db.webhookEvent.count({ where: { status: "received" } })) === 0, 30_000);

async function install(shopDomain: string) {
  await markInstalled(db, shopDomain, { name: "Clay & Co", currencyCode: "GBP", ianaTimezone: "UTC" }, testEnv().SCOPES);
  const session = new Session({ id: `offline_${shopDomain}`, shop: shopDomain, state: "", isOnline: false, scope: testEnv().SCOPES });
  session.accessToken = shopDomain === shop ? ACCESS_TOKEN : `shpat_${randomBytes(8).toString("hex")}`;
  await shopSessionStorage(db).storeSession(session);
  const settings = await loadShopSettings(db, shopDomain);
  settings.brandVoice.sender = { name: "Clay & Co", email: "hello@clay.example" };
  settings.brandVoice.physicalAddress = "1 Pottery Lane, Stoke-on-Trent ST1 1AA";
  settings.brandVoice.sending.quietHours = { start: 0, end: 0 };
  settings.holdoutPercent = 0;
  await saveShopSettings(db, shopDomain, settings);
}

/** A shop's store as Shopify would send it: products, Zelda and two other customers, their orders, a checkout, browsing. */
async function seedThroughWebhooks(shopDomain: string, now: Date) {
  const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
  await deliver(shopDomain, "products/create", productPayload(1, "Speckled Mug", { productType: "Ceramics", publishedAt: ago(200) }));
  await deliver(shopDomain, "products/create", productPayload(2, "Stoneware Bowl", { productType: "Ceramics", publishedAt: ago(200) }));
  await deliver(shopDomain, "customers/create", zeldaCustomer(ago(300)));
  for (const other of [11, 12]) await deliver(shopDomain, "customers/create", customerPayload(other, "subscribed", ago(300)));
  await deliver(shopDomain, "orders/create", zeldaOrder(501, ago(40), { cart_token: CART }));
  await deliver(shopDomain, "orders/create", zeldaOrder(502, ago(12)));
  for (const other of [11, 12]) await deliver(shopDomain, "orders/create", orderPayload(600 + other, other, [1, 2], ago(20)));
  await deliver(shopDomain, "checkouts/create", { ...checkoutPayload("chk-0001", ZELDA.id, [1], ago(0.2)), cart_token: CART, email: ZELDA.email, phone: ZELDA.phone, billing_address: address, customer: { ...zeldaCustomer(ago(300)), email_marketing_consent: undefined } });
  await processed();
  // The storefront: anonymous views, then the same visitor signed in (Shopify signs logged_in_customer_id).
  expect((await postBrowseBatch(server.url, browseBatch(VISITOR, [{ type: "product_view", productId: "1" }]), { shop: shopDomain })).ok).toBe(true);
  const signedIn = browseBatch(VISITOR, [{ type: "product_view", productId: "2" }, { type: "add_to_cart", productId: "2", variantId: "20", cartToken: CART }]);
  expect((await postBrowseBatch(server.url, signedIn, { shop: shopDomain, customerId: String(ZELDA.id) })).ok).toBe(true);
  await recomputeShopInsights(db, shopDomain, now);
}

beforeAll(async () => {
  Object.assign(process.env, { ENCRYPTION_KEYS: `k1:${ENCRYPTION_KEY}` });
  // Every line this process writes, while the scenario runs.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return write(chunk as string, ...(rest as []));
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  }
  db = await readyDb();
  sink = await startSmtpSink();
  admin = await startFakeAdminApi();
  admin.handle("DiscountCodeBasicCreate", () => ({ body: { data: { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] } } } }));
  admin.handle("DiscountRedeemCodeBulkAdd", () => ({ body: { data: { discountRedeemCodeBulkAdd: { bulkCreation: { id: "gid://shopify/DiscountRedeemCodeBulkCreation/1" }, userErrors: [] } } } }));
  admin.handle("CustomerEmailMarketingConsentUpdate", () => ({ body: { data: { customerEmailMarketingConsentUpdate: { customer: { id: `gid://shopify/Customer/${ZELDA.id}` }, userErrors: [] } } } }));
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL!, ENCRYPTION_KEYS: `k1:${ENCRYPTION_KEY}`, SHOPIFY_ADMIN_API_ORIGIN: admin.origin, LOG_LEVEL: "debug" });
  for (const domain of [shop, bystanderShop, leavingShop]) await install(domain);
  const saved = await saveConnection(db, shop, { provider: "smtp", host: "127.0.0.1", port: sink.port, secure: false, requireTls: false, user: "clay", pass: SMTP_PASSWORD, maxPerSecond: 1000 });
  expect(saved).toMatchObject({ ok: true });
}, 60_000);

afterAll(async () => {
  for (const undo of restore) undo();
  await server?.stop();
  await sink?.close();
  await admin?.close();
});

describe("customers/redact, end to end", () => {
  it("leaves nothing that names the customer, in any table, after a full life with the shop", async () => {
    const now = new Date();
    await seedThroughWebhooks(shop, now);
    await seedThroughWebhooks(bystanderShop, now); // another shop with the same customer id and address

    // A new arrival for Ceramics lovers, with a 10% single-use code, sent with "Send now" in the admin.
    await deliver(shop, "products/create", productPayload(3, "Glazed Teapot", { productType: "Ceramics", publishedAt: now }));
    await processed();
    const { created } = await recordOpportunities(db, shop, [{ type: "new_arrival", key: "new_arrival:teapot", title: "New in Ceramics", reason: "a new teapot", evidence: {}, score: 1, expiresAt: new Date(now.getTime() + 7 * 86_400_000), productIds: ["3"], customerIds: [], checkoutTokens: [] }], now);
    const built = await buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, now);
    if (built.status !== "built") throw new Error(built.status);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: built.campaignId } });
    const plan = JSON.parse(campaign.plan);
    plan.steps[0].offerPercent = 10;
    await db.campaign.update({ where: { id: campaign.id }, data: { plan: JSON.stringify(plan) } });
    // Nobody in the shop's default random holdout: she must get the email.
    expect((await setCampaignHoldout(db, shop, campaign.id, 0)).ok).toBe(true);
    const url = new URL(`/app/campaigns/${campaign.id}`, server.url);
    url.searchParams.set("_data", "routes/app.campaigns.$id");
    const pressed = await fetch(url, { method: "POST", headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0", authorization: `Bearer ${sessionToken(shop)}`, "content-type": "application/x-www-form-urlencoded" }, body: "intent=send_now" });
    expect(await pressed.text()).toContain('"ok":true');
    const message = await waitFor(async () => sink.messages.find((mail) => (mail.to as { text: string }).text.includes(ZELDA.email)), 30_000);

    // She clicks, orders with her code, and unsubscribes with one click.
    const html = String(message.html);
    const clickPath = /\/email\/click\/[^"'\s<>]+/.exec(html)![0].replaceAll("&amp;", "&");
    expect((await fetch(`${server.url}${clickPath}`, { redirect: "manual" })).status).toBe(302);
    const code = await db.discountCode.findFirstOrThrow({ where: { shop, campaignId: campaign.id, recipientId: (await db.campaignRecipient.findFirstOrThrow({ where: { campaignId: campaign.id, email: ZELDA.email } })).id } });
    await deliver(shop, "orders/create", zeldaOrder(503, new Date(), { discount_codes: [{ code: code.code, amount: "2.40", type: "percentage" }] }));
    const unsubscribe = /<(https:[^>]+\/email\/unsubscribe\/[^>]+)>/.exec(message.headerLines.map((line) => line.line).join("\n").replace(/\r?\n\s+/g, " "))![1];
    expect((await fetch(`${server.url}${new URL(unsubscribe).pathname}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" })).status).toBe(200);
    await processed();
    await waitFor(async () => (await db.orderAttribution.count({ where: { shop, orderId: "503" } })) === 1);

    // What we hold, before: every table that names her (the export must cover all but these).
    const before = await rowsMentioning(db, needles, { shop });
    const tables = new Set(before.map((finding) => finding.model));
    for (const table of ["Customer", "Order", "Checkout", "BrowseEvent", "CampaignRecipient", "Send", "EmailEvent", "Suppression", "WebhookEvent", "CustomerInsight"]) expect(tables, table).toContain(table);

    // customers/data_request: the export holds every row that names her.
    await deliver(shop, "customers/data_request", { shop_domain: shop, customer: { id: ZELDA.id, email: ZELDA.email, phone: ZELDA.phone }, orders_requested: [501, 502, 503], data_request: { id: 9001 } });
    await processed();
    const exported = await db.dataExport.findFirstOrThrow({ where: { shop, requestId: "9001" } });
    const notExported: Record<string, string> = {
      WebhookEvent: "raw deliveries are Shopify's own records of the customer, exported from Shopify",
      Job: "work in progress, not data about the customer",
      Opportunity: "lists of ids the detectors used",
      DataExport: "earlier exports",
    };
    const data = JSON.parse(exported.data);
    const missing = before.filter((finding) => !notExported[finding.model] && !rowIn(data, finding.row));
    expect(describeFindings(missing)).toEqual([]);
    expect(data.orders.map((order: { id: string }) => order.id).sort()).toEqual(["501", "502", "503"]);
    expect(data.orders.find((order: { id: string }) => order.id === "503").attribution).toMatchObject({ method: "discount_code" });
    expect(data.discountCodes.map((row: { code: string }) => row.code)).toContain(code.code);

    // customers/redact.
    await deliver(shop, "customers/redact", { shop_domain: shop, customer: { id: ZELDA.id, email: ZELDA.email, phone: ZELDA.phone }, orders_to_redact: [501, 502, 503] });
    await processed();
    await waitFor(async () => (await db.job.count({ where: { shop, status: { in: ["queued", "running"] }, runAt: { lte: new Date() } } })) === 0, 30_000);

    expect(describeFindings(await rowsMentioning(db, needles, { shop }))).toEqual([]);
    // What is kept, on purpose, with nothing that names her:
    // 1. her orders, as anonymous sales figures (revenue, lines, the campaign they are credited to);
    const orders = await db.order.findMany({ where: { shop, id: { in: ["501", "502", "503"] } }, });
    expect(orders.map((order) => [order.id, order.customerId, order.email, order.checkoutToken])).toEqual([["501", null, null, null], ["502", null, null, null], ["503", null, null, null]]);
    expect(await db.orderAttribution.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId: "503" } } })).toMatchObject({ campaignId: campaign.id, method: "discount_code" });
    expect(await db.orderLine.count({ where: { shop, orderId: { in: ["501", "502", "503"] } } })).toBe(6);
    // 2. the campaign's results: her recipient and send rows under her address's pseudonym;
    const recipient = await db.campaignRecipient.findFirstOrThrow({ where: { campaignId: campaign.id, email: { startsWith: "redacted:" } } });
    expect(await db.send.count({ where: { recipientId: recipient.id, status: "sent", email: recipient.email } })).toBe(1);
    // 3. her unsubscribe, under the same pseudonym, so the address stays suppressed if it comes back;
    expect(await db.suppression.findUniqueOrThrow({ where: { shop_email: { shop, email: recipient.email } } })).toMatchObject({ reason: "unsubscribed" });
    expect([...(await suppressedAmong(db, shop, [ZELDA.email, "someone.else@example.net"]))]).toEqual([ZELDA.email]);
    // 4. a tombstone under her id's pseudonym: a late webhook about her is skipped, not applied.
    await deliver(shop, "customers/update", zeldaCustomer(new Date()));
    await processed();
    expect(describeFindings(await rowsMentioning(db, needles.slice(0, 5), { shop }))).toEqual([]);
    expect((await db.webhookEvent.findFirstOrThrow({ where: { shop, topic: "customers/update" }, orderBy: { receivedAt: "desc" } })).status).toBe("skipped");

    // The other shop's customer with the same id and address is untouched.
    expect(await db.customer.findUniqueOrThrow({ where: { shop_id: { shop: bystanderShop, id: String(ZELDA.id) } } })).toMatchObject({ email: ZELDA.email, firstName: ZELDA.first });
    expect((await rowsMentioning(db, [ZELDA.email], { shop: bystanderShop })).length).toBeGreaterThan(5);
  }, 120_000);

  it("keeps no secret readable in any table, and writes no personal data or secret to any log", async () => {
    // Raw rows: the offline token and the SMTP password are stored encrypted, the key nowhere.
    expect(describeFindings(await rowsMentioning(db, secrets))).toEqual([]);
    const session = await db.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
    expect(session.accessToken).toMatch(/^v1:k1:/);
    expect((await db.espConnection.findUniqueOrThrow({ where: { shop } })).credentials).toMatch(/^v1:k1:/);

    const logs = [server.output(), ...captured].join("\n");
    expect(logs.length).toBeGreaterThan(1_000); // debug logging was on: there is something to check
    const leaked = [...needles, ...secrets].filter((needle) => logs.toLowerCase().includes(needle.toLowerCase()));
    expect(leaked).toEqual([]);
  });
});

describe("shop/redact, end to end", () => {
  it("empties every table of the shop, sessions included, and leaves another shop as it was", async () => {
    await seedThroughWebhooks(leavingShop, new Date());
    // The bystander's store data (its queue and opportunities move on their own while the server runs).
    const stable = ["Customer", "Order", "OrderLine", "Checkout", "BrowseEvent", "Product", "Variant", "Session", "CustomerInsight", "CustomerAffinity", "EspConnection", "Shop"];
    const storeOf = async (domain: string) => Object.fromEntries(Object.entries(await countsFor(db, domain)).filter(([model]) => stable.includes(model)));
    const bystander = await storeOf(bystanderShop);
    expect(Object.values(await countsFor(db, leavingShop)).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(20);
    await deliver(leavingShop, "shop/redact", { shop_id: 1, shop_domain: leavingShop });
    await waitFor(async () => (await db.session.count({ where: { shop: leavingShop } })) === 0 && (await db.webhookEvent.count({ where: { shop: leavingShop } })) === 0, 30_000);
    expect(Object.entries(await countsFor(db, leavingShop)).filter(([, n]) => n > 0)).toEqual([]);
    expect(Object.keys(await countsFor(db, leavingShop)).sort()).toEqual([...shopScopedModels()].sort());
    expect(await storeOf(bystanderShop)).toEqual(bystander);
  }, 60_000);
});
