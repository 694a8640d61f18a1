import { scheduleDispatch } from "~/delivery/jobs.server";
import { scheduleCampaign } from "~/delivery/schedule.server";
import { z } from "zod";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { runWelcomeFlow } from "~/campaigns/flows.server";
import { copywritersFor } from "~/copy/copywriters.server";
import { defineJob, done, type JobQueue } from "~/jobs/types";
import { loadShopSettings } from "~/shops/settings.server";
import { ensureShop, isInstalled } from "~/shops/shops.server";
import { detectOpportunities } from "./detectors";
import { loadShopSnapshot } from "./snapshot.server";
import { recordOpportunities } from "./store.server";

export const DETECT = "opportunities.detect";
export const BUILD = "campaigns.build";

// A burst of changes (a restock of many variants, a run of checkouts) is detected once.
const DETECT_DEBOUNCE_MS = 30_000;

export async function scheduleDetection(queue: JobQueue, shop: string, now = Date.now()): Promise<void> {
  const slot = Math.floor(now / DETECT_DEBOUNCE_MS) + 1;
  await queue.enqueue({ name: DETECT, shop, payload: {}, key: `detect:${shop}:${slot}`, runAt: new Date(slot * DETECT_DEBOUNCE_MS) });
}

export const detectOpportunitiesJob = defineJob({
  name: DETECT,
  payload: z.object({}),
  async perform(_payload, { db, queue, shop }) {
    if (!shop) return done;
    const shopRow = await ensureShop(db, shop);
    if (!isInstalled(shopRow) || shopRow.sendingPaused) return done;
    const now = new Date();
    const settings = await loadShopSettings(db, shop);
    const snapshot = await loadShopSnapshot(db, shop, now, shopRow.currencyCode);
    await recordOpportunities(db, shop, detectOpportunities(snapshot, settings.detectors), now);
    // Always-on flows the merchant switched on run with the same tick.
    await runWelcomeFlow(db, queue, shop, copywritersFor(db, settings), now);
    // Every live opportunity without a campaign gets one built (new ones, and ones that had no audience).
    const waiting = await db.opportunity.findMany({ where: { shop, status: "live", campaignId: null }, select: { id: true } });
    for (const { id } of waiting) {
      await queue.enqueue({ name: BUILD, shop, payload: { opportunityId: id }, key: `build:${id}:${Math.floor(now.getTime() / 3_600_000)}` });
    }
    return done;
  },
});

export const buildCampaignJob = defineJob({
  name: BUILD,
  payload: z.object({ opportunityId: z.string() }),
  maxAttempts: 3,
  async perform({ opportunityId }, { db, queue, shop }) {
    if (!shop) return done;
    const settings = await loadShopSettings(db, shop);
    const built = await buildCampaignFromOpportunity(db, opportunityId, copywritersFor(db, settings));
    // The shop's auto-approve rule approved it: schedule it like a merchant's approval would, at each
    // recipient's best hour (cart recovery follows each abandonment).
    if (built.status === "built" && built.autoApproved) {
      const now = new Date();
      const scheduled = await scheduleCampaign(db, shop, built.campaignId, now, { kind: "rule", id: `auto-approve:${built.kind}` }, now);
      if (scheduled.ok) await scheduleDispatch(queue, shop, now);
    }
    return done;
  },
});
