import { stepTimes } from "./step-times";
import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { hashSeed } from "~/campaigns/builder.server";
import { contentOf, transitionCampaign, type CampaignTransitionResult } from "~/campaigns/campaigns.server";
import { campaignPlanSchema } from "~/campaigns/sequence";
import type { Actor } from "~/campaigns/state-machine";
import { isUniqueViolation } from "~/db.server";
import { DEFAULT_SEND_HOUR, atLocalHour, bestHour } from "./send-time";

// Scheduling writes the whole send ledger up front: one row per (step, recipient) with its time, its
// subject variant and a unique idempotency key. Holdout recipients get rows too (status "holdout"),
// so incremental revenue can be measured against them. Writing twice writes nothing new.

const HOUR = 3_600_000;
// A message may go out this long after its planned time (quiet hours, caps, provider trouble).
const SEND_WINDOW_HOURS = 72;

export function idempotencyKeyFor(campaignId: string, step: number, recipientId: string): string {
  return `${campaignId}.${step}.${recipientId}`;
}

export async function scheduleCampaign(
  db: Db,
  shop: string,
  campaignId: string,
  startsAt: Date,
  actor: Actor,
  now = new Date(),
  /** "best_hour": each recipient at their own hour within the window; "as_planned": at once / per the plan. */
  timing: "best_hour" | "as_planned" = "best_hour",
): Promise<CampaignTransitionResult> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop } });
  if (!campaign) return { ok: false, error: { kind: "not_found" } };
  if (campaign.status !== "approved") {
    return { ok: false, error: { kind: "illegal_transition", from: campaign.status as never, to: "scheduled" } };
  }
  const plan = campaignPlanSchema.parse(JSON.parse(campaign.plan));
  const version = campaign.currentVersionId ? await db.campaignVersion.findFirst({ where: { id: campaign.currentVersionId, shop } }) : null;
  if (!version) return { ok: false, error: { kind: "blocked_content", findings: [] } };
  const steps = contentOf(version).steps;
  const shopRow = await db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } });
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  // Cart recovery follows each shopper's abandonment; other campaigns go out at each recipient's hour.
  const timed = timing === "best_hour" && campaign.kind !== "cart_recovery";
  const shopHour = timed ? (bestHour(await engagementMoments(db, shop, null), timeZone, 10) ?? DEFAULT_SEND_HOUR) : null;

  let cursor: string | undefined;
  for (;;) {
    const recipients = await db.campaignRecipient.findMany({
      where: { shop, campaignId, ...(cursor && { id: { gt: cursor } }) },
      orderBy: { id: "asc" },
      take: 500,
    });
    if (!recipients.length) break;
    cursor = recipients[recipients.length - 1].id;
    const hours = timed ? await recipientHours(db, shop, recipients.map((r) => r.email), timeZone) : new Map<string, number>();
    const planSteps = plan.steps.slice(0, steps.length);
    const notBefore = new Date(Math.max(startsAt.getTime(), now.getTime()));
    const rows = recipients.flatMap((recipient) => {
      const anchor = recipient.anchorAt && recipient.anchorAt > new Date(0) ? recipient.anchorAt : startsAt;
      const times = stepTimes(anchor, planSteps.map((step) => step.delayHours), notBefore);
      return planSteps.map((_step, index) => {
        const planned = times[index];
        const hour = shopHour === null ? null : (hours.get(recipient.email) ?? shopHour);
        const scheduledAt = hour === null ? planned : atLocalHour(planned, hour, timeZone);
        const variants = steps[index].subjectVariants.length || 1;
        return {
          shop,
          campaignId,
          step: index,
          recipientId: recipient.id,
          customerId: recipient.customerId,
          email: recipient.email,
          idempotencyKey: idempotencyKeyFor(campaignId, index, recipient.id),
          status: recipient.holdout ? "holdout" : "scheduled",
          variant: hashSeed(`${recipient.id}:${index}`) % variants,
          scheduledAt,
          plannedAt: scheduledAt,
          expectedValue: recipient.expectedValue,
          windowEndsAt: new Date(scheduledAt.getTime() + SEND_WINDOW_HOURS * HOUR),
        };
      });
    });
    await createSends(db, rows);
  }
  return transitionCampaign(db, shop, campaignId, "scheduled", actor, null, now);
}

type SendRow = Prisma.SendCreateManyInput;

/** When people acted on our emails (clicks) and bought (orders): all of the shop's, or some addresses'. */
async function engagementMoments(db: Db, shop: string, emails: string[] | null): Promise<Date[]> {
  const scope = emails ? { email: { in: emails } } : {};
  const since = new Date(Date.now() - 365 * 86_400_000);
  const [clicks, orders] = await Promise.all([
    db.emailEvent.findMany({ where: { shop, type: "click", occurredAt: { gte: since }, ...scope }, select: { occurredAt: true }, take: 20_000 }),
    db.order.findMany({ where: { shop, processedAt: { gte: since }, ...scope }, select: { processedAt: true }, take: 20_000 }),
  ]);
  return [...clicks.map((c) => c.occurredAt), ...orders.map((o) => o.processedAt)];
}

async function recipientHours(db: Db, shop: string, emails: string[], timeZone: string): Promise<Map<string, number>> {
  const since = new Date(Date.now() - 365 * 86_400_000);
  const [clicks, orders] = await Promise.all([
    db.emailEvent.findMany({ where: { shop, type: "click", email: { in: emails }, occurredAt: { gte: since } }, select: { email: true, occurredAt: true } }),
    db.order.findMany({ where: { shop, email: { in: emails }, processedAt: { gte: since } }, select: { email: true, processedAt: true } }),
  ]);
  const moments = new Map<string, Date[]>();
  for (const { email, occurredAt } of clicks) if (email) moments.set(email, [...(moments.get(email) ?? []), occurredAt]);
  for (const { email, processedAt } of orders) if (email) moments.set(email, [...(moments.get(email) ?? []), processedAt]);
  const hours = new Map<string, number>();
  for (const [email, dates] of moments) {
    const hour = bestHour(dates, timeZone);
    if (hour !== null) hours.set(email, hour);
  }
  return hours;
}

async function createSends(db: Db, rows: SendRow[]): Promise<void> {
  try {
    await db.send.createMany({ data: rows });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Scheduled before (a retry after a crash): add only the rows that are missing.
    for (const row of rows) {
      try {
        await db.send.create({ data: row });
      } catch (rowError) {
        if (!isUniqueViolation(rowError)) throw rowError;
      }
    }
  }
}
