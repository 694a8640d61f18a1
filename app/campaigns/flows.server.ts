import { z } from "zod";
import type { Db } from "~/db.server";
import type { Copywriters } from "~/copy/copywriters.server";
import { scheduleDispatch } from "~/delivery/jobs.server";
import { scheduleCampaign } from "~/delivery/schedule.server";
import type { JobQueue } from "~/jobs/types";
import { loadShopSettings, saveShopSettings, type ShopSettings } from "~/shops/settings.server";
import { buildCampaignFromOpportunity } from "./builder.server";
import { transitionCampaign } from "./campaigns.server";
import { goalInputSchema, goalPolicyErrors, planGoalCampaign } from "./goals";

// Always-on flows: rules the merchant switches on. The welcome series enrols the people who
// subscribed since the last run (and after the switch was turned on) into a 3-email onboarding
// sequence, planned, written and checked like every goal campaign. Switching the flow on is the
// merchant's approval: a batch with clean content is approved and scheduled at once; one with
// blocking findings waits for review like any suggestion.

const FLOW_KEY = "flow:welcome:";
const LOOKBACK_DAYS = 7;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const ACTOR = { kind: "rule" as const, id: "flow:welcome" };

export type WelcomeRun =
  | { status: "off" | "nobody" | "already_ran" }
  | { status: "no_audience"; excluded: Record<string, number> }
  | { status: "enrolled"; campaignId: string; enrolled: number; scheduled: boolean };

/** New subscribers not yet welcomed: consent given after the switch (and within a week). */
async function newSubscribers(db: Db, shop: string, since: Date): Promise<string[]> {
  const candidates = await db.customer.findMany({
    where: { shop, emailConsentState: "SUBSCRIBED", deletedAt: null, redactedAt: null, OR: [{ emailConsentUpdatedAt: { gte: since } }, { emailConsentUpdatedAt: null, createdAt: { gte: since } }] },
    select: { id: true },
    take: 5_000,
  });
  if (!candidates.length) return [];
  const flows = await db.opportunity.findMany({ where: { shop, type: "goal", key: { startsWith: FLOW_KEY }, campaignId: { not: null } }, select: { campaignId: true } });
  const welcomed = await db.campaignRecipient.findMany({
    where: { shop, campaignId: { in: flows.map((flow) => flow.campaignId!) }, customerId: { in: candidates.map((c) => c.id) } },
    select: { customerId: true },
  });
  const done = new Set(welcomed.map((row) => row.customerId));
  return candidates.map((c) => c.id).filter((id) => !done.has(id));
}

export async function runWelcomeFlow(db: Db, queue: JobQueue, shop: string, copywriters: Copywriters, now = new Date()): Promise<WelcomeRun> {
  const settings = await loadShopSettings(db, shop);
  const flow = settings.flows.welcome;
  if (!flow.enabled || !flow.enabledAt) return { status: "off" };
  const since = new Date(Math.max(Date.parse(flow.enabledAt), now.getTime() - LOOKBACK_DAYS * DAY));
  const customerIds = await newSubscribers(db, shop, since);
  if (!customerIds.length) return { status: "nobody" };
  // One batch per hour at most: the key holds the hour, and live keys are unique per shop.
  const key = `${FLOW_KEY}${Math.floor(now.getTime() / HOUR)}`;
  if (await db.opportunity.findFirst({ where: { shop, key }, select: { id: true } })) return { status: "already_ran" };
  const goal = goalInputSchema.parse({ objective: "onboarding", audience: "new", offerPercent: flow.offerPercent });
  // The policy may have tightened since the flow was switched on: then the welcome goes without the offer.
  const offerFits = Object.keys(goalPolicyErrors(goal, settings.brandVoice.discountPolicy)).length === 0;
  const planned = planGoalCampaign(offerFits ? goal : { ...goal, offerPercent: 0 }, {
    productTitles: [],
    policy: settings.brandVoice.discountPolicy,
    holdoutPercent: settings.holdoutPercent,
    startsAt: now,
  });
  if (!planned.ok) return { status: "nobody" };
  const goalPlan = { ...planned.goalPlan, title: `Welcome series: ${customerIds.length} new subscriber${customerIds.length === 1 ? "" : "s"}`, summary: "your welcome series for new subscribers" };
  const bestSellers = await db.orderLine.groupBy({ by: ["productId"], where: { shop, productId: { not: null } }, _sum: { quantity: true }, orderBy: { _sum: { quantity: "desc" } }, take: 4 });
  const opportunity = await db.opportunity.create({
    data: {
      shop,
      type: "goal",
      key,
      liveKey: key,
      title: goalPlan.title,
      reason: goalPlan.summary,
      evidence: JSON.stringify({
        productIds: bestSellers.flatMap((row) => (row.productId ? [row.productId] : [])),
        customerIds: [],
        checkoutTokens: [],
        segment: { audience: "new", customerIds, reason: "just subscribed" },
        goalPlan,
      }),
      score: 1,
      detectedAt: now,
      expiresAt: new Date(now.getTime() + 14 * DAY),
    },
  });
  const built = await buildCampaignFromOpportunity(db, opportunity.id, copywriters, now);
  if (built.status !== "built") {
    await db.opportunity.update({ where: { id: opportunity.id }, data: { status: "dismissed", liveKey: null } });
    return built.status === "no_audience" ? { status: "no_audience", excluded: built.excluded } : { status: "nobody" };
  }
  if (built.blocked) return { status: "enrolled", campaignId: built.campaignId, enrolled: built.audienceSize, scheduled: false };
  const approved = await transitionCampaign(db, shop, built.campaignId, "approved", ACTOR, "the welcome flow is switched on", now);
  const scheduled = approved.ok ? await scheduleCampaign(db, shop, built.campaignId, now, ACTOR, now, "as_planned") : approved;
  if (scheduled.ok) await scheduleDispatch(queue, shop, now);
  return { status: "enrolled", campaignId: built.campaignId, enrolled: built.audienceSize, scheduled: scheduled.ok };
}

export const flowSettingsSchema = z.object({
  welcomeEnabled: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
  welcomeOfferPercent: z.preprocess(
    (value) => (value === "" || value === undefined || value === null ? 0 : value),
    z.coerce.number({ message: "Enter a whole percentage" }).int("Enter a whole percentage").min(0, "Cannot be negative").max(90, "At most 90%"),
  ),
});

export type FlowSettingsResult = { ok: true; flows: ShopSettings["flows"] } | { ok: false; fieldErrors: Record<string, string> };

export async function saveFlowSettings(db: Db, shop: string, input: unknown, now = new Date()): Promise<FlowSettingsResult> {
  const parsed = flowSettingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])) };
  const settings = await loadShopSettings(db, shop);
  const goal = goalInputSchema.parse({ objective: "onboarding", audience: "new", offerPercent: parsed.data.welcomeOfferPercent });
  const policy = goalPolicyErrors(goal, settings.brandVoice.discountPolicy);
  if (policy.offerPercent) return { ok: false, fieldErrors: { welcomeOfferPercent: policy.offerPercent } };
  const was = settings.flows.welcome;
  const welcome = {
    enabled: parsed.data.welcomeEnabled,
    offerPercent: parsed.data.welcomeOfferPercent,
    // Switching on starts a new period: nobody who subscribed before gets a surprise welcome.
    enabledAt: parsed.data.welcomeEnabled ? (was.enabled && was.enabledAt ? was.enabledAt : now.toISOString()) : null,
  };
  const flows = { ...settings.flows, welcome };
  await saveShopSettings(db, shop, { ...settings, flows });
  return { ok: true, flows };
}

/** The flows page: the switch, and the latest welcome batches. */
export async function flowsOverview(db: Db, shop: string) {
  const settings = await loadShopSettings(db, shop);
  const batches = await db.opportunity.findMany({
    where: { shop, type: "goal", key: { startsWith: FLOW_KEY }, campaignId: { not: null } },
    orderBy: { detectedAt: "desc" },
    take: 10,
    select: { campaignId: true, title: true, detectedAt: true },
  });
  return { welcome: settings.flows.welcome, maxPercent: settings.brandVoice.discountPolicy.maxPercent, batches };
}
