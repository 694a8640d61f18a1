import { z } from "zod";
import { buildAndSchedule } from "~/campaigns/build-and-schedule.server";
import { typesTakenOverByFlows } from "~/campaigns/flows/definitions";
import { scheduleFlows } from "~/campaigns/flows/jobs.server";
import { copywritersFor } from "~/copy/copywriters.server";
import { defineJob, done, type JobQueue } from "~/jobs/types";
import { loadShopSettings } from "~/shops/settings.server";
import { ensureShop, isInstalled } from "~/shops/shops.server";
import { detectOpportunities, OPPORTUNITY_TYPES } from "./detectors";
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
    // A flow that is switched on takes over its detector's suggestions (nobody gets both).
    const takenOver = typesTakenOverByFlows((flow) => settings.flows[flow].enabled);
    await recordOpportunities(db, shop, detectOpportunities(snapshot, settings.detectors, OPPORTUNITY_TYPES.filter((type) => !takenOver.has(type))), now);
    await scheduleFlows(queue, shop, now);
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
    await buildAndSchedule(db, queue, opportunityId, copywritersFor(db, settings));
    return done;
  },
});
