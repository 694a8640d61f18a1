import { z } from "zod";
import type { CampaignAngle, StepPurpose } from "~/copy/types";
import type { BrandVoice } from "./brand-voice";
import { FLOW_IDS } from "./flows/flow-ids";
import { campaignPlanSchema, checkPlan, type CampaignPlan } from "./sequence";

// Goal-driven campaigns: the merchant states an objective, an audience and (optionally) products and
// an offer; this pure module turns that into a sequence (what each email is for, when it goes, which
// step carries the offer) with the reasoning for every choice, so the review page can say why.

export const OBJECTIVES = ["sales_push", "retention", "onboarding", "cross_sell", "clear_inventory", "launch"] as const;
export type Objective = (typeof OBJECTIVES)[number];
export const AUDIENCE_TYPES = ["new", "active", "vip", "at_risk", "lapsed", "affinity"] as const;
export type AudienceType = (typeof AUDIENCE_TYPES)[number];
export const AFFINITY_DIMENSIONS = ["productType", "vendor"] as const;

export const OBJECTIVE_LABELS: Record<Objective, string> = {
  sales_push: "Sales push",
  retention: "Retention",
  onboarding: "Onboarding (welcome series)",
  cross_sell: "Upsell / cross-sell",
  clear_inventory: "Clear inventory",
  launch: "Launch a product",
};

export const AUDIENCE_LABELS: Record<AudienceType, string> = {
  new: "New customers",
  active: "Active customers",
  vip: "VIP customers",
  at_risk: "Customers at risk",
  lapsed: "Lapsed customers",
  affinity: "Customers who love a product type or vendor",
};

/** Lifecycle stages (see insights/lifecycle/stages.ts) each audience type reaches. */
export const AUDIENCE_STAGES: Record<Exclude<AudienceType, "affinity">, string[]> = {
  new: ["new"],
  active: ["active", "loyal", "vip"],
  vip: ["vip"],
  at_risk: ["at_risk"],
  lapsed: ["lapsed"],
};

const optionalText = z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), z.string().trim().max(200).optional());

/** The goal as the merchant submits it (the form and any other caller). */
export const goalInputSchema = z
  .object({
    objective: z.enum(OBJECTIVES, { message: "Choose an objective" }),
    productIds: z.array(z.string().trim().min(1).max(100)).max(12, "Choose at most 12 products").default([]),
    collectionId: optionalText,
    offerPercent: z.preprocess(
      (value) => (value === "" || value === null || value === undefined ? 0 : value),
      z.coerce.number({ message: "Enter a whole percentage" }).int("Enter a whole percentage").min(0, "Cannot be negative").max(90, "At most 90%"),
    ),
    audience: z.enum(AUDIENCE_TYPES, { message: "Choose an audience" }),
    affinityDimension: z.preprocess((value) => (value === "" ? undefined : value), z.enum(AFFINITY_DIMENSIONS).optional()),
    affinityKey: optionalText,
  })
  .superRefine((goal, ctx) => {
    if (goal.audience === "affinity" && (!goal.affinityDimension || !goal.affinityKey)) {
      ctx.addIssue({ code: "custom", path: ["affinityKey"], message: "Choose the product type or vendor the customers love" });
    }
    if ((goal.objective === "launch" || goal.objective === "clear_inventory") && goal.productIds.length === 0 && !goal.collectionId) {
      ctx.addIssue({ code: "custom", path: ["productIds"], message: `Choose the products to ${goal.objective === "launch" ? "launch" : "clear"}` });
    }
  });
export type GoalInput = z.output<typeof goalInputSchema>;

/** The policy checks a goal must pass, as field errors (the form shows them next to the field). */
export function goalPolicyErrors(goal: GoalInput, policy: BrandVoice["discountPolicy"]): Record<string, string> {
  if (goal.offerPercent === 0) return {};
  if (policy.maxPercent === 0) return { offerPercent: "Your discount policy allows no discounts" };
  if (goal.offerPercent > policy.maxPercent) return { offerPercent: `Your discount policy allows at most ${policy.maxPercent}%` };
  return {};
}

export const goalStepSchema = z.object({
  /** Absent for a flow step that reads as its angle's own lines (a browse reminder, a stock alert). */
  purpose: z.enum([
    "teaser", "reveal", "education", "last_call", "welcome", "brand_story", "first_order", "check_in", "recommendation", "thank_you", "highlight",
    "order_follow_up", "replenish",
  ] as const satisfies readonly StepPurpose[]).optional(),
  delayHours: z.number().min(0),
  offerPercent: z.number().int().nullable(),
  reasoning: z.string(),
});
export type GoalStep = z.output<typeof goalStepSchema>;

/** What the planner proposes; stored with the goal (opportunity evidence) and the campaign's plan. */
export const goalPlanSchema = z.object({
  objective: z.enum(OBJECTIVES),
  title: z.string(),
  summary: z.string(),
  angle: z.enum(["new_arrival", "winback", "overstock", "browse_abandonment", "back_in_stock"]),
  steps: z.array(goalStepSchema).min(1).max(6),
  timingReasoning: z.string(),
  plan: campaignPlanSchema,
  /** Set on an always-on flow's batch (see flows/definitions.ts). */
  flow: z.enum(FLOW_IDS).optional(),
  /** How the batch is scheduled once approved; goal campaigns go at each recipient's best hour. */
  timing: z.enum(["as_planned", "best_hour"]).default("best_hour"),
});
export type GoalPlan = z.output<typeof goalPlanSchema>;

export interface GoalContext {
  /** The products the campaign is about (resolved and checked by the caller). */
  productTitles: string[];
  policy: BrandVoice["discountPolicy"];
  holdoutPercent: number;
  startsAt: Date;
}

const DAY = 24;

interface Draft {
  purpose: StepPurpose;
  day: number;
  offer: boolean;
  reasoning: string;
}

/** The audience in words: "vip customers", "customers who love Ceramics". */
export function goalAudienceLabel(goal: GoalInput): string {
  if (goal.audience !== "affinity") return AUDIENCE_LABELS[goal.audience].toLowerCase();
  return `customers who love ${goal.affinityKey ?? "it"}`;
}

/** The sequence per objective. `offer` marks the steps that carry the merchant's offer, if any. */
function sequenceFor(goal: GoalInput, products: string): Draft[] {
  const hasOffer = goal.offerPercent > 0;
  const who = goalAudienceLabel(goal);
  switch (goal.objective) {
    case "launch":
      return [
        { purpose: "teaser", day: 0, offer: false, reasoning: `A teaser builds curiosity for ${products} before asking for anything.` },
        { purpose: "education", day: 3, offer: false, reasoning: `Three days later, explain what ${products} is and who it suits, so the launch is understood, not just seen.` },
        {
          purpose: "last_call",
          day: 7,
          offer: hasOffer,
          reasoning: hasOffer
            ? `A week in, the offer gives a reason to act now; urgency is truthful because the code expires.`
            : "A week in, a calm last reminder for those who opened but did not buy; no offer, so no urgency words.",
        },
      ];
    case "onboarding":
      return [
        { purpose: "welcome", day: 0, offer: false, reasoning: "Welcome at once, while the shop is fresh in their mind: what to expect and where to start." },
        { purpose: "brand_story", day: 2, offer: false, reasoning: "Day 2: who you are and what you care about, which builds trust before any selling." },
        {
          purpose: "first_order",
          day: 6,
          offer: hasOffer,
          reasoning: `Day 6: a nudge to a first order${hasOffer ? `, with the ${goal.offerPercent}% offer as the welcome gift` : " with a few favourites"}; the series ends within 7 days.`,
        },
      ];
    case "retention": {
      const drifting = goal.audience === "at_risk" || goal.audience === "lapsed";
      const steps: Draft[] = [
        { purpose: "check_in", day: 0, offer: false, reasoning: `Open with a friendly check-in and personal picks: ${who} respond to relevance before offers.` },
        { purpose: "recommendation", day: 5, offer: false, reasoning: "Five days later, products that go with what they already bought, from their own affinities." },
        { purpose: "education", day: 11, offer: false, reasoning: `Then something useful about ${products}: value that is not a sale keeps the relationship alive.` },
      ];
      if (goal.audience === "vip") steps.splice(1, 0, { purpose: "thank_you", day: 2, offer: false, reasoning: "VIPs get a thank-you before any recommendation: appreciation keeps the best customers." });
      if (drifting) {
        steps.push({ purpose: "check_in", day: 17, offer: false, reasoning: `${who} drift further each week; one more personal note before the last email.` });
      }
      steps.push({
        purpose: "last_call",
        day: drifting ? 24 : 18,
        offer: hasOffer,
        reasoning: hasOffer
          ? `The offer comes last, for those the earlier emails did not bring back, so it is not given away to people who would buy anyway.`
          : "A last, low-pressure note that ends the sequence.",
      });
      return steps.slice(0, 5);
    }
    case "cross_sell":
      return [
        {
          purpose: goal.audience === "vip" ? "thank_you" : "recommendation",
          day: 0,
          offer: false,
          reasoning: `Start with ${products} as companions to what ${who} already bought; relevance first.`,
        },
        { purpose: "education", day: 3, offer: false, reasoning: "Show how the products work together: cross-sells sell on use, not on price." },
        {
          purpose: "last_call",
          day: 7,
          offer: hasOffer,
          reasoning: hasOffer ? `The ${goal.offerPercent}% offer closes the sequence for those still undecided.` : "A last reminder that closes the sequence.",
        },
      ];
    case "clear_inventory":
      return [
        { purpose: "highlight", day: 0, offer: hasOffer, reasoning: `Put ${products} in the spotlight${hasOffer ? ` with the ${goal.offerPercent}% offer at once: clearing stock needs a reason to buy now` : ""}.` },
        { purpose: "last_call", day: 4, offer: hasOffer, reasoning: `Four days later, a last reminder${hasOffer ? " before the code expires (truthful urgency)" : ""} to those who did not order.` },
      ];
    case "sales_push":
      return [
        { purpose: "highlight", day: 0, offer: hasOffer, reasoning: `Lead with ${products} and their prices${hasOffer ? `, plus the ${goal.offerPercent}% offer` : ""}: a sales push is short and direct.` },
        { purpose: "education", day: 2, offer: hasOffer, reasoning: "Two days later, a reason to choose (what the products are for) rather than a repeated ad." },
        { purpose: "last_call", day: 4, offer: hasOffer, reasoning: `A last reminder on day 4${hasOffer ? " before the code expires" : ""}; three emails in four days is the most a push should ask of an inbox.` },
      ];
  }
}

const ANGLES: Record<Objective, GoalPlan["angle"] & CampaignAngle> = {
  launch: "new_arrival",
  onboarding: "new_arrival",
  cross_sell: "new_arrival",
  retention: "winback",
  clear_inventory: "overstock",
  sales_push: "overstock",
};

function listTitles(titles: string[]): string {
  if (titles.length === 0) return "your bestsellers";
  if (titles.length === 1) return titles[0];
  if (titles.length === 2) return `${titles[0]} and ${titles[1]}`;
  return `${titles[0]}, ${titles[1]} and ${titles.length - 2} more`;
}

function titleFor(goal: GoalInput, products: string, who: string): string {
  switch (goal.objective) {
    case "launch": return `Launch: ${products}`;
    case "onboarding": return `Welcome series for ${who}`;
    case "retention": return `Keep ${who} coming back`;
    case "cross_sell": return `Cross-sell ${products} to ${who}`;
    case "clear_inventory": return `Clear stock: ${products}`;
    case "sales_push": return `Sales push: ${products}`;
  }
}

export type GoalPlanResult =
  | { ok: true; goalPlan: GoalPlan }
  | { ok: false; fieldErrors: Record<string, string> };

/** The proposed sequence for a goal, checked against the discount policy like every plan. */
export function planGoalCampaign(goal: GoalInput, context: GoalContext): GoalPlanResult {
  const policyErrors = goalPolicyErrors(goal, context.policy);
  if (Object.keys(policyErrors).length) return { ok: false, fieldErrors: policyErrors };
  const products = listTitles(context.productTitles);
  const drafts = sequenceFor(goal, products);
  const steps: GoalStep[] = drafts.map((draft) => ({
    purpose: draft.purpose,
    delayHours: draft.day * DAY,
    offerPercent: draft.offer ? goal.offerPercent : null,
    reasoning: draft.reasoning,
  }));
  const lastDelay = steps[steps.length - 1].delayHours;
  const endsAt = new Date(context.startsAt.getTime() + (lastDelay + 72) * 3_600_000);
  const plan: CampaignPlan = campaignPlanSchema.parse({
    steps: steps.map((step) => ({ delayHours: step.delayHours, offerPercent: step.offerPercent })),
    window: { startsAt: context.startsAt.toISOString(), endsAt: endsAt.toISOString() },
    holdoutPercent: context.holdoutPercent,
  });
  const problems = checkPlan(plan, context.policy);
  if (problems.length) return { ok: false, fieldErrors: { offerPercent: "This offer does not fit your discount policy" } };
  const days = Math.round(lastDelay / DAY);
  return {
    ok: true,
    goalPlan: {
      objective: goal.objective,
      title: titleFor(goal, products, goalAudienceLabel(goal)),
      summary: `your goal: ${OBJECTIVE_LABELS[goal.objective].toLowerCase()} for ${goalAudienceLabel(goal)}${context.productTitles.length ? `, featuring ${products}` : ""}`,
      angle: ANGLES[goal.objective],
      steps,
      timing: "best_hour",
      timingReasoning: `${steps.length} emails over ${days} days; each goes at the hour the recipient usually acts on email (learned from their clicks and orders, else the shop's best hour), and anyone who orders, unsubscribes or bounces leaves the sequence.`,
      plan,
    },
  };
}

/** The planned sequence stored in a goal opportunity's evidence, or null for any other opportunity. */
export function goalPlanFromEvidence(evidence: Record<string, unknown>): GoalPlan | null {
  const parsed = goalPlanSchema.safeParse(evidence.goalPlan);
  return parsed.success ? parsed.data : null;
}
