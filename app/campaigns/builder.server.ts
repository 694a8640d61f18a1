import type { Db } from "~/db.server";
import type { CampaignAngle, CampaignKind } from "~/copy/types";
import type { Copywriters } from "~/copy/copywriters.server";
import { evidenceOf } from "~/opportunities/store.server";
import { loadShopSettings } from "~/shops/settings.server";
import { ensureShop } from "~/shops/shops.server";
import { buildAudience } from "./audience.server";
import { writeCampaignCopy } from "./campaign-copy.server";
import { addVersion, transitionCampaign } from "./campaigns.server";
import { FLOWS } from "./flows/definitions";
import { isHeldOut } from "./holdout";
import { goalPlanFromEvidence } from "./goals";
import { generationHints } from "./performance.server";
import { defaultPlan, type CampaignPlan } from "./sequence";
import type { Actor } from "./state-machine";

// Opportunity → ready-to-review campaign: audience, sequence plan, copy for every step (checked by the
// guardrails, regenerated or replaced by the built-in copywriter when it fails), per-recipient product
// blocks, and an immutable first version. Auto-approval only when the merchant enabled it for the kind
// and nothing blocks.

export type BuildResult =
  | {
      status: "built";
      shop: string;
      campaignId: string;
      audienceSize: number;
      blocked: boolean;
      kind: CampaignKind;
      /** The rule that approved it (the shop's auto-approve for the kind, or a flow's), if one did. */
      approvedBy: Actor | null;
      /** How it is scheduled once approved. */
      timing: "as_planned" | "best_hour";
    }
  | { status: "no_audience"; excluded: Record<string, number> }
  | { status: "not_live" };

const SYSTEM = { kind: "system" as const, id: "campaign-builder" };

// Moved to their own modules; re-exported for the callers that import them from here.
export { hashSeed } from "~/lib/hash-seed";
export { productFacts } from "./product-facts.server";

export function kindAndAngle(type: string): { kind: CampaignKind; angle: CampaignAngle } {
  if (type === "winback") return { kind: "winback", angle: "winback" };
  if (type === "cart_recovery") return { kind: "cart_recovery", angle: "cart_recovery" };
  return { kind: "promotional", angle: type as CampaignAngle };
}

export async function buildCampaignFromOpportunity(
  db: Db,
  opportunityId: string,
  copywriters: Copywriters,
  now = new Date(),
): Promise<BuildResult> {
  const opportunity = await db.opportunity.findUnique({ where: { id: opportunityId } });
  if (!opportunity || opportunity.status !== "live" || opportunity.campaignId) return { status: "not_live" };
  const { shop } = opportunity;
  const [shopRow, settings] = await Promise.all([ensureShop(db, shop), loadShopSettings(db, shop)]);
  const voice = settings.brandVoice;
  const evidence = evidenceOf(opportunity);
  // A merchant's goal brings its own planned sequence (what each step is for, and why).
  const goal = goalPlanFromEvidence(evidence);
  const { kind, angle } = goal ? { kind: "promotional" as const, angle: goal.angle } : kindAndAngle(opportunity.type);
  // A goal or a flow batch carries the holdout it was planned with; suggestions take the shop's.
  const plan: CampaignPlan = goal ? goal.plan : { ...defaultPlan(kind, angle, voice, now), holdoutPercent: settings.holdoutPercent };
  const audience = await buildAudience(db, opportunity, plan, now, { angle, memory: settings.personalisation.memory });
  if (!audience.members.length) return { status: "no_audience", excluded: audience.excluded };

  // What worked in this shop's earlier campaigns, as the shop's memory holds it (the learning loop).
  const hints = await generationHints(db, shop);
  // Copy for every step, for the whole audience and for each of its segments (ADR 018).
  const { content, generation, findings, products, audienceSummary, segments, segmentNote } = await writeCampaignCopy(db, {
    shop,
    shopName: shopRow.name ?? shop.replace(".myshopify.com", ""),
    currency: shopRow.currencyCode,
    kind,
    angle,
    plan,
    goal,
    voice,
    hints,
    opportunity,
    opportunityProductIds: evidence.productIds,
    // A flow batch whose recipients each have their own products: the copy names only the batch's.
    perRecipientProducts: evidence.perRecipientProducts === true,
    audience,
    copywriters,
    personalisation: settings.personalisation,
  });

  const blocked = findings.some((finding) => finding.severity === "block");
  const campaign = await db.campaign.create({
    data: {
      shop,
      kind,
      angle,
      opportunityId: opportunity.id,
      title: opportunity.title,
      reason: audienceSummary,
      status: "suggested",
      audienceSize: audience.members.length,
      predictedRevenue: audience.predictedRevenue,
      currency: shopRow.currencyCode,
      // The plan, plus what the copy was grounded in, so a merchant's edits are checked against the same facts.
      plan: JSON.stringify({
        ...plan,
        excluded: audience.excluded,
        copyProducts: products,
        audienceSummary,
        segmentation: { note: segmentNote, segments },
        ...(goal && { goal: { objective: goal.objective, summary: goal.summary, timingReasoning: goal.timingReasoning, steps: goal.steps } }),
      }),
    },
  });
  await db.campaignTransition.create({
    data: { shop, campaignId: campaign.id, from: "none", to: "suggested", actor: "system:campaign-builder", reason: opportunity.reason, at: now },
  });
  await addVersion(db, campaign, content, SYSTEM, generation, findings);
  for (let start = 0; start < audience.members.length; start += 1_000) {
    await db.campaignRecipient.createMany({
      data: audience.members.slice(start, start + 1_000).map((member) => ({
        shop,
        campaignId: campaign.id,
        customerId: member.customerId,
        email: member.email,
        firstName: member.firstName,
        score: member.score,
        anchorAt: member.anchorAt,
        checkoutToken: member.checkoutToken,
        products: JSON.stringify(member.productIds),
        reason: member.reason,
        expectedValue: member.expectedRevenue,
        evidence: JSON.stringify(member.evidence),
        holdout: isHeldOut(campaign.id, member.email, plan.holdoutPercent),
      })),
    });
  }
  // The opportunity stays live (holding its key) while its campaign runs, so it is not suggested twice.
  await db.opportunity.update({ where: { id: opportunity.id }, data: { campaignId: campaign.id } });
  // A flow's batches follow the flow's own switch; other suggestions the shop's rule for their kind.
  const rule = goal?.flow
    ? { on: settings.flows[goal.flow].autoApprove, actor: { kind: "rule", id: `flow:${goal.flow}` } as const, reason: `the ${FLOWS[goal.flow].label.toLowerCase()} flow sends without review` }
    : { on: settings.autoApprove[kind], actor: { kind: "rule", id: `auto-approve:${kind}` } as const, reason: "auto-approved by the shop's rule" };
  const approved = !blocked && rule.on && (await transitionCampaign(db, shop, campaign.id, "approved", rule.actor, rule.reason, now)).ok;
  return { status: "built", shop, campaignId: campaign.id, audienceSize: audience.members.length, blocked, kind, approvedBy: approved ? rule.actor : null, timing: goal?.timing ?? "best_hour" };
}
