import { randomUUID } from "node:crypto";
import type { Db, RawDriver } from "~/db.server";
import type { JobQueue } from "~/jobs/types";
import { errorMessage, log } from "~/lib/logger.server";
import { insertDelivery } from "./inbox-writer.server";
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

const PROCESS_ATTEMPTS = 10;

/**
 * Records a verified delivery exactly once (unique per shop + webhook id, and per topic + event id)
 * and makes sure a job will process it. With the database queue the job row is written in the same
 * transaction. Shopify retries until it gets a 2xx, so a duplicate of a delivery that is still
 * unprocessed is enqueued again (the job key makes that a no-op while the job exists).
 */
export async function recordDelivery(driver: RawDriver, queue: JobQueue, delivery: Delivery): Promise<RecordOutcome> {
  const id = randomUUID();
  const rejected = delivery.rejectedBecause;
  const jobInSameWrite = queue.kind === "database" && !rejected;
  const result = await insertDelivery(
    driver,
    {
      id,
      shop: delivery.shop,
      topic: delivery.topic,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      triggeredAt: delivery.triggeredAt,
      apiVersion: delivery.apiVersion,
      payload: delivery.payload,
      status: rejected ? "failed" : "received",
      lastError: rejected ?? null,
      receivedAt: new Date(),
    },
    jobInSameWrite
      ? {
          id: randomUUID(),
          name: PROCESS_WEBHOOK,
          key: processWebhookKey(id),
          payload: JSON.stringify({ webhookEventId: id }),
          maxAttempts: PROCESS_ATTEMPTS,
        }
      : null,
  );
  if (result.inserted) {
    if (jobInSameWrite) queue.notify?.();
    else if (!rejected) await enqueueAfterRecording(queue, delivery.shop, id);
    return "recorded";
  }
  if (result.existing?.status === "received") await enqueueAfterRecording(queue, delivery.shop, result.existing.id);
  return "duplicate";
}

/** How long the acknowledgement waits for the queue (Redis) before leaving the job to the sweep. */
const ENQUEUE_WAIT_MS = 2_000;

/**
 * The delivery is in the inbox, which is the durable record (ADR 005): if the queue cannot take the
 * job now (Redis down or slow), the delivery is still acknowledged and `requeueStuckDeliveries`
 * enqueues it once the queue is back. Failing the webhook instead would only make Shopify send a
 * duplicate that meets the same queue.
 */
async function enqueueAfterRecording(queue: JobQueue, shop: string, webhookEventId: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      enqueueProcessing(queue, shop, webhookEventId),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the queue did not answer within ${ENQUEUE_WAIT_MS} ms`)), ENQUEUE_WAIT_MS);
      }),
    ]);
  } catch (error) {
    log.warn("webhook recorded but not enqueued; the sweep will enqueue it", { shop, webhookEventId, error: errorMessage(error) });
  } finally {
    clearTimeout(timer);
  }
}

async function enqueueProcessing(queue: JobQueue, shop: string, webhookEventId: string, restartFinished = false): Promise<void> {
  await queue.enqueue({
    name: PROCESS_WEBHOOK,
    shop,
    payload: { webhookEventId },
    key: processWebhookKey(webhookEventId),
    maxAttempts: PROCESS_ATTEMPTS,
    restartFinished,
  });
}

/**
 * Deliveries recorded but never enqueued (a lost Redis, or a job row removed) are enqueued again by
 * this sweep, which the runners call at start and every minute.
 */
export async function requeueStuckDeliveries(db: Db, queue: JobQueue, olderThanMs = 30_000): Promise<number> {
  const stuck = await db.webhookEvent.findMany({
    where: { status: "received", receivedAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true, shop: true },
    orderBy: { receivedAt: "asc" },
    take: 500, // one IN list of job keys below
  });
  // With the database queue the job row was written with the delivery: during a backlog, a delivery
  // older than 30 s is waiting its turn, not lost. Only those without a live job row are enqueued (each
  // duplicate enqueue was a unique-key error, 1,000 a minute during bench:flash-sale's backlog).
  let missing = stuck;
  if (queue.kind === "database" && stuck.length) {
    const live = await db.job.findMany({
      where: { key: { in: stuck.map((event) => processWebhookKey(event.id)) }, status: { in: ["queued", "running"] } },
      select: { key: true },
    });
    const waiting = new Set(live.map((job) => job.key));
    missing = stuck.filter((event) => !waiting.has(processWebhookKey(event.id)));
  }
  // A job that ended without settling its delivery (it gave up while the database could not record
  // that, say) is started again.
  for (const event of missing) await enqueueProcessing(queue, event.shop, event.id, true);
  return missing.length;
}
