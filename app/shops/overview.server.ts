import type { Db } from "~/db.server";
import { backfillProgress, type BackfillProgress } from "~/ingest/backfill/backfill.server";

export interface ShopOverview {
  counts: { products: number; customers: number; orders: number; subscribed: number };
  backfill: BackfillProgress[];
  inbox: { received: number; failed: number };
}

/** What the home page shows: mirror size, sync progress and webhook health (bounded count queries). */
export async function shopOverview(db: Db, shop: string): Promise<ShopOverview> {
  const [products, customers, orders, subscribed, received, failed, backfill] = await Promise.all([
    db.product.count({ where: { shop, deletedAt: null } }),
    db.customer.count({ where: { shop, deletedAt: null } }),
    db.order.count({ where: { shop } }),
    db.customer.count({ where: { shop, deletedAt: null, emailConsentState: "SUBSCRIBED" } }),
    db.webhookEvent.count({ where: { shop, status: "received" } }),
    db.webhookEvent.count({ where: { shop, status: "failed" } }),
    backfillProgress(db, shop),
  ]);
  return { counts: { products, customers, orders, subscribed }, backfill, inbox: { received, failed } };
}
