import { type Db, isUniqueViolation } from "~/db.server";
import type { JobQueue } from "~/jobs/types";
import { PROCESS_WEBHOOK, processWebhookKey } from "./process-webhook.server";

export interface Delivery {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: Date | null;
  apiVersion: string;
  payload: string;
  /** Set when the delivery is kept but cannot be processed (e.g. its body is not JSON). */
  rejectedBecause?: string;
}

export type RecordOutcome = "recorded" | "duplicate";

/**
 * Records a verified delivery exactly once (unique per shop + webhook id, and per topic + event id)
 * and makes sure a job will process it. Shopify retries until it gets a 2xx, so a duplicate of a
 * delivery that is still unprocessed is enqueued again (the job key makes that a no-op if queued).
 */
export async function recordDelivery(db: Db, queue: JobQueue, delivery: Delivery): Promise<RecordOutcome> {
  const rejected = delivery.rejectedBecause;
  try {
    const event = await db.webhookEvent.create({
      data: {
        shop: delivery.shop,
        topic: delivery.topic,
        webhookId: delivery.webhookId,
        eventId: delivery.eventId,
        triggeredAt: delivery.triggeredAt,
        apiVersion: delivery.apiVersion,
        payload: delivery.payload,
        ...(rejected && { status: "failed", lastError: rejected, processedAt: new Date() }),
      },
      select: { id: true },
    });
    if (!rejected) await enqueueProcessing(queue, delivery.shop, event.id);
    return "recorded";
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const existing = await db.webhookEvent.findFirst({
    where: {
      shop: delivery.shop,
      OR: [
        { webhookId: delivery.webhookId },
        ...(delivery.eventId ? [{ topic: delivery.topic, eventId: delivery.eventId }] : []),
      ],
    },
    select: { id: true, status: true },
  });
  if (existing?.status === "received") await enqueueProcessing(queue, delivery.shop, existing.id);
  return "duplicate";
}

async function enqueueProcessing(queue: JobQueue, shop: string, webhookEventId: string): Promise<void> {
  await queue.enqueue({
    name: PROCESS_WEBHOOK,
    shop,
    payload: { webhookEventId },
    key: processWebhookKey(webhookEventId),
    maxAttempts: 10,
  });
}

/**
 * Deliveries recorded but never enqueued (a crash between the two, or a lost Redis) are enqueued
 * again by this sweep, which the runners call at start and every minute.
 */
export async function requeueStuckDeliveries(db: Db, queue: JobQueue, olderThanMs = 30_000): Promise<number> {
  const stuck = await db.webhookEvent.findMany({
    where: { status: "received", receivedAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true, shop: true },
    orderBy: { receivedAt: "asc" },
    take: 1_000,
  });
  for (const event of stuck) await enqueueProcessing(queue, event.shop, event.id);
  return stuck.length;
}
