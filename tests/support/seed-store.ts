import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb } from "~/db.server";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
import { detectOpportunities } from "~/opportunities/detectors";
import { loadShopSnapshot } from "~/opportunities/snapshot.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { markInstalled } from "~/shops/shops.server";
import { ingest } from "./ingest";
import { customerPayload, orderPayload, productPayload } from "./shopify-payloads";

// A small ceramics store, fed through the same webhook path as production, with one suggested
// new-arrival campaign waiting for approval. For admin tests and browser journeys.

const DAY = 86_400_000;

export interface SeededStore {
  shop: string;
  campaignId: string;
  campaignTitle: string;
  /** The campaign's recipients (customer ids are the Shopify ids). */
  recipients: Array<{ id: string; customerId: string; email: string }>;
}

/** `idBase` keeps two seeded shops' Shopify ids apart, as they are in real life. */
export async function seedStoreWithSuggestion(shop: string, name: string, { now = new Date(), idBase = 0 } = {}): Promise<SeededStore> {
  const db = await readyDb();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  await markInstalled(db, shop, { name, currencyCode: "USD", ianaTimezone: "Europe/London" }, null);
  await ingest(shop, "products/create", productPayload(idBase + 1, "Speckled Mug", { productType: "Ceramics", publishedAt: ago(300) }));
  await ingest(shop, "products/create", productPayload(idBase + 2, "Stoneware Bowl", { productType: "Ceramics", publishedAt: ago(300), price: "32.00" }));
  await ingest(shop, "products/create", productPayload(idBase + 3, "Linen Apron", { productType: "Textiles", publishedAt: ago(300), vendor: "Loom & Co" }));
  const names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth"];
  for (const [index, full] of names.entries()) {
    const [first, last] = full.split(" ");
    await ingest(shop, "customers/create", customerPayload(idBase + index + 1, index === 4 ? "not_subscribed" : "subscribed", ago(400), { first, last }));
  }
  let orderId = idBase * 10 + 100;
  for (let customer = 1; customer <= 5; customer++) {
    for (const days of [70, 40, 10]) await ingest(shop, "orders/create", orderPayload(orderId++, idBase + customer, [idBase + 1, idBase + 2], ago(days)));
  }
  await ingest(shop, "orders/create", orderPayload(orderId++, idBase + 6, [idBase + 3], ago(20)));
  await recomputeShopInsights(db, shop, now);

  await ingest(shop, "products/create", productPayload(idBase + 4, "Glazed Teapot", { productType: "Ceramics", publishedAt: ago(0.1), price: "48.00" }));
  const snapshot = await loadShopSnapshot(db, shop, now, "USD");
  await recordOpportunities(db, shop, detectOpportunities(snapshot), now);
  const opportunities = await db.opportunity.findMany({ where: { shop, status: "live", campaignId: null } });
  for (const opportunity of opportunities) await buildCampaignFromOpportunity(db, opportunity.id, { fallback: new BuiltinCopywriter() }, now);
  const campaign = await db.campaign.findFirstOrThrow({ where: { shop, angle: "new_arrival" } });
  const recipients = await db.campaignRecipient.findMany({ where: { campaignId: campaign.id }, select: { id: true, customerId: true, email: true }, orderBy: { email: "asc" } });
  return { shop, campaignId: campaign.id, campaignTitle: campaign.title, recipients: recipients.map((r) => ({ ...r, customerId: r.customerId ?? "" })) };
}
