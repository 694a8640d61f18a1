import type { Opportunity } from "@prisma/client";
import { type Db, isUniqueViolation } from "~/db.server";
import { transitionCampaign } from "~/campaigns/campaigns.server";
import type { OpportunityCandidate } from "./detectors";

// Live opportunities are unique per key (the unique index on `liveKey`): a detector that notices the
// same thing again refreshes the live one (new evidence, later expiry) instead of suggesting it twice.
// Ended opportunities keep their key but release `liveKey`, so the same thing can come back later.

export interface RecordedOpportunities {
  created: Opportunity[];
  refreshed: number;
  expired: number;
}

function values(candidate: OpportunityCandidate) {
  return {
    title: candidate.title,
    reason: candidate.reason,
    evidence: JSON.stringify({
      ...candidate.evidence,
      productIds: candidate.productIds,
      customerIds: candidate.customerIds,
      checkoutTokens: candidate.checkoutTokens,
    }),
    score: candidate.score,
    expiresAt: candidate.expiresAt,
  };
}

const AWAITING = ["suggested", "in_review"];
const RUNNING = ["approved", "scheduled", "sending", "paused"];

/**
 * Ends opportunities past their expiry. A suggestion nobody approved expires with it; one whose campaign
 * is running stays live (and keeps its key) until the campaign is done.
 */
export async function expireOpportunities(db: Db, shop: string, now: Date): Promise<number> {
  const due = await db.opportunity.findMany({ where: { shop, status: "live", expiresAt: { lte: now } } });
  let ended = 0;
  for (const opportunity of due) {
    const campaign = opportunity.campaignId
      ? await db.campaign.findFirst({ where: { id: opportunity.campaignId, shop }, select: { id: true, status: true } })
      : null;
    if (campaign && RUNNING.includes(campaign.status)) continue;
    if (campaign && AWAITING.includes(campaign.status)) {
      await transitionCampaign(db, shop, campaign.id, "expired", { kind: "system", id: "expiry" }, "the opportunity is over", now);
    }
    await db.opportunity.update({
      where: { id: opportunity.id },
      data: { status: campaign && !AWAITING.includes(campaign.status) ? "used" : "expired", liveKey: null },
    });
    ended++;
  }
  return ended;
}

export async function recordOpportunities(
  db: Db,
  shop: string,
  candidates: readonly OpportunityCandidate[],
  now: Date,
): Promise<RecordedOpportunities> {
  const expired = await expireOpportunities(db, shop, now);
  const created: Opportunity[] = [];
  let refreshed = 0;
  for (const candidate of candidates) {
    const live = await db.opportunity.findUnique({ where: { shop_liveKey: { shop, liveKey: candidate.key } } });
    if (live) {
      // Once a campaign was built from it, the opportunity's evidence is what the merchant reviews.
      if (!live.campaignId) await db.opportunity.update({ where: { id: live.id }, data: values(candidate) });
      refreshed++;
      continue;
    }
    try {
      created.push(
        await db.opportunity.create({
          data: { shop, type: candidate.type, key: candidate.key, liveKey: candidate.key, detectedAt: now, ...values(candidate) },
        }),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // another worker recorded it a moment ago
      refreshed++;
    }
  }
  return { created, refreshed, expired };
}

export interface OpportunityEvidence {
  productIds: string[];
  customerIds: string[];
  checkoutTokens: string[];
  [key: string]: unknown;
}

export function evidenceOf(opportunity: Pick<Opportunity, "evidence">): OpportunityEvidence {
  const parsed = JSON.parse(opportunity.evidence) as Partial<OpportunityEvidence>;
  return { ...parsed, productIds: parsed.productIds ?? [], customerIds: parsed.customerIds ?? [], checkoutTokens: parsed.checkoutTokens ?? [] };
}
