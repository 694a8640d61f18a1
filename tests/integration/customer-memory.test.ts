import { beforeAll, describe, expect, it } from "vitest";
import { customerMemory } from "~/admin/customer-memory.server";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { createGoalCampaign } from "~/campaigns/goal-campaign.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { markInstalled } from "~/shops/shops.server";
import { ingest } from "../support/ingest";
import { clickProduct, readyToSend, recordingEsp, sendCampaign } from "../support/sending";
import { customerPayload, orderPayload, productPayload } from "../support/shopify-payloads";

// The contact memory in use, through the real builder, scheduler, dispatcher and click endpoint: what
// a customer was shown and ignored is not shown again; what they clicked may be; an angle they keep
// ignoring leaves them out of its next campaign with the reason the merchant sees; one they clicked
// scores them up.

const DAY = 86_400_000;
const copywriters = { fallback: new BuiltinCopywriter() };
const ceramicsLovers = { audience: "affinity", affinityDimension: "productType", affinityKey: "Ceramics" };
let db: Db;

const recipientsOf = async (campaignId: string) =>
  new Map((await db.campaignRecipient.findMany({ where: { campaignId } })).map((r) => [r.email, { products: JSON.parse(r.products) as string[], evidence: JSON.parse(r.evidence), score: r.score }]));

/** A ceramics shop with 24 products its customers buy now and then, so there is always a next best. */
async function seedShop(shop: string, idBase: number, t0: number) {
  await markInstalled(db, shop, { name: "Memory Pottery", currencyCode: "USD", ianaTimezone: "UTC" }, null);
  await readyToSend(shop);
  const at = (days: number) => new Date(t0 + days * DAY).toISOString();
  for (let p = 1; p <= 24; p++) {
    await ingest(shop, "products/create", productPayload(idBase + p, `Stoneware Piece ${p}`, { productType: "Ceramics", publishedAt: at(-300), price: `${20 + p}.00` }));
  }
  for (let c = 1; c <= 6; c++) await ingest(shop, "customers/create", customerPayload(idBase + c, "subscribed", at(-400)));
  let orderId = idBase * 10;
  for (let c = 1; c <= 6; c++) {
    for (const [k, daysAgo] of [90, 60, 30].entries()) {
      const products = [idBase + ((4 * c + k) % 24) + 1, idBase + ((4 * c + k + 12) % 24) + 1];
      await ingest(shop, "orders/create", orderPayload(orderId++, idBase + c, products, at(-daysAgo)));
    }
  }
  await recomputeShopInsights(db, shop, new Date(t0));
}

beforeAll(async () => {
  db = await readyDb();
});

/** A new product in the shop, and the new-arrival campaign about it. */
async function newArrival(shop: string, productId: number, at: Date, key: string) {
  await ingest(shop, "products/create", productPayload(productId, `New Piece ${productId}`, { productType: "Ceramics", publishedAt: at, price: "40.00" }));
  const { created } = await recordOpportunities(
    db,
    shop,
    [{ type: "new_arrival", key, title: "New in Ceramics", reason: "a new arrival in Ceramics", evidence: {}, score: 1, expiresAt: new Date(at.getTime() + 14 * DAY), productIds: [String(productId)], customerIds: [], checkoutTokens: [] }],
    at,
  );
  const built = await buildCampaignFromOpportunity(db, created[0].id, copywriters, at);
  if (built.status !== "built") throw new Error(`not built: ${JSON.stringify(built)}`);
  return built.campaignId;
}

describe("products shown without a response", () => {
  const shop = "memory-products.myshopify.com";
  const t0 = new Date("2026-11-13T09:00:00Z").getTime();

  it("a customer shown products last week without a click gets the next best instead; one who clicked may see theirs again", async () => {
    await seedShop(shop, 100, t0);
    const esp = recordingEsp();
    // Last week: a new mug (two emails, five days apart) to everyone who loves ceramics; each block
    // is the mug and three recommendations.
    const first = await newArrival(shop, 125, new Date(t0), "new_arrival:first");
    await sendCampaign(shop, first, esp.adapter, new Date(t0), 6);
    const before = await recipientsOf(first);
    const [ignorer, clicker] = ["shopper101@example.com", "shopper102@example.com"];
    expect(before.get(ignorer)?.products).toHaveLength(4);
    expect(before.get(ignorer)?.products[0]).toBe("125");
    // The clicker opens the first email and clicks the second product card (a recommendation).
    const message = esp.messages.find((m) => m.to === clicker)!;
    const clickedUrl = await clickProduct(message, 2, new Date(t0 + 2 * 3_600_000));
    const clickedProduct = before.get(clicker)!.products[1];
    expect(clickedUrl).toContain(`/products/`);

    // A week later, the next new arrival: its own product first, then recommendations.
    const later = new Date(t0 + 7 * DAY);
    const second = await newArrival(shop, 126, later, "new_arrival:second");
    const after = await recipientsOf(second);
    const shownBefore = before.get(ignorer)!.products;
    const now = after.get(ignorer)!;
    expect(now.products).toHaveLength(4);
    expect(now.products[0]).toBe("126");
    expect(now.products.filter((id) => shownBefore.includes(id))).toEqual([]);
    // Every product still exists and is the shop's own.
    const catalogue = new Set((await db.product.findMany({ where: { shop, deletedAt: null }, select: { id: true } })).map((p) => p.id));
    expect(now.products.every((id) => catalogue.has(id))).toBe(true);
    // The evidence says why each swapped product was not shown.
    expect(now.evidence.heldBack).toEqual(
      shownBefore.map((productId) => ({ productId, because: "shown on Nov 18 (2 times) without a click; next best instead" })),
    );

    // The clicker's clicked product is not held back; the three they ignored are.
    const clickerNow = after.get(clicker)!;
    const ignoredByClicker = before.get(clicker)!.products.filter((id) => id !== clickedProduct);
    expect(clickerNow.products.filter((id) => ignoredByClicker.includes(id))).toEqual([]);
    expect(((clickerNow.evidence.heldBack ?? []) as Array<{ productId: string }>).map((s) => s.productId)).not.toContain(clickedProduct);

    // The customer page shows the memory: the email, no response, what is held back until when.
    const customer = await db.customer.findFirstOrThrow({ where: { shop, email: ignorer } });
    const memory = await customerMemory(db, shop, customer, later);
    expect(memory.received.map((r) => [r.step, r.outcome, r.angle])).toEqual([
      [1, "too early to tell", "new-arrival"], // sent two days ago
      [0, "no response", "new-arrival"],
    ]);
    expect(memory.received.every((r) => r.subject && r.subjectStyle && r.products.length === 4)).toBe(true);
    expect(memory.heldBack.map((h) => h.productId).sort()).toEqual([...shownBefore].sort());
    const lastSent = (await db.send.findFirstOrThrow({ where: { shop, campaignId: first, email: ignorer }, orderBy: { sentAt: "desc" } })).sentAt!;
    expect(memory.heldBack[0].until).toBe(new Date(lastSent.getTime() + 21 * DAY).toISOString());
    const clickerMemory = await customerMemory(db, shop, await db.customer.findFirstOrThrow({ where: { shop, email: clicker } }), later);
    expect(clickerMemory.received.at(-1)).toMatchObject({ outcome: "clicked", clicked: [(await db.product.findFirstOrThrow({ where: { shop, id: clickedProduct } })).title] });
  });
});

describe("angle fatigue", () => {
  const shop = "memory-angles.myshopify.com";
  const t0 = new Date("2026-10-01T09:00:00Z").getTime();

  async function winback(customerIds: string[], at: Date, key: string) {
    const { created } = await recordOpportunities(
      db,
      shop,
      [{ type: "winback", key, title: "We miss you", reason: "lapsing customers", evidence: {}, score: 1, expiresAt: new Date(at.getTime() + 14 * DAY), productIds: [], customerIds, checkoutTokens: [] }],
      at,
    );
    const built = await buildCampaignFromOpportunity(db, created[0].id, copywriters, at);
    if (built.status !== "built") throw new Error(`not built: ${JSON.stringify(built)}`);
    return built.campaignId;
  }

  it("one who ignored three win-backs is left out of the next with the reason; one who clicked is scored up", async () => {
    await seedShop(shop, 200, t0);
    const esp = recordingEsp();
    const [ignorer, clicker, fresh] = ["201", "202", "203"];
    // A three-email win-back sequence (now, after 7 and after 14 days) to the ignorer and the clicker.
    const first = await winback([ignorer, clicker], new Date(t0), "winback:first");
    await sendCampaign(shop, first, esp.adapter, new Date(t0), 16);
    expect(await db.send.count({ where: { shop, campaignId: first, status: "sent" } })).toBe(6);
    // The clicker clicks a product in the last email.
    await clickProduct(esp.messages.filter((m) => m.to === "shopper202@example.com").at(-1)!, 1, new Date(t0 + 14 * DAY + 3_600_000));
    const baseline = await recipientsOf(first);

    const later = new Date(t0 + 20 * DAY);
    const next = await winback([ignorer, clicker, fresh], later, "winback:next");
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: next } });
    const recipients = await recipientsOf(next);
    expect([...recipients.keys()].sort()).toEqual(["shopper202@example.com", "shopper203@example.com"]);
    expect(JSON.parse(campaign.plan).excluded).toMatchObject({ "ignored their last 3 win-back emails": 1 });
    expect(campaign.audienceSize).toBe(2);
    // The clicker: scored up (×1.15 from their click), with the memory in their evidence.
    const clickerNow = recipients.get("shopper202@example.com")!;
    expect(clickerNow.evidence.memory).toEqual({ angle: "winback", factor: 1.15, because: "clicked 1 win-back email" });
    expect(clickerNow.score).toBeCloseTo(baseline.get("shopper202@example.com")!.score * 1.15, 5);
    expect(recipients.get("shopper203@example.com")!.evidence.memory).toBeUndefined();

    // A promotion is another angle: the win-back ignorer still gets it.
    const promo = await createGoalCampaign(db, shop, { ...ceramicsLovers, objective: "sales_push" }, copywriters, later);
    if (!promo.ok) throw new Error(JSON.stringify(promo.fieldErrors));
    expect([...(await recipientsOf(promo.campaignId)).keys()]).toContain("shopper201@example.com");

    // The customer page says so, and until when.
    const memory = await customerMemory(db, shop, await db.customer.findFirstOrThrow({ where: { shop, id: ignorer } }), later);
    expect(memory.received.map((r) => r.outcome)).toEqual(["no response", "no response", "no response"]);
    const angle = memory.angles.find((a) => a.angle === "winback")!;
    expect(angle).toMatchObject({ effect: "excluded", next: "left out of win-back campaigns: ignored their last 3 win-back emails" });
    expect(angle.excludedUntil).toBe(new Date(t0 + 90 * DAY).toISOString());
  });
});
