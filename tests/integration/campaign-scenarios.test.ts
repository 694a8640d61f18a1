import { beforeAll, describe, expect, it } from "vitest";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { contentOf, transitionCampaign } from "~/campaigns/campaigns.server";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
import { detectOpportunities } from "~/opportunities/detectors";
import { loadShopSnapshot } from "~/opportunities/snapshot.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { markInstalled } from "~/shops/shops.server";
import { ingest } from "../support/ingest";
import { checkoutPayload, customerPayload, orderPayload, productPayload, type Consent } from "../support/shopify-payloads";

// Scenarios with a controllable clock: these webhooks arrive, time passes, this suggestion exists with
// this audience and this content.

const shop = "scenario.myshopify.com";
const DAY = 86_400_000;
const HOUR = 3_600_000;
const t0 = new Date("2026-11-01T10:00:00Z").getTime();
const at = (ms: number) => new Date(t0 + ms).toISOString();
let db: Db;

const product = (id: number, title: string, productType: string, publishedAt: string, price = "24.00", vendor = "Clayworks") =>
  productPayload(id, title, { productType, publishedAt, price, vendor });
const customer = (id: number, consent: Consent) => customerPayload(id, consent, at(-400 * DAY));
const order = (id: number, customerId: number, productIds: number[], when: number, extra: Record<string, unknown> = {}) =>
  orderPayload(id, customerId, productIds, at(when), extra);
const checkout = (token: string, customerId: number, productIds: number[], when: number) => checkoutPayload(token, customerId, productIds, at(when));

async function detectAndBuild(now: number) {
  const snapshot = await loadShopSnapshot(db, shop, new Date(now), "USD");
  await recordOpportunities(db, shop, detectOpportunities(snapshot), new Date(now));
  const live = await db.opportunity.findMany({ where: { shop, status: "live", campaignId: null } });
  for (const opportunity of live) await buildCampaignFromOpportunity(db, opportunity.id, { fallback: new BuiltinCopywriter() }, new Date(now));
  return db.campaign.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
}

beforeAll(async () => {
  db = await readyDb();
  await markInstalled(db, shop, { name: "Clayworks", currencyCode: "USD", ianaTimezone: "Europe/London" }, null);
  await ingest(shop, "products/create", product(1, "Speckled Mug", "Ceramics", at(-300 * DAY)));
  await ingest(shop, "products/create", product(2, "Stoneware Bowl", "Ceramics", at(-300 * DAY)));
  await ingest(shop, "products/create", product(3, "Linen Apron", "Textiles", at(-300 * DAY), "24.00", "Loom & Co"));
  // Ceramics regulars 1–6 (1–4 subscribed, 5 not, 6 unsubscribed); textile buyers 7–8; all active now.
  const consents = { 1: "subscribed", 2: "subscribed", 3: "subscribed", 4: "subscribed", 5: "not_subscribed", 6: "unsubscribed", 7: "subscribed", 8: "subscribed" } as const;
  for (const [id, consent] of Object.entries(consents)) await ingest(shop, "customers/create", customer(Number(id), consent));
  let orderId = 100;
  for (let c = 1; c <= 6; c++) for (const daysAgo of [70, 40, 10]) await ingest(shop, "orders/create", order(orderId++, c, [1, 2], -daysAgo * DAY));
  for (let c = 7; c <= 8; c++) for (const daysAgo of [50, 20]) await ingest(shop, "orders/create", order(orderId++, c, [3], -daysAgo * DAY));
  await db.suppression.create({ data: { shop, email: "shopper4@example.com", reason: "hard_bounce" } });
  await recomputeShopInsights(db, shop, new Date(t0));
});

describe("campaign engine scenarios", () => {
  it("a new ceramics arrival becomes a suggestion for subscribed ceramics lovers, with grounded copy", async () => {
    await ingest(shop, "products/create", product(4, "Glazed Teapot", "Ceramics", at(0), "48.00"));
    const campaigns = await detectAndBuild(t0 + 2 * HOUR);
    const campaign = campaigns.find((c) => c.angle === "new_arrival");
    expect(campaign).toMatchObject({ kind: "promotional", status: "suggested", audienceSize: 3 });
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: campaign!.id }, orderBy: { email: "asc" } });
    // 4 is suppressed (bounced), 5 never subscribed, 6 unsubscribed, 7–8 love textiles.
    expect(recipients.map((r) => r.email)).toEqual(["shopper1@example.com", "shopper2@example.com", "shopper3@example.com"]);
    expect(JSON.parse(recipients[0].products)[0]).toBe("4");
    const plan = JSON.parse(campaign!.plan);
    expect(plan.excluded).toMatchObject({ "no email marketing consent": 2, "unsubscribed, bounced or complained": 1 });

    const version = await db.campaignVersion.findFirstOrThrow({ where: { campaignId: campaign!.id } });
    const content = contentOf(version);
    expect(content.steps.length).toBe(plan.steps.length);
    expect(content.steps[0].draft.subjects.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(content)).toContain("Glazed Teapot");
    expect(JSON.stringify(content)).not.toMatch(/Linen Apron/);
    expect(JSON.parse(version.findings).filter((f: { severity: string }) => f.severity === "block")).toEqual([]);

    // Detection again: no second suggestion for the same thing.
    await detectAndBuild(t0 + 3 * HOUR);
    expect(await db.campaign.count({ where: { shop, angle: "new_arrival" } })).toBe(1);
  });

  it("abandoned checkouts become one cart-recovery sequence per shopper, minus those who ordered", async () => {
    await ingest(shop, "checkouts/create", checkout("ck-a1", 1, [2], 0));
    await ingest(shop, "checkouts/create", checkout("ck-a2", 1, [1, 2], 20 * 60_000)); // same shopper again
    await ingest(shop, "checkouts/create", checkout("ck-b", 2, [1], 0));
    await ingest(shop, "checkouts/create", checkout("ck-c", 3, [3], 0));
    await ingest(shop, "checkouts/create", checkout("ck-fresh", 7, [3], 95 * 60_000)); // too recent at +2h
    // Shopper 3 ordered with that checkout after all.
    await ingest(shop, "orders/create", order(900, 3, [3], HOUR / 2, { checkout_token: "ck-c", cart_token: "cart-ck-c" }));

    const campaigns = await detectAndBuild(t0 + 2 * HOUR);
    const recovery = campaigns.find((c) => c.kind === "cart_recovery");
    expect(recovery).toMatchObject({ status: "suggested", audienceSize: 2 });
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: recovery!.id }, orderBy: { email: "asc" } });
    expect(recipients.map((r) => [r.email, r.checkoutToken])).toEqual([
      ["shopper1@example.com", "ck-a2"],
      ["shopper2@example.com", "ck-b"],
    ]);
    expect(JSON.parse(recipients[0].products).slice(0, 2).sort()).toEqual(["1", "2"]);
    const plan = JSON.parse(recovery!.plan);
    expect(plan.steps.map((step: { delayHours: number }) => step.delayHours)).toEqual([1, 24, 72]);
  });

  it("a shopper who keeps looking at a product without buying gets a browse-abandonment follow-up", async () => {
    for (const hoursAgo of [30, 20, 5]) {
      await db.browseEvent.create({
        data: { shop, visitorId: "v-8", customerId: "8", type: "product_view", productId: "2", occurredAt: new Date(t0 + 2 * HOUR - hoursAgo * HOUR) },
      });
    }
    const campaigns = await detectAndBuild(t0 + 2 * HOUR);
    const followUp = campaigns.find((c) => c.angle === "browse_abandonment");
    expect(followUp).toMatchObject({ status: "suggested", audienceSize: 1 });
    const [recipient] = await db.campaignRecipient.findMany({ where: { campaignId: followUp!.id } });
    expect(recipient).toMatchObject({ email: "shopper8@example.com", reason: "viewed it recently" });
    expect(JSON.parse(recipient.products)[0]).toBe("2");
  });

  it("customers turning at risk become a win-back suggestion; approving needs clean content", async () => {
    expect(await db.campaign.count({ where: { shop, kind: "winback" } })).toBe(0); // everyone is active at first
    // Time passes: 100 days without orders moves the regulars to at risk / lapsed.
    const later = t0 + 100 * DAY;
    await recomputeShopInsights(db, shop, new Date(later));
    const stages = await db.customerInsight.findMany({ where: { shop }, select: { stage: true } });
    expect(stages.filter((s) => ["at_risk", "lapsed"].includes(s.stage ?? "")).length).toBeGreaterThanOrEqual(5);
    const campaigns = await detectAndBuild(later + HOUR);
    const winback = campaigns.find((c) => c.kind === "winback");
    expect(winback?.status).toBe("suggested");
    expect(winback!.audienceSize).toBeGreaterThan(0);
    expect(winback!.predictedRevenue).toBeGreaterThan(0);

    const rejected = await transitionCampaign(db, shop, winback!.id, "rejected", { kind: "staff", id: "1" }, "");
    expect(rejected).toEqual({ ok: false, error: { kind: "reason_required" } });
    const approved = await transitionCampaign(db, shop, winback!.id, "approved", { kind: "staff", id: "1" }, null, new Date(later + 2 * HOUR));
    expect(approved.ok).toBe(true);
    const history = await db.campaignTransition.findMany({ where: { campaignId: winback!.id }, orderBy: { at: "asc" } });
    expect(history.map((h) => `${h.from}→${h.to}:${h.actor}`)).toEqual(["none→suggested:system:campaign-builder", "suggested→approved:staff:1"]);
  });
});
