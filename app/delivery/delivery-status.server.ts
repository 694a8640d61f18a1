import type { Db } from "~/db.server";
import type { DeliveryFacts } from "./delivery-status";

/** The facts `describeDelivery` needs for one campaign, in four bounded queries. */
export async function campaignDeliveryFacts(db: Db, shop: string, campaignId: string): Promise<DeliveryFacts> {
  const [counts, retrying, last, next, connection] = await Promise.all([
    db.send.groupBy({ by: ["status"], where: { shop, campaignId }, _count: { _all: true } }),
    db.send.count({ where: { shop, campaignId, status: "scheduled", lastErrorAt: { not: null }, lastError: { not: null } } }),
    db.send.findFirst({
      where: { shop, campaignId, status: { in: ["scheduled", "failed"] }, lastErrorAt: { not: null }, lastError: { not: null } },
      orderBy: { lastErrorAt: "desc" },
      select: { lastError: true, lastErrorAt: true },
    }),
    db.send.findFirst({ where: { shop, campaignId, status: "scheduled", lastError: { not: null } }, orderBy: { scheduledAt: "asc" }, select: { scheduledAt: true } }),
    db.espConnection.findUnique({ where: { shop }, select: { status: true, lastError: true } }),
  ]);
  return {
    counts: Object.fromEntries(counts.map((row) => [row.status, row._count._all])),
    retrying,
    lastFailure: last?.lastError && last.lastErrorAt ? { message: last.lastError, at: last.lastErrorAt } : null,
    nextTryAt: next?.scheduledAt ?? null,
    connection,
  };
}
