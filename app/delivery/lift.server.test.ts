import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { transitionCampaign } from "~/campaigns/campaigns.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { markInstalled } from "~/shops/shops.server";
import { campaignLift } from "./lift.server";
import { scheduleCampaign } from "./schedule.server";

let db: Db;
const DAY = 86_400_000;
const t0 = new Date("2026-11-02T10:00:00Z");

async function campaignFor(shop: string, holdoutPercent: number, people: number) {
  await markInstalled(db, shop, { name: "Lift", currencyCode: "USD", ianaTimezone: "UTC" }, null);
  const settings = await loadShopSettings(db, shop);
  settings.brandVoice.physicalAddress = "1 Test Street, Testville";
  settings.holdoutPercent = holdoutPercent;
  await saveShopSettings(db, shop, settings);
  await db.product.create({ data: { shop, id: "1", title: "Mug", handle: "mug", productType: "Ceramics", status: "active", publishedAt: new Date(0) } });
  await db.variant.create({ data: { shop, id: "10", productId: "1", price: 2400, currency: "USD", availableQuantity: 5 } });
  for (let i = 0; i < people; i++) {
    await db.customer.create({ data: { shop, id: `c${i}`, email: `c${i}@example.com`, emailConsentState: "SUBSCRIBED" } });
    await db.customerAffinity.create({ data: { shop, customerId: `c${i}`, dimension: "productType", key: "Ceramics", score: 1 } });
  }
  const { created } = await recordOpportunities(
    db,
    shop,
    [{ type: "new_arrival", key: `new_arrival:${randomBytes(4).toString("hex")}`, title: "New", reason: "new", evidence: {}, score: 1, expiresAt: new Date(t0.getTime() + 7 * DAY), productIds: ["1"], customerIds: [], checkoutTokens: [] }],
    t0,
  );
  const built = await buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, t0);
  if (built.status !== "built") throw new Error(built.status);
  await transitionCampaign(db, shop, built.campaignId, "approved", { kind: "staff", id: "t" }, null, t0);
  await scheduleCampaign(db, shop, built.campaignId, t0, { kind: "staff", id: "t" }, t0, "as_planned");
  await db.send.updateMany({ where: { campaignId: built.campaignId, status: "scheduled" }, data: { status: "sent", sentAt: t0 } });
  return built.campaignId;
}

async function order(shop: string, id: string, customerId: string, at: Date, totalPrice: number, extra: { cancelledAt?: Date; totalRefunded?: number } = {}) {
  await db.order.create({ data: { shop, id, customerId, email: `${customerId}@example.com`, currency: "USD", totalPrice, processedAt: at, ...extra } });
}

beforeAll(async () => {
  db = await readyDb();
});

describe("incremental revenue of a campaign", () => {
  it("compares everyone assigned to be mailed with the random holdout over the same period", async () => {
    const shop = "lift.myshopify.com";
    const campaignId = await campaignFor(shop, 40, 60);
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId }, orderBy: { email: "asc" } });
    const mailed = recipients.filter((r) => !r.holdout);
    const held = recipients.filter((r) => r.holdout);
    expect(held.length).toBeGreaterThan(10);
    // Half of those mailed buy 50.00 a day later; one in five held back does.
    for (const [i, r] of mailed.entries()) if (i % 2 === 0) await order(shop, `m${i}`, r.customerId!, new Date(t0.getTime() + DAY), 5000);
    for (const [i, r] of held.entries()) if (i % 5 === 0) await order(shop, `h${i}`, r.customerId!, new Date(t0.getTime() + DAY), 5000);
    // Not counted: before the campaign, cancelled; a refund nets out.
    await order(shop, "before", mailed[1].customerId!, new Date(t0.getTime() - DAY), 9999);
    await order(shop, "cancelled", mailed[1].customerId!, new Date(t0.getTime() + DAY), 9999, { cancelledAt: new Date(t0.getTime() + 2 * DAY) });
    await order(shop, "refunded", mailed[3].customerId!, new Date(t0.getTime() + DAY), 3000, { totalRefunded: 3000 });

    const lift = await campaignLift(db, shop, campaignId, new Date(t0.getTime() + 30 * DAY));
    if (!lift?.estimate.ok) throw new Error(JSON.stringify(lift));
    const buyersMailed = Math.ceil(mailed.length / 2);
    const buyersHeld = Math.ceil(held.length / 5);
    expect(lift.estimate.treated).toMatchObject({ recipients: mailed.length, buyers: buyersMailed, revenue: buyersMailed * 5000 });
    expect(lift.estimate.holdout).toMatchObject({ recipients: held.length, buyers: buyersHeld, revenue: buyersHeld * 5000 });
    const perRecipient = (buyersMailed * 5000) / mailed.length - (buyersHeld * 5000) / held.length;
    expect(lift.estimate.incrementalRevenue).toBe(Math.round(perRecipient * mailed.length));
    expect(lift.estimate.low).toBeLessThan(lift.estimate.incrementalRevenue);
    expect(lift.estimate.high).toBeGreaterThan(lift.estimate.incrementalRevenue);
    expect(lift.open).toBe(false);

    const during = await campaignLift(db, shop, campaignId, new Date(t0.getTime() + 2 * DAY));
    expect(during?.open).toBe(true);
  });

  it("says so when the campaign kept no holdout, and has nothing to say before scheduling", async () => {
    const shop = "no-holdout.myshopify.com";
    const campaignId = await campaignFor(shop, 0, 5);
    expect((await campaignLift(db, shop, campaignId))?.estimate).toMatchObject({ ok: false, reason: "no_holdout" });
    expect(await campaignLift(db, shop, "no-such-campaign")).toBeNull();
    expect(await campaignLift(db, "another.myshopify.com", campaignId)).toBeNull();
  });
});
