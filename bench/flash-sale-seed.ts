// Seeds the bench:flash-sale database (DATABASE_URL, and REDIS_URL in scale mode) in its own process:
// the flash-sale shop (catalogue, BENCH_RECIPIENTS subscribed customers, a new-arrival campaign built,
// to be sent through the SMTP sink on SMTP_PORT) and the background shops
// (catalogue and customers their updates refer to). Every shop is installed with an offline session
// (stored encrypted, as the app stores it). The campaign waits as a suggestion; the bench presses
// "Send now" through the admin route during the burst. Prints {"campaignId"} on stdout.
export {};
import { backgroundShop, FLASH_SHOP } from "./flash-sale-plan";

const { readyDb, disconnectDb } = await import("~/db.server");
const { loadShopSettings, saveShopSettings } = await import("~/shops/settings.server");
const { markInstalled } = await import("~/shops/shops.server");
const { BuiltinCopywriter } = await import("~/copy/builtin-copywriter");
const { buildCampaignFromOpportunity } = await import("~/campaigns/builder.server");
const { recordOpportunities } = await import("~/opportunities/store.server");
const { saveConnection } = await import("~/delivery/connections.server");
const { testEnv } = await import("../tests/support/env");
const { shopSessionStorage } = await import("~/shops/session-storage.server");
const { Session } = await import("@shopify/shopify-api");

const recipients = Number(process.env.BENCH_RECIPIENTS ?? 5_000);
const backgroundShops = Number(process.env.BENCH_BACKGROUND_SHOPS ?? 50);
const products = Number(process.env.BENCH_PRODUCTS ?? 20);
const customers = Number(process.env.BENCH_CUSTOMERS ?? 50);
const smtpPort = Number(process.env.SMTP_PORT);
const db = await readyDb();
const sessions = shopSessionStorage(db);

/** An installed shop in its steady state: a session, and insight models rebuilt recently (no nightly refit due). */
async function install(shop: string, name: string) {
  await markInstalled(db, shop, { name, currencyCode: "GBP", ianaTimezone: "Europe/London" }, testEnv().SCOPES);
  const session = new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, scope: testEnv().SCOPES });
  session.accessToken = `shpat_bench_${shop.split(".")[0]}`;
  await sessions.storeSession(session);
  await db.shopInsightModel.create({ data: { shop, rebuiltAt: new Date(), note: "seeded by bench:flash-sale" } });
}

async function catalogue(shop: string, count: number, productType: string) {
  await db.product.createMany({
    data: Array.from({ length: count }, (_, i) => ({ shop, id: String(i + 1), title: `${productType} No. ${i + 1}`, handle: `item-${i + 1}`, productType, vendor: "Studio", status: "active", publishedAt: new Date(Date.now() - 90 * 86_400_000), descriptionHtml: "<p>Made by hand.</p>" })),
  });
  // Variant ids are product × 10 and inventory items product × 100 + 1, as the traffic generator sends them.
  // Stock between the detectors' low (≤ 5) and overstock (≥ 20 and 90 days of cover) thresholds.
  await db.variant.createMany({
    data: Array.from({ length: count }, (_, i) => ({ shop, id: String((i + 1) * 10), productId: String(i + 1), price: 1800 + i * 10, currency: "GBP", inventoryItemId: String((i + 1) * 100 + 1), availableQuantity: 15 })),
  });
}

// The flash-sale shop and its campaign.
await install(FLASH_SHOP, "Flash Ceramics");
const settings = await loadShopSettings(db, FLASH_SHOP);
settings.brandVoice.sender = { name: "Flash Ceramics", email: "hello@flash.example" };
settings.brandVoice.physicalAddress = "1 Pottery Lane, Stoke-on-Trent ST1 1AA, United Kingdom";
settings.brandVoice.sending.quietHours = { start: 0, end: 0 };
settings.holdoutPercent = 0;
await saveShopSettings(db, FLASH_SHOP, settings);
await catalogue(FLASH_SHOP, 40, "Ceramics");
for (let start = 0; start < recipients; start += 2_000) {
  const ids = Array.from({ length: Math.min(2_000, recipients - start) }, (_, i) => String(start + i + 1));
  await db.customer.createMany({ data: ids.map((id) => ({ shop: FLASH_SHOP, id, email: `customer${id}@example.com`, firstName: `Name${id}`, emailConsentState: "SUBSCRIBED" })) });
  await db.customerAffinity.createMany({ data: ids.map((id) => ({ shop: FLASH_SHOP, customerId: id, dimension: "productType", key: "Ceramics", score: 1 + (Number(id) % 7) / 10 })) });
  await db.customerInsight.createMany({ data: ids.map((id) => ({ shop: FLASH_SHOP, customerId: id, expectedOrderValue: 3500, computedAt: new Date() })) });
}
const saved = await saveConnection(db, FLASH_SHOP, { provider: "smtp", host: "127.0.0.1", port: smtpPort, secure: false, requireTls: false, user: "bench", pass: "bench-password-123", maxPerSecond: 1000 });
if (!saved.ok) throw new Error(`SMTP connection: ${JSON.stringify(saved.error)}`);

const now = new Date();
const { created } = await recordOpportunities(db, FLASH_SHOP, [
  { type: "new_arrival", key: "new_arrival:flash", title: "The flash sale is on", reason: "new mugs", evidence: {}, score: 1, expiresAt: new Date(now.getTime() + 7 * 86_400_000), productIds: ["1", "2", "3"], customerIds: [], checkoutTokens: [] },
], now);
const built = await buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, now);
if (built.status !== "built") throw new Error(built.status);

for (let index = 0; index < backgroundShops; index++) {
  const shop = backgroundShop(index);
  await install(shop, `Background ${index + 1}`);
  await catalogue(shop, products, "Gifts");
  await db.customer.createMany({
    data: Array.from({ length: customers }, (_, i) => ({ shop, id: String(i + 1), email: `shopper${i + 1}@example.com`, firstName: `Shopper${i + 1}`, emailConsentState: "SUBSCRIBED" })),
  });
}
await disconnectDb();
process.stdout.write(`${JSON.stringify({ campaignId: built.campaignId })}\n`);
