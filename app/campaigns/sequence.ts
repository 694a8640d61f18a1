import { z } from "zod";
import type { CampaignAngle, CampaignKind } from "~/copy/types";
import type { BrandVoice } from "./brand-voice";

// Sequence plans: how many messages, when (hours after each recipient's anchor: the abandonment for
// cart recovery, the campaign start otherwise), which offer each step carries, and what ends a
// recipient's sequence. Offers only ever rise along a sequence and never exceed the shop's policy.

export const EXIT_CONDITIONS = ["ordered", "unsubscribed", "bounced", "checkout_completed"] as const;

export const planStepSchema = z.object({
  delayHours: z.number().min(0).max(24 * 60),
  offerPercent: z.number().int().min(0).max(90).nullable(),
});

export const campaignPlanSchema = z.object({
  steps: z.array(planStepSchema).min(1).max(6),
  exitOn: z.array(z.enum(EXIT_CONDITIONS)).default(["ordered", "unsubscribed", "bounced"]),
  /** Cart recovery: a buyer who accepted marketing at checkout counts as consent (merchant setting). */
  acceptsMarketingCountsAsConsent: z.boolean().default(true),
  /** Send window, ISO dates; the delivery scheduler keeps every message inside it. */
  window: z.object({ startsAt: z.string(), endsAt: z.string() }).nullable().default(null),
  holdoutPercent: z.number().min(0).max(50).default(5),
});
export type CampaignPlan = z.output<typeof campaignPlanSchema>;
export type PlanStep = z.output<typeof planStepSchema>;

interface StepTemplate {
  delayHours: number;
  /** The offer this step would like, before the policy caps it; null = no offer. */
  wantsOfferPercent: number | null;
}

const TEMPLATES: Record<CampaignKind, Partial<Record<CampaignAngle, StepTemplate[]>> & { default: StepTemplate[] }> = {
  cart_recovery: {
    default: [
      { delayHours: 1, wantsOfferPercent: null },
      { delayHours: 24, wantsOfferPercent: null },
      { delayHours: 72, wantsOfferPercent: 10 },
    ],
  },
  winback: {
    default: [
      { delayHours: 0, wantsOfferPercent: null },
      { delayHours: 7 * 24, wantsOfferPercent: 10 },
      { delayHours: 14 * 24, wantsOfferPercent: 15 },
    ],
  },
  promotional: {
    default: [{ delayHours: 0, wantsOfferPercent: null }],
    overstock: [
      { delayHours: 0, wantsOfferPercent: null },
      { delayHours: 4 * 24, wantsOfferPercent: 10 },
    ],
    new_arrival: [
      { delayHours: 0, wantsOfferPercent: null },
      { delayHours: 5 * 24, wantsOfferPercent: null },
    ],
  },
};

/** The default plan for a campaign, with offers capped by the policy and never decreasing. */
export function defaultPlan(kind: CampaignKind, angle: CampaignAngle, voice: BrandVoice, startsAt: Date): CampaignPlan {
  const template = TEMPLATES[kind][angle] ?? TEMPLATES[kind].default;
  const steps = applyOfferPolicy(
    template.map((step) => ({ delayHours: step.delayHours, offerPercent: step.wantsOfferPercent })),
    voice.discountPolicy,
  );
  const lastDelay = Math.max(...steps.map((step) => step.delayHours));
  const endsAt = new Date(startsAt.getTime() + (lastDelay + 72) * 3_600_000);
  return campaignPlanSchema.parse({
    steps,
    exitOn: kind === "cart_recovery" ? ["ordered", "checkout_completed", "unsubscribed", "bounced"] : undefined,
    window: { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
  });
}

export type PlanProblem =
  | { kind: "offer_above_policy"; step: number; percent: number; max: number }
  | { kind: "offer_decreases"; step: number }
  | { kind: "offers_not_allowed"; step: number }
  | { kind: "delays_not_increasing"; step: number };

/** Checks a (possibly merchant-edited) plan against the policy; the builder refuses plans with problems. */
export function checkPlan(plan: CampaignPlan, policy: BrandVoice["discountPolicy"]): PlanProblem[] {
  const problems: PlanProblem[] = [];
  let previousOffer = 0;
  plan.steps.forEach((step, index) => {
    if (index > 0 && step.delayHours <= plan.steps[index - 1].delayHours) problems.push({ kind: "delays_not_increasing", step: index });
    const offer = step.offerPercent ?? 0;
    if (offer > 0 && policy.maxPercent === 0) problems.push({ kind: "offers_not_allowed", step: index });
    else if (offer > policy.maxPercent) problems.push({ kind: "offer_above_policy", step: index, percent: offer, max: policy.maxPercent });
    if (offer > 0 && offer < previousOffer) problems.push({ kind: "offer_decreases", step: index });
    if (offer > 0 && previousOffer > 0 && offer > previousOffer && !policy.allowEscalation) {
      problems.push({ kind: "offer_above_policy", step: index, percent: offer, max: previousOffer });
    }
    previousOffer = Math.max(previousOffer, offer);
  });
  return problems;
}

function applyOfferPolicy(steps: PlanStep[], policy: BrandVoice["discountPolicy"]): PlanStep[] {
  let highest = 0;
  return steps.map((step) => {
    if (step.offerPercent === null || policy.maxPercent === 0) return { ...step, offerPercent: null };
    let offer = Math.min(step.offerPercent, policy.maxPercent);
    if (!policy.allowEscalation && highest > 0) offer = highest;
    offer = Math.max(offer, highest);
    highest = offer;
    return { ...step, offerPercent: offer };
  });
}
