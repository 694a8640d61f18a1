import type { Campaign, Send } from "@prisma/client";
import { contentOf, transitionCampaign } from "~/campaigns/campaigns.server";
import type { Db } from "~/db.server";
import { recordCampaignResults, variantStats } from "./learning.server";
import { chooseVariant, winner } from "./variants";

// What the dispatcher does around the sends of a batch: subject variants chosen before sending, and
// campaigns closed once all their rows are settled.

/** A campaign whose rows are all settled is sent, and what its variants achieved is stored. */
export async function finishCampaigns(db: Db, shop: string, campaigns: Campaign[], now: Date): Promise<void> {
  for (const campaign of campaigns) {
    if (campaign.status !== "sending") continue;
    const open = await db.send.count({ where: { shop, campaignId: campaign.id, status: { in: ["scheduled", "sending"] } } });
    if (open > 0) continue;
    const done = await transitionCampaign(db, shop, campaign.id, "sent", { kind: "system", id: "dispatcher" }, null, now);
    if (done.ok) await recordCampaignResults(db, shop, campaign.id);
  }
}

/**
 * Chooses each claimed send's subject variant by Thompson sampling on what the step's variants have
 * achieved so far (clicks and attributed orders); once one is clearly best, every send gets it.
 */
export async function allocateVariants(db: Db, shop: string, sends: Send[], campaigns: Map<string, Campaign>): Promise<void> {
  const byStep = Map.groupBy(sends, (send) => `${send.campaignId}:${send.step}`);
  for (const group of byStep.values()) {
    const campaign = campaigns.get(group[0].campaignId)!;
    const version = await db.campaignVersion.findFirst({ where: { id: campaign.currentVersionId ?? "", shop } });
    const variants = version ? (contentOf(version).steps[group[0].step]?.subjectVariants.length ?? 1) : 1;
    if (variants < 2) continue;
    const { stats } = await variantStats(db, shop, campaign.id, group[0].step, variants);
    const decided = winner(stats);
    const chosen = new Map<number, string[]>();
    for (const send of group) {
      const variant = decided ?? chooseVariant(stats);
      stats[variant].sends++;
      send.variant = variant;
      chosen.set(variant, [...(chosen.get(variant) ?? []), send.id]);
    }
    for (const [variant, ids] of chosen) await db.send.updateMany({ where: { id: { in: ids } }, data: { variant } });
  }
}
