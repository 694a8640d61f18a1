import type { Db } from "~/db.server";
import { transitionCampaign, type CampaignTransitionResult } from "./campaigns.server";
import type { Actor } from "./state-machine";

// The merchant's controls on a running campaign. Pausing stops the dispatcher from claiming its rows
// (a row already handed to the ESP finishes); resuming picks up where it stopped; cancelling ends it
// and settles every row not sent yet, with the reason.

export function pauseCampaign(db: Db, shop: string, campaignId: string, actor: Actor): Promise<CampaignTransitionResult> {
  return transitionCampaign(db, shop, campaignId, "paused", actor, "paused by the merchant");
}

export function resumeCampaign(db: Db, shop: string, campaignId: string, actor: Actor): Promise<CampaignTransitionResult> {
  return transitionCampaign(db, shop, campaignId, "scheduled", actor, "resumed");
}

export async function cancelCampaign(db: Db, shop: string, campaignId: string, actor: Actor, reason: string): Promise<CampaignTransitionResult> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop }, select: { status: true } });
  // A running campaign is paused first, so no row is claimed while it is being cancelled.
  if (campaign && ["scheduled", "sending"].includes(campaign.status)) {
    const paused = await pauseCampaign(db, shop, campaignId, actor);
    if (!paused.ok) return paused;
  }
  const result = await transitionCampaign(db, shop, campaignId, "rejected", actor, reason);
  if (result.ok) {
    await db.send.updateMany({
      where: { shop, campaignId, status: "scheduled" },
      data: { status: "skipped", skipReason: `campaign cancelled: ${reason}` },
    });
  }
  return result;
}
