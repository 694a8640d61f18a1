import type { Db } from "~/db.server";

// What the launcher reads (never writes) while the app works: backfill progress, the webhook inbox,
// and the campaigns the engine has suggested. Reads only, so they never contend with the app's writer.

export const CAMPAIGN_KINDS = ["promotional", "winback", "cart_recovery"] as const;

export async function backfillRuns(db: Db, shop: string) {
  return db.backfillRun.findMany({ where: { shop }, select: { resource: true, status: true, processedCount: true, objectCount: true, error: true } });
}

export async function inboxCounts(db: Db, shop: string, topics: string[]): Promise<{ received: number; processed: number; failed: number }> {
  const scope = { shop, topic: { in: topics } };
  const [received, processed, failed] = await Promise.all([
    db.webhookEvent.count({ where: scope }),
    db.webhookEvent.count({ where: { ...scope, status: { in: ["processed", "skipped"] } } }),
    db.webhookEvent.count({ where: { ...scope, status: "failed" } }),
  ]);
  return { received, processed, failed };
}

export interface Suggestion {
  id: string;
  kind: string;
  title: string;
  audienceSize: number;
}

export async function suggestions(db: Db, shop: string): Promise<Suggestion[]> {
  return db.campaign.findMany({
    where: { shop, status: "suggested" },
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true, title: true, audienceSize: true },
  });
}

export async function mirrorCounts(db: Db, shop: string) {
  const [products, customers, orders, checkouts] = await Promise.all([
    db.product.count({ where: { shop } }),
    db.customer.count({ where: { shop } }),
    db.order.count({ where: { shop } }),
    db.checkout.count({ where: { shop } }),
  ]);
  return { products, customers, orders, checkouts };
}
