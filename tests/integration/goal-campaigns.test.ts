import { beforeAll, describe, expect, it } from "vitest";
import { contentOf } from "~/campaigns/campaigns.server";
import { createGoalCampaign } from "~/campaigns/goal-campaign.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
import { markInstalled } from "~/shops/shops.server";
import { ingest } from "../support/ingest";
import { customerPayload, orderPayload, productPayload, type Consent } from "../support/shopify-payloads";

// A merchant's goal in, a full multi-step suggested campaign out: grounded in the catalogue, offers
// within the discount policy, the audience exactly the chosen segment (minus those without consent).

const shop = "goals.myshopify.com";
const other = "goals-other.myshopify.com";
const DAY = 86_400_000;
const t0 = new Date("2026-11-01T10:00:00Z").getTime();
const now = new Date(t0);
const at = (ms: number) => new Date(t0 + ms).toISOString();
const copywriters = { fallback: new BuiltinCopywriter() };
let db: Db;

const product = (id: number, title: string, productType: string, price = "24.00", vendor = "Clayworks", publishedDaysAgo = 300) =>
  productPayload(id, title, { productType, publishedAt: at(-publishedDaysAgo * DAY), price, vendor });

beforeAll(async () => {
  db = await readyDb();
  await markInstalled(db, shop, { name: "Clayworks", currencyCode: "USD", ianaTimezone: "Europe/London" }, null);
  await markInstalled(db, other, { name: "Elsewhere", currencyCode: "USD", ianaTimezone: "Europe/London" }, null);
  await ingest(shop, "products/create", product(1, "Speckled Mug", "Ceramics"));
  await ingest(shop, "products/create", product(2, "Stoneware Bowl", "Ceramics", "32.00"));
  await ingest(shop, "products/create", product(3, "Linen Apron", "Textiles", "24.00", "Loom & Co"));
  await ingest(shop, "products/create", product(4, "Glazed Teapot", "Ceramics", "48.00", "Clayworks", 0));
  await ingest(other, "products/create", product(900, "Foreign Vase", "Ceramics"));
  // Ceramics regulars 1–5 (5 never subscribed), textile buyers 6–7, a new customer 8, a lapsed one 9.
  const consents: Record<number, Consent> = { 1: "subscribed", 2: "subscribed", 3: "subscribed", 4: "subscribed", 5: "not_subscribed", 6: "subscribed", 7: "subscribed", 8: "subscribed", 9: "subscribed" };
  for (const [id, consent] of Object.entries(consents)) await ingest(shop, "customers/create", customerPayload(Number(id), consent, at(-400 * DAY)));
  let orderId = 100;
  const order = (customer: number, products: number[], daysAgo: number) => ingest(shop, "orders/create", orderPayload(orderId++, customer, products, at(-daysAgo * DAY)));
  for (let c = 1; c <= 5; c++) for (const daysAgo of [70, 40, 10]) await order(c, [1, 2], daysAgo);
  for (let c = 6; c <= 7; c++) for (const daysAgo of [50, 20]) await order(c, [3], daysAgo);
  await order(8, [1], 5);
  for (const daysAgo of [150, 120, 90]) await order(9, [2], daysAgo);
  await recomputeShopInsights(db, shop, now);
}, 60_000);

async function built(input: Record<string, unknown>) {
  const result = await createGoalCampaign(db, shop, input, copywriters, now);
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: result.campaignId } });
  const version = await db.campaignVersion.findFirstOrThrow({ where: { campaignId: campaign.id } });
  const recipients = await db.campaignRecipient.findMany({ where: { campaignId: campaign.id }, orderBy: { email: "asc" } });
  return { campaign, plan: JSON.parse(campaign.plan), content: contentOf(version), findings: JSON.parse(version.findings) as Array<{ severity: string }>, recipients };
}

describe("goal-driven campaigns", () => {
  it("a launch for ceramics lovers: teaser, education, last call with the offer, grounded copy for every step", async () => {
    const { campaign, plan, content, findings, recipients } = await built({
      objective: "launch", productIds: ["4"], offerPercent: "10", audience: "affinity", affinityDimension: "productType", affinityKey: "Ceramics",
    });
    expect(campaign).toMatchObject({ status: "suggested", kind: "promotional", title: "Launch: Glazed Teapot", audienceSize: recipients.length });
    expect(plan.goal.steps.map((step: { purpose: string }) => step.purpose)).toEqual(["teaser", "education", "last_call"]);
    expect(plan.goal.steps.every((step: { reasoning: string }) => step.reasoning.length > 20)).toBe(true);
    expect(plan.steps.map((step: { offerPercent: number | null }) => step.offerPercent)).toEqual([null, null, 10]);
    expect(content.steps).toHaveLength(3);
    expect(findings.filter((f) => f.severity === "block")).toEqual([]);

    // Grounded: the products the copy names are the shop's own, the launched one first.
    const catalogue = (await db.product.findMany({ where: { shop }, select: { title: true } })).map((p) => p.title);
    expect(plan.copyProducts[0].title).toBe("Glazed Teapot");
    for (const fact of plan.copyProducts) expect(catalogue).toContain(fact.title);
    const text = JSON.stringify(content);
    expect(text).toContain("Glazed Teapot");
    expect(text).not.toContain("Foreign Vase");
    expect(JSON.stringify(content.steps[2].draft)).toContain("10%");
    expect(JSON.stringify(content.steps[0].draft)).not.toMatch(/\d+%/);

    // The segment: subscribed customers with a Ceramics affinity, nobody else.
    const lovers = await db.customerAffinity.findMany({ where: { shop, dimension: "productType", key: "Ceramics" }, select: { customerId: true } });
    const subscribed = await db.customer.findMany({ where: { shop, id: { in: lovers.map((l) => l.customerId) }, emailConsentState: "SUBSCRIBED" }, select: { email: true } });
    expect(recipients.map((r) => r.email).sort()).toEqual(subscribed.map((c) => c.email!.toLowerCase()).sort());
    expect(recipients.map((r) => r.email)).not.toContain("shopper5@example.com");
    expect(recipients.map((r) => r.email)).not.toContain("shopper6@example.com");
    expect(recipients.every((r) => r.reason === "loves Ceramics")).toBe(true);
  });

  it("onboarding for new customers: a three-email welcome series within 7 days to the new customer only", async () => {
    const { plan, content, findings, recipients } = await built({ objective: "onboarding", audience: "new" });
    const newCustomers = await db.customerInsight.findMany({ where: { shop, stage: "new" }, select: { customerId: true } });
    expect(newCustomers.length).toBeGreaterThan(0);
    expect(recipients.map((r) => r.customerId).sort()).toEqual(newCustomers.map((c) => c.customerId).sort());
    expect(plan.goal.steps.map((step: { purpose: string }) => step.purpose)).toEqual(["welcome", "brand_story", "first_order"]);
    expect(Math.max(...plan.steps.map((step: { delayHours: number }) => step.delayHours))).toBeLessThanOrEqual(7 * 24);
    expect(content.steps).toHaveLength(3);
    expect(findings.filter((f) => f.severity === "block")).toEqual([]);
    // No products chosen: the copy is about the shop's best sellers, which exist.
    expect(plan.copyProducts.length).toBeGreaterThan(0);
    expect(JSON.stringify(content)).not.toMatch(/\d+%/);
  });

  it("retention for lapsed customers: a longer nurture sequence with the offer last, capped by the policy", async () => {
    const lapsed = await db.customerInsight.findMany({ where: { shop, stage: "lapsed" }, select: { customerId: true } });
    expect(lapsed.length).toBeGreaterThan(0);
    const { plan, content, recipients } = await built({ objective: "retention", audience: "lapsed", offerPercent: "15" });
    expect(recipients.map((r) => r.customerId).sort()).toEqual(lapsed.map((c) => c.customerId).sort());
    expect(content.steps.length).toBeGreaterThanOrEqual(4);
    expect(content.steps.length).toBeLessThanOrEqual(5);
    expect(plan.steps.every((step: { offerPercent: number | null }) => (step.offerPercent ?? 0) <= 15)).toBe(true);
  });

  it("refuses an offer above the discount policy, another shop's product, a missing collection and an empty segment as field errors", async () => {
    const before = await db.campaign.count({ where: { shop } });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ objective: "sales_push", audience: "active", offerPercent: "30" }, "offerPercent"],
      [{ objective: "launch", audience: "active", productIds: ["900"] }, "productIds"],
      [{ objective: "launch", audience: "active", productIds: ["4", "nope"] }, "productIds"],
      [{ objective: "clear_inventory", audience: "active", collectionId: "123" }, "collectionId"],
      [{ objective: "retention", audience: "affinity", affinityDimension: "vendor", affinityKey: "Nobody & Sons" }, "audience"],
      [{ objective: "launch", audience: "active" }, "productIds"],
      [{ objective: "world_domination", audience: "everyone" }, "objective"],
    ];
    for (const [input, field] of cases) {
      const result = await createGoalCampaign(db, shop, input, copywriters, now);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(Object.keys(result.fieldErrors), JSON.stringify(input)).toContain(field);
    }
    expect(await db.campaign.count({ where: { shop } })).toBe(before);
    // An empty segment leaves no live goal behind.
    expect(await db.opportunity.count({ where: { shop, type: "goal", status: "live", campaignId: null } })).toBe(0);
  });
});
