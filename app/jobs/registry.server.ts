import { runFlowsJob } from "~/campaigns/flows/jobs.server";
import { backfillDownloadJob, backfillNextJob, backfillPollJob } from "~/ingest/backfill/backfill.server";
import { consentWritebackJob } from "~/delivery/feedback.server";
import { dispatchJob } from "~/delivery/jobs.server";
import { processWebhookJob } from "~/ingest/process-webhook.server";
import { providerDeletionJob } from "~/privacy/provider-deletion.server";
import { recomputeShopJob, refreshCustomersJob } from "~/insights/store/jobs.server";
import { buildCampaignJob, detectOpportunitiesJob } from "~/opportunities/jobs.server";
import { shopTickJob } from "~/shops/tick.server";
import type { JobDefinition } from "./types";

// Every job the workers know. A job enqueued under another name fails terminally.
// Each definition validates its own payload with its zod schema, so erasing the type here is safe.
const erase = <P>(definition: JobDefinition<P>) => definition as unknown as JobDefinition<unknown>;

const definitions = [
  erase(processWebhookJob),
  erase(backfillNextJob),
  erase(backfillPollJob),
  erase(backfillDownloadJob),
  erase(refreshCustomersJob),
  erase(recomputeShopJob),
  erase(shopTickJob),
  erase(detectOpportunitiesJob),
  erase(buildCampaignJob),
  erase(runFlowsJob),
  erase(dispatchJob),
  erase(consentWritebackJob),
  erase(providerDeletionJob),
];

export function jobDefinitions(): Map<string, JobDefinition<unknown>> {
  return new Map(definitions.map((definition) => [definition.name, definition]));
}
