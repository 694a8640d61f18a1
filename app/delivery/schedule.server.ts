import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { hashSeed } from "~/campaigns/builder.server";
import { contentOf, transitionCampaign, type CampaignTransitionResult } from "~/campaigns/campaigns.server";
import { campaignPlanSchema } from "~/campaigns/sequence";
import type { Actor } from "~/campaigns/state-machine";
import { isUniqueViolation } from "~/db.server";

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

  let cursor: string | undefined;
  for (;;) {
    const recipients = await db.campaignRecipient.findMany({
      where: { shop, campaignId, ...(cursor && { id: { gt: cursor } }) },
      orderBy: { id: "asc" },
      take: 500,
    });
    if (!recipients.length) break;
    cursor = recipients[recipients.length - 1].id;
    const rows = recipients.flatMap((recipient) =>
      plan.steps.slice(0, steps.length).map((step, index) => {
        const anchor = recipient.anchorAt && recipient.anchorAt > new Date(0) ? recipient.anchorAt : startsAt;
        const scheduledAt = new Date(Math.max(anchor.getTime() + step.delayHours * HOUR, startsAt.getTime(), now.getTime()));
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
          windowEndsAt: new Date(scheduledAt.getTime() + SEND_WINDOW_HOURS * HOUR),
        };
      }),
    );
    await createSends(db, rows);
  }
  return transitionCampaign(db, shop, campaignId, "scheduled", actor, null, now);
}

type SendRow = Prisma.SendCreateManyInput;

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
