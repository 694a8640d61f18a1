import { type Db, isUniqueViolation } from "~/db.server";

export interface MirrorContext {
  db: Db;
  shop: string;
  /** The shop's currency: product and variant payloads carry amounts without one. */
  currency: string;
  /** When Shopify says the change happened (X-Shopify-Triggered-At), else when we received it. */
  observedAt: Date;
}

/** applied; stale: older than what is stored; deleted: the record is a tombstone; ignored: not ours. */
export type ApplyOutcome = "applied" | "stale" | "deleted" | "ignored";

/**
 * Webhooks arrive out of order; a payload older than what we store must not overwrite it.
 * Equal versions re-apply (idempotent), and a payload without a version is taken as current.
 */
export function isStale(incoming: Date | null | undefined, stored: Date | null | undefined): boolean {
  return Boolean(incoming && stored && incoming.getTime() < stored.getTime());
}

/** Rows whose stored version is missing or not newer than `version` (for conditional updates). */
export function notNewerThan(version: Date) {
  return { OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lte: version } }] };
}

export function json(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Create when the row is new; otherwise update only if the stored version is not newer. A create
 * that loses a race to another writer falls back to the conditional update.
 */
export async function createOrUpdateIfNewer(
  create: () => Promise<unknown>,
  updateIfNewer: () => Promise<{ count: number }>,
  isNew: boolean,
): Promise<boolean> {
  if (isNew) {
    try {
      await create();
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  const { count } = await updateIfNewer();
  return count > 0;
}
