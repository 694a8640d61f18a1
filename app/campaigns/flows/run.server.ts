import type { Copywriters } from "~/copy/copywriters.server";
import { isUniqueViolation, type Db } from "~/db.server";
import { inChunks } from "~/lib/chunks";
import type { JobQueue } from "~/jobs/types";
import { loadShopSettings, type ShopSettings } from "~/shops/settings.server";
import { buildAndSchedule } from "../build-and-schedule.server";
import { FLOWS, planFlowBatch, type FlowDefinition } from "./definitions";
import { FLOW_IDS, type FlowId } from "./flow-ids";
import { TRIGGERS, type Enrolment, type TriggeredBatch } from "./triggers.server";

// One run of the shop's flows (hourly, see jobs.server.ts): each flow that is on asks its trigger who
// is due, keeps the people it never enrolled for that trigger (and not in its cool-down), records them
// and builds the batch through the campaign builder like any suggestion: audience checks, copy with
// guardrails, immutable versions. A flow the merchant lets send without review is approved by its rule
// and scheduled at once; otherwise the batch waits for review. Every batch stays a campaign the
// merchant can open, pause and cancel.

export const FLOW_KEY_PREFIX = "flow:";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A trigger older than this when the flow first sees it (a flow switched on long ago, a missed run) is
// not acted on: the moment has passed.
const LOOKBACK_DAYS = 7;
/** A customer enrolled in a flow is not enrolled in it again within this many days (another trigger). */
const COOL_DOWN_DAYS: Record<FlowId, number> = { welcome: 0, post_purchase: 14, replenishment: 7, browse_abandonment: 7, back_in_stock: 0 };
const BATCH_EXPIRES_DAYS = 21;

export type FlowBatchResult =
  | { status: "built"; campaignId: string; enrolled: number; audience: number; approved: boolean; scheduled: boolean }
  | { status: "no_audience"; enrolled: number; excluded: Record<string, number> }
  | { status: "already_ran" };

export type FlowRun = { status: "off" } | { status: "nobody" } | { status: "ran"; batches: FlowBatchResult[] };

export function flowBatchKey(flow: FlowId, part: string, now: Date): string {
  return `${FLOW_KEY_PREFIX}${flow}:${part}${Math.floor(now.getTime() / HOUR)}`;
}

export async function runFlows(db: Db, queue: JobQueue, shop: string, copywriters: Copywriters, now = new Date()): Promise<Partial<Record<FlowId, FlowRun>>> {
  const settings = await loadShopSettings(db, shop);
  const runs: Partial<Record<FlowId, FlowRun>> = {};
  for (const flow of FLOW_IDS) {
    if (settings.flows[flow].enabled) runs[flow] = await runFlow(db, queue, shop, flow, copywriters, now, settings);
  }
  return runs;
}

export async function runFlow(
  db: Db,
  queue: JobQueue,
  shop: string,
  flowId: FlowId,
  copywriters: Copywriters,
  now = new Date(),
  settings?: ShopSettings,
): Promise<FlowRun> {
  const shopSettings = settings ?? (await loadShopSettings(db, shop));
  const flowSwitch = shopSettings.flows[flowId];
  if (!flowSwitch.enabled || !flowSwitch.enabledAt) return { status: "off" };
  const since = new Date(Math.max(Date.parse(flowSwitch.enabledAt), now.getTime() - LOOKBACK_DAYS * DAY));
  const batches = await TRIGGERS[flowId](db, shop, { since, now });
  const results: FlowBatchResult[] = [];
  for (const batch of batches) {
    const fresh = await notYetEnrolled(db, shop, flowId, batch.enrolments, now);
    if (!fresh.length) continue;
    results.push(await enrolAndBuild(db, queue, shop, FLOWS[flowId], { ...batch, enrolments: fresh }, shopSettings, copywriters, now));
  }
  return results.length ? { status: "ran", batches: results } : { status: "nobody" };
}

/** Drops enrolments whose key the flow already recorded, and customers in the flow's cool-down. */
async function notYetEnrolled(db: Db, shop: string, flow: FlowId, enrolments: Enrolment[], now: Date): Promise<Enrolment[]> {
  if (!enrolments.length) return [];
  const known = new Set(
    (await inChunks(enrolments.map((e) => e.key), (chunk) => db.flowEnrolment.findMany({ where: { shop, flow, key: { in: chunk } }, select: { key: true } }))).map((row) => row.key),
  );
  const coolDown = COOL_DOWN_DAYS[flow];
  const customerIds = [...new Set(enrolments.flatMap((e) => (e.customerId ? [e.customerId] : [])))];
  const cooling = coolDown
    ? new Set(
        (
          await inChunks(customerIds, (chunk) =>
            db.flowEnrolment.findMany({ where: { shop, flow, customerId: { in: chunk }, enrolledAt: { gte: new Date(now.getTime() - coolDown * DAY) } }, select: { customerId: true } }),
          )
        ).map((row) => row.customerId),
      )
    : new Set<string | null>();
  return enrolments.filter((e) => !known.has(e.key) && !(e.customerId && cooling.has(e.customerId)));
}

async function enrolAndBuild(
  db: Db,
  queue: JobQueue,
  shop: string,
  flow: FlowDefinition,
  batch: TriggeredBatch,
  settings: ShopSettings,
  copywriters: Copywriters,
  now: Date,
): Promise<FlowBatchResult> {
  const key = flowBatchKey(flow.id, batch.part, now);
  if (await db.opportunity.findFirst({ where: { shop, key }, select: { id: true } })) return { status: "already_ran" };
  const goalPlan = planFlowBatch(flow, {
    offerPercent: settings.flows[flow.id].offerPercent,
    policy: settings.brandVoice.discountPolicy,
    holdoutPercent: settings.holdoutPercent,
    startsAt: now,
    title: batch.title,
    summary: batch.summary,
  });
  let opportunityId: string;
  try {
    // The batch and its enrolments are written together: a crash before the build leaves a live
    // opportunity that the detection job builds later, never people enrolled in nothing.
    opportunityId = await db.$transaction(async (tx) => {
      const opportunity = await tx.opportunity.create({
        data: {
          shop,
          type: "flow",
          key,
          liveKey: key,
          title: batch.title,
          reason: batch.summary,
          evidence: JSON.stringify({ productIds: batch.copyProductIds, customerIds: [], checkoutTokens: [], perRecipientProducts: flow.perRecipientProducts || !batch.copyProductIds.length, goalPlan }),
          score: batch.enrolments.length,
          detectedAt: now,
          expiresAt: new Date(now.getTime() + BATCH_EXPIRES_DAYS * DAY),
        },
      });
      await tx.flowEnrolment.createMany({
        data: batch.enrolments.map((e) => ({
          shop,
          flow: flow.id,
          key: e.key,
          customerId: e.customerId,
          opportunityId: opportunity.id,
          anchorAt: e.anchorAt,
          details: JSON.stringify(e.details),
          enrolledAt: now,
        })),
      });
      return opportunity.id;
    });
  } catch (error) {
    // Another run of the same hour got there first (the keys are unique): nothing to do twice.
    if (isUniqueViolation(error)) return { status: "already_ran" };
    throw error;
  }
  const requestIds = batch.enrolments.flatMap((e) => (e.details.stockAlertRequestId ? [e.details.stockAlertRequestId] : []));
  if (requestIds.length) await db.stockAlertRequest.updateMany({ where: { shop, id: { in: requestIds }, notifiedAt: null }, data: { notifiedAt: now } });

  const built = await buildAndSchedule(db, queue, opportunityId, copywriters, now);
  if (built.status === "built") {
    if (requestIds.length) await db.stockAlertRequest.updateMany({ where: { shop, id: { in: requestIds } }, data: { campaignId: built.campaignId } });
    return {
      status: "built",
      campaignId: built.campaignId,
      enrolled: batch.enrolments.length,
      audience: built.audienceSize,
      approved: built.approvedBy !== null,
      scheduled: "scheduled" in built && built.scheduled,
    };
  }
  // Nobody could be reached (no consent, suppressed, bought already): the trigger fired and is recorded,
  // and the empty batch ends here rather than being retried.
  await db.opportunity.update({ where: { id: opportunityId }, data: { status: "dismissed", liveKey: null } });
  return built.status === "no_audience" ? { status: "no_audience", enrolled: batch.enrolments.length, excluded: built.excluded } : { status: "already_ran" };
}
