import { DateTime } from "luxon";
import { z } from "zod";
import type { Db } from "~/db.server";
import { transitionCampaign, type CampaignTransitionResult } from "~/campaigns/campaigns.server";
import { cancelCampaign, pauseCampaign, resumeCampaign } from "~/campaigns/controls.server";
import { setCampaignHoldout } from "~/campaigns/holdout.server";
import { scheduleDispatch } from "~/delivery/jobs.server";
import { scheduleCampaign } from "~/delivery/schedule.server";
import type { JobQueue } from "~/jobs/types";

// The review page's buttons. Every one goes through the campaign state machine (and is recorded);
// scheduling takes a date and time in the shop's time zone.

export const campaignActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve") }),
  z.object({ intent: z.literal("send_now") }),
  z.object({
    intent: z.literal("schedule"),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Pick a date"),
    time: z.string().regex(/^\d{2}:\d{2}$/, "Pick a time"),
  }),
  z.object({ intent: z.literal("reject"), reason: z.string().trim().min(3, "Say why, in a few words").max(500) }),
  z.object({ intent: z.literal("pause") }),
  z.object({ intent: z.literal("resume") }),
  z.object({ intent: z.literal("cancel"), reason: z.string().trim().min(3, "Say why, in a few words").max(500) }),
  z.object({
    intent: z.literal("holdout"),
    holdoutPercent: z.coerce.number({ message: "Enter a whole percentage" }).int("Enter a whole percentage").min(0, "Cannot be negative").max(50, "At most 50%"),
  }),
]);
export type CampaignAction = z.infer<typeof campaignActionSchema>;

export type ActionResult = { ok: true; message: string } | { ok: false; message: string; fieldErrors?: Record<string, string> };

function describe(result: CampaignTransitionResult, success: string): ActionResult {
  if (result.ok) return { ok: true, message: success };
  switch (result.error.kind) {
    case "blocked_content":
      return { ok: false, message: "Fix the blocking guardrail findings first" };
    case "illegal_transition":
      return { ok: false, message: `A ${result.error.from} campaign cannot be ${result.error.to}` };
    case "reason_required":
      return { ok: false, message: "Say why", fieldErrors: { reason: "Say why, in a few words" } };
    case "conflict":
      return { ok: false, message: "Someone else changed this campaign; reload" };
    default:
      return { ok: false, message: "Campaign not found" };
  }
}

export async function runCampaignAction(db: Db, queue: JobQueue, shop: string, campaignId: string, input: unknown, staff: string): Promise<ActionResult> {
  const parsed = campaignActionSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, message: "Check the form", fieldErrors: Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message])) };
  }
  const actor = { kind: "staff" as const, id: staff };
  const action = parsed.data;
  switch (action.intent) {
    case "approve":
      return describe(await transitionCampaign(db, shop, campaignId, "approved", actor), "Approved");
    case "send_now":
    case "schedule": {
      // The time is checked before approving, so a refused schedule leaves the campaign as it was.
      const zone = (await db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }))?.ianaTimezone ?? "UTC";
      const startsAt =
        action.intent === "schedule" ? DateTime.fromISO(`${action.date}T${action.time}`, { zone }).toJSDate() : new Date();
      if (Number.isNaN(startsAt.getTime())) return { ok: false, message: "Check the date", fieldErrors: { date: "Not a real date" } };
      if (action.intent === "schedule" && startsAt.getTime() < Date.now() - 60_000) {
        return { ok: false, message: "That time has passed", fieldErrors: { date: "Pick a time in the future" } };
      }
      const campaign = await db.campaign.findFirst({ where: { id: campaignId, shop }, select: { status: true } });
      if (campaign?.status !== "approved") {
        const approved = await transitionCampaign(db, shop, campaignId, "approved", actor);
        if (!approved.ok) return describe(approved, "");
      }
      const scheduled = await scheduleCampaign(db, shop, campaignId, startsAt, actor, new Date(), action.intent === "send_now" ? "as_planned" : "best_hour");
      if (scheduled.ok) await scheduleDispatch(queue, shop, startsAt);
      return describe(scheduled, action.intent === "send_now" ? "Sending now" : `Scheduled for ${DateTime.fromJSDate(startsAt, { zone }).toFormat("d LLL yyyy, HH:mm")} (${zone})`);
    }
    case "reject":
      return describe(await transitionCampaign(db, shop, campaignId, "rejected", actor, action.reason), "Rejected");
    case "pause":
      return describe(await pauseCampaign(db, shop, campaignId, actor), "Paused");
    case "holdout": {
      const result = await setCampaignHoldout(db, shop, campaignId, action.holdoutPercent);
      if (result.ok) return { ok: true, message: action.holdoutPercent ? `${result.heldOut} of ${result.recipients} held back at random` : "No holdout: everyone gets it" };
      return { ok: false, message: result.error.kind === "not_found" ? "Campaign not found" : `A ${result.error.status} campaign already has its holdout` };
    }
    case "resume": {
      const resumed = await resumeCampaign(db, shop, campaignId, actor);
      if (resumed.ok) await scheduleDispatch(queue, shop);
      return describe(resumed, "Resumed");
    }
    case "cancel":
      return describe(await cancelCampaign(db, shop, campaignId, actor, action.reason), "Cancelled");
  }
}
