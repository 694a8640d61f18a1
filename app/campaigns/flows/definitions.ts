import type { CampaignAngle, StepPurpose } from "~/copy/types";
import type { OpportunityType } from "~/opportunities/detectors";
import type { BrandVoice } from "../brand-voice";
import { type GoalPlan, type Objective } from "../goals";
import { campaignPlanSchema, checkPlan } from "../sequence";
import { FLOW_IDS, type FlowId } from "./flow-ids";

// Always-on flows: rules the merchant switches on, each a trigger (who enters, and when), a sequence
// of steps written by the copywriter like any campaign, and exits. Pure: what each flow is and how its
// batches are planned; the triggers that read the store live in the *.server.ts files beside this.

export { FLOW_IDS, type FlowId } from "./flow-ids";

export interface FlowStep {
  /** What the email is for; null: the angle's own lines (a browse reminder, a stock alert). */
  purpose: StepPurpose | null;
  day: number;
  /** Carries the flow's offer when the merchant set one. */
  offer: boolean;
  reasoning: string;
}

export interface FlowDefinition {
  id: FlowId;
  label: string;
  /** Who enters, and when, in the merchant's words. */
  trigger: string;
  exits: string;
  angle: CampaignAngle & GoalPlan["angle"];
  objective: Objective;
  steps: readonly FlowStep[];
  /** "as_planned": at once after the trigger; "best_hour": the recipient's usual hour that day. */
  timing: "as_planned" | "best_hour";
  /** The detector suggestions this flow takes over while it is on (so nobody gets both). */
  replaces: OpportunityType | null;
  /** The copy names products only when a batch is about one product; otherwise each block shows theirs. */
  perRecipientProducts: boolean;
}

export const FLOWS: Record<FlowId, FlowDefinition> = {
  welcome: {
    id: "welcome",
    label: "Welcome series",
    trigger: "Someone subscribes to your emails (after you switch the flow on).",
    exits: "They order, unsubscribe or bounce.",
    angle: "new_arrival",
    objective: "onboarding",
    steps: [
      { purpose: "welcome", day: 0, offer: false, reasoning: "Welcome at once, while the shop is fresh in their mind: what to expect and where to start." },
      { purpose: "brand_story", day: 2, offer: false, reasoning: "Who you are and what you care about, which builds trust before any selling." },
      { purpose: "first_order", day: 6, offer: true, reasoning: "A nudge to a first order with a few favourites (and the welcome offer, if you set one); the series ends within 7 days." },
    ],
    timing: "as_planned",
    replaces: null,
    perRecipientProducts: false,
  },
  post_purchase: {
    id: "post_purchase",
    label: "Post-purchase cross-sell",
    trigger: "Three days after a customer's order, when it has likely arrived: companions to what they bought, from what your customers buy together.",
    exits: "They order again, unsubscribe or bounce.",
    angle: "new_arrival",
    objective: "cross_sell",
    steps: [
      { purpose: "order_follow_up", day: 0, offer: false, reasoning: "A thank-you once the order has likely arrived, with products other customers bought together with theirs." },
      { purpose: "recommendation", day: 7, offer: true, reasoning: "More companions (and your offer, if you set one) for those who did not order again." },
    ],
    timing: "best_hour",
    replaces: null,
    perRecipientProducts: true,
  },
  replenishment: {
    id: "replenishment",
    label: "Replenishment reminders",
    trigger: "A customer is due to reorder something they buy regularly: at their own interval between orders of it, or the product's usual one.",
    exits: "They reorder, unsubscribe or bounce.",
    angle: "new_arrival",
    objective: "retention",
    steps: [
      { purpose: "replenish", day: 0, offer: false, reasoning: "A reminder a few days before their usual reorder time, so they never run out." },
      { purpose: "last_call", day: 5, offer: true, reasoning: "One calm last reminder (with your offer, if you set one) if they have not reordered." },
    ],
    timing: "best_hour",
    replaces: null,
    perRecipientProducts: true,
  },
  browse_abandonment: {
    id: "browse_abandonment",
    label: "Browse abandonment",
    trigger: "A shopper who is logged in looked at the same product several times this week without adding it to the cart or buying it.",
    exits: "They buy (under any of their identities), unsubscribe or bounce.",
    angle: "browse_abandonment",
    objective: "sales_push",
    steps: [
      { purpose: null, day: 0, offer: false, reasoning: "A reminder of the product they kept coming back to, within hours of their last look." },
      { purpose: "recommendation", day: 3, offer: true, reasoning: "Similar products (and your offer, if you set one) in case the first was not quite right." },
    ],
    timing: "as_planned",
    replaces: "browse_abandonment",
    perRecipientProducts: true,
  },
  back_in_stock: {
    id: "back_in_stock",
    label: "Back-in-stock alerts",
    trigger: "A sold-out product is available again: the shoppers who asked to be told on your product page, and customers who looked at it while it was gone.",
    exits: "It sells out again, they buy, unsubscribe or bounce.",
    angle: "back_in_stock",
    objective: "sales_push",
    steps: [{ purpose: null, day: 0, offer: false, reasoning: "One alert as soon as it is back: the people who wanted it hear first, before it sells out again." }],
    timing: "as_planned",
    replaces: "back_in_stock",
    perRecipientProducts: false,
  },
};

export interface FlowPlanContext {
  offerPercent: number;
  policy: BrandVoice["discountPolicy"];
  holdoutPercent: number;
  startsAt: Date;
  /** Shown as the batch's title and reason. */
  title: string;
  summary: string;
}

const HOURS_PER_DAY = 24;

/**
 * The plan of one batch: the flow's steps with the merchant's offer on the steps that carry one, inside
 * the discount policy (an offer the policy no longer allows is dropped, never capped silently upward).
 */
export function planFlowBatch(flow: FlowDefinition, context: FlowPlanContext): GoalPlan {
  const offer = context.offerPercent > 0 && context.offerPercent <= context.policy.maxPercent ? context.offerPercent : 0;
  const steps = flow.steps.map((step) => ({
    ...(step.purpose && { purpose: step.purpose }),
    delayHours: step.day * HOURS_PER_DAY,
    offerPercent: step.offer && offer > 0 ? offer : null,
    reasoning: step.reasoning,
  }));
  const lastDelay = steps[steps.length - 1].delayHours;
  const plan = campaignPlanSchema.parse({
    steps: steps.map((step) => ({ delayHours: step.delayHours, offerPercent: step.offerPercent })),
    window: { startsAt: context.startsAt.toISOString(), endsAt: new Date(context.startsAt.getTime() + (lastDelay + 72) * 3_600_000).toISOString() },
    holdoutPercent: context.holdoutPercent,
  });
  // Offers on a flow only ever sit on its later steps, so the policy check cannot fail; it is kept as
  // the same gate every plan passes.
  const safePlan = checkPlan(plan, context.policy).length ? { ...plan, steps: plan.steps.map((step) => ({ ...step, offerPercent: null })) } : plan;
  const days = Math.round(lastDelay / HOURS_PER_DAY);
  return {
    objective: flow.objective,
    title: context.title,
    summary: context.summary,
    angle: flow.angle,
    flow: flow.id,
    steps: steps.map((step, index) => ({ ...step, offerPercent: safePlan.steps[index].offerPercent })),
    timing: flow.timing,
    timingReasoning:
      steps.length === 1
        ? `One email, ${flow.timing === "as_planned" ? "as soon as the trigger fires" : "at the hour the recipient usually acts on email"}; the checks before sending still apply (consent, caps shared with your campaigns, quiet hours).`
        : `${steps.length} emails over ${days} days from each person's trigger, ${flow.timing === "as_planned" ? "as soon as it fires" : "at the hour each recipient usually acts on email"}; caps are shared with your campaigns, and anyone who ${flow.exits.replace(/^They /, "").replace(/\.$/, "")} leaves the sequence.`,
    plan: safePlan,
  };
}

/** The detector types that flows switched on take over. */
export function typesTakenOverByFlows(enabled: (id: FlowId) => boolean): Set<OpportunityType> {
  return new Set(FLOW_IDS.flatMap((id) => (enabled(id) && FLOWS[id].replaces ? [FLOWS[id].replaces] : [])));
}
