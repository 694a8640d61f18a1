import { z } from "zod";
import type { Db } from "~/db.server";
import { adapterForShop } from "~/delivery/connections.server";
import { describeEspError, type EspDeps } from "~/integrations/esp/types";
import { defineJob, done, fail, retry, type JobQueue } from "~/jobs/types";

// The ESP's copy of a redacted customer (ADR 020). Providers that keep a profile of everyone we send
// to (Klaviyo) are asked to delete it, in a job per address: a provider outage or rate limit retries
// with backoff instead of failing the redaction, and the address lives in the job only until it
// finishes (a sensitive job: its payload is wiped then).

export const PROVIDER_DELETION = "privacy.provider-deletion";

/** Queues a deletion request per address, if the shop's provider keeps profiles. */
export async function requestProviderDeletion(db: Db, queue: JobQueue, shop: string, emails: readonly string[]): Promise<number> {
  if (!emails.length) return 0;
  const adapter = await adapterForShop(db, shop);
  try {
    if (!adapter?.requestDeletion) return 0;
    for (const email of emails) {
      await queue.enqueue({ name: PROVIDER_DELETION, shop, payload: { email }, maxAttempts: 12, sensitive: true });
    }
    return emails.length;
  } finally {
    await adapter?.close?.();
  }
}

/** The job, with the adapter's dependencies injectable (tests point the provider at a local fake). */
export const providerDeletionJobWith = (deps: () => EspDeps = () => ({})) => defineJob({
  name: PROVIDER_DELETION,
  payload: z.object({ email: z.string().min(3).max(320) }),
  maxAttempts: 12,
  sensitive: true,
  async perform({ email }, { db, shop }) {
    if (!shop) return done;
    const adapter = await adapterForShop(db, shop, deps());
    // The merchant disconnected (or switched to a provider that keeps no profiles): nothing to ask.
    if (!adapter?.requestDeletion) return done;
    try {
      const result = await adapter.requestDeletion({ email });
      if (result.ok) return done;
      const reason = `provider deletion: ${describeEspError(result.error)}`;
      if (!result.error.retryable) return fail(reason);
      return retry(reason, result.error.type === "rate_limited" ? result.error.retryAfterMs : undefined);
    } finally {
      await adapter.close?.();
    }
  },
});

export const providerDeletionJob = providerDeletionJobWith();
