import type { Db } from "~/db.server";
import { PROCESS_WEBHOOK } from "~/ingest/process-webhook.server";
import type { JobQueue } from "~/jobs/types";
import { budgetMoves } from "./send-reasons.server";

// The activity page: what came in (the webhook inbox, failures first), what the jobs are doing, and
// what went out (the send ledger).

export async function activity(db: Db, shop: string) {
  const [failed, recent, inboxCounts, jobCounts, sends, sendCounts] = await Promise.all([
    db.webhookEvent.findMany({ where: { shop, status: "failed" }, orderBy: { receivedAt: "desc" }, take: 25, select: { id: true, topic: true, receivedAt: true, lastError: true, attempts: true } }),
    db.webhookEvent.findMany({ where: { shop }, orderBy: { receivedAt: "desc" }, take: 15, select: { id: true, topic: true, status: true, receivedAt: true } }),
    db.webhookEvent.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    db.job.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    db.send.findMany({
      where: { shop, status: { in: ["sent", "skipped", "failed"] } },
      orderBy: { createdAt: "desc" },
      take: 30,
      select: { id: true, email: true, campaignId: true, step: true, status: true, sentAt: true, skipReason: true, lastError: true },
    }),
    db.send.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
  ]);
  const counts = (rows: Array<{ status: string; _count: { _all: number } }>) => Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
  const titles = new Map(
    (await db.campaign.findMany({ where: { shop, id: { in: [...new Set(sends.map((send) => send.campaignId))] } }, select: { id: true, title: true } })).map((c) => [c.id, c.title]),
  );
  return {
    failed,
    recent,
    inbox: counts(inboxCounts),
    jobs: counts(jobCounts),
    sends: sends.map((send) => ({ ...send, campaign: titles.get(send.campaignId) ?? send.campaignId })),
    sendCounts: counts(sendCounts),
    budgetMoves: await budgetMoves(db, shop),
  };
}

/** Puts a failed delivery back in the queue (after a fix, or when the failure was transient). */
export async function retryDelivery(db: Db, queue: JobQueue, shop: string, webhookEventId: string): Promise<boolean> {
  const { count } = await db.webhookEvent.updateMany({
    where: { id: webhookEventId, shop, status: "failed" },
    data: { status: "received", lastError: null, processedAt: null },
  });
  if (!count) return false;
  await queue.enqueue({
    name: PROCESS_WEBHOOK,
    shop,
    payload: { webhookEventId },
    key: `webhook:${webhookEventId}:retry:${Date.now()}`,
    maxAttempts: 10,
  });
  return true;
}
