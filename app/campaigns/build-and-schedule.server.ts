import type { Copywriters } from "~/copy/copywriters.server";
import type { Db } from "~/db.server";
import { scheduleDispatch } from "~/delivery/jobs.server";
import { scheduleCampaign } from "~/delivery/schedule.server";
import type { JobQueue } from "~/jobs/types";
import { buildCampaignFromOpportunity, type BuildResult } from "./builder.server";

// Builds an opportunity's campaign and, when a rule approved it (the shop's auto-approve for the kind,
// or an always-on flow the merchant lets send without review), schedules it as a merchant's approval
// would and starts the dispatcher. The build job and the flows both come through here.

export type BuildAndScheduleResult = BuildResult | (Extract<BuildResult, { status: "built" }> & { scheduled: boolean });

export async function buildAndSchedule(db: Db, queue: JobQueue, opportunityId: string, copywriters: Copywriters, now = new Date()): Promise<BuildAndScheduleResult> {
  const built = await buildCampaignFromOpportunity(db, opportunityId, copywriters, now);
  if (built.status !== "built" || !built.approvedBy) return built;
  const scheduled = await scheduleCampaign(db, built.shop, built.campaignId, now, built.approvedBy, now, built.timing);
  if (scheduled.ok) await scheduleDispatch(queue, built.shop, now);
  return { ...built, scheduled: scheduled.ok };
}
