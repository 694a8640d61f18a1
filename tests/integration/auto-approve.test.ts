import { describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { buildCampaignJob } from "~/opportunities/jobs.server";
import { detectOpportunities } from "~/opportunities/detectors";
import { loadShopSnapshot } from "~/opportunities/snapshot.server";
import { recordOpportunities } from "~/opportunities/store.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { ingest } from "../support/ingest";
import { seedStoreWithSuggestion } from "../support/seed-store";
import { productPayload } from "../support/shopify-payloads";

// A shop that trusts the app with a kind of campaign: the build job approves it by the rule and
// schedules it, as a merchant's approval would; the sends wait in the ledger like any other.

describe("auto-approve rules", () => {
  it("schedules a campaign the shop's rule approved, with its sends in the ledger", async () => {
    const db = await readyDb();
    const { shop } = await seedStoreWithSuggestion("trusting.myshopify.com", "Trusting Pottery");
    const settings = await loadShopSettings(db, shop);
    await saveShopSettings(db, shop, { ...settings, autoApprove: { ...settings.autoApprove, promotional: true } });

    const now = new Date();
    await ingest(shop, "products/create", productPayload(5, "Woven Table Runner", { productType: "Textiles", publishedAt: now, price: "36.00" }));
    await recordOpportunities(db, shop, detectOpportunities(await loadShopSnapshot(db, shop, now, "USD")), now);
    const opportunity = await db.opportunity.findFirstOrThrow({ where: { shop, status: "live", campaignId: null, type: "new_arrival" } });

    const queue = new DbJobQueue(db);
    await buildCampaignJob.perform({ opportunityId: opportunity.id }, { db, queue, shop, attempt: 1, maxAttempts: 3, heartbeat: async () => {} });

    const campaign = await db.campaign.findFirstOrThrow({ where: { shop, opportunityId: opportunity.id } });
    expect(campaign.status).toBe("scheduled");
    const transitions = await db.campaignTransition.findMany({ where: { shop, campaignId: campaign.id }, orderBy: { at: "asc" } });
    expect(transitions.map((t) => [t.to, t.actor])).toEqual([
      ["suggested", "system:campaign-builder"],
      ["approved", "rule:auto-approve:promotional"],
      ["scheduled", "rule:auto-approve:promotional"],
    ]);
    expect(await db.send.count({ where: { shop, campaignId: campaign.id } })).toBeGreaterThan(0);
    expect(await db.job.count({ where: { shop, name: "delivery.dispatch" } })).toBeGreaterThan(0);
  });
});
