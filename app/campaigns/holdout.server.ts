import type { Db } from "~/db.server";
import { chunked } from "~/lib/chunks";
import { isHeldOut } from "./holdout";

// A holdout group on request: before a campaign is scheduled (the send ledger is written then, holdouts
// included) the merchant can keep back a random share of its audience, or none, so the campaign page
// can show what email added (incremental revenue) and not only what it was credited with.

const CHANGEABLE = ["suggested", "in_review", "approved"];

export type HoldoutResult =
  | { ok: true; heldOut: number; recipients: number }
  | { ok: false; error: { kind: "not_found" } | { kind: "not_changeable"; status: string } };

export async function setCampaignHoldout(db: Db, shop: string, campaignId: string, holdoutPercent: number): Promise<HoldoutResult> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop }, select: { id: true, status: true, plan: true } });
  if (!campaign) return { ok: false, error: { kind: "not_found" } };
  if (!CHANGEABLE.includes(campaign.status)) return { ok: false, error: { kind: "not_changeable", status: campaign.status } };
  const recipients = await db.campaignRecipient.findMany({ where: { shop, campaignId }, select: { id: true, email: true } });
  const held = recipients.filter((recipient) => isHeldOut(campaignId, recipient.email, holdoutPercent)).map((recipient) => recipient.id);
  const heldSet = new Set(held);
  const treated = recipients.filter((recipient) => !heldSet.has(recipient.id)).map((recipient) => recipient.id);
  const plan = { ...(JSON.parse(campaign.plan) as Record<string, unknown>), holdoutPercent };
  await db.$transaction([
    // Guarded on the status, so a campaign scheduled in the meantime keeps the ledger it was given.
    db.campaign.updateMany({ where: { id: campaignId, shop, status: { in: CHANGEABLE } }, data: { plan: JSON.stringify(plan) } }),
    ...chunked(held).map((ids) => db.campaignRecipient.updateMany({ where: { shop, campaignId, id: { in: ids } }, data: { holdout: true } })),
    ...chunked(treated).map((ids) => db.campaignRecipient.updateMany({ where: { shop, campaignId, id: { in: ids } }, data: { holdout: false } })),
  ]);
  return { ok: true, heldOut: held.length, recipients: recipients.length };
}
