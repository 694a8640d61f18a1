// A shop ready to send: installed, a sender and address in its brand voice, no quiet hours, no
// holdout, one product and `customers` subscribed customers who love its type, then an approved
// campaign scheduled now. Built through the app's own functions, on whatever database `db` is.
import { randomBytes } from "node:crypto";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { transitionCampaign } from "~/campaigns/campaigns.server";
import type { Copywriters } from "~/copy/copywriters.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import type { Db } from "~/db.server";
import { saveConnection } from "~/delivery/connections.server";
import { scheduleCampaign } from "~/delivery/schedule.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { markInstalled } from "~/shops/shops.server";

export const FAULTS_ENCRYPTION_KEYS = "faults:q4S9m3Xh3pY4yq2o5JcNqkzKx0m7f0u1o3cW8r9t6dE=";

export async function seedSendingShop(db: Db, shop: string, customers: number): Promise<string[]> {
  await markInstalled(db, shop, { name: "Fault Pottery", currencyCode: "USD", ianaTimezone: "UTC" }, null);
  const settings = await loadShopSettings(db, shop);
  settings.brandVoice.sender = { name: "Fault Pottery", email: "hello@faults.example" };
  settings.brandVoice.physicalAddress = "1 Test Street, Testville";
  settings.brandVoice.sending.quietHours = { start: 0, end: 0 };
  settings.brandVoice.sending.frequencyCap = 20;
  settings.holdoutPercent = 0;
  await saveShopSettings(db, shop, settings);
  await db.product.create({ data: { shop, id: "1", title: "Speckled Mug", handle: "speckled-mug", productType: "Ceramics", status: "active", publishedAt: new Date() } });
  await db.variant.create({ data: { shop, id: "10", productId: "1", price: 2400, currency: "USD", availableQuantity: 500 } });
  const emails: string[] = [];
  for (let start = 0; start < customers; start += 500) {
    const ids = Array.from({ length: Math.min(500, customers - start) }, (_, i) => String(start + i + 1));
    await db.customer.createMany({ data: ids.map((id) => ({ shop, id, email: `buyer${id}@example.com`, firstName: `Buyer${id}`, emailConsentState: "SUBSCRIBED" })) });
    await db.customerAffinity.createMany({ data: ids.map((id) => ({ shop, customerId: id, dimension: "productType", key: "Ceramics", score: 1 })) });
    emails.push(...ids.map((id) => `buyer${id}@example.com`));
  }
  return emails;
}

/** Connects the shop to an SMTP server (a sink, or a proxy in front of one). */
export async function connectSmtp(db: Db, shop: string, port: number): Promise<void> {
  const saved = await saveConnection(db, shop, { provider: "smtp", host: "127.0.0.1", port, secure: false, requireTls: false, user: "u", pass: "secret-password-123", maxPerSecond: 1000 });
  if (!saved.ok) throw new Error(`could not connect the shop's SMTP server: ${JSON.stringify(saved.error)}`);
}

/** An approved campaign for the shop's product, scheduled to start now; returns its id. */
export async function scheduledCampaign(db: Db, shop: string, copywriters: Copywriters = { fallback: new BuiltinCopywriter() }): Promise<string> {
  const now = new Date();
  const { created } = await recordOpportunities(
    db,
    shop,
    [{ type: "new_arrival", key: `new_arrival:faults-${randomBytes(4).toString("hex")}`, title: "New in Ceramics", reason: "new mugs", evidence: {}, score: 1, expiresAt: new Date(now.getTime() + 7 * 86_400_000), productIds: ["1"], customerIds: [], checkoutTokens: [] }],
    now,
  );
  const built = await buildCampaignFromOpportunity(db, created[0].id, copywriters, now);
  if (built.status !== "built") throw new Error(`campaign not built: ${built.status}`);
  const approved = await transitionCampaign(db, shop, built.campaignId, "approved", { kind: "staff", id: "faults" });
  if (!approved.ok) throw new Error("campaign not approved");
  const scheduled = await scheduleCampaign(db, shop, built.campaignId, now, { kind: "staff", id: "faults" }, new Date(), "as_planned");
  if (!scheduled.ok) throw new Error("campaign not scheduled");
  return built.campaignId;
}
