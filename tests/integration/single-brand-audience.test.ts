import { describe, expect, it } from "vitest";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb } from "~/db.server";
import { recomputeShopInsights } from "~/insights/store/recompute.server";
import { detectOpportunities } from "~/opportunities/detectors";
import { loadShopSnapshot } from "~/opportunities/snapshot.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { markInstalled } from "~/shops/shops.server";
import { ingest } from "../support/ingest";
import { customerPayload, orderPayload, productPayload } from "../support/shopify-payloads";

// A shop that sells one brand (its own): every buyer "loves" that vendor, which says nothing about
// taste. A new arrival goes to the people who like its type, not to every buyer of the brand.

const DAY = 86_400_000;

describe("audiences in a single-brand shop", () => {
  it("does not pick recipients by a vendor that makes up most of the catalogue", async () => {
    const db = await readyDb();
    const shop = "house-brand.myshopify.com";
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    await markInstalled(db, shop, { name: "House Brand", currencyCode: "USD", ianaTimezone: "UTC" }, null);
    await ingest(shop, "products/create", productPayload(1, "Stoneware Mug", { productType: "Ceramics", vendor: "House", publishedAt: ago(300) }));
    await ingest(shop, "products/create", productPayload(2, "Linen Apron", { productType: "Textiles", vendor: "House", publishedAt: ago(300) }));
    for (let customer = 1; customer <= 6; customer++) await ingest(shop, "customers/create", customerPayload(customer, "subscribed", ago(400)));
    let orderId = 100;
    for (const days of [60, 30, 10]) {
      for (const customer of [1, 2, 3]) await ingest(shop, "orders/create", orderPayload(orderId++, customer, [1], ago(days)));
      for (const customer of [4, 5, 6]) await ingest(shop, "orders/create", orderPayload(orderId++, customer, [2], ago(days)));
    }
    await recomputeShopInsights(db, shop, now);

    await ingest(shop, "products/create", productPayload(3, "Woven Throw", { productType: "Textiles", vendor: "House", publishedAt: ago(0.1) }));
    await recordOpportunities(db, shop, detectOpportunities(await loadShopSnapshot(db, shop, now, "USD")), now);
    const opportunity = await db.opportunity.findFirstOrThrow({ where: { shop, type: "new_arrival", status: "live" } });
    const built = await buildCampaignFromOpportunity(db, opportunity.id, { fallback: new BuiltinCopywriter() }, now);
    expect(built.status).toBe("built");

    const recipients = await db.campaignRecipient.findMany({ where: { shop }, select: { customerId: true, reason: true } });
    expect(recipients.map((r) => r.customerId).sort()).toEqual(["4", "5", "6"]);
    expect(new Set(recipients.map((r) => r.reason))).toEqual(new Set(["loves Textiles"]));
  });
});
