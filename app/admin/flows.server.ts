import { z } from "zod";
import { cancelCampaign } from "~/campaigns/controls.server";
import { FLOWS } from "~/campaigns/flows/definitions";
import { FLOW_IDS, type FlowId } from "~/campaigns/flows/flow-ids";
import { FLOW_KEY_PREFIX } from "~/campaigns/flows/run.server";
import { AWAITING_APPROVAL } from "~/campaigns/state-machine";
import type { Db } from "~/db.server";
import { chunked, inChunks } from "~/lib/chunks";
import { loadShopSettings, saveShopSettings, type ShopSettings } from "~/shops/settings.server";

// The flows page: each flow's switch (on, send without review, offer within the policy), what it does,
// how it performed over 30 days, its latest batches and messages, and a stop for everything it has
// scheduled.

const DAY = 86_400_000;
const PERFORMANCE_DAYS = 30;
const RUNNING = ["approved", "scheduled", "sending", "paused"] as const;
const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());

export const flowFormSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    flow: z.enum(FLOW_IDS, { message: "Unknown flow" }),
    enabled: checkbox,
    autoApprove: checkbox,
    offerPercent: z.preprocess(
      (value) => (value === "" || value === undefined || value === null ? 0 : value),
      z.coerce.number({ message: "Enter a whole percentage" }).int("Enter a whole percentage").min(0, "Cannot be negative").max(90, "At most 90%"),
    ),
  }),
  z.object({ intent: z.literal("stop"), flow: z.enum(FLOW_IDS, { message: "Unknown flow" }) }),
]);

export type FlowActionResult =
  | { ok: true; flow: FlowId; message: string }
  | { ok: false; flow: FlowId | null; fieldErrors: Record<string, string> };

export async function flowAction(db: Db, shop: string, input: unknown, actorId: string, now = new Date()): Promise<FlowActionResult> {
  const parsed = flowFormSchema.safeParse(input);
  if (!parsed.success) {
    const flow = FLOW_IDS.find((id) => id === (input as { flow?: unknown } | null)?.flow) ?? null;
    return { ok: false, flow, fieldErrors: Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message])) };
  }
  const form = parsed.data;
  const settings = await loadShopSettings(db, shop);
  const label = FLOWS[form.flow].label;
  if (form.intent === "stop") {
    const stopped = await stopFlow(db, shop, settings, form.flow, actorId);
    return { ok: true, flow: form.flow, message: `${label} off; ${stopped} batch${stopped === 1 ? "" : "es"} stopped` };
  }
  const policy = settings.brandVoice.discountPolicy;
  if (form.offerPercent > 0 && policy.maxPercent === 0) return { ok: false, flow: form.flow, fieldErrors: { offerPercent: "Your discount policy allows no discounts" } };
  if (form.offerPercent > policy.maxPercent) return { ok: false, flow: form.flow, fieldErrors: { offerPercent: `Your discount policy allows at most ${policy.maxPercent}%` } };
  const was = settings.flows[form.flow];
  const next = {
    enabled: form.enabled,
    autoApprove: form.autoApprove,
    offerPercent: form.offerPercent,
    // Switching on starts a new period: nothing that happened before surprises anyone with an email.
    enabledAt: form.enabled ? (was.enabled && was.enabledAt ? was.enabledAt : now.toISOString()) : null,
  };
  await saveShopSettings(db, shop, { ...settings, flows: { ...settings.flows, [form.flow]: next } });
  return { ok: true, flow: form.flow, message: `${label} ${form.enabled ? (form.autoApprove ? "on, sending without review" : "on, batches wait for your review") : "off"}` };
}

/** Switches the flow off and cancels every batch it has waiting or running (messages already sent stay sent). */
async function stopFlow(db: Db, shop: string, settings: ShopSettings, flow: FlowId, actorId: string): Promise<number> {
  await saveShopSettings(db, shop, { ...settings, flows: { ...settings.flows, [flow]: { ...settings.flows[flow], enabled: false, enabledAt: null } } });
  const campaigns = await db.campaign.findMany({ where: { shop, id: { in: await flowCampaignIds(db, shop, flow) }, status: { in: [...RUNNING, ...AWAITING_APPROVAL] } }, select: { id: true } });
  let stopped = 0;
  for (const { id } of campaigns) {
    if ((await cancelCampaign(db, shop, id, { kind: "staff", id: actorId }, "the merchant stopped the flow")).ok) stopped++;
  }
  return stopped;
}

/** The flow's batches' campaigns, newest first. */
async function flowCampaignIds(db: Db, shop: string, flow: FlowId, since?: Date): Promise<string[]> {
  const batches = await db.opportunity.findMany({
    where: { shop, type: "flow", key: { startsWith: `${FLOW_KEY_PREFIX}${flow}:` }, campaignId: { not: null }, ...(since && { detectedAt: { gte: since } }) },
    orderBy: { detectedAt: "desc" },
    select: { campaignId: true },
  });
  return batches.map((batch) => batch.campaignId!);
}

export interface FlowPerformance {
  enrolled: number;
  recipients: number;
  sent: number;
  clicked: number;
  unsubscribed: number;
  orders: number;
  revenue: number;
  clickRate: number | null;
  conversionRate: number | null;
  revenuePerRecipient: number | null;
}

async function performance(db: Db, shop: string, flow: FlowId, campaignIds: string[], since: Date): Promise<FlowPerformance> {
  const [enrolled, recipients, sent, clicks, unsubscribed, attributed] = await Promise.all([
    db.flowEnrolment.count({ where: { shop, flow, enrolledAt: { gte: since } } }),
    sum(campaignIds, (chunk) => db.campaignRecipient.count({ where: { shop, campaignId: { in: chunk }, holdout: false } })),
    sum(campaignIds, (chunk) => db.send.count({ where: { shop, campaignId: { in: chunk }, status: "sent" } })),
    inChunks(campaignIds, (chunk) => db.emailEvent.findMany({ where: { shop, campaignId: { in: chunk }, type: "click", sendId: { not: null } }, select: { sendId: true }, distinct: ["sendId"] })),
    sum(campaignIds, (chunk) => db.emailEvent.count({ where: { shop, campaignId: { in: chunk }, type: "unsubscribe" } })),
    inChunks(campaignIds, (chunk) => db.orderAttribution.findMany({ where: { shop, campaignId: { in: chunk } }, select: { revenue: true } })),
  ]);
  const revenue = attributed.reduce((total, row) => total + row.revenue, 0);
  const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
  return {
    enrolled,
    recipients,
    sent,
    clicked: clicks.length,
    unsubscribed,
    orders: attributed.length,
    revenue,
    clickRate: rate(clicks.length, sent),
    conversionRate: rate(attributed.length, recipients),
    revenuePerRecipient: recipients > 0 ? Math.round(revenue / recipients) : null,
  };
}

async function sum(ids: string[], count: (chunk: string[]) => Promise<number>): Promise<number> {
  let total = 0;
  for (const chunk of chunked(ids)) total += await count(chunk);
  return total;
}

export async function flowsOverview(db: Db, shop: string, now = new Date()) {
  const [settings, shopRow] = await Promise.all([loadShopSettings(db, shop), db.shop.findUnique({ where: { shop }, select: { currencyCode: true } })]);
  const since = new Date(now.getTime() - PERFORMANCE_DAYS * DAY);
  const flows = [];
  for (const id of FLOW_IDS) {
    const definition = FLOWS[id];
    const campaignIds = await flowCampaignIds(db, shop, id);
    const recentIds = await flowCampaignIds(db, shop, id, since);
    const [batches, messages, scheduled, waiting] = await Promise.all([
      db.campaign.findMany({
        where: { shop, id: { in: campaignIds.slice(0, 200) } },
        orderBy: { createdAt: "desc" },
        take: 8,
        select: { id: true, title: true, status: true, audienceSize: true, createdAt: true },
      }),
      db.send.findMany({
        where: { shop, campaignId: { in: campaignIds.slice(0, 200) }, status: "sent" },
        orderBy: { sentAt: "desc" },
        take: 8,
        select: { id: true, email: true, step: true, sentAt: true, campaignId: true },
      }),
      sum(campaignIds, (chunk) => db.send.count({ where: { shop, campaignId: { in: chunk }, status: "scheduled" } })),
      sum(campaignIds, (chunk) => db.campaign.count({ where: { shop, id: { in: chunk }, status: { in: [...AWAITING_APPROVAL] } } })),
    ]);
    flows.push({
      id,
      label: definition.label,
      trigger: definition.trigger,
      exits: definition.exits,
      steps: definition.steps.map((step) => ({ day: step.day, purpose: step.purpose, offer: step.offer, reasoning: step.reasoning })),
      takesOver: definition.replaces,
      settings: settings.flows[id],
      performance: await performance(db, shop, id, recentIds, since),
      batches,
      messages,
      scheduled,
      waiting,
    });
  }
  return { flows, maxPercent: settings.brandVoice.discountPolicy.maxPercent, currency: shopRow?.currencyCode ?? "USD", performanceDays: PERFORMANCE_DAYS };
}
